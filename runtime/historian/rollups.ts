import type { Database, Queryable } from "../db/database.js";
import { withDeadline } from "../flow-entries/deadline.js";
import type { Logger } from "../observability/logger.js";
import { aggregateSamples, bucketStart, combineBuckets, type BucketAggregate, type NumericSample } from "./history-math.js";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface RollupJobOptions {
  db: Database;
  logger: Logger;
  /** Time between passes while there is nothing left to do. */
  intervalMs: number;
  /** The most dirty minutes one pass takes (bounded work per transaction). */
  batchMinutes: number;
  /** A pass that has not committed by then is reported as failed; the next one waits for it to end. */
  timeoutMs: number;
}

export interface RollupPass {
  /** Dirty rows consumed. */
  dirty: number;
  /** Minute and hour rollups rewritten. */
  minutes: number;
  hours: number;
}

/** One contiguous stretch of buckets of one tag: [from, to). */
interface Run {
  tagId: string;
  from: number;
  to: number;
}

/** Groups bucket starts per tag into maximal contiguous runs. */
function runsOf(keys: Iterable<{ tagId: string; start: number }>, bucketMs: number): Run[] {
  const byTag = new Map<string, number[]>();
  for (const { tagId, start } of keys) {
    const starts = byTag.get(tagId) ?? [];
    starts.push(start);
    byTag.set(tagId, starts);
  }
  const runs: Run[] = [];
  for (const [tagId, starts] of byTag) {
    const sorted = [...new Set(starts)].sort((a, b) => a - b);
    let run: Run | null = null;
    for (const start of sorted) {
      if (run && run.to === start) run.to = start + bucketMs;
      else {
        if (run) runs.push(run);
        run = { tagId, from: start, to: start + bucketMs };
      }
    }
    if (run) runs.push(run);
  }
  return runs;
}

function runParams(runs: readonly Run[]): [string[], Date[], Date[]] {
  return [runs.map((run) => run.tagId), runs.map((run) => new Date(run.from)), runs.map((run) => new Date(run.to))];
}

interface SampleRow {
  tag_id: string;
  ts: Date;
  value_num: number | null;
  value_bool: boolean | null;
  quality: number;
}

/** A stored value as bucket math sees it: good numbers count, bools as 0/1; anything else holds "unknown". */
export function numericValue(row: Pick<SampleRow, "value_num" | "value_bool" | "quality">): number | null {
  if (row.quality !== 0) return null;
  if (row.value_num !== null) return row.value_num;
  if (row.value_bool !== null) return row.value_bool ? 1 : 0;
  return null;
}

const SAMPLE_COLUMNS = "ts, value_num, value_bool, quality";

/** The samples in each run, and the one in force at each run's start (the last before it). */
async function samplesOfRuns(tx: Queryable, runs: readonly Run[]): Promise<{ samples: Map<string, NumericSample[]>; held: Map<string, number | null> }> {
  const [tagIds, froms, tos] = runParams(runs);
  const inRuns = await tx.query<SampleRow & { run: number }>(
    `SELECT r.run::int AS run, h.tag_id, h.${SAMPLE_COLUMNS.split(", ").join(", h.")}
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS r(tag_id, run_from, run_to, run)
       JOIN history h ON h.tag_id = r.tag_id AND h.ts >= r.run_from AND h.ts < r.run_to
      ORDER BY r.run, h.ts`,
    [tagIds, froms, tos],
  );
  const before = await tx.query<SampleRow & { run: number }>(
    `SELECT r.run::int AS run, r.tag_id, p.ts, p.value_num, p.value_bool, p.quality
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(tag_id, run_from, run)
       JOIN LATERAL (SELECT ${SAMPLE_COLUMNS} FROM history h WHERE h.tag_id = r.tag_id AND h.ts < r.run_from ORDER BY h.ts DESC LIMIT 1) p ON true`,
    [tagIds, froms],
  );
  const samples = new Map<string, NumericSample[]>();
  for (const row of inRuns.rows) {
    const key = String(row.run);
    const list = samples.get(key) ?? [];
    list.push({ t: row.ts.getTime(), v: numericValue(row) });
    samples.set(key, list);
  }
  const held = new Map<string, number | null>(before.rows.map((row) => [String(row.run), numericValue(row)]));
  return { samples, held };
}

interface RollupRow {
  run: number;
  bucket: Date;
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
  first_ts: Date | null;
  first_value: number | null;
  last_ts: Date | null;
  last_value: number | null;
  integral: number;
  covered_ms: number;
  end_value: number | null;
}

