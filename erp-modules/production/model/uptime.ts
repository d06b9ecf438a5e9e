/**
 * Uptime and downtime hours of a production day, from downtime intervals.
 *
 * Limitation: a production day is the UTC calendar day (YYYY-MM-DD, 00:00Z to
 * 24:00Z). Sites whose contract day starts at 06:00 local, or that change
 * clocks for daylight saving, need a site-configured day boundary, which this
 * module does not have yet.
 */
import { AllocationInputError } from "./allocation.js";

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

/** Each interval clipped to the day starting at dayStartMs, in input order; null when nothing of it falls on the day. */
function clipToDay(dayStartMs: number, downtime: readonly DowntimeInterval[], nowMs: number): (Span | null)[] {
  const dayEndMs = dayStartMs + MS_PER_DAY;
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

/**
 * Hours the well was up on `day` (0..24): 24 minus the union (overlaps merged) of downtime intervals clipped to
 * the day; open intervals run to `now` (clipped). Result rounded to 1e-6 h (half up).
 * Timestamps are Dates or ISO 8601 strings with an offset; an interval ending before it starts is rejected.
 */
export function uptimeHoursOn(day: string, downtime: readonly DowntimeInterval[], now: Date = new Date()): number {
  const dayStartMs = parseDay(day, "day");
  const spans = clipToDay(dayStartMs, downtime, parseInstant(now, "now")).filter((span) => span !== null);
  return toHours(MS_PER_DAY - unionMs(spans));
}

/**
 * Downtime hours on `day` grouped by a label (e.g. reason code), each interval clipped to the day; overlaps
 * counted per label.
 *
 * Within one label overlapping intervals are merged (a label never exceeds 24 h). Across labels they are not:
 * two hours logged both as "power" and as "pump" count two hours under each, so the values can add up to more
 * than 24 − uptimeHoursOn(day). Only labels with downtime on the day appear (hours > 0 after rounding to
 * 1e-6 h), in ascending label order.
 */
export function downtimeHoursByLabel<L extends string>(
  day: string,
  downtime: readonly (DowntimeInterval & { label: L })[],
  now: Date = new Date(),
): Map<L, number> {
  const dayStartMs = parseDay(day, "day");
  const spans = clipToDay(dayStartMs, downtime, parseInstant(now, "now"));
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

/** The UTC days from start to end inclusive (YYYY-MM-DD); throws AllocationInputError when end < start. */
export function daysBetween(start: string, end: string): string[] {
  const startMs = parseDay(start, "start");
  const endMs = parseDay(end, "end");
  if (endMs < startMs) throw new AllocationInputError(`end (${end}) must not be before start (${start})`, "end");
  const days: string[] = [];
  for (let dayMs = startMs; dayMs <= endMs; dayMs += MS_PER_DAY) days.push(formatDay(dayMs));
  return days;
}
