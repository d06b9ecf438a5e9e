/**
 * The historian's arithmetic, pure: buckets (count, min, max, avg, first,
 * last, time-weighted average) from samples or from finer buckets,
 * interpolation and the discrete summary. The rollup job, the raw query path
 * and the tests all use these, so a bucket means the same thing whichever
 * table it came from.
 *
 * Conventions (docs/history-queries.md):
 * - A sample holds its value (step) until the next sample, whatever that
 *   sample's quality; past the last sample it holds on. Only good numeric
 *   values count; a bad or non-numeric sample holds "unknown".
 * - Buckets are aligned to multiples of their length since the epoch (UTC),
 *   [start, start + length).
 * - TWA = (integral of the held value over the bucket's known time) / known
 *   time: time with no good value is left out rather than counted as zero.
 */
import type { DiscreteSummary, HistoryBucket, HistoryPoint } from "./history-types.js";
import type { TagQuality, TagScalar } from "../tags/tag-types.js";

/** A stored sample reduced to what bucket math needs: v is null when it is not a good number. */
export interface NumericSample {
  t: number;
  v: number | null;
}

/**
 * A bucket with the parts that combine: a 1 h bucket from its 1 min buckets,
 * a query bucket from 1 h or 1 min buckets. Mirrors a rollup row.
 */
export interface BucketAggregate {
  start: number;
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
  firstT: number | null;
  first: number | null;
  lastT: number | null;
  last: number | null;
  /** Held value × milliseconds over the known part of the bucket. */
  integral: number;
  coveredMs: number;
  /** The value held at the bucket's end (its last sample's), null when unknown. */
  endValue: number | null;
  /**
   * Where the time the aggregate accounts for ends, when it is not one part
   * length after `start`: a group of rollup rows pre-combined by the
   * database covers from its first row's start to its last row's end.
   */
  end?: number;
}

function emptyAggregate(start: number): BucketAggregate {
  return { start, count: 0, min: null, max: null, sum: 0, firstT: null, first: null, lastT: null, last: null, integral: 0, coveredMs: 0, endValue: null };
}

/** Start of the aligned bucket of length bucketMs that holds t. */
export function bucketStart(t: number, bucketMs: number): number {
  return Math.floor(t / bucketMs) * bucketMs;
}

/** The aligned range that covers [from, to): from rounded down, to rounded up to whole buckets. */
export function alignRange(from: number, to: number, bucketMs: number): { from: number; to: number } {
  return { from: bucketStart(from, bucketMs), to: Math.ceil(to / bucketMs) * bucketMs };
}

function addHeld(bucket: BucketAggregate, value: number | null, ms: number): void {
  if (value === null || ms <= 0) return;
  bucket.integral += value * ms;
  bucket.coveredMs += ms;
}

/**
 * Aggregates of the aligned buckets in [from, to) (from and to on bucket
 * boundaries) that hold a sample, from the samples in that range sorted by
 * time and the value held at `from` (the previous sample's, null if none or
 * unknown). Buckets with no sample are left out: their held value is
 * recovered from the previous bucket's endValue when buckets combine
 * (combineBuckets), so rollups need a row only where samples are.
 */
export function aggregateSamples(samples: readonly NumericSample[], heldAtFrom: number | null, from: number, to: number, bucketMs: number): BucketAggregate[] {
  const out: BucketAggregate[] = [];
  let held = heldAtFrom;
  let cursor = from;
  let current: BucketAggregate | null = null;
  const close = (bucket: BucketAggregate): void => {
    addHeld(bucket, held, bucket.start + bucketMs - cursor);
    cursor = bucket.start + bucketMs;
    bucket.endValue = held;
    out.push(bucket);
  };
  for (const sample of samples) {
    if (sample.t < from || sample.t >= to) continue;
    const start = bucketStart(sample.t, bucketMs);
    if (current && current.start !== start) {
      close(current);
      current = null;
    }
    if (!current) {
      current = emptyAggregate(start);
      // The time before this bucket's first sample is held from the previous sample, in this bucket only.
      cursor = Math.max(cursor, start);
    }
    addHeld(current, held, sample.t - cursor);
    cursor = sample.t;
    held = sample.v;
    if (sample.v !== null) {
      const v = sample.v;
      current.count += 1;
      current.sum += v;
      current.min = current.min === null ? v : Math.min(current.min, v);
      current.max = current.max === null ? v : Math.max(current.max, v);
      if (current.firstT === null) {
        current.firstT = sample.t;
        current.first = v;
      }
      current.lastT = sample.t;
      current.last = v;
    }
  }
  if (current) close(current);
  return out;
}

/**
 * Combines finer aggregates (sorted by start, each `partMs` long, only those
 * that exist) into aligned buckets of bucketMs over [from, to). The gaps
 * between parts hold the previous part's endValue (heldAtFrom before the
 * first). Every bucket of the range is returned, empty ones included, so a
 * chart sees the gaps; bucketMs must be a multiple of partMs.
 */
