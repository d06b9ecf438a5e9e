/**
 * End to end: 10,000 tags at 1 Hz from the simulator's model through the
 * tag store, the alarm engine and the historian on PostgreSQL, in one
 * process as the site runs them.
 *
 * - Source: 50 copies of the demo oilfield (createOilfield, seeds 1..50,
 *   200 points each = 10,000 tags SITE1/F<nn>-<asset>/<point>), each
 *   stepped by one second of model time every second and all its points
 *   written to the TagStore, stamped with the wall clock as a device
 *   would. The copies are spread over the second (one batch every 20 ms).
 * - Tags registered with the demo's history policy (demo-history-policy.ts:
 *   swinging door at the demo deviations, max interval 10 min) and the
 *   demo's alarm limits (demo-alarms.ts, ~100 per copy), so the historian
 *   compresses and the alarm engine evaluates every change.
 * - The historian is wired as open-historian.ts wires it (sink on the
 *   database, spool, writer, swinging door), with the sink wrapped to time
 *   each committed row.
 *
 * Reported over the measured window (after a warm-up): Petroflow's process
 * CPU as % of one core (the target: under one core), with and without the
 * generator (it runs in this process; its share is timed); device-to-commit
 * latency p50/p99 (commit time minus the value's device timestamp; a
 * compressed row is stored when the swinging door closes, so this includes
 * the hold), and handoff-to-commit p50/p99 (from the historian handing a row
 * to the writer to its commit: the write path alone); rows stored and the
 * compression ratio; alarm transitions; event-loop delay p99.
 *
 * `node --import tsx bench/run.ts end-to-end-telemetry`; duration
 * BENCH_E2E_SECONDS (default 600), warm-up BENCH_E2E_WARMUP_SECONDS
 * (default 30). Server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test; a database petroflow_bench_<hex>
 * is created and dropped at the end.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import pg from "pg";
import { AlarmEngine } from "../runtime/alarms/alarm-engine.js";
import { AuditService } from "../runtime/audit/audit-service.js";
import { bulkInsert, type SqlValue } from "../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { demoAlarmDefinitions } from "../runtime/demo/demo-alarms.js";
import { demoHistoryPolicy } from "../runtime/demo/demo-history-policy.js";
import { insertDemoAlarms } from "../runtime/demo/demo-seed.js";
import { Historian } from "../runtime/historian/historian.js";
import { DatabaseHistorySink, type HistoryRow, type HistorySink } from "../runtime/historian/history-sink.js";
import { HistoryWriter } from "../runtime/historian/history-writer.js";
import { newIds } from "../runtime/ids.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Spool } from "../runtime/spool/spool.js";
import { TagRegistry } from "../runtime/tags/tag-registry.js";
import { TagStore } from "../runtime/tags/tag-store.js";
import type { TagWrite } from "../runtime/tags/tag-types.js";
import { createOilfield, type Oilfield } from "../simulator/model/oilfield.js";
import { formatMachine, type Benchmark, type BenchmarkContext, type BenchmarkReport } from "./run.js";

const SITE_ID = "SITE1";
const FIELDS = 50;
const BATCH_INTERVAL_MS = 20;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const MEASURE_S = positiveInt(process.env.BENCH_E2E_SECONDS, 600);
const WARMUP_S = positiveInt(process.env.BENCH_E2E_WARMUP_SECONDS, 30);
const TARGET_CPU_PERCENT = 100;

function positiveInt(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw && Number.isInteger(value) && value > 0 ? value : fallback;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Latencies in ms, kept as a histogram of 1 ms buckets (up to 15 min): millions of rows, bounded memory. */
class LatencyHistogram {
  private readonly buckets = new Uint32Array(900_001);
  count = 0;

  add(ms: number): void {
    this.buckets[Math.max(0, Math.min(this.buckets.length - 1, Math.round(ms)))]++;
    this.count++;
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms];
      if (seen >= rank) return ms;
    }
    return this.buckets.length - 1;
  }
}

interface Field {
  prefix: string;
  model: Oilfield;
  paths: string[];
}

function fieldsOf(start: number): Field[] {
  return Array.from({ length: FIELDS }, (_, index) => {
    const prefix = `F${String(index + 1).padStart(2, "0")}-`;
    const model = createOilfield({ siteId: SITE_ID, seed: index + 1, startTime: start, declineTimeFactor: 1 });
    return { prefix, model, paths: model.points.map((point) => `${SITE_ID}/${prefix}${point.asset}/${point.point}`) };
  });
}

