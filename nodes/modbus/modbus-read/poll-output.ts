import type { NodeStatus } from "../../shared/node-red-types.js";
import type { TagQuality, TagWrite } from "../../shared/petroflow-services.js";
import { isTagPath } from "../../../runtime/tags/tag-path.js";
import type { PointValue } from "../shared/codec.js";
import type { ModbusPoint } from "../shared/point.js";
import type { PollResult } from "./read-plan.js";

/** The tag a point writes: its own path, else `<prefix>/<name>`, else none (message only). */
export function tagPathOf(point: ModbusPoint, prefix: string): string | undefined {
  if (point.tag) return point.tag;
  return prefix ? `${prefix}/${point.name}` : undefined;
}

/** Rejects a bad tag path at deploy rather than on every poll. */
export function checkTagPaths(points: readonly ModbusPoint[], prefix: string): (string | undefined)[] {
  return points.map((point) => {
    const path = tagPathOf(point, prefix);
    if (path !== undefined && !isTagPath(path)) {
      throw new Error(`${point.name}: tag path "${path}" is not <site>/<asset>/<point>`);
    }
    return path;
  });
}

export interface PollOutput {
  /** Good values for the tag store. */
  writes: { path: string; value: TagWrite }[];
  /** Tags to mark bad, grouped by reason. */
  bad: Map<string, string[]>;
  /** One entry per point name: its value, or null when it could not be read. */
  payload: Record<string, PointValue | null>;
  /** good: every point read; bad: none; uncertain: some. */
  quality: TagQuality;
  /** Why each unread point has no value. */
  errors: Record<string, string>;
}

/** What a poll result means for the tag store and the output message (pure). */
export function pollOutput(points: readonly ModbusPoint[], paths: readonly (string | undefined)[], result: PollResult, t: number): PollOutput {
  const output: PollOutput = { writes: [], bad: new Map(), payload: {}, quality: "good", errors: {} };
  points.forEach((point, index) => {
    const path = paths[index];
    const value = result.values.get(index);
    if (value !== undefined) {
      output.payload[point.name] = value;
      if (path) output.writes.push({ path, value: { v: value, q: "good", t } });
      return;
    }
    const reason = result.errors.get(index) ?? "not read";
    output.payload[point.name] = null;
    output.errors[point.name] = reason;
    if (path) output.bad.set(reason, [...(output.bad.get(reason) ?? []), path]);
  });
  const failed = Object.keys(output.errors).length;
  output.quality = failed === 0 ? "good" : failed === points.length ? "bad" : "uncertain";
  return output;
}

/** The read node's status after a poll (pure). */
export function pollStatus(output: PollOutput, deviceLabel: string): NodeStatus {
  const total = Object.keys(output.payload).length;
  const failed = Object.values(output.errors);
  if (output.quality === "good") return { fill: "green", shape: "dot", text: `${total} points: ${deviceLabel}` };
  if (output.quality === "bad") return { fill: "red", shape: "ring", text: failed[0] };
  return { fill: "yellow", shape: "ring", text: `${total - failed.length}/${total} points: ${failed[0]}` };
}
