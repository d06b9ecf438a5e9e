import type { AssetService } from "../../erp-modules/assets/service.js";
import type { Asset, AssetCreate, Completion, ConnectionStream, EquipmentCreate, TagLink } from "../../erp-modules/assets/schema.js";
import { verticalCylinderTable } from "../../erp-modules/assets/model/strapping.js";
import type { LiftType, OilfieldModel } from "../../simulator/model/types.js";

/**
 * The demo oilfield in the asset register, which owns the plant: one field,
 * one battery (the simulator's manifold, separators, tanks and compressor all
 * sit at one place), the 12 simulated wells under it with their ESPs, the
 * battery's meters, its sales and water-disposal points, and the process
 * connections between them. Codes are the simulator's asset ids, so tag
 * links point at the tags the demo creates (SITE1/WELL-101/THP).
 */

export const DEMO_ACTOR = "system:demo";
export const DEMO_FIELD_CODE = "FIELD-1";
export const DEMO_BATTERY_CODE = "BAT-1";
export const DEMO_SALES_POINT_CODE = "SALES-01";
export const DEMO_DISPOSAL_POINT_CODE = "SWD-01";

export interface PlannedAsset {
  /** Code of the asset it hangs under (planned earlier), null for the field. */
  parentCode: string | null;
  input: Omit<AssetCreate, "parentId">;
}

/** One stream of the demo plant, by the codes it joins. */
export interface PlannedConnection {
  fromCode: string;
  toCode: string;
  stream: ConnectionStream;
}

/** The simulator's tank geometry (simulator/model/oilfield.ts), for their strapping tables. */
const TANKS: Record<string, { diameterM: number; heightM: number; fluid: "oil" | "water"; name: string }> = {
  "TK-01": { diameterM: 10, heightM: 8, fluid: "oil", name: "Oil tank 1" },
  "TK-02": { diameterM: 10, heightM: 8, fluid: "oil", name: "Oil tank 2" },
  "TK-W1": { diameterM: 8, heightM: 6, fluid: "water", name: "Produced-water tank" },
};

const ESP_POINTS = new Set(["ESP_FREQ_SP", "ESP_FREQ", "ESP_CURRENT", "PIP", "VIBRATION", "ESP_TRIPPED"]);

/** The demo wells have produced since this long before the first demo start (the production history is a week). */
const PRODUCING_DAYS = 90;

// Somewhere plausible for a demo (the Neuquén basin); wells spread around the battery.
const BATTERY_LATITUDE = -38.2915;
const BATTERY_LONGITUDE = -68.8417;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Depths that fit each lift type; deterministic per well number so a re-seed plans the same well. */
function completionFor(liftType: LiftType, wellNumber: number): Completion {
  const offsetM = (wellNumber % 100) * 35;
  if (liftType === "rod_pump") {
    const totalDepthM = 1450 + offsetM;
    return { totalDepthM, perforations: [{ topM: totalDepthM - 90, bottomM: totalDepthM - 60, zone: "Upper sand" }], tubingOdMm: 73, tubingDepthM: totalDepthM - 120, casingOdMm: 140 };
  }
  const totalDepthM = 2600 + offsetM;
  const perforations = [
    { topM: totalDepthM - 180, bottomM: totalDepthM - 150, zone: "Main sand" },
    { topM: totalDepthM - 110, bottomM: totalDepthM - 95, zone: "Lower sand" },
  ];
  if (liftType === "esp") return { totalDepthM, perforations, tubingOdMm: 89, tubingDepthM: totalDepthM - 260, casingOdMm: 178 };
  return { totalDepthM, perforations, tubingOdMm: 73, tubingDepthM: totalDepthM - 220, casingOdMm: 178, kickoffDepthM: 900 + offsetM };
}

/**
 * Every demo asset in creation order (parents first), from the simulator
 * model (pure). Tag links: one role per simulated point, the point name in
 * lower case (THP → thp, OIL_RATE → oil_rate). Wells are producing since
 * 90 days before `now`'s UTC day.
 */
