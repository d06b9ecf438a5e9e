import type { ModuleEvent } from "../../../runtime/events/event-bus.js";
import type { NodeMessage, NodeStatus } from "../../shared/node-red-types.js";

export const DEFAULT_EVENT_PATTERN = "production.*";

/** The message an erp-event node sends for one module event. */
export function messageFromEvent(event: ModuleEvent): NodeMessage {
  return { topic: event.type, payload: event.payload, event };
}

/** The last event's type and UTC time of day, e.g. `production.entry.recorded 10:02:03Z`. */
export function eventStatus(event: ModuleEvent): NodeStatus {
  return { fill: "green", shape: "dot", text: `${event.type} ${event.at.slice(11, 19)}Z` };
}
