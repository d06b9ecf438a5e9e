/**
 * Production history import speed: an OFM-style monthly export of 200 wells
 * × 120 months (24,000 rows, oilfield units) imported into a fresh PGlite
 * site through HistoryService.importCsv (parse, check every line, one
 * INSERT ... SELECT FROM unnest for all rows, audit and outbox), against the
 * same parsed rows written the plain way, one INSERT per row in one
 * transaction, in the same run. Target: the whole file in under 10 s.
 * `node --import tsx bench/run.ts history-import`.
 */
import { performance } from "node:perf_hooks";
import { AssetService } from "../erp-modules/assets/service.js";
import { ProductionService } from "../erp-modules/production/service.js";
import { ReservoirService } from "../erp-modules/reservoir/service.js";
import type { ErpContext } from "../erp-modules/shared/module-context.js";
import { AuditService } from "../runtime/audit/audit-service.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PGliteDatabase } from "../runtime/db/pglite.js";
import { ModuleEventBus } from "../runtime/events/event-bus.js";
import { newId } from "../runtime/ids.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Outbox } from "../runtime/sync/outbox.js";
import { formatMachine, type Benchmark, type MachineInfo } from "./run.js";

const WELLS = 200;
const MONTHS = 120;
const TARGET_MS = 10_000;
const ACTOR = "bench";

function csvOf(codes: readonly string[]): string {
  const lines = ["Well Name,Date,Oil (bbl),Gas (Mscf),Water (bbl),Days On"];
  codes.forEach((code, well) => {
    for (let month = 0; month < MONTHS; month++) {
      const date = new Date(Date.UTC(2010, month + 1, 0)).toISOString().slice(0, 10);
      const rate = (300 + well) / Math.pow(1 + 0.5 * 0.8 * (month / 12), 2);
      lines.push(`${code},${date},${(rate * 30).toFixed(1)},${(rate * 60).toFixed(1)},${(rate * 10).toFixed(1)},28`);
    }
  });
  return lines.join("\n");
}

async function site(): Promise<{ db: PGliteDatabase; reservoir: ReservoirService; siteAssetId: string; wellIds: Map<string, string> }> {
  const db = await PGliteDatabase.open();
  await migrate(db, ALL_MIGRATIONS);
  const context: ErpContext = {
    db,
    audit: new AuditService(db, "SITE1"),
    outbox: new Outbox(db, "SITE1"),
    events: new ModuleEventBus("SITE1"),
    siteId: "SITE1",
    logger: createLogger("silent"),
  };
  const assets = new AssetService(context);
  const field = await assets.create({ kind: "field", code: "BENCH", name: "Bench field" }, ACTOR);
  const battery = await assets.create({ kind: "site", code: "BENCH-BAT", name: "Bench battery", parentId: field.id, siteType: "battery" }, ACTOR);
  const wellIds = new Map<string, string>();
  for (let i = 0; i < WELLS; i++) {
    const code = `B-${String(i + 1).padStart(3, "0")}`;
    wellIds.set(code, (await assets.create({ kind: "well", code, name: code, parentId: battery.id, well: { liftType: "esp" } }, ACTOR)).id);
  }
  return { db, reservoir: new ReservoirService(context, { assets, production: new ProductionService(context, assets) }), siteAssetId: battery.id, wellIds };
}

export async function runHistoryImportBench(machine: MachineInfo): Promise<{ lines: string[]; oursMs: number }> {
  const ours = await site();
  const csv = csvOf([...ours.wellIds.keys()]);
  const query = { assetId: ours.siteAssetId, unitSystem: "oilfield", frequency: "monthly", fileName: "bench.csv" } as const;
  let start = performance.now();
  const imported = await ours.reservoir.history.importCsv(csv, query, ACTOR);
  const oursMs = performance.now() - start;
  await ours.db.close();

  // The baseline writes the rows ours stored, one INSERT each, in one transaction (no parsing or checks timed).
  const plain = await site();
  const rows = csv
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));
  start = performance.now();
  await plain.db.transaction(async (tx) => {
    const importId = newId();
    await tx.query(
      `INSERT INTO reservoir_history_imports (id, site_id, file_name, file_sha256, scope_asset_id, unit_system, frequency, row_count, well_count, created_by)
       VALUES ($1, 'SITE1', 'bench.csv', $2, $3, 'oilfield', 'monthly', $4, $5, $6)`,
      [importId, "0".repeat(64), plain.siteAssetId, rows.length, WELLS, ACTOR],
    );
    for (const [code = "", date = "", oil = "0", gas = "0", water = "0", days = "0"] of rows) {
      await tx.query(
        `INSERT INTO reservoir_production_history (id, site_id, import_id, well_id, frequency, period_start, oil_volume_m3, gas_volume_sm3, water_volume_m3,
           days_on_production, source_line, created_by)
         VALUES ($1, 'SITE1', $2, $3, 'monthly', date_trunc('month', $4::date)::date, $5, $6, $7, $8, 2, $9)`,
        [newId(), importId, plain.wellIds.get(code) ?? "", date, oil, gas, water, days, ACTOR],
      );
    }
  });
  const baselineMs = performance.now() - start;
  await plain.db.close();

  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const lines = [
    formatMachine(machine),
    `data: ${WELLS} wells × ${MONTHS} months = ${imported.rowCount} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MiB of CSV, oilfield units, PGlite`,
    `ours, whole import (parse, check, one unnest INSERT, audit, outbox): ${ms(oursMs)} (${((oursMs / imported.rowCount) * 1000).toFixed(0)} µs/row)`,
    `baseline, the same rows one INSERT each in one transaction:         ${ms(baselineMs)}`,
    `ratio baseline / ours: ${(baselineMs / oursMs).toFixed(1)}×`,
    `target: ${imported.rowCount} rows in < ${TARGET_MS} ms: ${oursMs < TARGET_MS ? "PASS" : "FAIL"}`,
  ];
  return { lines, oursMs };
}

export const benchmark: Benchmark = {
  name: "history-import",
  async run({ machine }) {
    const { lines, oursMs } = await runHistoryImportBench(machine);
    return {
      lines,
      targets: [{ target: `${WELLS * MONTHS} history rows imported in < ${TARGET_MS} ms`, status: oursMs < TARGET_MS ? "PASS" : "FAIL", detail: lines[2]?.trim() ?? "" }],
    };
  },
};
