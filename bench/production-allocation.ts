/**
 * Production allocation and the daily report at the scale of a large site,
 * on PostgreSQL: 500 wells under one battery with approved tests, a month of
 * meter readings (oil, gas, water), tank gauges, run tickets and downtime.
 *
 * Measured:
 * - an allocation run over 31 days (500 wells × 31 days × 3 fluids = 46,500
 *   result rows, read + plan + write + SQL balance guard + audit, one
 *   transaction). Targets: < 1 s, and at most 4× a bare COPY of the same
 *   rows measured in the same run. Where the run's time goes: the time in
 *   each kind of statement (reads, result write, guard, audit), the rest is
 *   JavaScript (mostly the plan).
 * - the bare COPY: the run's result rows, formatted as COPY text and copied
 *   with pg-copy-streams into a table shaped like allocation_results (LIKE
 *   ... INCLUDING ALL: same checks and indexes), one transaction; and, for
 *   reference, into the same columns without indexes or checks.
 * - the daily report of one day for the 500 wells as JSON (target < 1 s) and
 *   as a PDF (the same report rendered; target < 1 s for both together).
 *
 * `node --import tsx bench/run.ts production-allocation`. Server:
 * BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test; a database petroflow_bench_<hex>
 * is created and dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { AuditService } from "../runtime/audit/audit-service.js";
import { bulkInsert, type CopyQueryable, type Database, type Queryable, type QueryResult, type SqlValue } from "../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { ModuleEventBus } from "../runtime/events/event-bus.js";
import { newId } from "../runtime/ids.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Outbox } from "../runtime/sync/outbox.js";
import { AssetService } from "../erp-modules/assets/service.js";
import { AllocationService } from "../erp-modules/production/allocation-service.js";
import { daysBetween } from "../erp-modules/production/model/uptime.js";
import { dailyPdf } from "../erp-modules/production/report-export.js";
import { ReportService } from "../erp-modules/production/report-service.js";
import type { ErpContext } from "../erp-modules/shared/module-context.js";
import { formatMachine, type Benchmark, type BenchmarkContext, type BenchmarkReport } from "./run.js";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const SITE_ID = "BENCH";
const ACTOR = "bench";
const WELLS = 500;
const PERIOD_START = "2026-10-01";
const PERIOD_END = "2026-10-31";
const REPORT_DAY = "2026-10-15";
const RUN_TARGET_MS = 1000;
/** The run may take at most this many times the bare COPY of its result rows. */
const COPY_RATIO_TARGET = 4;
const COPIES = 3;
const REPORT_TARGET_MS = 1000;
const RUNS = 3;
const REPORTS = 5;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