export function demoAssetPlan(model: OilfieldModel, now: Date): PlannedAsset[] {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const statusSince = new Date(day - PRODUCING_DAYS * 86_400_000).toISOString();
  const tagsOf = (assetId: string, include: (point: string) => boolean = () => true): TagLink[] =>
    model.points
      .filter((point) => point.asset === assetId && include(point.point))
      .map((point) => ({ role: point.point.toLowerCase(), tagPath: `${model.siteId}/${assetId}/${point.point}` }));
  const plan: PlannedAsset[] = [
    { parentCode: null, input: { kind: "field", code: DEMO_FIELD_CODE, name: "Demo oilfield", description: "The simulated field of the Petroflow demo" } },
    {
      parentCode: DEMO_FIELD_CODE,
      input: {
        kind: "site",
        code: DEMO_BATTERY_CODE,
        name: "Central battery",
        siteType: "battery",
        description: "Manifold, test and production separators, tanks and the gas-lift compressor",
        latitude: BATTERY_LATITUDE,
        longitude: BATTERY_LONGITUDE,
      },
    },
  ];
  const wells = model.assets.filter((asset) => asset.kind === "well");
  wells.forEach((asset, index) => {
    const liftType = asset.liftType ?? "rod_pump";
    const wellNumber = Number(asset.id.replace(/\D/g, ""));
    const angle = (2 * Math.PI * index) / wells.length;
    plan.push({
      parentCode: DEMO_BATTERY_CODE,
      input: {
        kind: "well",
        code: asset.id,
        name: `Well ${wellNumber}`,
        description: asset.description,
        latitude: round(BATTERY_LATITUDE + 0.012 * Math.sin(angle), 6),
        longitude: round(BATTERY_LONGITUDE + 0.016 * Math.cos(angle), 6),
        well: { liftType, status: "producing", statusSince, completion: completionFor(liftType, wellNumber) },
        tags: tagsOf(asset.id),
      },
    });
    if (liftType === "esp") {
      plan.push({
        parentCode: asset.id,
        input: {
          kind: "equipment",
          code: `ESP-${wellNumber}`,
          name: `ESP of well ${wellNumber}`,
          equipment: { equipmentType: "esp" },
          tags: tagsOf(asset.id, (point) => ESP_POINTS.has(point)),
        },
      });
    }
  });
  const equipmentAt = (code: string, name: string, equipment: EquipmentCreate, description = ""): PlannedAsset => ({
    parentCode: DEMO_BATTERY_CODE,
    input: { kind: "equipment", code, name, description, equipment, tags: tagsOf(code) },
  });
  for (const asset of model.assets) {
    if (asset.kind === "manifold") plan.push(equipmentAt(asset.id, "Production and test manifold", PLANT_EQUIPMENT.manifold, asset.description));
    if (asset.kind === "test-separator") plan.push(equipmentAt(asset.id, "Test separator", PLANT_EQUIPMENT["test-separator"], asset.description));
    if (asset.kind === "production-separator") plan.push(equipmentAt(asset.id, "Production separator", PLANT_EQUIPMENT["production-separator"], asset.description));
    if (asset.kind === "compressor") plan.push(equipmentAt(asset.id, "Gas-lift compressor", { equipmentType: "compressor" }, asset.description));
    const tank = TANKS[asset.id];
    if (asset.kind === "tank" && tank) {
      const strappingTable = verticalCylinderTable(tank.diameterM, tank.heightM, 5);
      const capacityM3 = strappingTable[strappingTable.length - 1]?.volumeM3;
      plan.push(equipmentAt(asset.id, tank.name, { equipmentType: "tank", fluid: tank.fluid, capacityM3, strappingTable }, asset.description));
    }
  }
  plan.push(
    equipmentAt("MTR-OIL", "Oil sales meter (LACT)", { equipmentType: "meter", meterService: "sales", fluid: "oil" }),
    equipmentAt("MTR-GAS", "Gas sales meter", { equipmentType: "meter", meterService: "fiscal", fluid: "gas" }),
    equipmentAt("MTR-WATER", "Produced-water meter", { equipmentType: "meter", meterService: "fiscal", fluid: "water" }),
    equipmentAt(DEMO_SALES_POINT_CODE, "Sales point (oil pipeline and gas sales line)", { equipmentType: "sales_point" }),
    equipmentAt(DEMO_DISPOSAL_POINT_CODE, "Produced-water disposal well", { equipmentType: "disposal_point" }),
  );
  return plan;
}

/** The register's equipment for the simulator's plant kinds; an earlier demo entered the manifold as "other" and separators without a service. */
const PLANT_EQUIPMENT = {
  manifold: { equipmentType: "manifold" },
  "test-separator": { equipmentType: "separator", separatorService: "test" },
  "production-separator": { equipmentType: "separator", separatorService: "production" },
} as const satisfies Record<string, EquipmentCreate>;

/**
 * The demo plant's process connections (pure), as the simulator runs it:
 * every well flows to the manifold, the manifold to both separators; the
 * separators send oil to the oil tanks, water to the water tank and gas to
 * the compressor. The oil tanks ship through the LACT meter and the
 * compressor's gas through the gas meter to the sales point; the water tank
 * pumps through the water meter to disposal. The compressor also sends lift
 * gas to the gas-lift wells.
 */
