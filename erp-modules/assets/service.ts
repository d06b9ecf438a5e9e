import type { Queryable, SqlValue } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import type { AssetLookup, AssetRef, MeterRef, TankAssetRef, WellRef, WellStatusChange } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput as invalid, ServiceError, serviceError } from "../shared/service-error.js";
import { connectionProblem, type ConnectionEnd } from "./model/connectivity.js";
import { StrappingError, strappingTableProblem, volumeAtLevelM3, type StrappingPoint } from "./model/strapping.js";
import type {
  Asset,
  AssetCreate,
  AssetKind,
  AssetListQuery,
  AssetPage,
  AssetPatch,
  AssetTreeNode,
  Completion,
  Connection,
  ConnectionCreate,
  EquipmentDetail,
  StatusChange,
  StatusHistoryEntry,
  TagLink,
  WellDetail,
} from "./schema.js";

const MODULE = "assets";
const ENTITY_TYPE = "asset";
const CONNECTION_ENTITY = "asset_connection";

/** Which kinds an asset of each kind may hang under (docs/erp-assets.md). */
const PARENT_KINDS: Record<AssetKind, readonly AssetKind[]> = {
  field: [],
  site: ["field"],
  well: ["site"],
  equipment: ["well", "site"],
};

/** A status or a start time this far ahead of the server clock is a mistake, not clock skew. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AssetRow {
  id: string;
  kind: AssetKind;
  code: string;
  name: string;
  description: string;
  parent_id: string | null;
  site_type: Asset["siteType"];
  latitude: string | null;
  longitude: string | null;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
  uwi: string | null;
  lift_type: WellDetail["liftType"] | null;
  status: WellDetail["status"] | null;
  status_since: Date | null;
  completion: Completion | null;
  equipment_type: EquipmentDetail["equipmentType"] | null;
  manufacturer: string | null;
  model: string | null;
  serial_number: string | null;
  capacity_m3: string | null;
  strapping_table: StrappingPoint[] | null;
  meter_service: EquipmentDetail["meterService"];
  fluid: EquipmentDetail["fluid"];
  separator_service: EquipmentDetail["separatorService"];
}

const SELECT_ASSET = `
  SELECT a.id, a.kind, a.code, a.name, a.description, a.parent_id, a.site_type, a.latitude, a.longitude,
         a.created_at, a.updated_at, a.row_version, a.created_by,
         w.uwi, w.lift_type, w.status, w.status_since, w.completion,
         e.equipment_type, e.manufacturer, e.model, e.serial_number, e.capacity_m3, e.strapping_table, e.meter_service, e.fluid,
         e.separator_service
    FROM assets a
    LEFT JOIN wells w ON w.asset_id = a.id
    LEFT JOIN equipment e ON e.asset_id = a.id`;

function wellDetail(row: AssetRow): WellDetail | null {
  if (row.kind !== "well" || !row.lift_type || !row.status || !row.status_since) return null;
  return {
    uwi: row.uwi,
    liftType: row.lift_type,
    status: row.status,
    statusSince: row.status_since.toISOString(),
    completion: row.completion ?? {},
  };
}

function equipmentDetail(row: AssetRow): EquipmentDetail | null {
  if (row.kind !== "equipment" || !row.equipment_type) return null;
  return {
    equipmentType: row.equipment_type,
    manufacturer: row.manufacturer,
    model: row.model,
    serialNumber: row.serial_number,
    capacityM3: fromNumericOrNull(row.capacity_m3),
    strappingTable: row.strapping_table,
    meterService: row.meter_service,
    fluid: row.fluid,
    separatorService: row.separator_service,
  };
}

/** The equipment columns after asset_id (and site_id), in table order. */
function equipmentValues(equipment: EquipmentDetail): SqlValue[] {
  return [
    equipment.equipmentType,
    equipment.manufacturer,
    equipment.model,
    equipment.serialNumber,
    equipment.capacityM3,
    equipment.strappingTable ? JSON.stringify(equipment.strappingTable) : null,
    equipment.meterService,
    equipment.fluid,
    equipment.separatorService,
  ];
}

function toAsset(row: AssetRow, tags: TagLink[]): Asset {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    name: row.name,
    description: row.description,
    parentId: row.parent_id,
    siteType: row.site_type,
    latitude: fromNumericOrNull(row.latitude),
    longitude: fromNumericOrNull(row.longitude),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
    well: wellDetail(row),
    equipment: equipmentDetail(row),
    tags,
  };
}

/** LIKE pattern for "contains", with the user's % _ \ taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function parseTime(value: string, field: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw invalid(field, "not_a_date_time");
  if (time.getTime() > Date.now() + FUTURE_TOLERANCE_MS) throw invalid(field, "in_future");
  return time;
}

/** The fields a kind needs and the ones it may not have (the schema cannot say which kind a body is). */
interface KindFields {
  kind: AssetKind;
  siteType: Asset["siteType"];
  well: Pick<WellDetail, "completion"> | null;
  equipment: EquipmentDetail | null;
}

