import { createErpModules, type ErpModules } from "../../erp-modules/index.js";
import { demoDays, ensureDemoProduction, ratesFromSimulator } from "../../erp-modules/production/demo-production.js";
import type { OilfieldModel } from "../../simulator/model/types.js";
import { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable } from "../db/database.js";
import { unitOfWork } from "../db/unit-of-work.js";
import type { ModuleEventBus } from "../events/event-bus.js";
import type { Logger } from "../observability/logger.js";
import { Outbox } from "../sync/outbox.js";
import { DEMO_ACTOR, DEMO_BATTERY_CODE, DEMO_FIELD_CODE, ensureDemoAssets, ensureDemoConnections } from "./demo-assets-erp.js";
import { demoAlarmDefinitions } from "./demo-alarms.js";
import type { AlarmDefinitionInput } from "../alarms/schema.js";
import { newIds } from "../ids.js";
import { DEFINITIONS_CHANGED_EVENT } from "../alarms/alarm-engine.js";

export interface DemoSeedDeps {
  db: Database;
  siteId: string;
  /** The site's module event bus: the seed's events reach it once the seed has committed. */
  events: ModuleEventBus;
  logger: Logger;
}

export type DemoSeedOutcome =
  /** This start created the demo field and its history. */
  | { outcome: "seeded"; assetsCreated: number; recorded: number; allocationRun: string | null }
  /** An earlier Petroflow seeded the field before the marker existed: nothing added. */
  | { outcome: "adopted" }
  /** The register held assets the demo did not create: nothing invented among them. */
  | { outcome: "skipped"; assetsInRegister: number }
  /** A previous start did one of the above: a restart adds only plant the demo's register lacks (plantAdded). */
  | { outcome: "done-before"; at: string; previous: string; plantAdded: PlantAdded };

/** What a restart added to the demo's plant in the register: assets a newer demo plans, its connections. */
export interface PlantAdded {
  assets: number;
  connections: number;
}

/**
 * Seeds the demo oilfield once per site: its assets (the simulator's field,
 * battery, wells, plant and meters), a week of their production history
 * (tests, meter readings, gauges, tickets, downtime and its allocation) and
 * the alarm limits of its tags (demo-alarms.ts), all in ONE transaction with
 * the durable marker row (`demo_seed`). A crash
 * midway leaves nothing, and the next start seeds again; once the marker is
 * there, a restart adds only the plant a newer demo plans and the demo's
 * register lacks (completeDemoPlant), never history. History goes only to assets this seed
 * created: a well or tank a user adds later is never given invented data,
 * and a register that already holds assets the demo did not create gets
 * nothing at all.
 */
export async function seedDemoOnce(deps: DemoSeedDeps, model: OilfieldModel, now = new Date()): Promise<DemoSeedOutcome> {
  const { db, siteId, logger } = deps;
  // One unit of work: the services' own transactions become savepoints of it,
  // and their module events reach the site's bus only once it has committed.
  const erp = createErpModules({
    db,
    audit: new AuditService(db, siteId),
    outbox: new Outbox(db, siteId),
    events: deps.events,
    siteId,
    logger,
  });
  return unitOfWork(db, async (tx) => {
    // One seeder at a time per site (two processes starting together on one PostgreSQL).
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`demo-seed:${siteId}`]);
    const marker = await tx.query<{ outcome: string; created_at: string | Date }>("SELECT outcome, created_at FROM demo_seed WHERE site_id = $1", [siteId]);
    const previous = marker.rows[0];
    if (previous) {
      const at = previous.created_at instanceof Date ? previous.created_at.toISOString() : String(previous.created_at);
      const plantAdded = await completeDemoPlant(erp, model, now);
      return { outcome: "done-before", at, previous: previous.outcome, plantAdded } satisfies DemoSeedOutcome;
    }
    const seeded = await seedOrLeave(erp, model, now);
    // The alarms are on the demo's own tags, whatever the register held: they are seeded with every outcome.
    const alarms = await insertDemoAlarms(tx, siteId, demoAlarmDefinitions(model));
    logger.info({ alarmDefinitions: alarms }, "demo alarm limits defined");
    // The engine loaded its definitions before the demo started: it reloads once this unit has committed.
    if (alarms > 0) deps.events.emit(DEFINITIONS_CHANGED_EVENT, { source: "demo", added: alarms });
    await mark(tx, siteId, seeded);
    return seeded;
  });
}

