import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { messageFromUpdate } from "../shared/tag-messages.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface TagInConfig extends NodeDefinition {
  pattern: string;
  emitOnStart?: boolean;
}

/** Sends a message whenever a tag matching the pattern changes. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "tag-in", function (this: NodeInstance, config: TagInConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let unsubscribe: (() => void) | undefined;
    try {
      const tags = petroflowServices(RED).tags;
      unsubscribe = tags.subscribe(config.pattern, (update) => node.send(messageFromUpdate(update)));
      node.status({ fill: "green", shape: "dot", text: config.pattern });
      if (config.emitOnStart) {
        // After the flow's wiring is up, so the first values are not lost.
        setImmediate(() => {
          for (const update of tags.match(config.pattern)) node.send(messageFromUpdate(update));
        });
      }
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
