/*
 * Equipment meters counted from tag history (docs/erp-maintenance.md
 * "Meters from tags"). Pure functions over historian samples, no I/O.
 *
 * The counting rule is conservative: a meter counts only time the history
 * saw. A plan may then come due a little late after a historian outage, but
 * never opens work for hours nobody observed; the hold limit bounds the loss:
 * - a sample's value holds from its time until the next sample, but never
 *   longer than `maxHoldMs` (a gap in the history counts only up to the hold
 *   limit, the rest is unknown and counts nothing);
 * - a sample of quality other than "good" is unknown: it counts nothing and
 *   ends the hold of the sample before it;
 * - the last sample holds until the end of the range, within the hold limit;
 * - samples before the range's start hold into it the same way.
 */

export interface MeterSample {
  /** Epoch milliseconds. */
  t: number;
  v: number | boolean | string | null;
  q: "good" | "uncertain" | "bad";
}

export interface MeterWindow {
  from: number;
  to: number;
  /** The longest a sample's value is trusted to hold (ms). */
  maxHoldMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A running tag's value as on/off: true, a non-zero number; null when it is neither (a string, null). */
export function runningOf(value: MeterSample["v"]): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value !== 0;
  return null;
}

function checkWindow(window: MeterWindow): void {
  if (!(window.to >= window.from)) throw new RangeError("the window ends before it starts");
  if (!(window.maxHoldMs > 0)) throw new RangeError("maxHoldMs must be positive");
}

/** The time each good sample holds inside the window (ms), with its value; in time order. */
function heldSpans(samples: readonly MeterSample[], window: MeterWindow): { value: MeterSample["v"]; ms: number }[] {
  checkWindow(window);
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const spans: { value: MeterSample["v"]; ms: number }[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const sample = sorted[i];
    if (sample.q !== "good") continue;
    const next = i + 1 < sorted.length ? sorted[i + 1].t : Number.POSITIVE_INFINITY;
    const end = Math.min(next, sample.t + window.maxHoldMs, window.to);
    const start = Math.max(sample.t, window.from);
    if (end > start) spans.push({ value: sample.v, ms: end - start });
  }
  return spans;
}

/** Hours the running tag was known to be on in the window. */
export function runHours(samples: readonly MeterSample[], window: MeterWindow): number {
  let ms = 0;
  for (const span of heldSpans(samples, window)) if (runningOf(span.value) === true) ms += span.ms;
  return ms / HOUR_MS;
}

/**
 * Starts: good samples inside the window that read on after a good sample
 * that read off (rising edges). The first known state is not a start: nobody
 * saw it stop before.
 */
export function starts(samples: readonly MeterSample[], window: Pick<MeterWindow, "from" | "to">): number {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  let previous: boolean | null = null;
  let count = 0;
  for (const sample of sorted) {
    if (sample.q !== "good") continue;
    const state = runningOf(sample.v);
    if (state === null) continue;
    if (state && previous === false && sample.t >= window.from && sample.t < window.to) count++;
    previous = state;
  }
  return count;
}

/**
 * Throughput: the time integral of a rate tag given per day (m3/d gives m3),
 * each good value held as a step; negative rates count as zero (a meter
 * reading below zero is noise, not flow back through the pump).
 */
export function throughput(samples: readonly MeterSample[], window: MeterWindow): number {
  let total = 0;
  for (const span of heldSpans(samples, window)) {
    if (typeof span.value !== "number" || !Number.isFinite(span.value)) continue;
    total += (Math.max(span.value, 0) * span.ms) / DAY_MS;
  }
  return total;
}

/**
 * When a meter reaches its threshold at the recent usage rate: `now` plus
 * the remaining amount over the rate per day. Already reached: `now`. No
 * usage (rate 0): null, nothing to forecast.
 */
export function forecastDue(meter: number, threshold: number, usagePerDay: number, now: number): number | null {
  if (meter >= threshold) return now;
  if (!(usagePerDay > 0)) return null;
  return now + ((threshold - meter) / usagePerDay) * DAY_MS;
}

/** Usage per day over a recent window: the amount counted over the window's length in days. */
export function usagePerDay(amount: number, window: Pick<MeterWindow, "from" | "to">): number {
  const days = (window.to - window.from) / DAY_MS;
  return days > 0 ? Math.max(amount, 0) / days : 0;
}
