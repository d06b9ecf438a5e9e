/**
 * How the demo splits the simulated plant between protocols, so every tag
 * has exactly one writer: wells over Modbus TCP, these over OPC UA, these
 * over Sparkplug B.
 */
export const OPCUA_ASSETS = ["MAN-01", "SEP-TEST", "SEP-PROD"] as const;
export const SPARKPLUG_ASSETS = ["TK-01", "TK-02", "TK-W1", "COMP-01"] as const;

/** Environment variables the shipped demo flows read (Node-RED substitutes ${NAME} in node properties). */
export const DEMO_ENV = {
  modbusPort: "PETROFLOW_DEMO_MODBUS_PORT",
  opcUaEndpoint: "PETROFLOW_DEMO_OPCUA_ENDPOINT",
  mqttUrl: "PETROFLOW_DEMO_MQTT_URL",
} as const;

export const DEMO_SPARKPLUG_GROUP = "PETROFLOW-DEMO";
export const DEMO_SPARKPLUG_EDGE_NODE = "SIM-FIELD";
/** The demo flows are written for this site id. */
export const DEMO_SITE_ID = "SITE1";
