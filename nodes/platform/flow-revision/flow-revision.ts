import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { revisionPayload } from "./revision-payload.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface FlowRevisionConfig extends NodeDefinition {
  emitOnStart?: boolean;
}

/**
 * Emits the running flow revision (number, author, message, sha256): lets a
 * flow stamp records or reports with the logic version that produced them.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "flow-revision", function (this: NodeInstance, config: FlowRevisionConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const current = async () => {
      const services = petroflowServices(RED);
      return revisionPayload(services.siteId, await services.flows.latest());
    };
    node.on("input", (msg, send, done) => {
      current().then(
        (payload) => {
          node.status({ fill: "green", shape: "dot", text: `rev ${payload.revision}` });
          send({ ...msg, payload });
          done();
        },
        (error: unknown) => {
          node.status({ fill: "red", shape: "ring", text: (error as Error).message });
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    if (config.emitOnStart) {
      current().then(
        (payload) => {
          node.status({ fill: "green", shape: "dot", text: `rev ${payload.revision}` });
          node.send({ topic: "flow-revision", payload });
        },
        (error: unknown) => {
          node.status({ fill: "red", shape: "ring", text: (error as Error).message });
          node.error(error);
        },
      );
    }
  });
};
