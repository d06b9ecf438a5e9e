import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { alarmPort, raiseInput } from "../shared/alarm-node-logic.js";

interface AlarmRaiseConfig extends NodeDefinition {
  key?: string;
  priority?: string;
  area?: string;
}

/**
 * Raises (or clears) an alarm of the flow's own, by key: it shows in the
 * operators' alarm console and journal like the runtime's system alarms
 * (a forecast shortfall, a condition only a flow can judge).
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "alarm-raise", function (this: NodeInstance, config: AlarmRaiseConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const input = raiseInput(msg, config);
      if ("error" in input) {
        node.status({ fill: "red", shape: "ring", text: input.error });
        done(new Error(input.error));
        return;
      }
      try {
        const port = alarmPort(RED);
        if (input.active) {
          port.raise(input.key, input.alarm);
          node.status({ fill: "red", shape: "dot", text: input.key });
        } else {
          port.clear(input.key);
          node.status({ fill: "green", shape: "ring", text: input.key });
        }
      } catch (error) {
        node.status({ fill: "red", shape: "ring", text: (error as Error).message });
        done(error as Error);
        return;
      }
      send({ ...msg, alarm: { key: input.key, active: input.active } });
      done();
    });
  });
};
