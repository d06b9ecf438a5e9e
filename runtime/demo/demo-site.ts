import net from "node:net";
import path from "node:path";
import { Aedes } from "aedes";
import type { Logger } from "../observability/logger.js";
import type { FieldTopologyRegistry } from "../field/field-topology.js";
import type { TagRegistry } from "../tags/tag-registry.js";
import { startSimulator, type RunningSimulator } from "../../simulator/run-simulator.js";
import { startOpcUaServer, type OpcUaSimulatorServer } from "../../simulator/opcua-server.js";
import { createSparkplugPublisher } from "../../simulator/sparkplug-publisher.js";
import { DEMO_ENV, DEMO_SPARKPLUG_EDGE_NODE, DEMO_SPARKPLUG_GROUP, SPARKPLUG_ASSETS } from "./demo-assets.js";
import { tagDefinitionsFromModel, topologyFromModel } from "./field-from-model.js";
import { modelView } from "../../simulator/model/model-view.js";
import { OpcUaCertificateStore, opcUaPkiDir } from "../opcua-certs/certificate-store.js";

export interface DemoOptions {
  siteId: string;
  dataDir: string;
  modbusPort: number;
  opcUaPort: number;
  timeFactor: number;
  /** A configured broker; without one an embedded broker is started. */
  mqttUrl?: string;
  embeddedMqttPort: number;
}

export interface DemoSite {
  modbusPort: number;
  opcUaEndpointUrl: string;
  mqttUrl: string;
  close(): Promise<void>;
}


/** An MQTT broker inside the process, for a site with no broker of its own. */
async function startEmbeddedBroker(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `mqtt://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
      }),
  };
}

/**
 * The demo oilfield: the simulator (Modbus TCP, OPC UA with a secure
 * endpoint, Sparkplug B), the plant topology for the field overview, and
 * tag definitions for every simulated point. The shipped demo flows connect
 * to it over all three protocols.
 */
export async function startDemo(options: DemoOptions, deps: { tags: TagRegistry; topology: FieldTopologyRegistry; logger: Logger }): Promise<DemoSite> {
  const log = deps.logger.child({ component: "demo" });
  const closers: (() => Promise<void>)[] = [];
  try {
    const broker = options.mqttUrl ? undefined : await startEmbeddedBroker(options.embeddedMqttPort);
    if (broker) closers.push(broker.close);
    const mqttUrl = options.mqttUrl ?? broker?.url ?? "";
    let opcUa: OpcUaSimulatorServer | undefined;
    const publisher = { current: undefined as ReturnType<typeof createSparkplugPublisher> | undefined };
    const simulator: RunningSimulator = await startSimulator({
      siteId: options.siteId,
      seed: 1,
      timeFactor: options.timeFactor,
      declineTimeFactor: 30,
      modbusPort: options.modbusPort,
      host: "127.0.0.1",
      extraServers: [
        {
          async start(model) {
            opcUa = await startOpcUaServer({
              port: options.opcUaPort,
              host: "127.0.0.1",
              model,
              pkiDir: path.join(options.dataDir, "demo", "opcua-server-pki"),
              // The simulator's clock steps the model; the server reads it live.
              stepIntervalMs: 0,
            publishIntervalMs: 1000,
            });
            // The demo's own simulator is trusted explicitly (and logged); any
            // other server still has to be trusted by an engineer.
            if (opcUa.certificate) {
              const store = await OpcUaCertificateStore.open(opcUaPkiDir(options.dataDir));
              try {
                const trusted = await store.trustCertificate(opcUa.certificate);
                log.info({ thumbprint: trusted.thumbprint }, "trusted the demo simulator's OPC UA server certificate");
              } finally {
                await store.close();
              }
            }
          },
          close: () => opcUa?.close(),
        },
        {
          async start(model) {
            publisher.current = createSparkplugPublisher({
              brokerUrl: mqttUrl,
              groupId: DEMO_SPARKPLUG_GROUP,
              edgeNodeId: DEMO_SPARKPLUG_EDGE_NODE,
              model: modelView(model, SPARKPLUG_ASSETS),
              onError: (error) => log.warn({ err: error }, "demo Sparkplug publisher"),
            });
            await publisher.current.start();
          },
          close: () => publisher.current?.close(),
        },
      ],
    });
    closers.unshift(() => simulator.close());
    const { model } = simulator;
    model.onEvent((event) => log.info({ asset: event.asset, kind: event.kind }, event.message));
    deps.topology.set(topologyFromModel(model));
    const created = await deps.tags.ensure(tagDefinitionsFromModel(model), "demo");
    const site: DemoSite = {
      modbusPort: simulator.modbusPort,
      opcUaEndpointUrl: opcUa?.endpointUrl ?? "",
      mqttUrl,
      async close() {
        for (const close of closers) await close().catch((error: unknown) => log.warn({ err: error }, "closing the demo"));
      },
    };
    process.env[DEMO_ENV.modbusPort] = String(site.modbusPort);
    process.env[DEMO_ENV.opcUaEndpoint] = site.opcUaEndpointUrl;
    process.env[DEMO_ENV.mqttUrl] = site.mqttUrl;
    log.info({ modbusPort: site.modbusPort, opcUa: site.opcUaEndpointUrl, mqtt: site.mqttUrl, tagsCreated: created }, "demo oilfield running");
    return site;
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
