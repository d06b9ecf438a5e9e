/**
 * The historian's write path, each figure against its baseline in the same
 * run (targets from issue 9):
 * - Ingest on PostgreSQL, compression off: the writer (COPY in batches of
 *   5,000, dirty rollup minutes in the same transaction) vs one INSERT per
 *   value (≥ 30×) and vs a bare COPY of the same rows (≥ 70 %).
 * - Ingest on PGlite (in memory): the writer (INSERT from unnest) vs one
 *   INSERT per value (≥ 30×).
 * - Compression: the simulator's float signals sampled every second for two
 *   simulated hours, swinging door at 0.5 % of each point's engineering
 *   range: raw samples per stored row (≥ 10×), and PostgreSQL bytes per
 *   stored value.
 * - Recovery: rows drained from the spool per second vs the ingest rate of
 *   a large site (5,000 values/s) (≥ 5×).
 * PostgreSQL from BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the
 * local default; its parts are SKIPPED when none answers.
 * `node --import tsx bench/run.ts historian`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { migrate } from "../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import type { Database } from "../runtime/db/database.js";
import { PGliteDatabase } from "../runtime/db/pglite.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { DatabaseUnavailableError } from "../runtime/db/database-errors.js";
import { copyInput, DatabaseHistorySink, type HistoryRow, type HistorySink } from "../runtime/historian/history-sink.js";
import { HistoryWriter } from "../runtime/historian/history-writer.js";
import { ensureHistoryPartitions } from "../runtime/historian/partitions.js";
import { SwingingDoor } from "../runtime/historian/swinging-door.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Spool } from "../runtime/spool/spool.js";
import { engineeringRange } from "../simulator/engineering-ranges.js";
import { createOilfield } from "../simulator/model/oilfield.js";
import type { Benchmark, TargetResult } from "./run.js";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const TAGS = 100;
const ROWS = 100_000;
const SINGLE_INSERT_SAMPLE = 2_000;
const BATCH_ROWS = 5000;
const SITE_INGEST_PER_SECOND = 5000;
const DRAIN_ROWS = 200_000;
const SIM_SECONDS = 2 * 3600;
const DEVIATION_PERCENT = 0.5;
const logger = createLogger("silent");

function tagId(index: number): string {
  return `0193a3c0-0000-7000-8000-${String(index).padStart(12, "0")}`;
}

/** `count` rows spread over TAGS tags, one second apart per tag, starting at `from`. */
function makeRows(count: number, from: number): HistoryRow[] {
  return Array.from({ length: count }, (_, i) => ({ tagId: tagId(i % TAGS), t: from + Math.floor(i / TAGS) * 1000, v: 1000 + (i % 997) / 10, q: "good" as const }));
}

async function writerIngest(sink: HistorySink, rows: readonly HistoryRow[]): Promise<number> {
  const writer = new HistoryWriter({ sink, flushMs: 250, batchRows: BATCH_ROWS, writeTimeoutMs: 60_000, fullPolicy: "drop-newest", logger });
  const started = performance.now();
  const adds: Promise<void>[] = [];
  for (let start = 0; start < rows.length; start += 100) adds.push(writer.add(rows.slice(start, start + 100)));
  await writer.flush();
  await Promise.all(adds);
  const seconds = (performance.now() - started) / 1000;
  await writer.close();
  return rows.length / seconds;
}

async function singleInserts(db: Database, rows: readonly HistoryRow[]): Promise<number> {
  const started = performance.now();
  for (const row of rows) {
    await db.query("INSERT INTO history (tag_id, ts, value_num, quality) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING", [row.tagId, new Date(row.t), row.v as number]);
  }
  return rows.length / ((performance.now() - started) / 1000);
}

async function bareCopy(url: string, rows: readonly HistoryRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const stream = client.query(copyFrom("COPY history (tag_id, ts, value_num, value_bool, value_text, quality) FROM STDIN"));
      await pipeline(Readable.from([copyInput(rows.slice(start, start + BATCH_ROWS))]), stream);
    }
    return rows.length / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

function target(name: string, ok: boolean, detail: string): TargetResult {
  return { target: name, status: ok ? "PASS" : "FAIL", detail };
}

