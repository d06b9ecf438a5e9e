import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { messageFromUpdate } from "../shared/tag-messages.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface TagReadConfig extends NodeDefinition {
  path?: string;
}

/**
 * On input, reads the current value of a tag (path from the node or
 * msg.topic). A pattern (+ or #) returns every match as payload {path: value}.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "tag-read", function (this: NodeInstance, config: TagReadConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      try {
        const path = config.path || (typeof msg.topic === "string" ? msg.topic : "");
        if (!path) throw new Error("no tag path: set one on the node or send it as msg.topic");
        const tags = petroflowServices(RED).tags;
        if (path.includes("+") || path.includes("#")) {
          const matches = tags.match(path);
          send({ ...msg, payload: Object.fromEntries(matches.map((update) => [update.path, update.value.v])), tags: matches.map(messageFromUpdate) });
        } else {
          const value = tags.read(path);
          if (!value) throw new Error(`tag ${path} has no value yet`);
          send({ ...msg, ...messageFromUpdate({ path, value }) });
        }
        done();
      } catch (error) {
        node.status({ fill: "red", shape: "ring", text: (error as Error).message });
        done(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
};
