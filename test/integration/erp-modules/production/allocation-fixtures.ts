/**
 * A production site for allocation and report tests: real assets (through
 * AssetService) and entries written straight into the production entry
 * tables (the allocation reads them; how entries are validated is the entry
 * service's tests' business).
 */
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import type { Database } from "../../../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ModuleEventBus, type ModuleEvent } from "../../../../runtime/events/event-bus.js";
import { newId } from "../../../../runtime/ids.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { Outbox } from "../../../../runtime/sync/outbox.js";
import { AssetService } from "../../../../erp-modules/assets/service.js";
import { AllocationService } from "../../../../erp-modules/production/allocation-service.js";
import type { Fluid } from "../../../../erp-modules/production/entry-schemas.js";
import { ReportService } from "../../../../erp-modules/production/report-service.js";
import type { ErpContext } from "../../../../erp-modules/shared/module-context.js";

export const SITE_ID = "SITE1";
export const ENGINEER = "erin-engineer";
const OPERATOR = "oscar-operator";

/** A tank 4 m tall: 50 m3 per metre. */
export const STRAPPING = [
  { levelM: 0, volumeM3: 0 },
  { levelM: 4, volumeM3: 200 },
];

export interface Harness {
  db: Database;
  context: ErpContext;
  assets: AssetService;
  allocation: AllocationService;
  reports: ReportService;
  events: ModuleEvent[];
}

export async function createHarness(db: Database): Promise<Harness> {
  await migrate(db, ALL_MIGRATIONS);
  const bus = new ModuleEventBus(SITE_ID);
  const events: ModuleEvent[] = [];
  bus.subscribe("production.*", (event) => events.push(event));
  const context: ErpContext = {
    db,
    audit: new AuditService(db, SITE_ID),
    outbox: new Outbox(db, SITE_ID),
    events: bus,
    siteId: SITE_ID,
    logger: createLogger("silent"),
  };
  const assets = new AssetService(context);
  return { db, context, assets, allocation: new AllocationService(context, assets), reports: new ReportService(context, assets), events };
}

export interface SiteFixture {
  siteId: string;
  siteCode: string;
  wells: { id: string; code: string }[];
  tankId: string;
  meterIds: Record<Fluid, string>;
}

let fieldCount = 0;

/** A field with one battery holding `wellCount` wells, a tank and one meter per fluid. Codes are unique per call. */
export async function createSite(harness: Harness, wellCount: number): Promise<SiteFixture> {
  fieldCount += 1;
  const prefix = `F${fieldCount}`;
  const { assets } = harness;
  const field = await assets.create({ kind: "field", code: `${prefix}-FIELD`, name: `Field ${prefix}` }, ENGINEER);
  const site = await assets.create({ kind: "site", code: `${prefix}-BAT`, name: `Battery ${prefix}`, parentId: field.id, siteType: "battery" }, ENGINEER);
  const wells: { id: string; code: string }[] = [];
  for (let index = 1; index <= wellCount; index++) {
    const code = `${prefix}-W${String(index).padStart(3, "0")}`;
    const well = await assets.create({ kind: "well", code, name: `Well ${code}`, parentId: site.id, well: { liftType: "esp" } }, ENGINEER);
    wells.push({ id: well.id, code });
  }
  const tank = await assets.create(
    { kind: "equipment", code: `${prefix}-TK1`, name: "Stock tank 1", parentId: site.id, equipment: { equipmentType: "tank", strappingTable: STRAPPING, fluid: "oil" } },
    ENGINEER,
  );
  const meterIds = {} as Record<Fluid, string>;
  for (const fluid of ["oil", "gas", "water"] as const) {
    const meter = await assets.create(
      { kind: "equipment", code: `${prefix}-M-${fluid}`, name: `${fluid} meter`, parentId: site.id, equipment: { equipmentType: "meter", meterService: "fiscal", fluid } },
      ENGINEER,
    );
    meterIds[fluid] = meter.id;
  }
  return { siteId: site.id, siteCode: site.code, wells, tankId: tank.id, meterIds };
}

/** An approved well test (rates per day; oil m3, gas Sm3, water m3). */
export async function approvedTest(
  harness: Harness,
  site: SiteFixture,
  wellId: string,
  startedAt: string,
  rates: { oil: number | string; gas: number | string; water: number | string },
): Promise<string> {
  const id = newId();
  await harness.db.query(
    `INSERT INTO well_tests (id, site_id, well_id, site_asset_id, started_at, duration_hours, oil_rate_m3_per_day, gas_rate_sm3_per_day,
                             water_rate_m3_per_day, status, decided_by, decided_at, source, created_by)
     VALUES ($1, $2, $3, $4, $5, 12, $6, $7, $8, 'approved', $9, $5, 'manual', $10)`,
    [id, SITE_ID, wellId, site.siteId, startedAt, String(rates.oil), String(rates.gas), String(rates.water), ENGINEER, OPERATOR],
  );
  return id;
}

export async function meterReading(harness: Harness, site: SiteFixture, day: string, fluid: Fluid, volumeM3: number | string): Promise<string> {
  const id = newId();
  await harness.db.query(
    `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
    [id, SITE_ID, site.meterIds[fluid], site.siteId, day, fluid, String(volumeM3), OPERATOR],
  );
  return id;
}

export async function downtime(harness: Harness, site: SiteFixture, wellId: string, startedAt: string, endedAt: string | null, reasonCode = "esp_trip"): Promise<string> {
  const id = newId();
  await harness.db.query(
    `INSERT INTO downtime_events (id, site_id, well_id, site_asset_id, started_at, ended_at, reason_code, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
    [id, SITE_ID, wellId, site.siteId, startedAt, endedAt, reasonCode, OPERATOR],
  );
  return id;
}

export async function tankGauge(harness: Harness, site: SiteFixture, gaugedAt: string, volumeM3: number, waterVolumeM3: number | null = null): Promise<string> {
  const id = newId();
  await harness.db.query(
    `INSERT INTO tank_gauges (id, site_id, tank_id, site_asset_id, gauged_at, level_m, volume_m3, water_volume_m3, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'manual', $9)`,
    [id, SITE_ID, site.tankId, site.siteId, gaugedAt, volumeM3 / 50, volumeM3, waterVolumeM3, OPERATOR],
  );
  return id;
}

export async function runTicket(harness: Harness, site: SiteFixture, shippedAt: string, fluid: Fluid, volumeM3: number, ticketNumber: string): Promise<string> {
  const id = newId();
  await harness.db.query(
    `INSERT INTO run_tickets (id, site_id, site_asset_id, tank_id, ticket_number, shipped_at, fluid, volume_m3, destination, carrier, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'truck', 'Acme Haulage', 'manual', $9)`,
    [id, SITE_ID, site.siteId, site.tankId, ticketNumber, shippedAt, fluid, volumeM3, OPERATOR],
  );
  return id;
}

export async function voidEntry(harness: Harness, entryType: string, entryId: string): Promise<void> {
  await harness.db.query(
    "INSERT INTO entry_voids (id, site_id, entry_type, entry_id, reason, created_by) VALUES ($1, $2, $3, $4, 'entered twice', $5)",
    [newId(), SITE_ID, entryType, entryId, OPERATOR],
  );
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