/** A deterministic pseudo-random sequence (the same data every run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Seeded {
  siteAssetId: string;
  wellIds: string[];
}

async function seed(context: ErpContext, log: (line: string) => void): Promise<Seeded> {
  const assets = new AssetService(context);
  const field = await assets.create({ kind: "field", code: "BENCH-FIELD", name: "Bench field" }, ACTOR);
  const site = await assets.create({ kind: "site", code: "BENCH-BAT", name: "Bench battery", parentId: field.id, siteType: "battery" }, ACTOR);
  const wellIds: string[] = [];
  for (let index = 1; index <= WELLS; index++) {
    const code = `BW-${String(index).padStart(3, "0")}`;
    wellIds.push((await assets.create({ kind: "well", code, name: `Bench well ${index}`, parentId: site.id, well: { liftType: "esp" } }, ACTOR)).id);
    if (index % 100 === 0) log(`${index} wells registered`);
  }
  const tank = await assets.create(
    { kind: "equipment", code: "BENCH-TK1", name: "Stock tank", parentId: site.id, equipment: { equipmentType: "tank", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 10, volumeM3: 5000 }] } },
    ACTOR,
  );
  const meters: Record<string, string> = {};
  for (const fluid of ["oil", "gas", "water"] as const) {
    meters[fluid] = (
      await assets.create({ kind: "equipment", code: `BENCH-M-${fluid}`, name: `${fluid} meter`, parentId: site.id, equipment: { equipmentType: "meter", meterService: "fiscal", fluid } }, ACTOR)
    ).id;
  }

  const next = random(42);
  const db = context.db;
  await bulkInsert(
    db,
    "well_tests",
    ["id", "site_id", "well_id", "site_asset_id", "started_at", "duration_hours", "oil_rate_m3_per_day", "gas_rate_sm3_per_day", "water_rate_m3_per_day", "status", "decided_by", "decided_at", "source", "created_by"],
    wellIds.map((wellId) => {
      const oil = (5 + next() * 95).toFixed(3);
      return [newId(), SITE_ID, wellId, site.id, "2026-09-20T08:00:00Z", 12, oil, (Number(oil) * (80 + next() * 120)).toFixed(1), (next() * 60).toFixed(3), "approved", ACTOR, "2026-09-21T08:00:00Z", "manual", ACTOR];
    }),
  );
  const days = daysBetween(PERIOD_START, PERIOD_END);
  await bulkInsert(
    db,
    "meter_readings",
    ["id", "site_id", "meter_id", "site_asset_id", "production_date", "fluid", "volume_m3", "source", "created_by"],
    days.flatMap((day) =>
      (["oil", "gas", "water"] as const).map((fluid) => {
        const volume = fluid === "oil" ? 24_000 + next() * 2000 : fluid === "gas" ? 3_500_000 + next() * 300_000 : 14_000 + next() * 1000;
        return [newId(), SITE_ID, meters[fluid], site.id, day, fluid, volume.toFixed(6), "manual", ACTOR];
      }),
    ),
  );
  // About one well in five has a downtime event each day, 1 to 12 hours.
  const downtimeRows: SqlValue[][] = [];
  for (const day of days) {
    for (const wellId of wellIds) {
      if (next() >= 0.2) continue;
      const startMs = Date.parse(`${day}T00:00:00Z`) + Math.floor(next() * 12) * 3_600_000;
      const endMs = startMs + (1 + Math.floor(next() * 12)) * 3_600_000;
      downtimeRows.push([newId(), SITE_ID, wellId, site.id, new Date(startMs), new Date(endMs), next() < 0.5 ? "esp_trip" : "power_failure", "manual", ACTOR]);
    }
  }
  await bulkInsert(db, "downtime_events", ["id", "site_id", "well_id", "site_asset_id", "started_at", "ended_at", "reason_code", "source", "created_by"], downtimeRows);
  await bulkInsert(
    db,
    "tank_gauges",
    ["id", "site_id", "tank_id", "site_asset_id", "gauged_at", "level_m", "volume_m3", "source", "created_by"],
    days.map((day) => {
      const volume = 1000 + next() * 3000;
      return [newId(), SITE_ID, tank.id, site.id, `${day}T23:00:00Z`, (volume / 500).toFixed(4), volume.toFixed(3), "manual", ACTOR];
    }),
  );
  await bulkInsert(
    db,
    "run_tickets",
    ["id", "site_id", "site_asset_id", "tank_id", "ticket_number", "shipped_at", "fluid", "volume_m3", "destination", "carrier", "source", "created_by"],
    days.map((day, index) => [newId(), SITE_ID, site.id, tank.id, `BT-${index + 1}`, `${day}T12:00:00Z`, "oil", "24000", "pipeline", "Bench pipeline", "manual", ACTOR]),
  );
  log(`seeded ${WELLS} wells, ${days.length} days of meter readings, ${downtimeRows.length} downtime events`);
  return { siteAssetId: site.id, wellIds };
}

type Phase = "reads" | "run row" | "result rows" | "balance guard" | "audit + outbox";

function phaseOf(sql: string): Phase {
  if (/^\s*(INSERT INTO allocation_results|COPY allocation_results)/.test(sql)) return "result rows";
  if (/^\s*INSERT INTO allocation_runs/.test(sql)) return "run row";
  if (/^\s*WITH measured AS/.test(sql)) return "balance guard";
  if (/^\s*INSERT INTO (audit_log|sync_outbox)/.test(sql)) return "audit + outbox";
  return "reads";
}

/** A database that adds up the time its statements take, per phase of the run; the rest of a run's time is JavaScript. */
class TimedDatabase implements Database {
  readonly spent = new Map<Phase, number>();

  constructor(private readonly inner: Database) {}

  get kind() {
    return this.inner.kind;
  }

  get availability() {
    return this.inner.availability;
  }

