import { AttributeIds } from "node-opcua";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { tagValueOf } from "../shared/data-value.js";
import { endpointConnection, errorOf, followEndpoint } from "../shared/endpoint-node.js";
import { itemsFromPayload, parseItems, type OpcUaItem } from "../shared/items.js";

interface ReadConfig extends NodeDefinition {
  endpoint?: string;
  items?: string;
  writeTags?: boolean;
}

/** Reads node values on each input: payload `{ nodeId, tag?, v, q, t, reason? }` (an array for several); optionally writes the tags. */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType("opcua-read", function (this: NodeInstance, config: ReadConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let configured: OpcUaItem[] = [];
    followEndpoint(RED, node, config.endpoint);
    try {
      configured = parseItems(config.items ?? "");
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: (error as Error).message });
      node.error(error);
    }
    node.on("input", (msg, send, done) => {
      const run = async () => {
        const fromMessage = typeof msg.payload === "string" || Array.isArray(msg.payload) || (typeof msg.payload === "object" && msg.payload !== null);
        const items = fromMessage ? itemsFromPayload(msg.payload) : configured;
        if (items.length === 0) throw new Error("nothing to read: list node ids in the settings or send them in msg.payload");
        const session = endpointConnection(RED, config.endpoint).session();
        const dataValues = await session.read(items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })), 0);
        const results = items.map((item, index) => ({ ...item, ...tagValueOf(dataValues[index]) }));
        if (config.writeTags) {
          const { tags } = petroflowServices(RED);
          tags.writeMany(results.flatMap(({ tag, v, q, t, reason }) => (tag ? [{ path: tag, value: { v, q, t, reason } }] : [])), `opcua-read:${node.id}`);
        }
        return typeof msg.payload === "string" ? results[0] : results;
      };
      run().then(
        (payload) => {
          send({ ...msg, payload });
          done();
        },
        (error: unknown) => {
          node.status({ fill: "red", shape: "ring", text: errorOf(error).message });
          done(errorOf(error));
        },
      );
    });
  });
};
