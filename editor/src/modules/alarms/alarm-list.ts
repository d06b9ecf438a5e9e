import type { Alarm, AlarmPriority } from '../../api/alarms';

/** The console's views of the active alarms. */
export const ALARM_VIEWS = ['unacknowledged', 'active', 'shelved'] as const;
export type AlarmView = (typeof ALARM_VIEWS)[number];

const PRIORITY_RANK: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export const PRIORITY_COLOR: Record<AlarmPriority, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue' };

export function isUnacknowledged(alarm: Alarm): boolean {
  return alarm.state === 'active_unack' || alarm.state === 'rtn_unack';
}

function sinceOf(alarm: Alarm): number {
  return Date.parse(alarm.activeSince ?? alarm.lastChangeAt);
}

/**
 * What a view shows: unacknowledged and active list the enabled alarms an
 * operator must see (shelved, suppressed and out-of-service ones are out of
 * the way by design); shelved lists those an operator put aside.
 */
export function alarmsInView(alarms: readonly Alarm[], view: AlarmView): Alarm[] {
  if (view === 'shelved') return alarms.filter((alarm) => alarm.mode === 'shelved');
  const enabled = alarms.filter((alarm) => alarm.mode === 'enabled' && alarm.state !== 'normal');
  return view === 'unacknowledged' ? enabled.filter(isUnacknowledged) : enabled;
}

/** By priority (critical first), then newest first: ISA-18.2's order for an operator's list. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || sinceOf(b) - sinceOf(a) || a.id.localeCompare(b.id),
  );
}

/** The areas the alarms name, for the area filter. */
export function areasOf(alarms: readonly Alarm[]): string[] {
  return [...new Set(alarms.map((alarm) => alarm.area))].sort((a, b) => a.localeCompare(b));
}

/**
 * The critical unacknowledged alarms that were not in the previous poll
 * (keyed by id and activation time, so one that returns and comes back in
 * counts as new again). The first poll announces nothing: what was already
 * active when the page opened is not news.
 */
export function newCriticalAlarms(previous: ReadonlySet<string> | null, alarms: readonly Alarm[]): { seen: Set<string>; fresh: Alarm[] } {
  const critical = alarms.filter((alarm) => alarm.priority === 'critical' && alarm.state === 'active_unack' && alarm.mode === 'enabled');
  const key = (alarm: Alarm) => `${alarm.id}@${alarm.activeSince ?? ''}`;
  const seen = new Set(critical.map(key));
  return { seen, fresh: previous === null ? [] : critical.filter((alarm) => !previous.has(key(alarm))) };
}

export const SHELVE_MINUTES = [15, 60, 240, 480, 720, 1440] as const;
