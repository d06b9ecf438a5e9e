import type { ClientSession } from "node-opcua";
import type { NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { connectionStatus, type ConnectionState } from "./connection-state.js";
import { OpcUaConnection } from "./opcua-connection.js";

/** What an opcua-endpoint config node offers its workers. */
export interface OpcUaEndpointNode extends NodeInstance {
  connection: OpcUaConnection | null;
  /** Why there is no connection (invalid settings, no certificate store). */
  configError: string | null;
}

/** The connection of the endpoint a worker names, or a clear error. */
export function endpointConnection(RED: NodeRedRuntime, endpointId: unknown): OpcUaConnection {
  const node = typeof endpointId === "string" && endpointId !== "" ? RED.nodes.getNode(endpointId) : null;
  if (!node || !("connection" in node)) throw new Error("no OPC UA endpoint configured: pick an opcua-endpoint in the node's settings");
  if (node.connection instanceof OpcUaConnection) return node.connection;
  const configError = "configError" in node && typeof node.configError === "string" ? node.configError : "not usable";
  throw new Error(`OPC UA endpoint: ${configError}`);
}

/**
 * Registers a worker with its endpoint: the worker's status follows the
 * connection state, onState sees every change. Unregisters when the worker closes.
 */
export function attachWorker(
  node: NodeInstance,
  connection: OpcUaConnection,
  onState: (state: ConnectionState, session: ClientSession | null) => void = () => undefined,
): () => void {
  return connection.register((state, session) => {
    node.status(connectionStatus(state));
    onState(state, session);
  });
}

/**
 * For workers that act on input (read, write, browse): follow the endpoint
 * from creation to close, or show on the node why there is none.
 */
export function followEndpoint(RED: NodeRedRuntime, node: NodeInstance, endpointId: unknown): void {
  try {
    const detach = attachWorker(node, endpointConnection(RED, endpointId));
    node.on("close", (_removed, done) => {
      detach();
      done();
    });
  } catch (error) {
    node.status({ fill: "red", shape: "ring", text: (error as Error).message });
    node.error(error);
  }
}

export function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