function checkKindFields(asset: KindFields): void {
  const { kind } = asset;
  if (kind === "site" && !asset.siteType) throw invalid("siteType", "required_for_kind", { kind });
  if (kind !== "site" && asset.siteType) throw invalid("siteType", "not_for_kind", { kind });
  if (kind === "well" && !asset.well) throw invalid("well", "required_for_kind", { kind });
  if (kind !== "well" && asset.well) throw invalid("well", "not_for_kind", { kind });
  if (kind === "equipment" && !asset.equipment) throw invalid("equipment", "required_for_kind", { kind });
  if (kind !== "equipment" && asset.equipment) throw invalid("equipment", "not_for_kind", { kind });
  if (asset.well) checkCompletion(asset.well.completion);
  if (asset.equipment) checkEquipment(asset.equipment);
}

function checkCompletion(completion: Completion): void {
  const { totalDepthM } = completion;
  const deeperThanWell = (depthM: number | undefined) => totalDepthM !== undefined && depthM !== undefined && depthM > totalDepthM;
  for (const [index, perforation] of (completion.perforations ?? []).entries()) {
    const field = `well.completion.perforations.${index}`;
    if (perforation.topM >= perforation.bottomM) throw invalid(field, "top_not_above_bottom");
    if (deeperThanWell(perforation.bottomM)) throw invalid(field, "below_total_depth");
  }
  if (deeperThanWell(completion.tubingDepthM)) throw invalid("well.completion.tubingDepthM", "below_total_depth");
  if (deeperThanWell(completion.kickoffDepthM)) throw invalid("well.completion.kickoffDepthM", "below_total_depth");
}

function checkEquipment(equipment: EquipmentDetail): void {
  const type = equipment.equipmentType;
  if (type !== "tank") {
    if (equipment.strappingTable) throw invalid("equipment.strappingTable", "not_for_equipment", { type });
    if (equipment.capacityM3 !== null) throw invalid("equipment.capacityM3", "not_for_equipment", { type });
  }
  if (type !== "meter" && equipment.meterService) throw invalid("equipment.meterService", "not_for_equipment", { type });
  if (type === "meter" && !equipment.fluid) throw invalid("equipment.fluid", "required_for_equipment", { type });
  if (type !== "meter" && type !== "tank" && equipment.fluid) throw invalid("equipment.fluid", "not_for_equipment", { type });
  if (type !== "separator" && equipment.separatorService) throw invalid("equipment.separatorService", "not_for_equipment", { type });
  const table = equipment.strappingTable;
  if (!table) return;
  const problem = strappingTableProblem(table);
  if (problem) {
    const field = problem.index === undefined ? "equipment.strappingTable" : `equipment.strappingTable.${problem.index}`;
    throw invalid(field, problem.reason, problem.params, `strapping table: ${problem.message}`);
  }
  const topVolumeM3 = table[table.length - 1]?.volumeM3 ?? 0;
  if (equipment.capacityM3 !== null && topVolumeM3 > equipment.capacityM3) {
    throw invalid("equipment.capacityM3", "below_strapping_top", { volumeM3: topVolumeM3 });
  }
}

function checkTags(tags: readonly TagLink[]): void {
  const roles = new Set<string>();
  for (const tag of tags) {
    if (roles.has(tag.role)) throw invalid("tags", "duplicate_role", { role: tag.role });
    roles.add(tag.role);
  }
}

/** A unique index caught a duplicate another transaction committed after our check. */
function duplicateError(error: unknown): ServiceError | null {
  if ((error as { code?: unknown } | null)?.code !== "23505") return null;
  const text = ((error as { message?: string }).message ?? "") + ((error as { constraint?: string }).constraint ?? "");
  if (text.includes("wells_uwi_unique")) return serviceError("conflict", "well.uwi", "already_exists", undefined, "another well has this UWI");
  if (text.includes("asset_connections_unique")) return serviceError("conflict", "stream", "already_exists", undefined, "this connection already exists");
  return serviceError("conflict", "code", "already_exists", undefined, "another asset has this code");
}

/**
 * The asset register (field → site → well → equipment) and the lookups other
 * modules use. Every write is one transaction with its audit and outbox rows.
 */
export class AssetService implements AssetLookup {
  constructor(private readonly context: ErpContext) {}

  private get db(): Queryable {
    return this.context.db;
  }

  async getAsset(id: string, tx: Queryable = this.db): Promise<AssetRef | null> {
    if (!UUID.test(id)) return null;
    const result = await tx.query<AssetRefRow>(
      `SELECT a.id, a.kind, a.code, a.name, a.parent_id, e.equipment_type
         FROM assets a LEFT JOIN equipment e ON e.asset_id = a.id
        WHERE a.id = $1 AND a.site_id = $2`,
      [id, this.context.siteId],
    );
    const row = result.rows[0];
    return row ? toAssetRef(row) : null;
  }

  async getWell(id: string, tx: Queryable = this.db): Promise<WellRef | null> {
    if (!UUID.test(id)) return null;
    const result = await tx.query<WellRefRow>(`${SELECT_WELL_REF} WHERE a.id = $1 AND a.site_id = $2`, [id, this.context.siteId]);
    const row = result.rows[0];
    return row ? toWellRef(row) : null;
  }

