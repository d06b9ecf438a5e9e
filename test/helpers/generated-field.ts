import type { Field, FieldAsset, FieldConnection, FieldPoint } from "../../runtime/field/field-schema.js";

/**
 * A register-shaped field of any size for the overview's tests and benchmark:
 * wells on flowlines into one manifold per `wellsPerManifold` wells, every
 * manifold into a production separator (and the first also into a test
 * separator), the separator into oil and water tanks, an oil meter to the sales
 * point, and a compressor feeding the gas-lift wells' lift gas.
 */
export interface GeneratedFieldOptions {
  siteId?: string;
  wells: number;
  wellsPerManifold?: number;
}

const LIFT_TYPES = ["esp", "gas_lift", "rod_pump", "natural_flow"] as const;

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

function points(siteId: string, code: string, names: readonly [string, string, boolean?][]): FieldPoint[] {
  return names.map(([point, unit, writable]) => ({
    role: point.toLowerCase(),
    tagPath: `${siteId}/${code}/${point}`,
    point,
    unit,
    description: point,
    writable: writable ?? false,
  }));
}

export const WELL_POINTS: readonly [string, string, boolean?][] = [
  ["OIL_RATE", "m3/d"],
  ["WATER_RATE", "m3/d"],
  ["THP", "kPa"],
  ["CHOKE_SP", "%", true],
  ["RUNNING", "bool"],
  ["TRIPPED", "bool"],
];

export function wellCode(index: number): string {
  return `W-${String(index + 1).padStart(3, "0")}`;
}

export function generatedField({ siteId = "GEN", wells, wellsPerManifold = 12 }: GeneratedFieldOptions): Field {
  let id = 0;
  const assets: FieldAsset[] = [];
  const connections: FieldConnection[] = [];
  const add = (asset: Omit<FieldAsset, "assetId">) => assets.push({ assetId: uuid(++id), ...asset });
  const equipment = (code: string, equipmentType: FieldAsset["equipmentType"], names: readonly [string, string][], extra: Partial<FieldAsset> = {}) =>
    add({ code, name: code, kind: "equipment", parentCode: "BAT-1", equipmentType, points: points(siteId, code, names), ...extra });

  add({ code: "BAT-1", name: "Battery 1", kind: "site", parentCode: null, siteType: "battery", points: [] });
  equipment("COMP-1", "compressor", [["GAS_FLOW", "Sm3/d"], ["DISCHARGE_P", "kPa"]]);
  equipment("SEP-TEST", "separator", [["PRESSURE", "kPa"], ["LEVEL", "%"]], { separatorService: "test" });
  equipment("SEP-PROD", "separator", [["PRESSURE", "kPa"], ["OIL_LEVEL", "%"], ["WATER_LEVEL", "%"]], { separatorService: "production" });
  equipment("TK-OIL", "tank", [["LEVEL", "m"]], { fluid: "oil" });
  equipment("TK-WATER", "tank", [["LEVEL", "m"]], { fluid: "water" });
  equipment("LACT-1", "meter", [["FLOW_RATE", "m3/d"]], { fluid: "oil" });
  equipment("SALES-1", "sales_point", []);
  connections.push(
    { fromCode: "SEP-PROD", toCode: "TK-OIL", stream: "oil" },
    { fromCode: "SEP-PROD", toCode: "TK-WATER", stream: "water" },
    { fromCode: "TK-OIL", toCode: "LACT-1", stream: "oil" },
    { fromCode: "LACT-1", toCode: "SALES-1", stream: "oil" },
  );
  const manifolds = Math.ceil(wells / wellsPerManifold);
  for (let m = 0; m < manifolds; m++) {
    const code = `MAN-${String(m + 1).padStart(2, "0")}`;
    equipment(code, "manifold", [["PRESSURE", "kPa"]]);
    connections.push({ fromCode: code, toCode: "SEP-PROD", stream: "production" });
    if (m === 0) connections.push({ fromCode: code, toCode: "SEP-TEST", stream: "production" });
  }
  for (let w = 0; w < wells; w++) {
    const code = wellCode(w);
    const liftType = LIFT_TYPES[w % LIFT_TYPES.length];
    const pad = `PAD-${String(Math.floor(w / wellsPerManifold) + 1).padStart(2, "0")}`;
    if (w % wellsPerManifold === 0) add({ code: pad, name: pad, kind: "site", parentCode: null, siteType: "pad", points: [] });
    add({ code, name: `Well ${w + 1}`, kind: "well", parentCode: pad, liftType, status: "producing", points: points(siteId, code, WELL_POINTS) });
    const flowline = `FL-${code}`;
    add({ code: flowline, name: flowline, kind: "equipment", parentCode: pad, equipmentType: "flowline", points: [] });
    connections.push(
      { fromCode: code, toCode: flowline, stream: "production" },
      { fromCode: flowline, toCode: `MAN-${String(Math.floor(w / wellsPerManifold) + 1).padStart(2, "0")}`, stream: "production" },
    );
    if (liftType === "gas_lift") connections.push({ fromCode: "COMP-1", toCode: code, stream: "lift_gas" });
  }
  return { siteId, assets, connections };
}
