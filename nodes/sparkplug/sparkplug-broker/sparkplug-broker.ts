import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import type { SparkplugBrokerNode } from "../shared/broker-lookup.js";
import { MqttSession } from "../shared/mqtt-session.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface SparkplugBrokerConfig extends NodeDefinition {
  url?: string;
  clientId?: string;
  tls?: boolean;
  verifyServerCert?: boolean;
  keepalive?: number | string;
  reconnectPeriod?: number | string;
}

function positiveNumber(value: number | string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Config node: one MQTT connection (mqtt.js, MQTT 3.1.1, clean session) for
 * one Sparkplug edge node or host; its state shows on the nodes using it.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(
    RED,
    "sparkplug-broker",
    function (this: NodeInstance, config: SparkplugBrokerConfig) {
      RED.nodes.createNode(this, config);
      const node = this as SparkplugBrokerNode;
      const credentials = node.credentials ?? {};
      node.sparkplugSession = new MqttSession({
        url: config.url || "mqtt://127.0.0.1:1883",
        clientId: config.clientId || `petroflow-${config.id}`,
        tls: config.tls === true,
        rejectUnauthorized: config.verifyServerCert !== false,
        keepaliveSeconds: positiveNumber(config.keepalive, 30),
        reconnectPeriodMs: positiveNumber(config.reconnectPeriod, 5) * 1000,
        ...(credentials.username && { username: credentials.username }),
        ...(credentials.password && { password: credentials.password }),
        ...(credentials.ca && { ca: credentials.ca }),
      });
      node.on("close", (_removed, done) => {
        node.sparkplugSession.close().then(done, (error: unknown) => {
          node.error(error);
          done();
        });
      });
    },
    { credentials: { username: { type: "text" }, password: { type: "password" }, ca: { type: "text" } } },
  );
};