  async wellsUnder(assetId: string, tx: Queryable = this.db): Promise<WellRef[]> {
    if (!UUID.test(assetId)) return [];
    const result = await tx.query<WellRefRow>(
      `WITH RECURSIVE below AS (${BELOW_ANCHOR}) ${SELECT_WELL_REF} JOIN below ON below.id = a.id ORDER BY a.code COLLATE "C"`,
      [assetId, this.context.siteId],
    );
    return result.rows.map(toWellRef);
  }

  async tanksUnder(assetId: string, tx: Queryable = this.db): Promise<TankAssetRef[]> {
    if (!UUID.test(assetId)) return [];
    const result = await tx.query<AssetRefRow & { fluid: TankAssetRef["fluid"] }>(
      `WITH RECURSIVE below AS (${BELOW_ANCHOR})
       SELECT a.id, a.kind, a.code, a.name, a.parent_id, e.equipment_type, e.fluid
         FROM assets a
         JOIN below ON below.id = a.id
         JOIN equipment e ON e.asset_id = a.id AND e.equipment_type = 'tank'
        ORDER BY a.code COLLATE "C"`,
      [assetId, this.context.siteId],
    );
    return result.rows.map((row) => ({ ...toAssetRef(row), fluid: row.fluid }));
  }

  async metersUnder(assetId: string, tx: Queryable = this.db): Promise<MeterRef[]> {
    if (!UUID.test(assetId)) return [];
    const result = await tx.query<AssetRefRow & { meter_service: MeterRef["meterService"]; fluid: MeterRef["fluid"] }>(
      `WITH RECURSIVE below AS (${BELOW_ANCHOR})
       SELECT a.id, a.kind, a.code, a.name, a.parent_id, e.equipment_type, e.meter_service, e.fluid
         FROM assets a
         JOIN below ON below.id = a.id
         JOIN equipment e ON e.asset_id = a.id AND e.equipment_type = 'meter'
        ORDER BY a.code COLLATE "C"`,
      [assetId, this.context.siteId],
    );
    return result.rows.map((row) => ({ ...toAssetRef(row), meterService: row.meter_service, fluid: row.fluid }));
  }

  async wellStatusChanges(wellIds: readonly string[], tx: Queryable = this.db): Promise<WellStatusChange[]> {
    const ids = wellIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return [];
    const result = await tx.query<{ well_id: string; status: WellStatusChange["status"]; effective_at: Date }>(
      `SELECT well_id, status, effective_at FROM well_status_history
        WHERE site_id = $1 AND well_id = ANY($2::uuid[]) ORDER BY well_id, effective_at, id`,
      [this.context.siteId, ids],
    );
    return result.rows.map((row) => ({ wellId: row.well_id, status: row.status, effectiveAt: row.effective_at.toISOString() }));
  }

  async tankVolumeM3(tankId: string, levelM: number, tx: Queryable = this.db): Promise<number> {
    if (!UUID.test(tankId)) throw new ServiceError("not_found", `no tank ${tankId}`);
    const result = await tx.query<{ code: string; strapping_table: StrappingPoint[] | null }>(
      `SELECT a.code, e.strapping_table
         FROM assets a JOIN equipment e ON e.asset_id = a.id
        WHERE a.id = $1 AND a.site_id = $2 AND e.equipment_type = 'tank'`,
      [tankId, this.context.siteId],
    );
    const tank = result.rows[0];
    if (!tank) throw new ServiceError("not_found", `no tank ${tankId}`);
    if (!tank.strapping_table) throw invalid("tankId", "no_strapping_table", undefined, `tank ${tank.code} has no strapping table`);
    try {
      return volumeAtLevelM3(tank.strapping_table, levelM);
    } catch (error) {
      if (error instanceof StrappingError) throw invalid("levelM", error.reason, error.params, `tank ${tank.code}: ${error.message}`);
      throw error;
    }
  }

  async list(query: AssetListQuery): Promise<AssetPage> {
    const params: SqlValue[] = [this.context.siteId];
    const conditions = ["a.site_id = $1"];
    const where = (condition: (placeholder: string) => string, value: SqlValue) => {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    };
    if (query.kind) where((p) => `a.kind = ${p}`, query.kind);
    if (query.parentId) where((p) => `a.parent_id = ${p}`, query.parentId);
    if (query.status) where((p) => `w.status = ${p}`, query.status);
    if (query.liftType) where((p) => `w.lift_type = ${p}`, query.liftType);
    if (query.search) where((p) => `(lower(a.code) LIKE ${p} OR lower(a.name) LIKE ${p} OR lower(w.uwi) LIKE ${p})`, containsPattern(query.search));
    const filter = `WHERE ${conditions.join(" AND ")}`;
    const total = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM assets a LEFT JOIN wells w ON w.asset_id = a.id ${filter}`,
      params,
    );
    const rows = await this.db.query<AssetRow>(
      `${SELECT_ASSET} ${filter} ORDER BY a.code COLLATE "C", a.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { assets: await this.withTags(this.db, rows.rows), total: total.rows[0]?.count ?? 0 };
  }

