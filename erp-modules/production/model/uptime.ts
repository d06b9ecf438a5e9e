/**
 * Uptime and downtime hours of a production day, from downtime intervals.
 * The day's bounds come from the site's ProductionDayClock (production-day.ts):
 * UTC calendar days by default, else HH:00 to HH:00 local time, so a day may
 * last 23 or 25 hours across a daylight-saving change.
 */
import { AllocationInputError } from "./allocation.js";
import { UTC_CLOCK, type DayBounds, type ProductionDayClock } from "./production-day.js";

const MS_PER_DAY = 86_400_000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// An explicit offset is required: without one, Date.parse reads the time in the server's zone.
const TIMESTAMP_PATTERN = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export interface DowntimeInterval {
  startedAt: string | Date;
  /** null = still open: runs until `now`. */
  endedAt: string | Date | null;
}

interface Span {
  startMs: number;
  endMs: number;
}

/** Epoch ms of 00:00Z of a YYYY-MM-DD day, or null when it is not a real calendar day. */
function dayStartMsOf(day: string): number | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  // setUTCFullYear rather than Date.UTC, which maps years 0..99 to 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date rolls "2024-02-30" over to March; the round trip rejects such days.
  return formatDay(date.getTime()) === day ? date.getTime() : null;
}

function parseDay(day: string, field: string): number {
  const dayStartMs = dayStartMsOf(day);
  if (dayStartMs === null) {
    throw new AllocationInputError(`${field} must be a calendar day YYYY-MM-DD, got ${JSON.stringify(day)}`, field);
  }
  return dayStartMs;
}

function formatDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function parseInstant(value: string | Date, field: string): number {
  if (value instanceof Date) {
    const epochMs = value.getTime();
    if (Number.isFinite(epochMs)) return epochMs;
  } else if (typeof value === "string") {
    const match = TIMESTAMP_PATTERN.exec(value);
    const epochMs = match ? Date.parse(value) : Number.NaN;
    // Date.parse accepts "2024-02-30T..." and rolls it over; the date part must be a real day.
    if (match?.[1] !== undefined && Number.isFinite(epochMs) && dayStartMsOf(match[1]) !== null) return epochMs;
  }
  throw new AllocationInputError(
    `${field} must be an ISO 8601 timestamp with an offset (e.g. 2024-05-01T06:30:00Z), got ${JSON.stringify(value)}`,
    field,
  );
}

/** Each interval clipped to [startMs, endMs), in input order; null when nothing of it falls in the span. */
function clipToSpan({ startMs: dayStartMs, endMs: dayEndMs }: DayBounds, downtime: readonly DowntimeInterval[], nowMs: number): (Span | null)[] {
  return downtime.map((interval, index) => {
    const startMs = parseInstant(interval.startedAt, `downtime[${index}].startedAt`);
    let endMs: number;
    if (interval.endedAt === null) {
      // An open interval started after `now` has not happened yet: it clips to nothing.
      endMs = nowMs;
    } else {
      const field = `downtime[${index}].endedAt`;
      endMs = parseInstant(interval.endedAt, field);
      if (endMs < startMs) throw new AllocationInputError(`${field} must not be before startedAt`, field);
    }
    const clipped = { startMs: Math.max(startMs, dayStartMs), endMs: Math.min(endMs, dayEndMs) };
    return clipped.endMs > clipped.startMs ? clipped : null;
  });
}

/** Length of the union of the spans: overlapping time is counted once. */
function unionMs(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  let totalMs = 0;
  let coveredUntilMs = -Infinity;
  for (const span of sorted) {
    const startMs = Math.max(span.startMs, coveredUntilMs);
    if (span.endMs > startMs) totalMs += span.endMs - startMs;
    coveredUntilMs = Math.max(coveredUntilMs, span.endMs);
  }
  return totalMs;
}

/** Milliseconds → hours rounded half-up to 1e-6 h, in integer arithmetic (1e-6 h = 3.6 ms, so ms × 10 / 36). */
function toHours(durationMs: number): number {
  return Math.floor((durationMs * 10 + 18) / 36) / 1e6;
}

/** The day's [startMs, endMs) by the clock, the day checked first. */
function boundsOf(day: string, clock: ProductionDayClock): DayBounds {
  parseDay(day, "day");
  return clock.bounds(day);
}

/**
 * Hours the well was up on `day` (0..the day's length: 24, or 23 / 25 across a clock change): the day's length
 * minus the union (overlaps merged) of downtime intervals clipped to the day; open intervals run to `now`
 * (clipped). Result rounded to 1e-6 h (half up).
 * Timestamps are Dates or ISO 8601 strings with an offset; an interval ending before it starts is rejected.
 */
export function uptimeHoursOn(day: string, downtime: readonly DowntimeInterval[], now: Date = new Date(), clock: ProductionDayClock = UTC_CLOCK): number {
  return uptimeHoursIn(boundsOf(day, clock), downtime, now);
}

/** Hours up within [startMs, endMs) (a part of a day, e.g. before a new well test), by the same rules as uptimeHoursOn. */
export function uptimeHoursIn(span: DayBounds, downtime: readonly DowntimeInterval[], now: Date = new Date()): number {
  const spans = clipToSpan(span, downtime, parseInstant(now, "now")).filter((clipped) => clipped !== null);
  return toHours(span.endMs - span.startMs - unionMs(spans));
}

/**
 * Downtime hours on `day` grouped by a label (e.g. reason code), each interval clipped to the day; overlaps
 * counted per label.
 *
 * Within one label overlapping intervals are merged (a label never exceeds the day's length). Across labels they are not:
 * two hours logged both as "power" and as "pump" count two hours under each, so the values can add up to more
 * than the day's length − uptimeHoursOn(day). Only labels with downtime on the day appear (hours > 0 after rounding to
 * 1e-6 h), in ascending label order.
 */
export function downtimeHoursByLabel<L extends string>(
  day: string,
  downtime: readonly (DowntimeInterval & { label: L })[],
  now: Date = new Date(),
  clock: ProductionDayClock = UTC_CLOCK,
): Map<L, number> {
  const spans = clipToSpan(boundsOf(day, clock), downtime, parseInstant(now, "now"));
  const spansByLabel = new Map<L, Span[]>();
  downtime.forEach((interval, index) => {
    const span = spans[index];
    if (!span) return;
    const labelSpans = spansByLabel.get(interval.label);
    if (labelSpans) labelSpans.push(span);
    else spansByLabel.set(interval.label, [span]);
  });
  const hoursByLabel = new Map<L, number>();
  for (const label of [...spansByLabel.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const hours = toHours(unionMs(spansByLabel.get(label) ?? []));
    if (hours > 0) hoursByLabel.set(label, hours);
  }
  return hoursByLabel;
}

/** The calendar days (production days) from start to end inclusive (YYYY-MM-DD); throws AllocationInputError when end < start. */
export function daysBetween(start: string, end: string): string[] {
  const startMs = parseDay(start, "start");
  const endMs = parseDay(end, "end");
  if (endMs < startMs) throw new AllocationInputError(`end (${end}) must not be before start (${start})`, "end");
  const days: string[] = [];
  for (let dayMs = startMs; dayMs <= endMs; dayMs += MS_PER_DAY) days.push(formatDay(dayMs));
  return days;
}