/** The tags, straight into the registry's table (setup is not what is measured), with the demo's history policy. */
async function registerTags(db: PostgresDatabase, fields: readonly Field[]): Promise<number> {
  const columns = ["id", "site_id", "path", "data_type", "unit", "source", "history_enabled", "history_deviation", "history_max_interval_seconds", "created_by"];
  const rows: SqlValue[][] = [];
  for (const field of fields) {
    const ids = newIds(field.model.points.length);
    field.model.points.forEach((point, index) => {
      const policy = demoHistoryPolicy(point);
      rows.push([
        ids[index],
        SITE_ID,
        field.paths[index],
        point.dataType,
        point.unit === "bool" ? "" : point.unit,
        "bench",
        policy.historyEnabled,
        policy.historyDeviation,
        policy.historyMaxIntervalSeconds,
        "bench",
      ]);
    });
  }
  return bulkInsert(db, "tags", columns, rows);
}

async function defineAlarms(db: PostgresDatabase, fields: readonly Field[]): Promise<number> {
  let defined = 0;
  for (const field of fields) {
    const definitions = demoAlarmDefinitions(field.model).map((definition) => ({
      ...definition,
      tagPath: definition.tagPath.replace(`${SITE_ID}/`, `${SITE_ID}/${field.prefix}`),
    }));
    defined += await db.transaction((tx) => insertDemoAlarms(tx, SITE_ID, definitions));
  }
  return defined;
}

/** The writer as open-historian.ts builds it, timing the hand-off of every row. */
class TimedWriter extends HistoryWriter {
  readonly handedOffAt = new Map<string, number>();

  override add(rows: readonly HistoryRow[]): Promise<void> {
    const now = performance.now();
    for (const row of rows) this.handedOffAt.set(`${row.tagId}@${row.t}`, now);
    return super.add(rows);
  }
}