  /** Every asset as a flat list of nodes (parentId links them), ordered by code. */
  async tree(): Promise<AssetTreeNode[]> {
    const result = await this.db.query<Pick<AssetRow, "id" | "parent_id" | "kind" | "code" | "name" | "site_type" | "status" | "lift_type" | "equipment_type">>(
      `SELECT a.id, a.parent_id, a.kind, a.code, a.name, a.site_type, w.status, w.lift_type, e.equipment_type
         FROM assets a
         LEFT JOIN wells w ON w.asset_id = a.id
         LEFT JOIN equipment e ON e.asset_id = a.id
        WHERE a.site_id = $1
        ORDER BY a.code COLLATE "C", a.id`,
      [this.context.siteId],
    );
    return result.rows.map((row) => ({
      id: row.id,
      parentId: row.parent_id,
      kind: row.kind,
      code: row.code,
      name: row.name,
      ...(row.site_type ? { siteType: row.site_type } : {}),
      ...(row.status ? { status: row.status } : {}),
      ...(row.lift_type ? { liftType: row.lift_type } : {}),
      ...(row.equipment_type ? { equipmentType: row.equipment_type } : {}),
    }));
  }

  /** One asset with its tag links and, for a well, its status history (newest first). */
  async get(id: string): Promise<Asset> {
    const asset = UUID.test(id) ? await this.load(this.db, id) : null;
    if (!asset) throw new ServiceError("not_found", `no asset ${id}`);
    return asset;
  }

  async findByCode(code: string): Promise<Asset | null> {
    const result = await this.db.query<{ id: string }>("SELECT id FROM assets WHERE site_id = $1 AND code = $2", [this.context.siteId, code]);
    const row = result.rows[0];
    return row ? this.load(this.db, row.id) : null;
  }

  /** The assets a tag is linked to (one tag may serve several roles or assets), ordered by code. */
  async findByTag(tagPath: string): Promise<Asset[]> {
    const result = await this.db.query<{ id: string }>(
      `SELECT a.id FROM assets a
        WHERE a.site_id = $1 AND EXISTS (SELECT 1 FROM asset_tags t WHERE t.asset_id = a.id AND t.tag_path = $2)
        ORDER BY a.code COLLATE "C", a.id`,
      [this.context.siteId, tagPath],
    );
    const assets: Asset[] = [];
    for (const row of result.rows) {
      const asset = await this.load(this.db, row.id);
      if (asset) assets.push(asset);
    }
    return assets;
  }

  /** The assets directly under one, ordered by code. */
  async children(id: string): Promise<Asset[]> {
    await this.get(id);
    const rows = await this.db.query<AssetRow>(`${SELECT_ASSET} WHERE a.parent_id = $1 AND a.site_id = $2 ORDER BY a.code COLLATE "C", a.id`, [
      id,
      this.context.siteId,
    ]);
    return this.withTags(this.db, rows.rows);
  }

