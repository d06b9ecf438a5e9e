/**
 * Production allocation and the daily report at the scale of a large site,
 * on PostgreSQL: 500 wells under one battery with approved tests, a month of
 * meter readings (oil, gas, water), tank gauges, run tickets and downtime.
 *
 * Measured:
 * - an allocation run over 31 days (500 wells × 31 days × 3 fluids = 46,500
 *   result rows, read + plan + bulk insert + SQL balance guard + audit, one
 *   transaction). Target < 2 s. Baseline in the same run: the same reads and
 *   plan with one INSERT per result row (a table shaped like the results).
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
import { AuditService } from "../runtime/audit/audit-service.js";
import { bulkInsert, type SqlValue } from "../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { ModuleEventBus } from "../runtime/events/event-bus.js";
import { newId } from "../runtime/ids.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Outbox } from "../runtime/sync/outbox.js";
import { AssetService } from "../erp-modules/assets/service.js";
import { measuringMeterIds, readPeriodEntries } from "../erp-modules/production/allocation-inputs.js";
import { AllocationService } from "../erp-modules/production/allocation-service.js";
import { planAllocation } from "../erp-modules/production/model/allocation-plan.js";
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
const RUN_TARGET_MS = 2000;
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

/** The baseline: the same reads and plan, then one INSERT per result row, in one transaction. */
async function naiveRun(context: ErpContext, assets: AssetService, siteAssetId: string): Promise<number> {
  await context.db.exec("CREATE TABLE IF NOT EXISTS bench_naive_results (LIKE allocation_results INCLUDING ALL)");
  return context.db.transaction(async (tx) => {
    const wells = await assets.wellsUnder(siteAssetId, tx);
    const tanks = await assets.tanksUnder(siteAssetId, tx);
    const entries = await readPeriodEntries(tx, { siteId: SITE_ID, siteAssetId, wellIds: wells.map((well) => well.id), tanks, meterIds: await measuringMeterIds(assets, siteAssetId, tx) }, PERIOD_START, PERIOD_END);
    const plan = planAllocation({ ...entries, days: daysBetween(PERIOD_START, PERIOD_END), wells, now: new Date() });
    const runId = newId();
    for (const result of plan.results) {
      await tx.query(
        `INSERT INTO bench_naive_results (id, site_id, run_id, well_id, production_date, fluid, theoretical_m3, allocated_m3, uptime_hours, well_test_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [newId(), SITE_ID, runId, result.wellId, result.productionDate, result.fluid, result.theoreticalM3, result.allocatedM3, result.uptimeHours, result.wellTestId, ACTOR],
      );
    }
    return plan.results.length;
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
        { target: `daily report, ${WELLS} wells < ${REPORT_TARGET_MS} ms`, status: "SKIPPED", detail: reason },
      ],
    };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await PostgresDatabase.connect(url.toString());
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

    const runTimes: number[] = [];
    let resultRows = 0;
    for (let index = 0; index < RUNS; index++) {
      const { value, ms: elapsed } = await timed(() =>
        allocation.createRun({ siteAssetId, periodStart: PERIOD_START, periodEnd: PERIOD_END, reason: index === 0 ? undefined : "bench restatement" }, ACTOR),
      );
      runTimes.push(elapsed);
      const count = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM allocation_results WHERE run_id = $1", [value.id]);
      resultRows = count.rows[0]?.count ?? 0;
      context.log(`allocation run version ${value.version}: ${ms(elapsed)} (${resultRows.toLocaleString("en-US")} result rows)`);
    }
    const naive = await timed(() => naiveRun(erp, assets, siteAssetId));
    context.log(`naive (one INSERT per row): ${ms(naive.ms)} for ${naive.value.toLocaleString("en-US")} rows`);

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
    const jsonMs = median(jsonTimes);
    const pdfMs = median(pdfTimes);
    const ratio = naive.ms / runMs;
    const lines = [
      formatMachine(context.machine),
      `PostgreSQL, ${WELLS} wells under one site, ${PERIOD_START}..${PERIOD_END}: ${resultRows.toLocaleString("en-US")} result rows per run`,
      `allocation run (read, plan, bulk insert, SQL guard, audit; one transaction): median ${ms(runMs)} of ${RUNS} (${runTimes.map(ms).join(", ")})`,
      `baseline, one INSERT per result row: ${ms(naive.ms)} → ours is ${ratio.toFixed(1)}× faster`,
      `daily report JSON, ${WELLS} wells: median ${ms(jsonMs)} of ${REPORTS} (${(jsonBytes / 1024).toFixed(0)} KiB)`,
      `daily report PDF (report + rendering), ${WELLS} wells: median ${ms(pdfMs)} of ${REPORTS} (${(pdfBytes / 1024).toFixed(0)} KiB)`,
    ];
    return {
      lines,
      targets: [
        {
          target: `allocation run, ${WELLS} wells × 31 days < ${RUN_TARGET_MS} ms`,
          status: runMs < RUN_TARGET_MS ? "PASS" : "FAIL",
          detail: `median ${ms(runMs)}; ${ratio.toFixed(1)}× the one-INSERT-per-row baseline (${ms(naive.ms)})`,
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