  private async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.spent.set(phase, (this.spent.get(phase) ?? 0) + performance.now() - start);
    }
  }

  private timed<Q extends Queryable>(target: Q): Q {
    const wrapped: Queryable = {
      query: <Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> =>
        this.time(phaseOf(sql), () => target.query<Row>(sql, params)),
      exec: (sql: string) => this.time(phaseOf(sql), () => target.exec(sql)),
    };
    const copy = (target as Partial<CopyQueryable>).copyFrom;
    if (copy) (wrapped as CopyQueryable).copyFrom = (sql, data) => this.time(phaseOf(sql), () => copy.call(target, sql, data));
    return wrapped as Q;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    return this.timed<Queryable>(this.inner).query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.timed<Queryable>(this.inner).exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) => fn(this.timed(tx)));
  }

  copyTransaction<T>(fn: (tx: CopyQueryable) => Promise<T>): Promise<T> {
    return this.inner.copyTransaction((tx) => fn(this.timed(tx)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** COPY text format; the result rows hold no tab, newline or backslash. */
function copyText(rows: readonly (readonly (string | null)[])[]): string {
  let text = "";
  for (const row of rows) text += `${row.map((value) => value ?? "\\N").join("\t")}\n`;
  return text;
}

const COPY_COLUMNS = "id, site_id, run_id, well_id, production_date, fluid, theoretical_m3, allocated_m3, uptime_hours, well_test_id, created_by";

/**
 * The floor for writing a run's results: the same rows (fresh ids and run id: the
 * indexed table is unique per run, day, fluid and well) formatted
 * and copied with COPY FROM STDIN in one transaction, nothing else. Median of
 * COPIES, into `table`.
 */
async function bareCopy(url: string, table: string, rows: readonly (readonly (string | null)[])[]): Promise<number[]> {
  return withClient(url, async (client) => {
    const times: number[] = [];
    for (let index = 0; index < COPIES; index++) {
      const runId = newId();
      const fresh = rows.map((row) => [newId(), row[1], runId, ...row.slice(3)]);
      const start = performance.now();
      await client.query("BEGIN");
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFromStdin(`COPY ${table} (${COPY_COLUMNS}) FROM STDIN`));
        stream.on("finish", resolve);
        stream.on("error", reject);
        stream.end(copyText(fresh));
      });
      await client.query("COMMIT");
      times.push(performance.now() - start);
    }
    return times;
  });
}