function skipped(name: string, reason: string): TargetResult {
  return { target: name, status: "SKIPPED", detail: reason };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The simulator's float points sampled every second; returns raw samples and what the swinging door keeps. */
function compression(): { raw: number; stored: HistoryRow[] } {
  const field = createOilfield({ seed: 1, startTime: Date.parse("2026-12-01T00:00:00Z") });
  const points = field.points.filter((point) => point.dataType === "float");
  const doors = points.map((point, index) => {
    const asset = field.assets.find((candidate) => candidate.id === point.asset);
    const range = asset ? engineeringRange(asset, point) : undefined;
    const span = range ? range.high - range.low : 100;
    return { id: tagId(index), door: new SwingingDoor({ deviation: (span * DEVIATION_PERCENT) / 100, maxIntervalMs: 3_600_000 }), last: undefined as number | undefined };
  });
  const stored: HistoryRow[] = [];
  let raw = 0;
  for (let second = 0; second < SIM_SECONDS; second++) {
    field.step(1);
    const t = field.now();
    points.forEach((point, index) => {
      const value = field.read(point.asset, point.point) as number;
      const state = doors[index];
      // The live store passes changes only: an unchanged reading is not a sample.
      if (state.last === value) return;
      state.last = value;
      raw += 1;
      for (const sample of state.door.offer({ t, v: value, q: "good" })) stored.push({ tagId: state.id, t: sample.t, v: sample.v, q: sample.q });
    });
  }
  doors.forEach((state) => {
    for (const sample of state.door.flush()) stored.push({ tagId: state.id, t: sample.t, v: sample.v, q: sample.q });
  });
  return { raw, stored };
}

/** A sink that is away until `up` is set. */
class SwitchableSink implements HistorySink {
  up = false;
  constructor(private readonly inner: HistorySink) {}
  write(rows: readonly HistoryRow[]): Promise<void> {
    return this.up ? this.inner.write(rows) : Promise.reject(new DatabaseUnavailableError("bench: the database is away"));
  }
}

async function recovery(db: Database): Promise<number> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-bench-historian-"));
  const spool = await Spool.open({ dir: path.join(root, "spool"), maxRecords: 10_000_000, maxBytes: 4 * 1024 ** 3 });
  try {
    const sink = new SwitchableSink(new DatabaseHistorySink(db, { retentionDays: 36_500 }));
    const writer = new HistoryWriter({ sink, spool, flushMs: 250, batchRows: BATCH_ROWS, writeTimeoutMs: 60_000, fullPolicy: "drop-newest", logger, retry: { initialMs: 50, maxMs: 50 } });
    const rows = makeRows(DRAIN_ROWS, Date.parse("2026-11-20T00:00:00Z"));
    for (let start = 0; start < rows.length; start += BATCH_ROWS) await writer.add(rows.slice(start, start + BATCH_ROWS));
    sink.up = true;
    const started = performance.now();
    writer.start();
    while (spool.depth().records > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const perSecond = DRAIN_ROWS / ((performance.now() - started) / 1000);
    await writer.close();
    return perSecond;
  } finally {
    await spool.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: "historian",
  async run(context) {
    const lines: string[] = [];
    const targets: TargetResult[] = [];

    context.log("compression of the simulator's signals …");
    const { raw, stored } = compression();
    const ratio = raw / stored.length;
    lines.push(`compression: ${fmt(raw)} raw samples (float points, 1 s, ${SIM_SECONDS / 3600} h simulated) → ${fmt(stored.length)} stored, ${ratio.toFixed(1)}× (deviation ${DEVIATION_PERCENT} % of range)`);
    targets.push(target("compression ≥ 10× (raw samples per stored row)", ratio >= 10, `${ratio.toFixed(1)}×`));

    context.log("PGlite ingest …");
    const lite = await PGliteDatabase.open();
    try {
      await migrate(lite, ALL_MIGRATIONS);
      await ensureHistoryPartitions(lite, Date.parse("2026-11-01T00:00:00Z"), Date.parse("2026-12-02T00:00:00Z"));
      const sink = new DatabaseHistorySink(lite, { retentionDays: 36_500 });
      const single = await singleInserts(lite, makeRows(SINGLE_INSERT_SAMPLE, Date.parse("2026-11-01T00:00:00Z")));
      const ours = await writerIngest(sink, makeRows(ROWS, Date.parse("2026-11-02T00:00:00Z")));
      lines.push(`PGlite: one INSERT per value ${fmt(single)} values/s; writer ${fmt(ours)} values/s (${(ours / single).toFixed(1)}×)`);
      targets.push(target("PGlite ingest ≥ 30× one INSERT per value", ours / single >= 30, `${(ours / single).toFixed(1)}×`));
    } finally {
      await lite.close();
    }

    const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
    const name = `petroflow_bench_history_${process.pid}`;
    let admin: pg.Client | undefined;
    try {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (error) {
      const reason = `no PostgreSQL at ${serverUrl.replace(/\/\/[^@]*@/, "//")}: ${(error as Error).message}`;
      await admin?.end().catch(() => undefined);
      lines.push(`!!! PostgreSQL parts SKIPPED: ${reason}`);
      for (const skippedTarget of ["PostgreSQL ingest ≥ 30× one INSERT per value", "PostgreSQL ingest ≥ 70 % of a bare COPY", "drain ≥ 5× site ingest"]) targets.push(skipped(skippedTarget, reason));
      return { lines, targets };
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await PostgresDatabase.connect(url.toString());
    try {
      await migrate(db, ALL_MIGRATIONS);
      await ensureHistoryPartitions(db, Date.parse("2026-11-01T00:00:00Z"), Date.parse("2026-12-02T00:00:00Z"));
      const sink = new DatabaseHistorySink(db, { retentionDays: 36_500 });
      context.log("PostgreSQL: one INSERT per value …");
      const single = await singleInserts(db, makeRows(SINGLE_INSERT_SAMPLE, Date.parse("2026-11-01T00:00:00Z")));
      context.log("PostgreSQL: bare COPY …");
      const copy = await bareCopy(url.toString(), makeRows(ROWS, Date.parse("2026-11-03T00:00:00Z")));
      context.log("PostgreSQL: writer …");
      const ours = await writerIngest(sink, makeRows(ROWS, Date.parse("2026-11-04T00:00:00Z")));
      lines.push(
        `PostgreSQL: one INSERT per value ${fmt(single)} values/s; bare COPY ${fmt(copy)} values/s; writer ${fmt(ours)} values/s ` +
          `(${(ours / single).toFixed(1)}× the INSERTs, ${Math.round((ours / copy) * 100)} % of the bare COPY)`,
      );
      targets.push(target("PostgreSQL ingest ≥ 30× one INSERT per value", ours / single >= 30, `${(ours / single).toFixed(1)}×`));
      targets.push(target("PostgreSQL ingest ≥ 70 % of a bare COPY", ours / copy >= 0.7, `${Math.round((ours / copy) * 100)} %`));

      context.log("PostgreSQL: bytes per stored value …");
      await db.exec("TRUNCATE history");
      await sink.write(stored.map((row) => ({ ...row, t: row.t })));
      const size = await db.query<{ bytes: number; rows: number }>(
        "SELECT (SELECT sum(pg_total_relation_size(inhrelid))::float8 FROM pg_inherits WHERE inhparent = 'history'::regclass) AS bytes, (SELECT count(*)::int FROM history) AS rows",
      );
      const bytesPerValue = size.rows[0].bytes / Math.max(1, size.rows[0].rows);
      lines.push(`storage: ${fmt(size.rows[0].rows)} stored values take ${fmt(size.rows[0].bytes)} bytes (table + primary key): ${bytesPerValue.toFixed(0)} bytes per stored value, ${(bytesPerValue / ratio).toFixed(1)} per raw sample`);

      context.log("PostgreSQL: drain from the spool …");
      const drain = await recovery(db);
      lines.push(`recovery: drained ${fmt(DRAIN_ROWS)} spooled values at ${fmt(drain)} values/s, ${(drain / SITE_INGEST_PER_SECOND).toFixed(1)}× a ${fmt(SITE_INGEST_PER_SECOND)} values/s site`);
      targets.push(target(`drain ≥ 5× site ingest (${fmt(SITE_INGEST_PER_SECOND)} values/s)`, drain / SITE_INGEST_PER_SECOND >= 5, `${(drain / SITE_INGEST_PER_SECOND).toFixed(1)}×`));
    } finally {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
    return { lines, targets };
  },
};
