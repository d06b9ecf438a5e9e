import type { AlarmKpis } from "../../../runtime/alarms/schema.js";

/**
 * Alarm KPIs across sites from the daily summaries sites send (pure;
 * docs/corporate.md "Alarm KPIs"). Each summary is the site's own KPI report
 * (runtime/alarms/alarm-kpis.ts) over one UTC day; rates are per operator
 * position, one per site (ISA-18.2 counts alarm rates per operator).
 */

export interface AlarmDay {
  siteId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  kpis: AlarmKpis;
}

export interface AlarmActor {
  siteId: string;
  alarmId: string;
  tagPath: string | null;
  message: string;
  activations: number;
}

export interface SiteAlarmKpis {
  siteId: string;
  /** Days with a summary in the range: the rates' denominator. */
  daysReported: number;
  activations: number;
  perDay: number;
  perOperatorHour: number;
  /** Floods summed over the days (a flood across midnight counts once per day). */
  floods: number;
  /** Standing alarms at the end of the newest day reported. */
  standing: { alarmId: string; tagPath: string | null; message: string; activeSince: string }[];
  /** Alarms chattering on any day: the most activations in one minute and on how many days. */
  chattering: { alarmId: string; tagPath: string | null; message: string; activationsInOneMinute: number; days: number }[];
  /** Most frequent alarms (from each day's top ten, so a lower bound for an alarm outside some day's ten). */
  badActors: (AlarmActor & { percentOfTotal: number })[];
}

export const TOP_ACTORS = 10;

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function siteAlarmKpis(siteId: string, days: readonly AlarmDay[]): SiteAlarmKpis {
  const own = days.filter((day) => day.siteId === siteId).sort((a, b) => a.day.localeCompare(b.day));
  const activations = own.reduce((sum, day) => sum + day.kpis.total, 0);
  const actors = new Map<string, AlarmActor>();
  const chatter = new Map<string, SiteAlarmKpis["chattering"][number]>();
  for (const { kpis } of own) {
    for (const actor of kpis.badActors) {
      const held = actors.get(actor.alarmId);
      if (held) held.activations += actor.activations;
      else actors.set(actor.alarmId, { siteId, alarmId: actor.alarmId, tagPath: actor.tagPath, message: actor.message, activations: actor.activations });
    }
    for (const entry of kpis.chattering) {
      const held = chatter.get(entry.alarmId);
      if (held) {
        held.days += 1;
        held.activationsInOneMinute = Math.max(held.activationsInOneMinute, entry.activationsInOneMinute);
      } else {
        chatter.set(entry.alarmId, { alarmId: entry.alarmId, tagPath: entry.tagPath, message: entry.message, activationsInOneMinute: entry.activationsInOneMinute, days: 1 });
      }
    }
  }
  const daysReported = own.length;
  return {
    siteId,
    daysReported,
    activations,
    perDay: daysReported > 0 ? round(activations / daysReported) : 0,
    perOperatorHour: daysReported > 0 ? round(activations / (daysReported * 24)) : 0,
    floods: own.reduce((sum, day) => sum + day.kpis.floods.count, 0),
    standing: own.length > 0 ? own[own.length - 1].kpis.standing : [],
    chattering: [...chatter.values()].sort((a, b) => b.activationsInOneMinute - a.activationsInOneMinute || a.alarmId.localeCompare(b.alarmId)),
    badActors: topActors([...actors.values()], activations),
  };
}

function topActors(actors: AlarmActor[], total: number): (AlarmActor & { percentOfTotal: number })[] {
  return actors
    .sort((a, b) => b.activations - a.activations || a.siteId.localeCompare(b.siteId) || a.alarmId.localeCompare(b.alarmId))
    .slice(0, TOP_ACTORS)
    .map((actor) => ({ ...actor, percentOfTotal: total > 0 ? round((actor.activations / total) * 100, 1) : 0 }));
}

/** Every site's KPIs, and the bad actors across all of them (percent of all sites' activations). */
export function alarmKpisAcrossSites(siteIds: readonly string[], days: readonly AlarmDay[]): { sites: SiteAlarmKpis[]; badActors: (AlarmActor & { percentOfTotal: number })[] } {
  const sites = siteIds.map((siteId) => siteAlarmKpis(siteId, days));
  const total = sites.reduce((sum, site) => sum + site.activations, 0);
  const all = sites.flatMap((site) => site.badActors.map((actor) => ({ siteId: actor.siteId, alarmId: actor.alarmId, tagPath: actor.tagPath, message: actor.message, activations: actor.activations })));
  return { sites, badActors: topActors(all, total) };
}
