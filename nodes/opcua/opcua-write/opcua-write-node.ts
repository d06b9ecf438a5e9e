import { AttributeIds } from "node-opcua";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { describeStatus } from "../shared/data-value.js";
import { endpointConnection, errorOf, followEndpoint } from "../shared/endpoint-node.js";
import { writeDataType, writeVariant } from "../shared/write-value.js";

interface WriteConfig extends NodeDefinition {
  endpoint?: string;
  nodeId?: string;
  dataType?: string;
}

/** Writes msg.payload to a node as the configured DataType (msg.nodeId / msg.dataType override); refused writes fail with the server's status. */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType("opcua-write", function (this: NodeInstance, config: WriteConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    followEndpoint(RED, node, config.endpoint);
    node.on("input", (msg, send, done) => {
      const run = async () => {
        const nodeId = typeof msg.nodeId === "string" && msg.nodeId !== "" ? msg.nodeId : (config.nodeId ?? "");
        if (nodeId === "") throw new Error("no node id: set one in the settings or send msg.nodeId");
        const dataType = writeDataType(typeof msg.dataType === "string" && msg.dataType !== "" ? msg.dataType : config.dataType);
        const value = writeVariant(msg.payload, dataType);
        const session = endpointConnection(RED, config.endpoint).session();
        const status = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value } });
        if (status.isNotGood()) throw new Error(`write of ${JSON.stringify(msg.payload)} to ${nodeId} refused: ${describeStatus(status)}`);
        return { nodeId, dataType, status: describeStatus(status) };
      };
      run().then(
        (opcua) => {
          send({ ...msg, opcua });
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