  async create(input: AssetCreate, actor: string): Promise<Asset> {
    const parentId = input.parentId ?? null;
    const equipment: EquipmentDetail | null = input.equipment
      ? {
          equipmentType: input.equipment.equipmentType,
          manufacturer: input.equipment.manufacturer ?? null,
          model: input.equipment.model ?? null,
          serialNumber: input.equipment.serialNumber ?? null,
          capacityM3: input.equipment.capacityM3 ?? null,
          strappingTable: input.equipment.strappingTable ?? null,
          meterService: input.equipment.meterService ?? null,
          fluid: input.equipment.fluid ?? null,
          separatorService: input.equipment.separatorService ?? null,
        }
      : null;
    const well = input.well ? { ...input.well, uwi: input.well.uwi ?? null, completion: input.well.completion ?? {} } : null;
    checkKindFields({ kind: input.kind, siteType: input.siteType ?? null, well, equipment });
    const tags = input.tags ?? [];
    checkTags(tags);
    const statusSince = well?.statusSince ? parseTime(well.statusSince, "well.statusSince") : new Date();
    return this.write(async (tx) => {
      await this.checkParent(tx, input.kind, parentId);
      await this.checkCodeFree(tx, input.code, null);
      if (well?.uwi) await this.checkUwiFree(tx, well.uwi, null);
      const id = newId();
      await tx.query(
        `INSERT INTO assets (id, site_id, kind, code, name, description, parent_id, site_type, latitude, longitude, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          this.context.siteId,
          input.kind,
          input.code,
          input.name,
          input.description ?? "",
          parentId,
          input.siteType ?? null,
          input.latitude ?? null,
          input.longitude ?? null,
          actor,
        ],
      );
      if (well) {
        const status = well.status ?? "producing";
        await tx.query(
          `INSERT INTO wells (asset_id, site_id, uwi, lift_type, status, status_since, completion)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
          [id, this.context.siteId, well.uwi, well.liftType, status, statusSince, JSON.stringify(well.completion)],
        );
        await this.insertStatus(tx, id, status, statusSince, "well registered", actor);
      }
      if (equipment) await this.insertEquipment(tx, id, equipment);
      await this.insertTags(tx, id, tags, actor);
      const after = await this.mustLoad(tx, id);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: `assets.${input.kind}.create`,
        entityType: ENTITY_TYPE,
        entityId: id,
        operation: "insert",
        rowVersion: after.rowVersion,
        after,
      });
      return after;
    });
  }

  async update(id: string, patch: AssetPatch, actor: string): Promise<Asset> {
    return this.write(async (tx) => {
      const before = await this.lockForChange(tx, id, patch.rowVersion);
      const next = {
        code: patch.code ?? before.code,
        name: patch.name ?? before.name,
        description: patch.description ?? before.description,
        parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
        siteType: patch.siteType ?? before.siteType,
        latitude: patch.latitude === undefined ? before.latitude : patch.latitude,
        longitude: patch.longitude === undefined ? before.longitude : patch.longitude,
      };
      if (patch.well && !before.well) throw invalid("well", "not_for_kind", { kind: before.kind });
      if (patch.equipment && !before.equipment) throw invalid("equipment", "not_for_kind", { kind: before.kind });
      const well = before.well && { ...before.well, ...patch.well };
      const equipment = before.equipment && { ...before.equipment, ...patch.equipment };
      checkKindFields({ kind: before.kind, siteType: next.siteType, well, equipment });
      if (patch.tags) checkTags(patch.tags);
      if (next.parentId !== before.parentId) await this.checkParent(tx, before.kind, next.parentId);
      if (next.code !== before.code) await this.checkCodeFree(tx, next.code, id);
      if (well?.uwi && well.uwi !== before.well?.uwi) await this.checkUwiFree(tx, well.uwi, id);
      await tx.query(
        `UPDATE assets
            SET code = $2, name = $3, description = $4, parent_id = $5, site_type = $6, latitude = $7, longitude = $8,
                updated_at = now(), row_version = row_version + 1
          WHERE id = $1`,
        [id, next.code, next.name, next.description, next.parentId, next.siteType, next.latitude, next.longitude],
      );
      if (well) {
        await tx.query("UPDATE wells SET uwi = $2, lift_type = $3, completion = $4::jsonb WHERE asset_id = $1", [
          id,
          well.uwi,
          well.liftType,
          JSON.stringify(well.completion),
        ]);
      }
      if (equipment) {
        await tx.query(
          `UPDATE equipment
              SET equipment_type = $2, manufacturer = $3, model = $4, serial_number = $5, capacity_m3 = $6,
                  strapping_table = $7::jsonb, meter_service = $8, fluid = $9, separator_service = $10
            WHERE asset_id = $1`,
          [id, ...equipmentValues(equipment)],
        );
      }
      if (patch.tags) {
        await tx.query("DELETE FROM asset_tags WHERE asset_id = $1", [id]);
        await this.insertTags(tx, id, patch.tags, actor);
      }
      const after = await this.mustLoad(tx, id);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: `assets.${before.kind}.update`,
        entityType: ENTITY_TYPE,
        entityId: id,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
      });
      return after;
    });
  }

  /**
   * A well's new status: a history row, the current status on the well and a
   * new row version, together. An abandoned well stays abandoned.
   */
  async changeStatus(id: string, change: StatusChange, actor: string): Promise<Asset> {
    const effectiveAt = change.effectiveAt ? parseTime(change.effectiveAt, "effectiveAt") : new Date();
    const after = await this.write(async (tx) => {
      const before = await this.lockForChange(tx, id, null);
      if (!before.well) throw invalid("id", "only_wells_have_status", { kind: before.kind }, `${before.code} is a ${before.kind}; only wells have a status`);
      const current = before.well;
      if (current.status === "abandoned") {
        throw serviceError("invalid_state", "status", "well_abandoned", undefined, `${before.code} is abandoned; an abandoned well does not change status`);
      }
      if (current.status === change.status) {
        throw serviceError("invalid_state", "status", "same_status", undefined, `${before.code} is already ${change.status}`);
      }
      if (effectiveAt.getTime() < new Date(current.statusSince).getTime()) {
        throw invalid("effectiveAt", "before_current_status", { since: current.statusSince });
      }
      await this.insertStatus(tx, id, change.status, effectiveAt, change.reason, actor);
      await tx.query("UPDATE wells SET status = $2, status_since = $3 WHERE asset_id = $1", [id, change.status, effectiveAt]);
      await tx.query("UPDATE assets SET updated_at = now(), row_version = row_version + 1 WHERE id = $1", [id]);
      const changed = await this.mustLoad(tx, id);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "assets.well.status",
        entityType: ENTITY_TYPE,
        entityId: id,
        operation: "update",
        rowVersion: changed.rowVersion,
        before,
        after: changed,
        details: { from: current.status, to: change.status, effectiveAt: effectiveAt.toISOString(), reason: change.reason },
      });
      return { asset: changed, from: current.status };
    });
    this.context.events.emit("assets.well.status_changed", {
      assetId: id,
      code: after.asset.code,
      from: after.from,
      to: change.status,
      effectiveAt: effectiveAt.toISOString(),
      reason: change.reason,
    });
    return after.asset;
  }

  /**
   * The plant as the register holds it, for the field overview: every site,
   * well and equipment (not the field) with the code of the site or well it
   * hangs under, its register status and its tag links, ordered by code.
   */
  async plantAssets(): Promise<PlantAsset[]> {
    const result = await this.db.query<PlantAssetRow>(
      `SELECT a.id, a.kind, a.code, a.name, a.site_type, CASE WHEN p.kind = 'field' THEN NULL ELSE p.code END AS parent_code,
              w.lift_type, w.status, w.status_since, e.equipment_type, e.separator_service, e.fluid
         FROM assets a
         LEFT JOIN assets p ON p.id = a.parent_id
         LEFT JOIN wells w ON w.asset_id = a.id
         LEFT JOIN equipment e ON e.asset_id = a.id
        WHERE a.site_id = $1 AND a.kind <> 'field'
        ORDER BY a.code COLLATE "C", a.id`,
      [this.context.siteId],
    );
    const links = await this.db.query<{ asset_id: string; role: string; tag_path: string }>(
      "SELECT asset_id, role, tag_path FROM asset_tags WHERE site_id = $1 ORDER BY role",
      [this.context.siteId],
    );
    const tagsOf = new Map<string, TagLink[]>();
    for (const link of links.rows) {
      const list = tagsOf.get(link.asset_id) ?? [];
      list.push({ role: link.role, tagPath: link.tag_path });
      tagsOf.set(link.asset_id, list);
    }
    return result.rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      code: row.code,
      name: row.name,
      parentCode: row.parent_code,
      siteType: row.site_type,
      equipmentType: row.equipment_type,
      separatorService: row.separator_service,
      fluid: row.fluid,
      liftType: row.lift_type,
      status: row.status,
      statusSince: row.status_since?.toISOString() ?? null,
      tags: tagsOf.get(row.id) ?? [],
    }));
  }

  /** The site's process connections, ordered by the codes they join and the stream. */
  async listConnections(tx: Queryable = this.db): Promise<Connection[]> {
    const result = await tx.query<ConnectionRow>(`${SELECT_CONNECTION} WHERE c.site_id = $1 ORDER BY f.code COLLATE "C", t.code COLLATE "C", c.stream`, [
      this.context.siteId,
    ]);
    return result.rows.map(toConnection);
  }

  /**
   * A new connection: both ends assets of this site, not the same one, and a
   * stream the pair may carry (model/connectivity.ts). The same stream
   * between the same pair twice is a conflict.
   */
  async createConnection(input: ConnectionCreate, actor: string): Promise<Connection> {
    return this.write(async (tx) => {
      const from = await this.connectionEnd(tx, input.fromAssetId, "fromAssetId");
      const to = await this.connectionEnd(tx, input.toAssetId, "toAssetId");
      const problem = connectionProblem(from.end, to.end, input.stream, input.fromAssetId === input.toAssetId);
      if (problem) throw invalid(problem.field, problem.reason, problem.params);
      const existing = await tx.query<{ id: string }>("SELECT id FROM asset_connections WHERE from_asset_id = $1 AND to_asset_id = $2 AND stream = $3", [
        input.fromAssetId,
        input.toAssetId,
        input.stream,
      ]);
      if (existing.rows.length > 0) {
        throw serviceError("conflict", "stream", "already_exists", undefined, `${from.code} already sends ${input.stream} to ${to.code}`);
      }
      const id = newId();
      await tx.query(
        "INSERT INTO asset_connections (id, site_id, from_asset_id, to_asset_id, stream, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
        [id, this.context.siteId, input.fromAssetId, input.toAssetId, input.stream, actor],
      );
      const after = await this.mustLoadConnection(tx, id);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "assets.connection.create",
        entityType: CONNECTION_ENTITY,
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after,
      });
      return after;
    });
  }

  /**
   * Removes a connection. Connections are configuration, not a ledger: the
   * audit row keeps what it was, and the outbox tells the cloud it is gone.
   */
  async deleteConnection(id: string, actor: string): Promise<Connection> {
    return this.write(async (tx) => {
      const before = UUID.test(id) ? await this.loadConnection(tx, id, true) : null;
      if (!before) throw new ServiceError("not_found", `no connection ${id}`);
      await tx.query("DELETE FROM asset_connections WHERE id = $1", [id]);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "assets.connection.delete",
        entityType: CONNECTION_ENTITY,
        entityId: id,
        operation: "delete",
        before,
        after: null,
      });
      return before;
    });
  }

  /** One end of a new connection as the connectivity rules see it; 400 naming the field when it is no asset of this site. */
  private async connectionEnd(tx: Queryable, id: string, field: "fromAssetId" | "toAssetId"): Promise<{ code: string; end: ConnectionEnd }> {
    const result = await tx.query<{ kind: AssetKind; code: string; lift_type: string | null; equipment_type: EquipmentDetail["equipmentType"] | null; fluid: EquipmentDetail["fluid"] }>(
      `SELECT a.kind, a.code, w.lift_type, e.equipment_type, e.fluid
         FROM assets a
         LEFT JOIN wells w ON w.asset_id = a.id
         LEFT JOIN equipment e ON e.asset_id = a.id
        WHERE a.id = $1 AND a.site_id = $2`,
      [id, this.context.siteId],
    );
    const row = result.rows[0];
    if (!row) throw invalid(field, "not_an_asset");
    if (row.kind === "well" && row.lift_type) return { code: row.code, end: { kind: "well", liftType: row.lift_type } };
    if (row.kind === "equipment" && row.equipment_type) return { code: row.code, end: { kind: "equipment", equipmentType: row.equipment_type, fluid: row.fluid } };
    return { code: row.code, end: { kind: row.kind === "field" ? "field" : "site" } };
  }

  private async loadConnection(tx: Queryable, id: string, forUpdate = false): Promise<Connection | null> {
    const result = await tx.query<ConnectionRow>(`${SELECT_CONNECTION} WHERE c.id = $1 AND c.site_id = $2${forUpdate ? " FOR UPDATE OF c" : ""}`, [
      id,
      this.context.siteId,
    ]);
    const row = result.rows[0];
    return row ? toConnection(row) : null;
  }

  private async mustLoadConnection(tx: Queryable, id: string): Promise<Connection> {
    const connection = await this.loadConnection(tx, id);
    if (!connection) throw new Error(`connection ${id} vanished inside its own transaction`);
    return connection;
  }

  /** One transaction; a duplicate caught by a unique index (a race past our check) becomes a conflict. */
  private async write<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.context.db.transaction(fn);
    } catch (error) {
      throw duplicateError(error) ?? error;
    }
  }

  /** Locks the asset row for a change; with a rowVersion, refuses a stale one. */
  private async lockForChange(tx: Queryable, id: string, rowVersion: number | null): Promise<Asset> {
    const locked = UUID.test(id)
      ? await tx.query<{ row_version: number; code: string }>("SELECT row_version, code FROM assets WHERE id = $1 AND site_id = $2 FOR UPDATE", [
          id,
          this.context.siteId,
        ])
      : { rows: [] };
    const row = locked.rows[0];
    if (!row) throw new ServiceError("not_found", `no asset ${id}`);
    if (rowVersion !== null && row.row_version !== rowVersion) {
      throw serviceError("stale", "rowVersion", "changed_since_read", { current: row.row_version, sent: rowVersion }, `${row.code} changed since you read it (version ${row.row_version}, you sent ${rowVersion})`);
    }
    return this.mustLoad(tx, id);
  }

  private async checkParent(tx: Queryable, kind: AssetKind, parentId: string | null): Promise<void> {
    const allowed = PARENT_KINDS[kind];
    if (allowed.length === 0) {
      if (parentId !== null) throw invalid("parentId", "parent_must_be_empty");
      return;
    }
    const expected = allowed.join(" or ");
    if (parentId === null) throw invalid("parentId", "parent_required", { kind, parents: allowed }, `parentId is required: a ${kind} hangs under a ${expected}`);
    const parent = await this.getAsset(parentId, tx);
    if (!parent) throw invalid("parentId", "parent_not_found");
    if (!(allowed as readonly string[]).includes(parent.kind)) {
      throw invalid("parentId", "parent_wrong_kind", { parentKind: parent.kind, kind, parents: allowed }, `parentId is a ${parent.kind} (${parent.code}); a ${kind} hangs under a ${expected}`);
    }
  }

  private async checkCodeFree(tx: Queryable, code: string, exceptId: string | null): Promise<void> {
    const existing = await tx.query<{ id: string }>("SELECT id FROM assets WHERE site_id = $1 AND code = $2", [this.context.siteId, code]);
    if (existing.rows.some((row) => row.id !== exceptId)) {
      throw serviceError("conflict", "code", "already_exists", undefined, `an asset with code ${code} already exists`);
    }
  }

  private async checkUwiFree(tx: Queryable, uwi: string, exceptId: string | null): Promise<void> {
    const existing = await tx.query<{ asset_id: string; code: string }>(
      "SELECT w.asset_id, a.code FROM wells w JOIN assets a ON a.id = w.asset_id WHERE w.site_id = $1 AND w.uwi = $2",
      [this.context.siteId, uwi],
    );
    const other = existing.rows.find((row) => row.asset_id !== exceptId);
    if (other) throw serviceError("conflict", "well.uwi", "already_exists", undefined, `UWI ${uwi} already belongs to ${other.code}`);
  }

  private async insertEquipment(tx: Queryable, id: string, equipment: EquipmentDetail): Promise<void> {
    await tx.query(
      `INSERT INTO equipment (asset_id, site_id, equipment_type, manufacturer, model, serial_number, capacity_m3, strapping_table, meter_service, fluid, separator_service)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
      [id, this.context.siteId, ...equipmentValues(equipment)],
    );
  }

  private async insertStatus(tx: Queryable, wellId: string, status: string, effectiveAt: Date, reason: string, actor: string): Promise<void> {
    await tx.query(
      `INSERT INTO well_status_history (id, site_id, well_id, status, effective_at, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [newId(), this.context.siteId, wellId, status, effectiveAt, reason, actor],
    );
  }

  private async insertTags(tx: Queryable, id: string, tags: readonly TagLink[], actor: string): Promise<void> {
    for (const tag of tags) {
      await tx.query(
        "INSERT INTO asset_tags (id, site_id, asset_id, role, tag_path, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
        [newId(), this.context.siteId, id, tag.role, tag.tagPath, actor],
      );
    }
  }

  private async mustLoad(tx: Queryable, id: string): Promise<Asset> {
    const asset = await this.load(tx, id);
    if (!asset) throw new Error(`asset ${id} vanished inside its own transaction`);
    return asset;
  }

  private async load(tx: Queryable, id: string): Promise<Asset | null> {
    const result = await tx.query<AssetRow>(`${SELECT_ASSET} WHERE a.id = $1 AND a.site_id = $2`, [id, this.context.siteId]);
    const row = result.rows[0];
    if (!row) return null;
    const [asset] = await this.withTags(tx, [row]);
    if (!asset) return null;
    if (asset.kind !== "well") return asset;
    const history = await tx.query<{ status: WellDetail["status"]; effective_at: Date; reason: string; created_by: string }>(
      `SELECT status, effective_at, reason, created_by FROM well_status_history
        WHERE well_id = $1 ORDER BY effective_at DESC, id DESC`,
      [id],
    );
    const statusHistory: StatusHistoryEntry[] = history.rows.map((entry) => ({
      status: entry.status,
      effectiveAt: entry.effective_at.toISOString(),
      reason: entry.reason,
      recordedBy: entry.created_by,
    }));
    return { ...asset, statusHistory };
  }

  /** The tag links of many assets in one query. */
  private async withTags(tx: Queryable, rows: readonly AssetRow[]): Promise<Asset[]> {
    if (rows.length === 0) return [];
    const links = await tx.query<{ asset_id: string; role: string; tag_path: string }>(
      "SELECT asset_id, role, tag_path FROM asset_tags WHERE asset_id = ANY($1::uuid[]) ORDER BY role",
      [rows.map((row) => row.id)],
    );
    const byAsset = new Map<string, TagLink[]>();
    for (const link of links.rows) {
      const list = byAsset.get(link.asset_id) ?? [];
      list.push({ role: link.role, tagPath: link.tag_path });
      byAsset.set(link.asset_id, list);
    }
    return rows.map((row) => toAsset(row, byAsset.get(row.id) ?? []));
  }
}

