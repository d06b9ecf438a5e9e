import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { tagWriteFromMessage } from "../shared/tag-messages.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface TagWriteConfig extends NodeDefinition {
  path?: string;
  /** "store": the live tag store; "device": the tag's device, through its write limits and read-back (docs/setpoints.md). */
  target?: "store" | "device";
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Writes msg.payload into the live tag store, or to the tag's device. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "tag-write", function (this: NodeInstance, config: TagWriteConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const fail = (error: unknown, done: (error?: Error) => void) => {
      node.status({ fill: "red", shape: "ring", text: asError(error).message });
      done(asError(error));
    };
    node.on("input", (msg, send, done) => {
      const write = tagWriteFromMessage(config.path ?? "", msg);
      try {
        if ("error" in write) throw new Error(write.error);
        if (config.target === "device") {
          const { v } = write.value;
          if (typeof v !== "number" && typeof v !== "boolean") throw new Error(`a device write takes a number or boolean, not ${JSON.stringify(v)}`);
          const writes = petroflowServices(RED).tagWrites;
          if (!writes) throw new Error("this runtime has no device write path");
          writes.requestWrite(write.path, v, { actor: `node:${node.id}` }).then((result) => {
            // Unconfirmed is a failure a Catch node should see: the device may not hold the value.
            if (!result.confirmed) return fail(new Error(`${write.path}: ${result.detail ?? "not confirmed"}`), done);
            node.status({ fill: "green", shape: "dot", text: `${write.path} = ${String(result.readBack)} (read back)` });
            send({ ...msg, write: result });
            done();
          }, (error: unknown) => fail(error, done));
          return;
        }
        petroflowServices(RED).tags.write(write.path, write.value, `node:${node.id}`);
        node.status({ fill: "green", shape: "dot", text: `${write.path} = ${String(write.value.v)}` });
        send(msg);
        done();
      } catch (error) {
        fail(error, done);
      }
    });
  });
};
