import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { alarmPort, eventFilter, eventMatches, messageFromTransition } from "../shared/alarm-node-logic.js";

interface AlarmEventsConfig extends NodeDefinition {
  area?: string;
  priorities?: string;
  transitions?: string;
}

/** Sends a message for every alarm transition that matches the node's area, priority and transition filters (for notification flows). */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "alarm-events", function (this: NodeInstance, config: AlarmEventsConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const filter = eventFilter(config);
    let unsubscribe: (() => void) | undefined;
    try {
      unsubscribe = alarmPort(RED).subscribe((entry, alarm) => {
        if (!eventMatches(filter, entry)) return;
        node.status({ fill: entry.priority === "critical" ? "red" : "yellow", shape: "dot", text: `${entry.transition} ${entry.tagPath ?? entry.alarmId} ${entry.at.slice(11, 19)}` });
        node.send(messageFromTransition(entry, alarm));
      });
      node.status({ fill: "grey", shape: "ring", text: "listening" });
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: (error as Error).message });
      node.error(error);
    }
    node.on("close", (_removed, done) => {
      unsubscribe?.();
      done();
    });
  });
};
