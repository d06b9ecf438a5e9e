import type { RecordedEntry } from "../../../erp-modules/production/ports.js";
import type { NodeStatus } from "../../shared/node-red-types.js";

/** A short summary of what the port did: a new entry, or the one an earlier identical message recorded. */
export function recordedStatus(kind: string, recorded: RecordedEntry): NodeStatus {
  return recorded.replayed
    ? { fill: "green", shape: "ring", text: `${kind} already recorded (${recorded.id.slice(-8)})` }
    : { fill: "green", shape: "dot", text: `${kind} recorded (${recorded.id.slice(-8)})` };
}
