import type { RecordedEntry } from "../../../erp-modules/production/ports.js";
import type { NodeStatus } from "../../shared/node-red-types.js";

/** A short summary of what the port did: a new entry, or the one an earlier identical message recorded. */
export function recordedStatus(kind: string, recorded: RecordedEntry): NodeStatus {
  return recorded.replayed
    ? { fill: "green", shape: "ring", text: `${kind} already recorded (${recorded.id.slice(-8)})` }
    : { fill: "green", shape: "dot", text: `${kind} recorded (${recorded.id.slice(-8)})` };
}

/** The node's entries that wait in the spool for the database. */
export function waitingStatus(waiting: number): NodeStatus {
  return { fill: "yellow", shape: "ring", text: `${waiting} waiting for the database` };
}

/** Every entry that waited has been written. */
export function drainedStatus(): NodeStatus {
  return { fill: "green", shape: "dot", text: "waiting entries recorded" };
}

export function refusedStatus(message: string): NodeStatus {
  return { fill: "red", shape: "ring", text: message };
}
