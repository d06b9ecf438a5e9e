import { BrowseDirection, type ReferenceDescription } from "node-opcua";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { describeStatus } from "../shared/data-value.js";
import { endpointConnection, errorOf, followEndpoint } from "../shared/endpoint-node.js";
import { browsedReference } from "../shared/references.js";

interface BrowseConfig extends NodeDefinition {
  endpoint?: string;
  nodeId?: string;
}

/** Browses a node's hierarchical children: payload is the list of references. */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType("opcua-browse", function (this: NodeInstance, config: BrowseConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    followEndpoint(RED, node, config.endpoint);
    node.on("input", (msg, send, done) => {
      const run = async () => {
        const nodeId = typeof msg.payload === "string" && msg.payload !== "" ? msg.payload : config.nodeId || "i=85";
        const session = endpointConnection(RED, config.endpoint).session();
        let result = await session.browse({
          nodeId,
          browseDirection: BrowseDirection.Forward,
          referenceTypeId: "HierarchicalReferences",
          includeSubtypes: true,
          nodeClassMask: 0,
          resultMask: 0x3f,
        });
        if (result.statusCode.isNotGood()) throw new Error(`browse of ${nodeId} failed: ${describeStatus(result.statusCode)}`);
        const references: ReferenceDescription[] = [...(result.references ?? [])];
        while (result.continuationPoint && result.continuationPoint.length > 0) {
          result = await session.browseNext(result.continuationPoint, false);
          references.push(...(result.references ?? []));
        }
        return { nodeId, references: references.map(browsedReference) };
      };
      run().then(
        ({ nodeId, references }) => {
          send({ ...msg, topic: nodeId, payload: references });
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
