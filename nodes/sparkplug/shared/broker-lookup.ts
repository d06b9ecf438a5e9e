/** How the edge and host nodes find the MqttSession of their sparkplug-broker config node. */
import type { NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { MqttSession } from "./mqtt-session.js";

export interface SparkplugBrokerNode extends NodeInstance {
  sparkplugSession: MqttSession;
}

export function isSparkplugBrokerNode(node: NodeInstance | null): node is SparkplugBrokerNode {
  return node !== null && (node as Partial<SparkplugBrokerNode>).sparkplugSession instanceof MqttSession;
}

/** The broker config node's session; throws a clear error when it is missing or not a sparkplug-broker. */
export function brokerSession(RED: NodeRedRuntime, id: unknown): MqttSession {
  const node = typeof id === "string" && id !== "" ? RED.nodes.getNode(id) : null;
  if (!isSparkplugBrokerNode(node)) throw new Error("no sparkplug-broker configured");
  return node.sparkplugSession;
}

/** The error as an Error (catch clauses and promise rejections hand back unknown). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
