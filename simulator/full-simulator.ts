import path from "node:path";
import { startOpcUaServer, type OpcUaSimulatorServer } from "./opcua-server.js";
import { startSimulator, type RunningSimulator } from "./run-simulator.js";
import { createSparkplugPublisher, type SparkplugPublisher } from "./sparkplug-publisher.js";

export interface FullSimulatorOptions {
  seed: number;
  timeFactor: number;
  declineTimeFactor: number;
  host: string;
  modbusPort: number;
  opcUaPort: number;
  /** Sparkplug B is published only when a broker is given. */
  mqttUrl?: string;
  sparkplugGroup: string;
  sparkplugEdgeNode: string;
  pkiDir: string;
}

export interface FullSimulator {
  simulator: RunningSimulator;
  opcUa?: OpcUaSimulatorServer;
  close(): Promise<void>;
}

/** The oilfield over all three protocols, as `petroflow sim` runs it. */
export async function startFullSimulator(options: FullSimulatorOptions): Promise<FullSimulator> {
  const handles: { opcUa?: OpcUaSimulatorServer; sparkplug?: SparkplugPublisher } = {};
  const simulator = await startSimulator({
    seed: options.seed,
    timeFactor: options.timeFactor,
    declineTimeFactor: options.declineTimeFactor,
    host: options.host,
    modbusPort: options.modbusPort,
    extraServers: [
      {
        async start(model) {
          handles.opcUa = await startOpcUaServer({
            port: options.opcUaPort,
            host: options.host,
            model,
            pkiDir: path.join(options.pkiDir, "opcua-server"),
            stepIntervalMs: 0,
            publishIntervalMs: 1000,
          });
        },
        close: () => handles.opcUa?.close(),
      },
      {
        async start(model) {
          if (!options.mqttUrl) return;
          handles.sparkplug = createSparkplugPublisher({
            brokerUrl: options.mqttUrl,
            groupId: options.sparkplugGroup,
            edgeNodeId: options.sparkplugEdgeNode,
            model,
          });
          await handles.sparkplug.start();
        },
        close: () => handles.sparkplug?.close(),
      },
    ],
  });
  return { simulator, opcUa: handles.opcUa, close: () => simulator.close() };
}
