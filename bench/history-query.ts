/**
 * Issue 9 §5 Query: one tag at 1 s for 30 days (2,592,000 rows), reduced to
 * at most 1,000 points, on PGlite and on PostgreSQL.
 *
 * Measured, in the same run on the same data:
 * - ours: GET /history's bucket query (HistoryQueries.bucketsOf) with the
 *   bucket length `points=1000` picks (1 h: 720 buckets of count, min, max,
 *   avg, TWA, first, last), served from the hour rollups. Target: median
 *   < 100 ms. Also 45-minute buckets (960) from the minute rollups, the
 *   longest path a whole-minute bucket takes.
 * - baseline: the same buckets computed from raw rows by the database
 *   (GROUP BY bucket over the 2.6 M rows; count, min, max and avg only,
 *   which flatters it: no TWA, no first/last).
 * - the rollup job's catch-up after the rows were written (43,200 dirty
 *   minutes), for the record.
 *
 * `node --import tsx bench/run.ts history-query`. PostgreSQL server:
 * BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test; a database petroflow_bench_<hex>
 * is created and dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Database } from "../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PGliteDatabase } from "../runtime/db/pglite.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { niceBucketMs } from "../runtime/historian/history-math.js";
import { HistoryQueries, type HistoryTag } from "../runtime/historian/history-queries.js";
import { ensureHistoryPartitions } from "../runtime/historian/partitions.js";
import { MINUTE_MS, RollupJob } from "../runtime/historian/rollups.js";
import { createLogger } from "../runtime/observability/logger.js";
import { formatMachine, type Benchmark, type BenchmarkContext, type BenchmarkReport, type TargetResult } from "./run.js";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const DAY_MS = 86_400_000;
const DAYS = 30;
const FROM = Date.parse("2026-10-01T00:00:00Z");
const TO = FROM + DAYS * DAY_MS;
const POINTS = 1000;
const TARGET_MS = 100;
const RUNS = 21;
const BASELINE_RUNS = 3;
const TAG: HistoryTag = { id: "0193a3c0-0000-7000-8000-00000000be01", path: "BENCH/WELL-001/THP", dataType: "float", unit: "kPa" };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timedRuns(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US")} ms`;

/** 30 days at 1 s written by the database itself, one statement per day, with their minutes marked dirty as the writer does. */
async function fill(db: Database, log: (line: string) => void): Promise<void> {
  await db.query("INSERT INTO tags (id, site_id, path, data_type, unit, created_by) VALUES ($1, 'BENCH', $2, 'float', 'kPa', 'bench')", [TAG.id, TAG.path]);
  await ensureHistoryPartitions(db, FROM, TO - 1);
  for (let day = 0; day < DAYS; day += 1) {
    const dayFrom = new Date(FROM + day * DAY_MS);
    // A daily pressure swing with an hourly ripple and noise: values change every second, as an uncompressed tag would.
    await db.query(
      `INSERT INTO history (tag_id, ts, value_num, quality)
       SELECT $1::uuid, $2::timestamptz + make_interval(secs => s), 1000 + 50 * sin(s * pi() / 43200) + 5 * sin(s * pi() / 1800) + random(), 0
         FROM generate_series(0, 86399) AS s`,
      [TAG.id, dayFrom],
    );
    await db.query(
      `INSERT INTO history_rollup_dirty (tag_id, minute)
       SELECT $1::uuid, $2::timestamptz + make_interval(mins => m) FROM generate_series(0, 1439) AS m`,
      [TAG.id, dayFrom],
    );
    if ((day + 1) % 10 === 0) log(`${(day + 1) * 86_400} rows written`);
  }
}

interface Measured {
  rows: number;
  rollupMs: number;
  oursMs: number;
  ours1mMs: number;
  baselineMs: number;
  buckets: number;
  source: string;
}

