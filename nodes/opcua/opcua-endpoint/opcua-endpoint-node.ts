import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { endpointConfig } from "../shared/connection-options.js";
import type { OpcUaEndpointNode } from "../shared/endpoint-node.js";
import { OpcUaConnection } from "../shared/opcua-connection.js";

/**
 * Config node: one OPC UA server endpoint (URL, security, user) and the one
 * client session its read/subscribe/write/browse nodes share. Server
 * certificates are checked against the site's certificate store; unknown ones are refused.
 */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType(
    "opcua-endpoint",
    function (this: NodeInstance, config: NodeDefinition) {
      RED.nodes.createNode(this, config);
      const node = this as OpcUaEndpointNode;
      node.connection = null;
      node.configError = null;
      try {
        const settings = endpointConfig(config, { username: node.credentials?.username, password: node.credentials?.password });
        const pkiDir = petroflowServices(RED).opcuaPkiDir;
        if (!pkiDir) throw new Error("no OPC UA certificate store: the runtime sets RED.settings.petroflow.opcuaPkiDir");
        node.connection = new OpcUaConnection(settings, pkiDir, (error) => node.error(error));
      } catch (error) {
        node.configError = (error as Error).message;
        node.error(error);
      }
      node.on("close", (_removed, done) => {
        const connection = node.connection;
        node.connection = null;
        if (!connection) return done();
        connection.close().then(done, (error: unknown) => {
          node.error(error);
          done();
        });
      });
    },
    { credentials: { username: { type: "text" }, password: { type: "password" } } },
  );
};
