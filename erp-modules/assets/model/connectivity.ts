import type { ConnectionStream, EquipmentType, Fluid } from "../schema.js";

/**
 * Which process streams may join which assets (pure; docs/erp-assets.md,
 * "Connectivity"). The register checks every new connection against it, so
 * the plant that allocation and the field overview read is one a process
 * engineer would draw: production from wells through flowlines, manifolds
 * and headers to separators; oil, water and gas from separators and tanks
 * through meters to tanks, the compressor, sales or disposal; lift gas from a
 * compressor (through manifolds, headers or flowlines) to gas-lift wells.
 */

/** One end of a connection as the rules see it. */
export type ConnectionEnd =
  | { kind: "well"; liftType: string }
  | { kind: "equipment"; equipmentType: EquipmentType; fluid: Fluid | null }
  | { kind: "field" | "site" };

/** The endpoint classes the table below speaks of: a well of a lift type, or a type of equipment. */
type EndClass = "well" | "gas_lift_well" | EquipmentType;

interface StreamRule {
  from: readonly EndClass[];
  to: readonly EndClass[];
}

/** Carriers: equipment that passes a stream on without separating it. */
const CARRIERS = ["flowline", "manifold", "header"] as const;

export const STREAM_RULES: Readonly<Record<ConnectionStream, StreamRule>> = {
  production: { from: ["well", "gas_lift_well", ...CARRIERS], to: [...CARRIERS, "separator"] },
  lift_gas: { from: ["compressor", ...CARRIERS], to: ["gas_lift_well", ...CARRIERS] },
  oil: { from: ["separator", "tank", "meter"], to: ["tank", "meter", "sales_point"] },
  water: { from: ["separator", "tank", "meter"], to: ["tank", "meter", "disposal_point"] },
  // A tank's vapour goes to the compressor (vapour recovery) or the flare (a disposal point).
  gas: { from: ["separator", "tank", "meter", "compressor"], to: ["meter", "compressor", "sales_point", "disposal_point"] },
};

/** The equipment whose `fluid` a stream of oil, water or gas must match. */
const FLUID_EQUIPMENT: readonly EquipmentType[] = ["tank", "meter"];

export type ConnectionProblem =
  | { field: "toAssetId"; reason: "connection_to_self"; params: Record<string, never> }
  | { field: "fromAssetId" | "toAssetId"; reason: "not_a_process_asset"; params: { kind: string } }
  | { field: "stream"; reason: "stream_not_allowed"; params: { stream: ConnectionStream; from: string; to: string } }
  | { field: "fromAssetId" | "toAssetId"; reason: "stream_fluid_mismatch"; params: { stream: ConnectionStream; fluid: Fluid } };

function endClass(end: ConnectionEnd): EndClass | null {
  if (end.kind === "well") return end.liftType === "gas_lift" ? "gas_lift_well" : "well";
  if (end.kind === "equipment") return end.equipmentType;
  return null;
}

/** How a problem names an end: `gas_lift well`, `separator`, `water tank`. */
export function endLabel(end: ConnectionEnd): string {
  if (end.kind === "well") return `${end.liftType} well`;
  if (end.kind === "equipment") return end.fluid && FLUID_EQUIPMENT.includes(end.equipmentType) ? `${end.fluid} ${end.equipmentType}` : end.equipmentType;
  return end.kind;
}

/**
 * Why `stream` may not flow from `from` to `to`, or null when it may. Sites
 * and fields are places, not process equipment; an ESP is part of its well;
 * "other" equipment says too little to check, so neither joins a stream.
 */
export function connectionProblem(from: ConnectionEnd, to: ConnectionEnd, stream: ConnectionStream, sameAsset = false): ConnectionProblem | null {
  if (sameAsset) return { field: "toAssetId", reason: "connection_to_self", params: {} };
  const fromClass = endClass(from);
  if (fromClass === null) return { field: "fromAssetId", reason: "not_a_process_asset", params: { kind: from.kind } };
  const toClass = endClass(to);
  if (toClass === null) return { field: "toAssetId", reason: "not_a_process_asset", params: { kind: to.kind } };
  const rule = STREAM_RULES[stream];
  if (!rule.from.includes(fromClass) || !rule.to.includes(toClass)) {
    return { field: "stream", reason: "stream_not_allowed", params: { stream, from: endLabel(from), to: endLabel(to) } };
  }
  for (const [field, end] of [["fromAssetId", from], ["toAssetId", to]] as const) {
    if (end.kind !== "equipment" || !FLUID_EQUIPMENT.includes(end.equipmentType) || end.fluid === null) continue;
    if (stream !== end.fluid) return { field, reason: "stream_fluid_mismatch", params: { stream, fluid: end.fluid } };
  }
  return null;
}