async function run(context: BenchmarkContext): Promise<BenchmarkReport> {
  const target = `end to end: ${FIELDS * 200} tags at 1 Hz through tags, alarms and historian on PostgreSQL, process CPU < ${TARGET_CPU_PERCENT} % of one core`;
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `petroflow_bench_${randomBytes(4).toString("hex")}`;
  try {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    const reason = `PostgreSQL is not reachable or refused CREATE DATABASE: ${error instanceof Error ? error.message : String(error)}`;
    context.log(`!!! SKIPPED: ${reason}`);
    return { lines: [`!!! end-to-end-telemetry SKIPPED: ${reason}`], targets: [{ target, status: "SKIPPED", detail: reason }] };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await PostgresDatabase.connect(url.toString());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-bench-e2e-"));
  const logger = createLogger("warn");
  const closers: (() => Promise<void>)[] = [];
  try {
    await migrate(db, ALL_MIGRATIONS);
    const fields = fieldsOf(Date.now());
    const tagCount = await registerTags(db, fields);
    const alarmCount = await defineAlarms(db, fields);
    const audit = new AuditService(db, SITE_ID);
    const registry = new TagRegistry(db, audit, SITE_ID);
    await registry.load();
    context.log(`${tagCount} tags, ${alarmCount} alarm definitions; warm-up ${WARMUP_S} s, measuring ${MEASURE_S} s`);

    const tags = new TagStore({ deadbandOf: (tagPath) => registry.deadbandOf(tagPath) });
    const databaseSink = new DatabaseHistorySink(db, { retentionDays: 400 });
    await databaseSink.maintain();
    let measuring = false;
    let committedRows = 0;
    const deviceToCommit = new LatencyHistogram();
    const handoffToCommit = new LatencyHistogram();
    let writer: TimedWriter | undefined;
    const timedSink: HistorySink = {
      async write(rows) {
        await databaseSink.write(rows);
        const committedAt = Date.now();
        const committedPerf = performance.now();
        for (const row of rows) {
          const key = `${row.tagId}@${row.t}`;
          const handedOff = writer?.handedOffAt.get(key);
          writer?.handedOffAt.delete(key);
          if (!measuring) continue;
          committedRows++;
          deviceToCommit.add(committedAt - row.t);
          if (handedOff !== undefined) handoffToCommit.add(committedPerf - handedOff);
        }
      },
    };
    const spool = await Spool.open({ dir: path.join(dataDir, "spool", "historian"), name: "historian", maxBytes: 1024 ** 3, maxRecords: 1_000_000 });
    closers.push(() => spool.close());
    writer = new TimedWriter({ sink: timedSink, spool, flushMs: 250, batchRows: 5000, writeTimeoutMs: 5000, fullPolicy: "drop-newest", logger });
    writer.start();
    const historian = new Historian({ tags, policies: registry, writer, logger });
    historian.start();
    closers.unshift(() => historian.stop());
    const alarms = new AlarmEngine({ db, audit, tags, siteId: SITE_ID, logger });
    await alarms.start();
    closers.unshift(() => alarms.stop());
    let transitions = 0;
    const unsubscribe = alarms.subscribe(() => {
      if (measuring) transitions++;
    });

    // The source: each field is due once per second; a batch every 20 ms writes the fields due by now.
    let generatorMs = 0;
    let written = 0;
    let stopped = false;
    const started = performance.now();
    let next = 0;
    const generator = (async () => {
      while (!stopped) {
        const due = Math.floor(((performance.now() - started) / 1000) * FIELDS);
        while (next < due) {
          const field = fields[next % FIELDS];
          next++;
          // Only the simulation is the generator's: writeMany runs the store's subscribers (historian, alarms) synchronously.
          const begin = performance.now();
          field.model.step(1);
          const t = Date.now();
          const updates: { path: string; value: TagWrite }[] = field.model.points.map((point, index) => ({ path: field.paths[index], value: { v: field.model.read(point.asset, point.point), t } }));
          if (measuring) generatorMs += performance.now() - begin;
          tags.writeMany(updates, "bench");
          if (measuring) written += updates.length;
        }
        await sleep(BATCH_INTERVAL_MS);
      }
    })();

    await sleep(WARMUP_S * 1000);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    measuring = true;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const pendingAtStart = next;
    for (let elapsed = 0; elapsed < MEASURE_S; elapsed += 60) {
      await sleep(Math.min(60, MEASURE_S - elapsed) * 1000);
      context.log(`  ${Math.min(MEASURE_S, elapsed + 60)} s: ${written} values written, ${committedRows} rows committed`);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    measuring = false;
    loopDelay.disable();
    const fieldSteps = next - pendingAtStart;
    stopped = true;
    await generator;
    unsubscribe();

    const cpuMs = (cpu.user + cpu.system) / 1000;
    const cpuPercent = (cpuMs / wallMs) * 100;
    const withoutGeneratorPercent = ((cpuMs - generatorMs) / wallMs) * 100;
    const valuesPerSecond = written / (wallMs / 1000);
    const lines = [
      formatMachine(context.machine),
      `${tagCount} tags (${FIELDS} simulated fields × 200 points), ${alarmCount} alarm definitions, measured ${(wallMs / 1000).toFixed(0)} s after ${WARMUP_S} s warm-up`,
      `values written to the tag store: ${written} (${valuesPerSecond.toFixed(0)}/s; ${fieldSteps} field steps)`,
      `process CPU: ${cpuPercent.toFixed(1)} % of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s); without the in-process generator (${((generatorMs / wallMs) * 100).toFixed(1)} %): ${withoutGeneratorPercent.toFixed(1)} %`,
      `rows committed to history: ${committedRows} (${(committedRows / (wallMs / 1000)).toFixed(0)}/s; ${(written / Math.max(1, committedRows)).toFixed(1)} values per stored row)`,
      `device-to-commit latency (includes the swinging door's hold): p50 ${deviceToCommit.percentile(50)} ms, p99 ${deviceToCommit.percentile(99)} ms`,
      `handoff-to-commit latency (historian → writer → COMMIT): p50 ${handoffToCommit.percentile(50)} ms, p99 ${handoffToCommit.percentile(99)} ms`,
      `alarm transitions journaled: ${transitions}; event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
    ];
    const kept = valuesPerSecond >= tagCount * 0.95;
    return {
      lines,
      targets: [
        {
          target,
          status: cpuPercent < TARGET_CPU_PERCENT && kept ? "PASS" : "FAIL",
          detail: `${cpuPercent.toFixed(1)} % (without the generator ${withoutGeneratorPercent.toFixed(1)} %), ${valuesPerSecond.toFixed(0)} values/s kept up: ${kept}; device-to-commit p50 ${deviceToCommit.percentile(50)} ms, p99 ${deviceToCommit.percentile(99)} ms`,
        },
      ],
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

export const benchmark: Benchmark = { name: "end-to-end-telemetry", run };