/** One site, well or equipment of the plant (AssetService.plantAssets). */
export interface PlantAsset {
  id: string;
  kind: Exclude<AssetKind, "field">;
  code: string;
  name: string;
  /** The site or well it hangs under; null under the field. */
  parentCode: string | null;
  siteType: Asset["siteType"];
  equipmentType: EquipmentDetail["equipmentType"] | null;
  separatorService: EquipmentDetail["separatorService"];
  fluid: EquipmentDetail["fluid"];
  liftType: WellDetail["liftType"] | null;
  status: WellDetail["status"] | null;
  statusSince: string | null;
  tags: TagLink[];
}

interface PlantAssetRow {
  id: string;
  kind: Exclude<AssetKind, "field">;
  code: string;
  name: string;
  site_type: Asset["siteType"];
  parent_code: string | null;
  lift_type: WellDetail["liftType"] | null;
  status: WellDetail["status"] | null;
  status_since: Date | null;
  equipment_type: EquipmentDetail["equipmentType"] | null;
  separator_service: EquipmentDetail["separatorService"];
  fluid: EquipmentDetail["fluid"];
}

interface ConnectionRow {
  id: string;
  from_asset_id: string;
  from_code: string;
  to_asset_id: string;
  to_code: string;
  stream: Connection["stream"];
  created_at: Date;
  created_by: string;
}