export function combineBuckets(parts: readonly BucketAggregate[], heldAtFrom: number | null, from: number, to: number, partMs: number, bucketMs: number): BucketAggregate[] {
  const out: BucketAggregate[] = [];
  let held = heldAtFrom;
  let index = 0;
  for (let start = from; start < to; start += bucketMs) {
    const bucket = emptyAggregate(start);
    const end = start + bucketMs;
    let cursor = start;
    while (index < parts.length && parts[index].start < end) {
      const part = parts[index];
      index += 1;
      if (part.start < start) {
        // A part before the range only says what is held when the range begins.
        held = part.endValue;
        continue;
      }
      addHeld(bucket, held, part.start - cursor);
      bucket.integral += part.integral;
      bucket.coveredMs += part.coveredMs;
      if (part.count > 0) {
        bucket.count += part.count;
        bucket.sum += part.sum;
        bucket.min = bucket.min === null ? part.min : Math.min(bucket.min, part.min ?? bucket.min);
        bucket.max = bucket.max === null ? part.max : Math.max(bucket.max, part.max ?? bucket.max);
        if (bucket.firstT === null) {
          bucket.firstT = part.firstT;
          bucket.first = part.first;
        }
        bucket.lastT = part.lastT;
        bucket.last = part.last;
      }
      held = part.endValue;
      cursor = part.end ?? part.start + partMs;
    }
    addHeld(bucket, held, end - cursor);
    bucket.endValue = held;
    out.push(bucket);
  }
  return out;
}

/** The wire form of an aggregate. */
export function toHistoryBucket(aggregate: BucketAggregate): HistoryBucket {
  return {
    t: aggregate.start,
    count: aggregate.count,
    min: aggregate.min,
    max: aggregate.max,
    avg: aggregate.count > 0 ? aggregate.sum / aggregate.count : null,
    twa: aggregate.coveredMs > 0 ? aggregate.integral / aggregate.coveredMs : null,
    first: aggregate.first,
    last: aggregate.last,
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bucket lengths a chart axis reads well; longer ones are whole days. */
export const NICE_BUCKETS_MS: readonly number[] = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
];

/** The shortest nice bucket length that splits [from, to) into at most `points` aligned buckets. */
export function niceBucketMs(from: number, to: number, points: number): number {
  for (const bucketMs of NICE_BUCKETS_MS) {
    const aligned = alignRange(from, to, bucketMs);
    if ((aligned.to - aligned.from) / bucketMs <= points) return bucketMs;
  }
  for (let days = Math.max(2, Math.ceil((to - from) / DAY / points)); ; days += 1) {
    const aligned = alignRange(from, to, days * DAY);
    if ((aligned.to - aligned.from) / (days * DAY) <= points) return days * DAY;
  }
}

const QUALITY_RANK: Readonly<Record<TagQuality, number>> = { good: 0, uncertain: 1, bad: 2 };

function worse(a: TagQuality, b: TagQuality): TagQuality {
  return QUALITY_RANK[a] >= QUALITY_RANK[b] ? a : b;
}

/**
 * The value at time t from its neighbours: `before` the last sample at or
 * before t, `after` the first one after t. Linear between two numbers
 * neither of which is bad when `linear` (quality: the worse of the two);
 * otherwise the value in force, the previous one, with its quality (a
 * discrete tag's state, or a side with no usable number). Before the first
 * sample there is no value (bad).
 */
export function interpolateAt(t: number, before: HistoryPoint | null, after: HistoryPoint | null, linear: boolean): HistoryPoint {
  if (!before) return { t, v: null, q: "bad" };
  if (linear && after && before.t !== t && typeof before.v === "number" && typeof after.v === "number" && before.q !== "bad" && after.q !== "bad") {
    const fraction = (t - before.t) / (after.t - before.t);
    return { t, v: before.v + (after.v - before.v) * fraction, q: worse(before.q, after.q) };
  }
  return { t, v: before.v, q: before.q };
}

/** The state key of a discrete value: its JSON text (`true`, `3`, `"RUN"`). */
export function stateKey(value: TagScalar): string {
  return JSON.stringify(value);
}

/**
 * Time in each state, transitions and known time over [from, to), from the
 * samples in it (sorted) and the sample in force at `from` (the last one
 * before, or null). Only good samples give a known state; a transition is a
 * change of known state, also across an unknown stretch. Values hold until
 * the next sample and stop at `until` (the present: a range that reaches
 * into the future counts no time there).
 */
export function summarizeDiscrete(samples: readonly HistoryPoint[], atFrom: HistoryPoint | null, from: number, to: number, until: number): DiscreteSummary {
  const end = Math.min(to, Math.max(from, until));
  const durationMsByState: Record<string, number> = {};
  const transitionsIntoState: Record<string, number> = {};
  let transitions = 0;
  let knownDurationMs = 0;
  let state: string | null = atFrom && atFrom.q === "good" ? stateKey(atFrom.v) : null;
  let lastKnown = state;
  let cursor = from;
  const hold = (next: number): void => {
    const ms = Math.min(next, end) - cursor;
    if (state !== null && ms > 0) {
      durationMsByState[state] = (durationMsByState[state] ?? 0) + ms;
      knownDurationMs += ms;
    }
    cursor = Math.max(cursor, Math.min(next, end));
  };
  for (const sample of samples) {
    if (sample.t < from || sample.t >= end) continue;
    hold(sample.t);
    state = sample.q === "good" ? stateKey(sample.v) : null;
    if (state !== null) {
      if (lastKnown !== null && state !== lastKnown) {
        transitions += 1;
        transitionsIntoState[state] = (transitionsIntoState[state] ?? 0) + 1;
      }
      lastKnown = state;
    }
  }
  hold(end);
  return { from, to, durationMsByState, transitions, transitionsIntoState, knownDurationMs };
}
