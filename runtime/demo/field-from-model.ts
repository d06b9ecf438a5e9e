import type { OilfieldModel } from "../../simulator/model/types.js";
import type { FieldLink, FieldTopology } from "../field/field-topology.js";
import type { TagCreate } from "../tags/schema.js";
import { demoHistoryPolicy } from "./demo-history-policy.js";

/**
 * The plant topology of a simulated field (pure): every well flows to the
 * manifold, the manifold to both separators, separators send oil to the oil
 * tanks, water to the water tanks and gas to the compressor, which feeds the
 * gas-lift wells.
 */
export function topologyFromModel(model: OilfieldModel): FieldTopology {
  const assets = model.assets.map((asset) => ({
    id: asset.id,
    kind: asset.kind,
    ...(asset.liftType ? { liftType: asset.liftType } : {}),
    description: asset.description,
    points: model.points
      .filter((point) => point.asset === asset.id)
      .map((point) => ({ point: point.point, unit: point.unit, description: point.description, writable: point.writable })),
  }));
  const ofKind = (kind: string) => model.assets.filter((asset) => asset.kind === kind).map((asset) => asset.id);
  const wells = model.assets.filter((asset) => asset.kind === "well");
  const manifolds = ofKind("manifold");
  const separators = [...ofKind("test-separator"), ...ofKind("production-separator")];
  const tanks = model.assets.filter((asset) => asset.kind === "tank");
  const waterTanks = tanks.filter((tank) => /W\d*$/.test(tank.id) || /water/i.test(tank.description)).map((tank) => tank.id);
  const oilTanks = tanks.map((tank) => tank.id).filter((id) => !waterTanks.includes(id));
  const compressors = ofKind("compressor");
  const links: FieldLink[] = [];
  const manifold = manifolds[0];
  for (const well of wells) {
    for (const target of manifold ? [manifold] : separators) links.push({ from: well.id, to: target, medium: "production" });
  }
  if (manifold) for (const separator of separators) links.push({ from: manifold, to: separator, medium: "production" });
  for (const separator of separators) {
    for (const tank of oilTanks) links.push({ from: separator, to: tank, medium: "oil" });
    for (const tank of waterTanks) links.push({ from: separator, to: tank, medium: "water" });
    for (const compressor of compressors) links.push({ from: separator, to: compressor, medium: "gas" });
  }
  for (const compressor of compressors) {
    for (const well of wells.filter((candidate) => candidate.liftType === "gas-lift")) links.push({ from: compressor, to: well.id, medium: "gas" });
  }
  return { assets, links };
}

/**
 * Tag definitions for every simulated point, named by the design's rule:
 * setpoints writable within their range, history kept by the demo's policy
 * (demo-history-policy.ts).
 */
export function tagDefinitionsFromModel(model: OilfieldModel): TagCreate[] {
  return model.points.map((point) => ({
    path: `${model.siteId}/${point.asset}/${point.point}`,
    dataType: point.dataType,
    unit: point.unit === "bool" ? "" : point.unit,
    description: point.description,
    assetId: point.asset,
    source: "demo simulator",
    // The simulator's setpoints are writable from the faceplate within the range the field accepts.
    writable: point.writable,
    writeMin: point.writable && point.dataType !== "bool" ? (point.min ?? null) : null,
    writeMax: point.writable && point.dataType !== "bool" ? (point.max ?? null) : null,
    ...demoHistoryPolicy(point),
  }));
}