async function seedOrLeave(erp: ErpModules, model: OilfieldModel, now: Date): Promise<Exclude<DemoSeedOutcome, { outcome: "done-before" }>> {
  const { total } = await erp.assets.list({ limit: 1, offset: 0 });
  if (total > 0) {
    const field = await erp.assets.findByCode(DEMO_FIELD_CODE);
    return field?.createdBy === DEMO_ACTOR ? { outcome: "adopted" } : { outcome: "skipped", assetsInRegister: total };
  }
  const created = await ensureDemoAssets(erp.assets, model, now);
  await ensureDemoConnections(erp.assets, model);
  const idOf = (code: string) => {
    const id = created.get(code);
    if (!id) throw new Error(`the demo plan has no ${code}`);
    return id;
  };
  const battery = idOf(DEMO_BATTERY_CODE);
  const history = await ensureDemoProduction(erp.production.entries, erp.assets, battery, {
    meterIds: { oil: idOf("MTR-OIL"), gas: idOf("MTR-GAS"), water: idOf("MTR-WATER") },
    wellRates: ratesFromSimulator(model),
    demoAssetIds: new Set(created.values()),
    now,
  });
  // The week is allocated too, so the daily report shows allocated volumes at once; later runs are the engineer's.
  const days = demoDays(now);
  const [periodStart, periodEnd] = [days[0], days.at(-1)];
  let allocationRun: string | null = null;
  if (periodStart && periodEnd) {
    const run = await erp.production.allocation.createRun({ siteAssetId: battery, periodStart, periodEnd }, DEMO_ACTOR);
    allocationRun = `${run.id} v${run.version} ${periodStart}..${periodEnd}`;
  }
  return { outcome: "seeded", assetsCreated: created.size, recorded: history.recorded, allocationRun };
}

/**
 * Brings a register the demo seeded before up to the demo's plant: the
 * assets it lacks (sales and disposal points), the plant equipment types
 * nobody has edited since, and the connections when it has none. A register
 * whose field is not the demo's is left alone.
 */
async function completeDemoPlant(erp: ErpModules, model: OilfieldModel, now: Date): Promise<PlantAdded> {
  const field = await erp.assets.findByCode(DEMO_FIELD_CODE);
  if (field?.createdBy !== DEMO_ACTOR) return { assets: 0, connections: 0 };
  const created = await ensureDemoAssets(erp.assets, model, now);
  return { assets: created.size, connections: await ensureDemoConnections(erp.assets, model) };
}

async function mark(tx: Queryable, siteId: string, seeded: Exclude<DemoSeedOutcome, { outcome: "done-before" }>): Promise<void> {
  const { outcome, ...summary } = seeded;
  await tx.query("INSERT INTO demo_seed (site_id, outcome, summary, created_by) VALUES ($1, $2, $3::json, $4)", [
    siteId,
    outcome,
    JSON.stringify(summary),
    DEMO_ACTOR,
  ]);
}

/**
 * Alarm definitions for the demo tags that exist (the simulator's points,
 * created before the seed). An engineer's definition of the same tag and
 * kind is never replaced. Returns how many were added.
 */
export async function insertDemoAlarms(tx: Queryable, siteId: string, definitions: readonly AlarmDefinitionInput[]): Promise<number> {
  if (definitions.length === 0) return 0;
  const paths = [...new Set(definitions.map((definition) => definition.tagPath))];
  const tags = await tx.query<{ id: string; path: string }>("SELECT id, path FROM tags WHERE path = ANY($1::text[])", [paths]);
  const idOf = new Map(tags.rows.map((row) => [row.path, row.id]));
  const rows = definitions.filter((definition) => idOf.has(definition.tagPath));
  if (rows.length === 0) return 0;
  const inserted = await tx.query(
    `INSERT INTO alarm_definitions (id, site_id, tag_id, kind, limit_value, alarm_state, setpoint_path, priority, deadband, on_delay_seconds, off_delay_seconds, area, message, enabled, created_by)
     SELECT d.id, $1, d.tag_id, d.kind, d.limit_value, d.alarm_state, d.setpoint_path, d.priority, d.deadband, d.on_delay, d.off_delay, d.area, d.message, d.enabled, $2
     FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::float8[], $12::float8[], $13::text[], $14::text[], $15::boolean[])
       AS d(id, tag_id, kind, limit_value, alarm_state, setpoint_path, priority, deadband, on_delay, off_delay, area, message, enabled)
     ON CONFLICT (tag_id, kind) DO NOTHING`,
    [
      siteId,
      DEMO_ACTOR,
      newIds(rows.length),
      rows.map((row) => idOf.get(row.tagPath)),
      rows.map((row) => row.kind),
      rows.map((row) => row.limit),
      rows.map((row) => row.alarmState),
      rows.map((row) => row.setpointPath),
      rows.map((row) => row.priority),
      rows.map((row) => row.deadband),
      rows.map((row) => row.onDelaySeconds),
      rows.map((row) => row.offDelaySeconds),
      rows.map((row) => row.area),
      rows.map((row) => row.message),
      rows.map((row) => row.enabled),
    ],
  );
  return inserted.rowCount;
}
