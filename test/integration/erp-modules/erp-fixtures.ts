/**
 * Set-up shared by the ERP module tests: the modules' context and asset
 * service on a migrated database, the service errors they expect, and a small
 * battery (field, battery site, wells, stock tank, one fiscal meter per fluid)
 * built through AssetService or POST /api/v1/assets.
 */
import assert from "node:assert/strict";
import { AuditService } from "../../../runtime/audit/audit-service.js";
import type { Database } from "../../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../../runtime/db/migration-sources.js";
import { migrate } from "../../../runtime/db/migrator.js";
import { ModuleEventBus, type ModuleEvent } from "../../../runtime/events/event-bus.js";
import { createLogger } from "../../../runtime/observability/logger.js";
import { Outbox } from "../../../runtime/sync/outbox.js";
import type { AssetCreate, EquipmentCreate, Fluid, WellCreate } from "../../../erp-modules/assets/schema.js";
import { AssetService } from "../../../erp-modules/assets/service.js";
import type { ErpContext } from "../../../erp-modules/shared/module-context.js";
import { ServiceError, type ServiceErrorCode } from "../../../erp-modules/shared/service-error.js";
import type { SiteClient } from "../../helpers/http-client.js";

export const SITE_ID = "SITE1";
export const ENGINEER = "erin-engineer";

type StrappingTable = NonNullable<EquipmentCreate["strappingTable"]>;

/** A tank 4 m tall holding 200 m3: 50 m3 per metre. */
export const LINEAR_STRAPPING: StrappingTable = [
  { levelM: 0, volumeM3: 0 },
  { levelM: 4, volumeM3: 200 },
];

/** A tank 4 m tall: 50 m3 per metre up to 2 m, 30 above. */
export const TWO_SLOPE_STRAPPING: StrappingTable = [
  { levelM: 0, volumeM3: 0 },
  { levelM: 2, volumeM3: 100 },
  { levelM: 4, volumeM3: 160 },
];

export interface ErpHarness {
  db: Database;
  context: ErpContext;
  assets: AssetService;
  /** The module events that matched the harness's pattern, in the order they were emitted. */
  events: ModuleEvent[];
}

/** Migrates `db` and builds the ERP context and asset service on it, as the site does; keeps the events matching `eventPattern`. */
export async function createErpHarness(db: Database, eventPattern: string): Promise<ErpHarness> {
  await migrate(db, ALL_MIGRATIONS);
  const bus = new ModuleEventBus(SITE_ID);
  const events: ModuleEvent[] = [];
  bus.subscribe(eventPattern, (event) => events.push(event));
  const context: ErpContext = {
    db,
    audit: new AuditService(db, SITE_ID),
    outbox: new Outbox(db, SITE_ID),
    events: bus,
    siteId: SITE_ID,
    logger: createLogger("silent"),
  };
  return { db, context, assets: new AssetService(context), events };
}

/** How many audit rows and sync outbox rows the module has written so far. */
export async function countChanges(db: Database, module: string): Promise<{ audit: number; outbox: number }> {
  const audit = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE action LIKE $1", [`${module}.%`]);
  const outbox = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM sync_outbox WHERE module = $1", [module]);
  return { audit: audit.rows[0]?.count ?? -1, outbox: outbox.rows[0]?.count ?? -1 };
}

/** For assert.rejects: a ServiceError with this code and, when given, naming this field. */
export function isServiceError(code: ServiceErrorCode, field?: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (field !== undefined) assert.equal(error.details?.field, field, error.message);
    return true;
  };
}

/** Creates one asset and answers its id. */
export type CreateAsset = (input: AssetCreate) => Promise<{ id: string }>;

export function viaService(assets: AssetService, actor: string): CreateAsset {
  return (input) => assets.create(input, actor);
}

export function viaApi(client: SiteClient): CreateAsset {
  return (input) => client.json<{ id: string }>("POST", "/api/v1/assets", input, 201);
}

export interface BatterySpec {
  /** Codes of the field and of the battery site under it. */
  field: string;
  site: string;
  /** The battery's wells: code → lift type, in this order. */
  wells: Readonly<Record<string, WellCreate["liftType"]>>;
  /** The oil stock tank's code; its strapping table is LINEAR_STRAPPING unless given. */
  tank: string;
  strappingTable?: StrappingTable;
  tankCapacityM3?: number;
}

export interface Battery {
  siteId: string;
  siteCode: string;
  wells: { id: string; code: string }[];
  tankId: string;
  /** The fiscal meter of each fluid, coded `<site>-M-<fluid>`. */
  meterIds: Record<Fluid, string>;
}

/** A field holding one battery site with the spec's wells, its oil stock tank and a fiscal meter per fluid; names follow the codes. */
export async function createBattery(create: CreateAsset, spec: BatterySpec): Promise<Battery> {
  const field = await create({ kind: "field", code: spec.field, name: `Field ${spec.field}` });
  const site = await create({ kind: "site", code: spec.site, name: `Battery ${spec.site}`, parentId: field.id, siteType: "battery" });
  const wells: Battery["wells"] = [];
  for (const [code, liftType] of Object.entries(spec.wells)) {
    const well = await create({ kind: "well", code, name: `Well ${code}`, parentId: site.id, well: { liftType } });
    wells.push({ id: well.id, code });
  }
  const tank = await create({
    kind: "equipment",
    code: spec.tank,
    name: `Stock tank ${spec.tank}`,
    parentId: site.id,
    equipment: {
      equipmentType: "tank",
      fluid: "oil",
      strappingTable: spec.strappingTable ?? LINEAR_STRAPPING,
      ...(spec.tankCapacityM3 === undefined ? {} : { capacityM3: spec.tankCapacityM3 }),
    },
  });
  const meter = async (fluid: Fluid) => {
    const equipment = { equipmentType: "meter" as const, meterService: "fiscal" as const, fluid };
    return (await create({ kind: "equipment", code: `${spec.site}-M-${fluid}`, name: `${fluid} meter`, parentId: site.id, equipment })).id;
  };
  const meterIds = { oil: await meter("oil"), gas: await meter("gas"), water: await meter("water") };
  return { siteId: site.id, siteCode: spec.site, wells, tankId: tank.id, meterIds };
}
