import { modelView } from "./model/model-view.js";
import { startOpcUaServer, type OpcUaSimulatorServer } from "./opcua-server.js";
import { startSimulator, type RunningSimulator } from "./run-simulator.js";
import { createSparkplugPublisher, type SparkplugPublisher } from "./sparkplug-publisher.js";

export interface FullSimulatorOptions {
  siteId?: string;
  seed: number;
  timeFactor: number;
  declineTimeFactor: number;
  host: string;
  modbusPort: number;
  opcUaPort: number;
  /** The OPC UA server's own PKI folder (its certificate and key). */
  opcUaPkiDir: string;
  /** Sparkplug B is published only when a broker is given. */
  mqttUrl?: string;
  sparkplugGroup: string;
  sparkplugEdgeNode: string;
  /** Publish only these assets over Sparkplug (default: all). */
  sparkplugAssets?: readonly string[];
  /** Where the Sparkplug publisher keeps bdSeq across restarts. */
  sparkplugStateDir?: string;
  onSparkplugError?: (error: Error) => void;
}

export interface FullSimulator {
  simulator: RunningSimulator;
  opcUa?: OpcUaSimulatorServer;
  close(): Promise<void>;
}

/** The oilfield over all three protocols, as `petroflow sim` and the demo site run it. */
export async function startFullSimulator(options: FullSimulatorOptions): Promise<FullSimulator> {
  const handles: { opcUa?: OpcUaSimulatorServer; sparkplug?: SparkplugPublisher } = {};
  const simulator = await startSimulator({
    siteId: options.siteId,
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
            pkiDir: options.opcUaPkiDir,
            // The simulator's clock steps the model; the server only publishes it.
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
            model: options.sparkplugAssets ? modelView(model, options.sparkplugAssets) : model,
            ...(options.sparkplugStateDir !== undefined && { stateDir: options.sparkplugStateDir }),
            onError: options.onSparkplugError,
          });
          await handles.sparkplug.start();
        },
        close: () => handles.sparkplug?.close(),
      },
    ],
  });
  return { simulator, opcUa: handles.opcUa, close: () => simulator.close() };
}
