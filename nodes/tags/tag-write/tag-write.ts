import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { tagWriteFromMessage } from "../shared/tag-messages.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface TagWriteConfig extends NodeDefinition {
  path?: string;
}

/** Writes msg.payload into the live tag store. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "tag-write", function (this: NodeInstance, config: TagWriteConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const write = tagWriteFromMessage(config.path ?? "", msg);
      try {
        if ("error" in write) throw new Error(write.error);
        petroflowServices(RED).tags.write(write.path, write.value, `node:${node.id}`);
        node.status({ fill: "green", shape: "dot", text: `${write.path} = ${String(write.value.v)}` });
        send(msg);
        done();
      } catch (error) {
        node.status({ fill: "red", shape: "ring", text: (error as Error).message });
        done(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
};