export function aggregateFromRow(row: Omit<RollupRow, "run">): BucketAggregate {
  return {
    start: row.bucket.getTime(),
    count: row.count,
    min: row.min,
    max: row.max,
    sum: row.sum,
    firstT: row.first_ts ? row.first_ts.getTime() : null,
    first: row.first_value,
    lastT: row.last_ts ? row.last_ts.getTime() : null,
    last: row.last_value,
    integral: row.integral,
    coveredMs: row.covered_ms,
    endValue: row.end_value,
  };
}

export const ROLLUP_COLUMNS = "bucket, count, min, max, sum, first_ts, first_value, last_ts, last_value, integral, covered_ms, end_value";

type RollupTable = "history_rollup_1m" | "history_rollup_1h";

/** Replaces the rows of `runs` in a rollup table with `rows` (tag id, aggregate). */
async function replaceRollups(tx: Queryable, table: RollupTable, runs: readonly Run[], rows: readonly { tagId: string; aggregate: BucketAggregate }[]): Promise<void> {
  const [tagIds, froms, tos] = runParams(runs);
  await tx.query(
    `DELETE FROM ${table} t USING unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS r(tag_id, run_from, run_to)
      WHERE t.tag_id = r.tag_id AND t.bucket >= r.run_from AND t.bucket < r.run_to`,
    [tagIds, froms, tos],
  );
  if (rows.length === 0) return;
  const column = <T>(pick: (aggregate: BucketAggregate) => T): T[] => rows.map((row) => pick(row.aggregate));
  const time = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
  await tx.query(
    `INSERT INTO ${table} (tag_id, ${ROLLUP_COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::timestamptz[],
                          $8::float8[], $9::timestamptz[], $10::float8[], $11::float8[], $12::float8[], $13::float8[])`,
    [
      rows.map((row) => row.tagId),
      column((a) => new Date(a.start)),
      column((a) => a.count),
      column((a) => a.min),
      column((a) => a.max),
      column((a) => a.sum),
      column((a) => time(a.firstT)),
      column((a) => a.first),
      column((a) => time(a.lastT)),
      column((a) => a.last),
      column((a) => a.integral),
      column((a) => a.coveredMs),
      column((a) => a.endValue),
    ],
  );
}

/** Recomputes the minute rollups of `minutes` from raw rows; answers how many rows it wrote. */
async function recomputeMinutes(tx: Queryable, minutes: readonly Run[]): Promise<number> {
  const { samples, held } = await samplesOfRuns(tx, minutes);
  const rows: { tagId: string; aggregate: BucketAggregate }[] = [];
  minutes.forEach((run, index) => {
    const key = String(index + 1);
    for (const aggregate of aggregateSamples(samples.get(key) ?? [], held.get(key) ?? null, run.from, run.to, MINUTE_MS)) {
      rows.push({ tagId: run.tagId, aggregate });
    }
  });
  await replaceRollups(tx, "history_rollup_1m", minutes, rows);
  return rows.length;
}

/** Recomputes the hour rollups of `hours` from the minute rollups. */
async function recomputeHours(tx: Queryable, hours: readonly Run[]): Promise<number> {
  const [tagIds, froms, tos] = runParams(hours);
  const parts = await tx.query<RollupRow>(
    `SELECT r.run::int AS run, m.${ROLLUP_COLUMNS.split(", ").join(", m.")}
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS r(tag_id, run_from, run_to, run)
       JOIN history_rollup_1m m ON m.tag_id = r.tag_id AND m.bucket >= r.run_from AND m.bucket < r.run_to
      ORDER BY r.run, m.bucket`,
    [tagIds, froms, tos],
  );
  const before = await tx.query<{ run: number; end_value: number | null }>(
    `SELECT r.run::int AS run, p.end_value
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(tag_id, run_from, run)
       JOIN LATERAL (SELECT end_value FROM history_rollup_1m m WHERE m.tag_id = r.tag_id AND m.bucket < r.run_from ORDER BY m.bucket DESC LIMIT 1) p ON true`,
    [tagIds, froms],
  );
  const partsByRun = new Map<number, BucketAggregate[]>();
  for (const row of parts.rows) {
    const list = partsByRun.get(row.run) ?? [];
    list.push(aggregateFromRow(row));
    partsByRun.set(row.run, list);
  }
  const heldByRun = new Map(before.rows.map((row) => [row.run, row.end_value]));
  const rows: { tagId: string; aggregate: BucketAggregate }[] = [];
  hours.forEach((run, index) => {
    const runParts = partsByRun.get(index + 1) ?? [];
    const withParts = new Set(runParts.map((part) => bucketStart(part.start, HOUR_MS)));
    for (const aggregate of combineBuckets(runParts, heldByRun.get(index + 1) ?? null, run.from, run.to, MINUTE_MS, HOUR_MS)) {
      // An hour with no minute row gets no row either: its held value comes from the row before it.
      if (withParts.has(aggregate.start)) rows.push({ tagId: run.tagId, aggregate });
    }
  });
  await replaceRollups(tx, "history_rollup_1h", hours, rows);
  return rows.length;
}