async function run(context: BenchmarkContext): Promise<BenchmarkReport> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `petroflow_bench_${randomBytes(4).toString("hex")}`;
  try {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    const reason = `PostgreSQL is not reachable or refused CREATE DATABASE: ${error instanceof Error ? error.message : String(error)}`;
    context.log(`!!! SKIPPED: ${reason}`);
    return {
      lines: [`!!! production-allocation SKIPPED: ${reason}`],
      targets: [
        { target: `allocation run, ${WELLS} wells × 31 days < ${RUN_TARGET_MS} ms`, status: "SKIPPED", detail: reason },
        { target: `allocation run ≤ ${COPY_RATIO_TARGET}× a bare COPY of its result rows`, status: "SKIPPED", detail: reason },
        { target: `daily report, ${WELLS} wells < ${REPORT_TARGET_MS} ms`, status: "SKIPPED", detail: reason },
      ],
    };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = new TimedDatabase(await PostgresDatabase.connect(url.toString()));
  try {
    await migrate(db, ALL_MIGRATIONS);
    const erp: ErpContext = {
      db,
      audit: new AuditService(db, SITE_ID),
      outbox: new Outbox(db, SITE_ID),
      events: new ModuleEventBus(SITE_ID),
      siteId: SITE_ID,
      logger: createLogger("silent"),
    };
    const assets = new AssetService(erp);
    const allocation = new AllocationService(erp, assets);
    const reports = new ReportService(erp, assets);
    const { siteAssetId } = await seed(erp, context.log);
    await db.exec(`CREATE TABLE bench_copy_indexed (LIKE allocation_results INCLUDING ALL);
                   CREATE TABLE bench_copy_plain (LIKE allocation_results INCLUDING DEFAULTS)`);
    const dbUrl = url.toString();

    const runTimes: number[] = [];
    const copyTimes: number[] = [];
    const plainCopyTimes: number[] = [];
    const phases = new Map<Phase | "JavaScript", number[]>();
    let resultRows = 0;
    for (let index = 0; index < RUNS; index++) {
      db.spent.clear();
      const { value, ms: elapsed } = await timed(() =>
        allocation.createRun({ siteAssetId, periodStart: PERIOD_START, periodEnd: PERIOD_END, reason: index === 0 ? undefined : "bench restatement" }, ACTOR),
      );
      runTimes.push(elapsed);
      const inDatabase = [...db.spent.values()].reduce((sum, spent) => sum + spent, 0);
      for (const [phase, spent] of [...db.spent, ["JavaScript", elapsed - inDatabase] as const]) phases.set(phase, [...(phases.get(phase) ?? []), spent]);
      const stored = await db.query<{ row: (string | null)[] }>(
        `SELECT ARRAY[id::text, site_id, run_id::text, well_id::text, production_date::text, fluid, theoretical_m3::text,
                      allocated_m3::text, uptime_hours::text, well_test_id::text, created_by] AS row
           FROM allocation_results WHERE run_id = $1`,
        [value.id],
      );
      resultRows = stored.rows.length;
      context.log(`allocation run version ${value.version}: ${ms(elapsed)} (${resultRows.toLocaleString("en-US")} result rows)`);
      const rows = stored.rows.map(({ row }) => row);
      const copy = median(await bareCopy(dbUrl, "bench_copy_indexed", rows));
      copyTimes.push(copy);
      plainCopyTimes.push(median(await bareCopy(dbUrl, "bench_copy_plain", rows)));
      context.log(`bare COPY of the same rows: ${ms(copy)} (median of ${COPIES})`);
    }

    const jsonTimes: number[] = [];
    const pdfTimes: number[] = [];
    let pdfBytes = 0;
    let jsonBytes = 0;
    for (let index = 0; index < REPORTS; index++) {
      const report = await timed(async () => JSON.stringify(await reports.daily({ siteAssetId, date: REPORT_DAY })));
      jsonTimes.push(report.ms);
      jsonBytes = report.value.length;
      const pdf = await timed(async () => dailyPdf(await reports.daily({ siteAssetId, date: REPORT_DAY })));
      pdfTimes.push(pdf.ms);
      pdfBytes = pdf.value.length;
    }

    const runMs = median(runTimes);
    const copyMs = median(copyTimes);
    const plainCopyMs = median(plainCopyTimes);
    const jsonMs = median(jsonTimes);
    const pdfMs = median(pdfTimes);
    const ratio = runMs / copyMs;
    const breakdown = [...phases].map(([phase, spent]) => `${phase} ${ms(median(spent))}`).join(", ");
    const lines = [
      formatMachine(context.machine),
      `PostgreSQL, ${WELLS} wells under one site, ${PERIOD_START}..${PERIOD_END}: ${resultRows.toLocaleString("en-US")} result rows per run`,
      `allocation run (read, plan, write, SQL guard, audit; one transaction): median ${ms(runMs)} of ${RUNS} (${runTimes.map(ms).join(", ")})`,
      `  where it goes (medians): ${breakdown}`,
      `bare COPY of the same rows into a table shaped like allocation_results (same checks and indexes): median ${ms(copyMs)} (${copyTimes.map(ms).join(", ")})`,
      `  → the run is ${ratio.toFixed(1)}× the bare COPY; without indexes or checks the COPY takes ${ms(plainCopyMs)} (${(runMs / plainCopyMs).toFixed(1)}×)`,
      `daily report JSON, ${WELLS} wells: median ${ms(jsonMs)} of ${REPORTS} (${(jsonBytes / 1024).toFixed(0)} KiB)`,
      `daily report PDF (report + rendering), ${WELLS} wells: median ${ms(pdfMs)} of ${REPORTS} (${(pdfBytes / 1024).toFixed(0)} KiB)`,
    ];
    return {
      lines,
      targets: [
        {
          target: `allocation run, ${WELLS} wells × 31 days < ${RUN_TARGET_MS} ms`,
          status: runMs < RUN_TARGET_MS ? "PASS" : "FAIL",
          detail: `median ${ms(runMs)}`,
        },
        {
          target: `allocation run ≤ ${COPY_RATIO_TARGET}× a bare COPY of its ${resultRows.toLocaleString("en-US")} result rows`,
          status: ratio <= COPY_RATIO_TARGET ? "PASS" : "FAIL",
          detail: `${ratio.toFixed(1)}× (run ${ms(runMs)}, COPY ${ms(copyMs)}; ${(runMs / plainCopyMs).toFixed(1)}× a COPY without indexes, ${ms(plainCopyMs)})`,
        },
        { target: `daily report JSON, ${WELLS} wells < ${REPORT_TARGET_MS} ms`, status: jsonMs < REPORT_TARGET_MS ? "PASS" : "FAIL", detail: `median ${ms(jsonMs)}` },
        { target: `daily report PDF, ${WELLS} wells < ${REPORT_TARGET_MS} ms`, status: pdfMs < REPORT_TARGET_MS ? "PASS" : "FAIL", detail: `median ${ms(pdfMs)}` },
      ],
    };
  } finally {
    await db.close();
    await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

export const benchmark: Benchmark = { name: "production-allocation", run };
