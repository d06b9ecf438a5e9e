import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { ackInput, alarmPort } from "../shared/alarm-node-logic.js";

interface AlarmAckConfig extends NodeDefinition {
  alarmId?: string;
  comment?: string;
}

/** Acknowledges an alarm (msg.payload.alarmId or the configured one), journaled and audited as `flow:<node id>`. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "alarm-ack", function (this: NodeInstance, config: AlarmAckConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const input = ackInput(msg, config);
      const fail = (error: Error) => {
        node.status({ fill: "red", shape: "ring", text: error.message });
        done(error);
      };
      if ("error" in input) {
        fail(new Error(input.error));
        return;
      }
      let port;
      try {
        port = alarmPort(RED);
      } catch (error) {
        fail(error as Error);
        return;
      }
      port.acknowledge(input.alarmId, `flow:${node.id}`, input.comment).then(
        (alarm) => {
          node.status({ fill: "green", shape: "dot", text: `acknowledged ${alarm.tagPath ?? alarm.id}` });
          send({ ...msg, payload: alarm });
          done();
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  });
};
