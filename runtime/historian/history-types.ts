/**
 * The historian as other services and nodes use it (RED.settings.petroflow.history).
 * Times are epoch milliseconds, UTC; values are the tag's canonical SI unit.
 */
import type { TagQuality, TagScalar, TagValue } from "../tags/tag-types.js";

/** One stored value. */
export interface HistoryPoint {
  t: number;
  v: TagScalar;
  q: TagQuality;
}

/** One time bucket of a numeric tag (raw rows or a rollup). Good-quality values only; `count` 0 means no value fell in it. */
export interface HistoryBucket {
  /** Bucket start. */
  t: number;
  count: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  /** Time-weighted average over the bucket, the value held (step) from each sample to the next. */
  twa: number | null;
  first: number | null;
  last: number | null;
}

/** What a discrete (bool, int, string state) tag did over a range: time in each state, transitions, totals. */
export interface DiscreteSummary {
  from: number;
  to: number;
  /** Milliseconds spent in each state, keyed by the state's JSON text (`true`, `false`, `3`, `"RUN"`). */
  durationMsByState: Record<string, number>;
  /** Changes of value inside the range. */
  transitions: number;
  /** Transitions into each state (starts of a pump = transitions into `true`). */
  transitionsIntoState: Record<string, number>;
  /** Time covered by good-quality values; the rest of the range had no value or a bad one. */
  knownDurationMs: number;
}

export interface HistoryRange {
  from: number;
  to: number;
}

/** Where a bucket answer came from: long ranges are served from rollups, never by scanning raw rows. */
export type HistorySource = "raw" | "rollup_1m" | "rollup_1h";

export interface HistoryReader {
  raw(path: string, range: HistoryRange, options?: { limit?: number }): Promise<HistoryPoint[]>;
  buckets(path: string, range: HistoryRange, bucketMs: number): Promise<{ source: HistorySource; buckets: HistoryBucket[] }>;
  /** Values at the given times (linear between numeric samples, the previous value for discrete ones). */
  interpolated(path: string, times: readonly number[]): Promise<HistoryPoint[]>;
  discrete(path: string, range: HistoryRange): Promise<DiscreteSummary>;
}

export interface HistoryRecorder {
  /**
   * Values with their own timestamps (late, out of order, Sparkplug
   * historical metrics, a backfill). Resolves once they are durable:
   * committed, or appended to the historian's spool with fsync. Rejects
   * (spool full under the refuse policy) so the caller can say so.
   */
  record(values: readonly { path: string; value: TagValue }[]): Promise<void>;
}

/** The `history` service nodes see. */
export interface HistoryPort extends HistoryReader, HistoryRecorder {}
