/**
 * A production site for allocation and report tests: the standard battery
 * (erp-fixtures.ts) with entries written straight into the production entry
 * tables (the allocation reads them; how entries are validated is the entry
 * service's tests' business).
 */
import type { Database } from "../../../../runtime/db/database.js";
import { newId } from "../../../../runtime/ids.js";
import { AllocationService } from "../../../../erp-modules/production/allocation-service.js";
import type { Fluid } from "../../../../erp-modules/production/entry-schemas.js";
import { ReportService } from "../../../../erp-modules/production/report-service.js";
import { ENGINEER, SITE_ID, createBattery, createErpHarness, viaService, type Battery, type ErpHarness } from "../erp-fixtures.js";

export { ENGINEER };
const OPERATOR = "oscar-operator";

export interface Harness extends ErpHarness {
  allocation: AllocationService;
  reports: ReportService;
}

export async function createHarness(db: Database): Promise<Harness> {
  const harness = await createErpHarness(db, "production.*");
  return { ...harness, allocation: new AllocationService(harness.context, harness.assets), reports: new ReportService(harness.context, harness.assets) };
}

/** A battery and the entries an operator (or a flow) would record at it; each writer answers the new row's id. */
export interface SiteFixture extends Battery {
  /** An approved well test (rates per day; oil m3, gas Sm3, water m3). */
  approvedTest(wellId: string, startedAt: string, rates: { oil: number | string; gas: number | string; water: number | string }): Promise<string>;
  meterReading(day: string, fluid: Fluid, volumeM3: number | string): Promise<string>;
  downtime(wellId: string, startedAt: string, endedAt: string | null, reasonCode?: string): Promise<string>;
  tankGauge(gaugedAt: string, volumeM3: number, waterVolumeM3?: number | null): Promise<string>;
  runTicket(shippedAt: string, fluid: Fluid, volumeM3: number, ticketNumber: string): Promise<string>;
  voidEntry(entryType: string, entryId: string): Promise<void>;
}

let siteCount = 0;

/** A field with one battery holding `wellCount` ESP wells (F<n>-W001, ...), the tank and the meters. Codes are unique per call. */
export async function createSite(harness: Harness, wellCount: number): Promise<SiteFixture> {
  siteCount += 1;
  const prefix = `F${siteCount}`;
  const wells = Object.fromEntries(Array.from({ length: wellCount }, (_, index) => [`${prefix}-W${String(index + 1).padStart(3, "0")}`, "esp" as const]));
  const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: `${prefix}-FIELD`, site: `${prefix}-BAT`, wells, tank: `${prefix}-TK1` });
  const { db } = harness;
  return {
    ...battery,
    async approvedTest(wellId, startedAt, rates) {
      const id = newId();
      await db.query(
        `INSERT INTO well_tests (id, site_id, well_id, site_asset_id, started_at, duration_hours, oil_rate_m3_per_day, gas_rate_sm3_per_day,
                                 water_rate_m3_per_day, status, decided_by, decided_at, source, created_by)
         VALUES ($1, $2, $3, $4, $5, 12, $6, $7, $8, 'approved', $9, $5, 'manual', $10)`,
        [id, SITE_ID, wellId, battery.siteId, startedAt, String(rates.oil), String(rates.gas), String(rates.water), ENGINEER, OPERATOR],
      );
      return id;
    },
    async meterReading(day, fluid, volumeM3) {
      const id = newId();
      await db.query(
        `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
        [id, SITE_ID, battery.meterIds[fluid], battery.siteId, day, fluid, String(volumeM3), OPERATOR],
      );
      return id;
    },
    async downtime(wellId, startedAt, endedAt, reasonCode = "esp_trip") {
      const id = newId();
      await db.query(
        `INSERT INTO downtime_events (id, site_id, well_id, site_asset_id, started_at, ended_at, reason_code, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
        [id, SITE_ID, wellId, battery.siteId, startedAt, endedAt, reasonCode, OPERATOR],
      );
      return id;
    },
    async tankGauge(gaugedAt, volumeM3, waterVolumeM3 = null) {
      const id = newId();
      // The level that LINEAR_STRAPPING (50 m3 per metre) turns into this volume.
      await db.query(
        `INSERT INTO tank_gauges (id, site_id, tank_id, site_asset_id, gauged_at, level_m, volume_m3, water_volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'manual', $9)`,
        [id, SITE_ID, battery.tankId, battery.siteId, gaugedAt, volumeM3 / 50, volumeM3, waterVolumeM3, OPERATOR],
      );
      return id;
    },
    async runTicket(shippedAt, fluid, volumeM3, ticketNumber) {
      const id = newId();
      await db.query(
        `INSERT INTO run_tickets (id, site_id, site_asset_id, tank_id, ticket_number, shipped_at, fluid, volume_m3, destination, carrier, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'truck', 'Acme Haulage', 'manual', $9)`,
        [id, SITE_ID, battery.siteId, battery.tankId, ticketNumber, shippedAt, fluid, volumeM3, OPERATOR],
      );
      return id;
    },
    async voidEntry(entryType, entryId) {
      await db.query(
        "INSERT INTO entry_voids (id, site_id, entry_type, entry_id, reason, created_by) VALUES ($1, $2, $3, $4, 'entered twice', $5)",
        [newId(), SITE_ID, entryType, entryId, OPERATOR],
      );
    },
  };
}

/** Per day and fluid, sum(allocated_m3) of a run as exact text, computed by the database. */
export async function allocatedSums(db: Database, runId: string): Promise<Map<string, string>> {
  const result = await db.query<{ key: string; total: string }>(
    `SELECT production_date::text || ' ' || fluid AS key, sum(allocated_m3)::text AS total
       FROM allocation_results WHERE run_id = $1 GROUP BY production_date, fluid`,
    [runId],
  );
  return new Map(result.rows.map((row) => [row.key, row.total]));
}

/** Every result row of a run as text, in a fixed order: for byte-for-byte comparisons. */
export async function resultRowsText(db: Database, runId: string): Promise<string[]> {
  const result = await db.query<{ row: string }>(
    `SELECT r::text AS row FROM allocation_results r WHERE run_id = $1 ORDER BY production_date, fluid, well_id`,
    [runId],
  );
  return result.rows.map((row) => row.row);
}

export async function runRowText(db: Database, runId: string): Promise<string> {
  const result = await db.query<{ row: string }>("SELECT r::text AS row FROM allocation_runs r WHERE id = $1", [runId]);
  return result.rows[0]?.row ?? "";
}
