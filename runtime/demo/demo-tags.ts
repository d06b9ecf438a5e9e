import type { OilfieldModel } from "../../simulator/model/types.js";
import type { TagCreate } from "../tags/schema.js";
import { demoHistoryPolicy } from "./demo-history-policy.js";

/**
 * Tag definitions for every simulated point, named by the design's rule:
 * setpoints writable within their range, history kept by the demo's policy
 * (demo-history-policy.ts). Which asset a tag belongs to is the register's
 * link (asset_tags, written by demo-assets-erp.ts), not part of the tag.
 */
export function tagDefinitionsFromModel(model: OilfieldModel): TagCreate[] {
  return model.points.map((point) => ({
    path: `${model.siteId}/${point.asset}/${point.point}`,
    dataType: point.dataType,
    unit: point.unit === "bool" ? "" : point.unit,
    description: point.description,
    source: "demo simulator",
    // The simulator's setpoints are writable from the faceplate within the range the field accepts.
    writable: point.writable,
    writeMin: point.writable && point.dataType !== "bool" ? (point.min ?? null) : null,
    writeMax: point.writable && point.dataType !== "bool" ? (point.max ?? null) : null,
    ...demoHistoryPolicy(point),
  }));
}
