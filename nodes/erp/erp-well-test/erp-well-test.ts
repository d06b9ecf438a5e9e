import type { EntryInput } from "../../../erp-modules/production/ports.js";
import type { WellTestInput } from "../../../erp-modules/production/entry-schemas.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { recordedStatus } from "../shared/recorded-status.js";
import { wellTestInput, type WellTestConfig } from "../shared/well-test-input.js";

type WellTestNodeConfig = NodeDefinition & WellTestConfig;

/** Proposes a well test from msg.payload or from the test separator's tags; an engineer approves it later. */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType("erp-well-test", function (this: NodeInstance, config: WellTestNodeConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const fail = (error: unknown) => {
        node.status({ fill: "red", shape: "ring", text: (error as Error).message });
        done(error instanceof Error ? error : new Error(String(error)));
      };
      try {
        const services = petroflowServices(RED);
        const built = wellTestInput(config, msg, services.tags);
        if ("error" in built) throw new Error(built.error);
        // The port validates the input against WellTestInputSchema (ports.ts).
        services.production.proposeWellTest(built.value as EntryInput<WellTestInput>, `flow:${node.id}`).then((recorded) => {
          node.status(recordedStatus("well test", recorded));
          send({ ...msg, payload: recorded });
          done();
        }, fail);
      } catch (error) {
        fail(error);
      }
    });
  });
};