export function demoConnectionPlan(model: OilfieldModel): PlannedConnection[] {
  const ids = (kind: string) => model.assets.filter((asset) => asset.kind === kind).map((asset) => asset.id);
  const wells = model.assets.filter((asset) => asset.kind === "well");
  const tanks = ids("tank").filter((code) => TANKS[code]);
  const oilTanks = tanks.filter((code) => TANKS[code]?.fluid === "oil");
  const waterTanks = tanks.filter((code) => TANKS[code]?.fluid === "water");
  const separators = [...ids("test-separator"), ...ids("production-separator")];
  const compressors = ids("compressor");
  const connections: PlannedConnection[] = [];
  const connect = (fromCodes: readonly string[], toCodes: readonly string[], stream: ConnectionStream) => {
    for (const fromCode of fromCodes) for (const toCode of toCodes) connections.push({ fromCode, toCode, stream });
  };
  const manifolds = ids("manifold");
  connect(wells.map((well) => well.id), manifolds, "production");
  connect(manifolds, separators, "production");
  connect(separators, oilTanks, "oil");
  connect(separators, waterTanks, "water");
  connect(separators, compressors, "gas");
  connect(oilTanks, ["MTR-OIL"], "oil");
  connect(["MTR-OIL"], [DEMO_SALES_POINT_CODE], "oil");
  connect(compressors, ["MTR-GAS"], "gas");
  connect(["MTR-GAS"], [DEMO_SALES_POINT_CODE], "gas");
  connect(waterTanks, ["MTR-WATER"], "water");
  connect(["MTR-WATER"], [DEMO_DISPOSAL_POINT_CODE], "water");
  connect(compressors, wells.filter((well) => well.liftType === "gas_lift").map((well) => well.id), "lift_gas");
  return connections;
}

/**
 * Creates the demo assets that do not exist yet (by code), through the
 * service so each one is audited as the demo's. An engineer's later edits
 * to an existing asset are left alone; a plant asset an earlier demo entered
 * with less (the manifold as "other", separators without their service) and
 * nobody has edited since is brought up to the plan. Returns the ids of the
 * assets it created, by code: the only assets the demo may give history to.
 */
export async function ensureDemoAssets(assets: AssetService, model: OilfieldModel, now = new Date()): Promise<Map<string, string>> {
  const idByCode = new Map((await assets.tree()).map((node) => [node.code, node.id]));
  const created = new Map<string, string>();
  for (const { parentCode, input } of demoAssetPlan(model, now)) {
    const existingId = idByCode.get(input.code);
    if (existingId !== undefined) {
      if (input.equipment) await upgradeDemoEquipment(assets, await assets.get(existingId), input.equipment);
      continue;
    }
    const parentId = parentCode === null ? null : idByCode.get(parentCode);
    if (parentId === undefined) throw new Error(`demo asset ${input.code}: its parent ${parentCode} is missing`);
    const asset = await assets.create({ ...input, parentId }, DEMO_ACTOR);
    idByCode.set(asset.code, asset.id);
    created.set(asset.code, asset.id);
  }
  return created;
}

async function upgradeDemoEquipment(assets: AssetService, existing: Asset, planned: EquipmentCreate): Promise<void> {
  const current = existing.equipment;
  const untouched = existing.createdBy === DEMO_ACTOR && existing.rowVersion === 1;
  if (!untouched || !current) return;
  const separatorService = planned.separatorService ?? null;
  if (current.equipmentType === planned.equipmentType && current.separatorService === separatorService) return;
  // Only the kind of equipment changes: the other fields an "other" or a separator had stay valid.
  await assets.update(existing.id, { rowVersion: existing.rowVersion, equipment: { equipmentType: planned.equipmentType, separatorService } }, DEMO_ACTOR);
}

/**
 * Writes the demo plant's connections once: only into a register that has
 * none yet, so a connection an engineer removed later stays removed. A
 * connection whose ends are not both in the register is left out. Returns
 * how many it created.
 */
export async function ensureDemoConnections(assets: AssetService, model: OilfieldModel): Promise<number> {
  if ((await assets.listConnections()).length > 0) return 0;
  const idByCode = new Map((await assets.tree()).map((node) => [node.code, node.id]));
  let created = 0;
  for (const { fromCode, toCode, stream } of demoConnectionPlan(model)) {
    const fromAssetId = idByCode.get(fromCode);
    const toAssetId = idByCode.get(toCode);
    if (fromAssetId === undefined || toAssetId === undefined) continue;
    await assets.createConnection({ fromAssetId, toAssetId, stream }, DEMO_ACTOR);
    created++;
  }
  return created;
}