const SELECT_CONNECTION = `
  SELECT c.id, c.from_asset_id, f.code AS from_code, c.to_asset_id, t.code AS to_code, c.stream, c.created_at, c.created_by
    FROM asset_connections c
    JOIN assets f ON f.id = c.from_asset_id
    JOIN assets t ON t.id = c.to_asset_id`;

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    fromAssetId: row.from_asset_id,
    fromCode: row.from_code,
    toAssetId: row.to_asset_id,
    toCode: row.to_code,
    stream: row.stream,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

interface AssetRefRow {
  id: string;
  kind: string;
  code: string;
  name: string;
  parent_id: string | null;
  equipment_type: string | null;
}

function toAssetRef(row: AssetRefRow): AssetRef {
  return { id: row.id, kind: row.kind, code: row.code, name: row.name, parentId: row.parent_id, equipmentType: row.equipment_type };
}

interface WellRefRow {
  id: string;
  code: string;
  name: string;
  uwi: string | null;
  lift_type: WellRef["liftType"];
  status: WellRef["status"];
  parent_id: string;
}

const SELECT_WELL_REF = `SELECT a.id, a.code, a.name, w.uwi, w.lift_type, w.status, a.parent_id FROM assets a JOIN wells w ON w.asset_id = a.id`;

/** Everything below $1 (not $1 itself) of site $2, any depth. */
const BELOW_ANCHOR = `
  SELECT id FROM assets WHERE parent_id = $1 AND site_id = $2
  UNION ALL
  SELECT child.id FROM assets child JOIN below ON child.parent_id = below.id`;

function toWellRef(row: WellRefRow): WellRef {
  return { id: row.id, code: row.code, name: row.name, uwi: row.uwi, liftType: row.lift_type, status: row.status, parentId: row.parent_id };
}
