/**
 * The production (contract) day of a site: day D runs from D at HH:00 local
 * time to D+1 at HH:00 local time in the site's IANA time zone (settings
 * `siteTimeZone`, `productionDayStartHour`). Across a daylight-saving change a
 * day lasts 23 or 25 hours; everything that sums hours (uptime, theoretical
 * volume) uses the day's real length. UTC and hour 0 (the default) give UTC
 * calendar days.
 *
 * Pure: zone offsets come from Intl.DateTimeFormat (the ICU data Node and the
 * browsers ship), no I/O. A local start hour that does not exist on a day (the
 * clock jumps over it) starts the day at the first instant after the gap; one
 * that happens twice (the clock goes back) starts it at the first occurrence.
 */

export interface ProductionDaySetting {
  /** IANA zone, e.g. America/New_York. */
  timeZone: string;
  /** Local hour the day starts at, 0..23. */
  startHour: number;
}

export interface DayBounds {
  /** Epoch ms of the day's start (inclusive). */
  startMs: number;
  /** Epoch ms of the next day's start (exclusive). */
  endMs: number;
}

export interface ProductionDayClock {
  readonly setting: ProductionDaySetting;
  /** [startMs, endMs) of a YYYY-MM-DD production day. */
  bounds(day: string): DayBounds;
  /** The production day an instant falls on. */
  dayOf(instantMs: number): string;
  /** The day's length in hours (24, or 23 / 25 across a clock change). */
  hoursOf(day: string): number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

export const UTC_DAY: ProductionDaySetting = { timeZone: "UTC", startHour: 0 };

/** YYYY-MM-DD of a UTC day start, as an ISO date. */
function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** 00:00Z of a YYYY-MM-DD day (the caller passes checked days). */
function utcDayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Zone offset (local − UTC, ms) at an instant, from the zone's wall clock as Intl formats it. */
function offsetReader(timeZone: string): (instantMs: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return (instantMs) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(instantMs))) if (part.type !== "literal") parts[part.type] = Number(part.value);
    const wallMs = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    // The wall clock has whole seconds; compare it with the instant floored to the second.
    return wallMs - Math.floor(instantMs / 1000) * 1000;
  };
}

/** A clock for a site's setting; throws RangeError for an unknown zone (settings.ts checks it at start-up). */
export function productionDayClock(setting: ProductionDaySetting = UTC_DAY): ProductionDayClock {
  const startHourMs = setting.startHour * MS_PER_HOUR;
  if (setting.timeZone === "UTC" || setting.timeZone === "Etc/UTC") {
    return {
      setting,
      bounds: (day) => {
        const startMs = utcDayStartMs(day) + startHourMs;
        return { startMs, endMs: startMs + MS_PER_DAY };
      },
      dayOf: (instantMs) => isoDay(instantMs - startHourMs),
      hoursOf: () => 24,
    };
  }
  const offsetAt = offsetReader(setting.timeZone);
  const starts = new Map<string, number>();
  /** The instant the local wall clock reads `day` at the start hour (see the file comment for gaps and overlaps). */
  const startOf = (day: string): number => {
    const cached = starts.get(day);
    if (cached !== undefined) return cached;
    const wallMs = utcDayStartMs(day) + startHourMs;
    // Two candidates, one per offset around the start; the earliest one whose wall clock reads the start wins.
    const before = wallMs - offsetAt(wallMs - MS_PER_DAY / 2);
    const after = wallMs - offsetAt(wallMs + MS_PER_DAY / 2);
    const candidates = [before, after].filter((instantMs) => instantMs + offsetAt(instantMs) === wallMs).sort((a, b) => a - b);
    // No candidate: the hour falls in a gap; the day starts where the gap ends (the later offset's reading).
    const startMs = candidates[0] ?? Math.max(before, after);
    starts.set(day, startMs);
    return startMs;
  };
  const nextDay = (day: string) => isoDay(utcDayStartMs(day) + MS_PER_DAY);
  return {
    setting,
    bounds: (day) => ({ startMs: startOf(day), endMs: startOf(nextDay(day)) }),
    dayOf: (instantMs) => {
      // The local calendar date, or the one before when the instant is before that date's start.
      const localDay = isoDay(instantMs + offsetAt(instantMs));
      return instantMs >= startOf(localDay) ? localDay : isoDay(utcDayStartMs(localDay) - MS_PER_DAY);
    },
    hoursOf: (day) => (startOf(nextDay(day)) - startOf(day)) / MS_PER_HOUR,
  };
}

/** The clock of UTC calendar days: the default, and what a clock-less caller gets. */
export const UTC_CLOCK: ProductionDayClock = productionDayClock(UTC_DAY);
