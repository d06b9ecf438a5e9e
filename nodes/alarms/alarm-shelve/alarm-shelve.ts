import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { alarmPort, shelveInput } from "../shared/alarm-node-logic.js";

interface AlarmShelveConfig extends NodeDefinition {
  alarmId?: string;
  reason?: string;
  minutes?: string | number;
}

/** Shelves an alarm with a reason for some minutes (or unshelves it with msg.payload.unshelve = true), as `flow:<node id>`. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "alarm-shelve", function (this: NodeInstance, config: AlarmShelveConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const input = shelveInput(msg, config);
      const fail = (error: Error) => {
        node.status({ fill: "red", shape: "ring", text: error.message });
        done(error);
      };
      if ("error" in input) {
        fail(new Error(input.error));
        return;
      }
      let acted;
      try {
        const port = alarmPort(RED);
        const user = `flow:${node.id}`;
        acted = input.unshelve ? port.unshelve(input.alarmId, user) : port.shelve(input.alarmId, user, input.reason, new Date(Date.now() + input.minutes * 60_000));
      } catch (error) {
        fail(error as Error);
        return;
      }
      acted.then(
        (alarm) => {
          node.status({ fill: "green", shape: "dot", text: alarm.mode === "shelved" ? `shelved until ${alarm.shelvedUntil?.slice(11, 16) ?? "?"} UTC` : `${alarm.tagPath ?? alarm.id} ${alarm.mode}` });
          send({ ...msg, payload: alarm });
          done();
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  });
};
