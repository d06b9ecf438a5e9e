import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { DEFAULT_EVENT_PATTERN, eventStatus, messageFromEvent } from "../shared/event-messages.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface EventNodeConfig extends NodeDefinition {
  pattern?: string;
}

/** Sends a message for every module event whose type matches the pattern (`production.*` by default). */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "erp-event", function (this: NodeInstance, config: EventNodeConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const pattern = config.pattern?.trim() || DEFAULT_EVENT_PATTERN;
    let unsubscribe: (() => void) | undefined;
    try {
      unsubscribe = petroflowServices(RED).events.subscribe(pattern, (event) => {
        node.status(eventStatus(event));
        node.send(messageFromEvent(event));
      });
      node.status({ fill: "grey", shape: "ring", text: pattern });
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