/**
 * One pass in one transaction: takes up to `batchMinutes` dirty minutes,
 * adds for each the next minute that has a sample (its time before that
 * sample is held from the previous one, which may just have changed),
 * recomputes those minutes from raw rows and their hours from minutes.
 *
 * The dirty rows are deleted first, in the same transaction: a writer that
 * marks one of those minutes again meanwhile waits on the deleted row's lock
 * and inserts it anew after the commit, so a value committed during a pass
 * is never lost from its rollups (deleting at the end could remove a mark
 * made after the samples were read).
 */
export async function rollupPass(db: Database, batchMinutes: number): Promise<RollupPass> {
  return db.transaction(async (tx) => {
    const taken = await tx.query<{ tag_id: string; minute: Date }>(
      `DELETE FROM history_rollup_dirty d
        WHERE (d.tag_id, d.minute) IN (SELECT tag_id, minute FROM history_rollup_dirty ORDER BY minute LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING d.tag_id, d.minute`,
      [batchMinutes],
    );
    if (taken.rows.length === 0) return { dirty: 0, minutes: 0, hours: 0 };
    const keys = taken.rows.map((row) => ({ tagId: row.tag_id, start: bucketStart(row.minute.getTime(), MINUTE_MS) }));
    const dirtyRuns = runsOf(keys, MINUTE_MS);
    // Only the minute after each run can change besides the run itself (inside a run every minute is recomputed).
    const [tagIds, , tos] = runParams(dirtyRuns);
    const next = await tx.query<{ tag_id: string; ts: Date }>(
      `SELECT r.tag_id, n.ts FROM unnest($1::uuid[], $2::timestamptz[]) AS r(tag_id, run_to)
         JOIN LATERAL (SELECT ts FROM history h WHERE h.tag_id = r.tag_id AND h.ts >= r.run_to ORDER BY h.ts LIMIT 1) n ON true`,
      [tagIds, tos],
    );
    for (const row of next.rows) keys.push({ tagId: row.tag_id, start: bucketStart(row.ts.getTime(), MINUTE_MS) });
    const minuteRuns = runsOf(keys, MINUTE_MS);
    const minutes = await recomputeMinutes(tx, minuteRuns);
    const hours = await recomputeHours(tx, runsOf(keys.map((key) => ({ tagId: key.tagId, start: bucketStart(key.start, HOUR_MS) })), HOUR_MS));
    return { dirty: taken.rows.length, minutes, hours };
  });
}

/**
 * Keeps the rollups current: a pass every `intervalMs`, back to back while
 * a full batch was taken, and on demand (runNow). One pass at a time; a
 * failed or timed-out pass is logged and retried on the next tick, never
 * thrown at the process.
 */
export class RollupJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RollupPass> | undefined;
  private stopped = true;

  constructor(private readonly options: RollupJobOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now (or the one under way); rejects when it fails or times out. */
  runNow(): Promise<RollupPass> {
    if (this.running) return this.running;
    const work = rollupPass(this.options.db, this.options.batchMinutes);
    // The next pass waits for this one to really end, even past its deadline.
    this.running = work;
    const settled = (): void => {
      if (this.running === work) this.running = undefined;
    };
    work.then(settled, settled);
    return withDeadline(work, this.options.timeoutMs);
  }

  /** Passes until no dirty minute is left (tests, the bench, a backfill); answers the totals. */
  async catchUp(maxPasses = 1_000_000): Promise<RollupPass> {
    const total: RollupPass = { dirty: 0, minutes: 0, hours: 0 };
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const done = await this.runNow();
      total.dirty += done.dirty;
      total.minutes += done.minutes;
      total.hours += done.hours;
      if (done.dirty === 0) break;
    }
    return total;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runNow().then(
        (pass) => this.schedule(pass.dirty >= this.options.batchMinutes ? 0 : this.options.intervalMs),
        (error: unknown) => {
          this.options.logger.warn({ err: error }, "history rollup pass failed; retrying on the next tick");
          this.schedule(this.options.intervalMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