async function measure(db: Database, log: (line: string) => void): Promise<Measured> {
  await migrate(db, ALL_MIGRATIONS);
  await fill(db, log);
  const rows = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM history")).rows[0].n;
  log(`${rows} rows; running the rollup job`);
  const rollupStart = performance.now();
  await new RollupJob({ db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 2000, timeoutMs: 600_000 }).catchUp();
  const rollupMs = performance.now() - rollupStart;
  log(`rollups in ${ms(rollupMs)}`);

  const queries = new HistoryQueries(db, { timeoutMs: 600_000 });
  const range = { from: FROM, to: TO };
  const bucketMs = niceBucketMs(FROM, TO, POINTS);
  const answer = await queries.bucketsOf(TAG, range, bucketMs);
  const oursMs = await timedRuns(RUNS, () => queries.bucketsOf(TAG, range, bucketMs));
  const ours1mMs = await timedRuns(RUNS, () => queries.bucketsOf(TAG, range, 45 * MINUTE_MS));
  log(`ours: ${ms(oursMs)} (${answer.buckets.length} buckets from ${answer.source}); 45 min from rollup_1m: ${ms(ours1mMs)}`);
  const baselineMs = await timedRuns(BASELINE_RUNS, () =>
    db.query(
      `SELECT floor(extract(epoch FROM ts) * 1000 / $2) AS bucket, count(*), min(value_num), max(value_num), avg(value_num)
         FROM history WHERE tag_id = $1 AND ts >= $3 AND ts < $4 AND quality = 0 GROUP BY 1 ORDER BY 1`,
      [TAG.id, bucketMs, new Date(FROM), new Date(TO)],
    ),
  );
  log(`baseline (GROUP BY over raw rows): ${ms(baselineMs)}`);
  return { rows, rollupMs, oursMs, ours1mMs, baselineMs, buckets: answer.buckets.length, source: answer.source };
}

function report(target: string, result: Measured): { lines: string[]; targets: TargetResult[] } {
  return {
    lines: [
      `${target}: ${result.rows.toLocaleString("en-US")} rows, ${result.buckets} buckets from ${result.source}`,
      `  ours (rollup_1h)            ${ms(result.oursMs).padStart(10)}  median of ${RUNS}`,
      `  ours (rollup_1m, 45 min)    ${ms(result.ours1mMs).padStart(10)}  median of ${RUNS}`,
      `  baseline (GROUP BY raw)     ${ms(result.baselineMs).padStart(10)}  median of ${BASELINE_RUNS}`,
      `  ratio baseline / ours       ${(result.baselineMs / result.oursMs).toFixed(0).padStart(7)} ×`,
      `  rollup job catch-up         ${ms(result.rollupMs).padStart(10)}  (43,200 dirty minutes)`,
    ],
    targets: [
      {
        target: `${target}: 30 days at 1 s to ${POINTS} points from rollups, median < ${TARGET_MS} ms`,
        status: result.oursMs < TARGET_MS ? "PASS" : "FAIL",
        detail: `median ${ms(result.oursMs)}; baseline from raw ${ms(result.baselineMs)} (${(result.baselineMs / result.oursMs).toFixed(0)}×)`,
      },
    ],
  };
}

async function run(context: BenchmarkContext): Promise<BenchmarkReport> {
  const lines = [formatMachine(context.machine)];
  const targets: TargetResult[] = [];

  context.log("PGlite (in memory)");
  const pglite = await PGliteDatabase.open();
  try {
    const result = report("PGlite", await measure(pglite, context.log));
    lines.push(...result.lines);
    targets.push(...result.targets);
  } finally {
    await pglite.close();
  }

  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `petroflow_bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (error) {
    const reason = `PostgreSQL is not reachable or refused CREATE DATABASE: ${error instanceof Error ? error.message : String(error)}`;
    lines.push(`!!! PostgreSQL SKIPPED: ${reason}`);
    targets.push({ target: `PostgreSQL: 30 days at 1 s to ${POINTS} points from rollups, median < ${TARGET_MS} ms`, status: "SKIPPED", detail: reason });
    return { lines, targets };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  context.log("PostgreSQL");
  const postgres = await PostgresDatabase.connect(url.toString());
  try {
    const result = report("PostgreSQL", await measure(postgres, context.log));
    lines.push(...result.lines);
    targets.push(...result.targets);
  } finally {
    await postgres.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  return { lines, targets };
}

export const benchmark: Benchmark = { name: "history-query", run };
