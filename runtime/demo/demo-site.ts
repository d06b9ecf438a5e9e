import net from "node:net";
import path from "node:path";
import { Aedes } from "aedes";
import type { Logger } from "../observability/logger.js";
import type { FieldTopologyRegistry } from "../field/field-topology.js";
import type { TagRegistry } from "../tags/tag-registry.js";
import { DEMO_ENV, DEMO_SPARKPLUG_EDGE_NODE, DEMO_SPARKPLUG_GROUP, SPARKPLUG_ASSETS } from "./demo-assets.js";
import { DEMO_BATTERY_CODE, ensureDemoAssets } from "./demo-assets-erp.js";
import type { AssetService } from "../../erp-modules/assets/service.js";
import type { ProductionService } from "../../erp-modules/production/service.js";
import { demoDays, ensureDemoProduction, ratesFromSimulator } from "../../erp-modules/production/demo-production.js";
import { tagDefinitionsFromModel, topologyFromModel } from "./field-from-model.js";
import { startFullSimulator } from "../../simulator/full-simulator.js";
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
 * to it over all three protocols. The field is also entered in the asset
 * register (runtime/demo/demo-assets-erp.ts).
 */
export async function startDemo(options: DemoOptions, deps: { tags: TagRegistry; topology: FieldTopologyRegistry; assets: AssetService; production: ProductionService; logger: Logger }): Promise<DemoSite> {
  const log = deps.logger.child({ component: "demo" });
  const closers: (() => Promise<void>)[] = [];
  try {
    const broker = options.mqttUrl ? undefined : await startEmbeddedBroker(options.embeddedMqttPort);
    if (broker) closers.push(() => broker.close());
    const mqttUrl = options.mqttUrl ?? broker?.url ?? "";
    const running = await startFullSimulator({
      siteId: options.siteId,
      seed: 1,
      timeFactor: options.timeFactor,
      declineTimeFactor: 30,
      host: "127.0.0.1",
      modbusPort: options.modbusPort,
      opcUaPort: options.opcUaPort,
      opcUaPkiDir: path.join(options.dataDir, "demo", "opcua-server-pki"),
      mqttUrl,
      sparkplugGroup: DEMO_SPARKPLUG_GROUP,
      sparkplugEdgeNode: DEMO_SPARKPLUG_EDGE_NODE,
      sparkplugAssets: SPARKPLUG_ASSETS,
      onSparkplugError: (error) => log.warn({ err: error }, "demo Sparkplug publisher"),
    });
    closers.unshift(() => running.close());
    const { simulator, opcUa } = running;
    // The demo's own simulator is trusted explicitly (and logged); any other
    // server still has to be trusted by an engineer.
    if (opcUa?.certificate) {
      const certificate = opcUa.certificate;
      const trusted = await OpcUaCertificateStore.using(opcUaPkiDir(options.dataDir), (store) => store.trustCertificate(certificate));
      log.info({ thumbprint: trusted.thumbprint }, "trusted the demo simulator's OPC UA server certificate");
    }
    const { model } = simulator;
    model.onEvent((event) => log.info({ asset: event.asset, kind: event.kind }, event.message));
    deps.topology.set(topologyFromModel(model));
    const created = await deps.tags.ensure(tagDefinitionsFromModel(model), "demo");
    const assetsCreated = await ensureDemoAssets(deps.assets, model);
    const productionHistory = await seedDemoProduction(deps.assets, deps.production, model).catch((error: unknown) => {
      // A week of sample entries is a convenience; the live demo runs without it.
      log.warn({ err: error }, "could not record the demo's production history");
      return undefined;
    });
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
    log.info({ modbusPort: site.modbusPort, opcUa: site.opcUaEndpointUrl, mqtt: site.mqttUrl, tagsCreated: created, assetsCreated, productionHistory }, "demo oilfield running");
    return site;
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** The last week of entries (tests, meters, gauges, tickets, downtime) for the demo battery, so the production screens have data. */
async function seedDemoProduction(assets: AssetService, production: ProductionService, model: Parameters<typeof ratesFromSimulator>[0]) {
  const idOf = async (code: string) => (await assets.findByCode(code))?.id;
  const [battery, oil, gas, water] = await Promise.all([DEMO_BATTERY_CODE, "MTR-OIL", "MTR-GAS", "MTR-WATER"].map(idOf));
  if (!battery || !oil || !gas || !water) throw new Error(`the demo register lacks ${DEMO_BATTERY_CODE} or its meters`);
  const entries = await ensureDemoProduction(production.entries, assets, battery, { meterIds: { oil, gas, water }, wellRates: ratesFromSimulator(model) });
  // The first start also allocates that week, so the daily report shows allocated volumes at once; later starts leave runs to the engineer.
  const days = demoDays(new Date());
  const [periodStart, periodEnd] = [days[0], days.at(-1)];
  let allocationRun: string | undefined;
  if (periodStart && periodEnd && (await production.allocation.listRuns({ siteAssetId: battery, limit: 1, offset: 0 })).total === 0) {
    const run = await production.allocation.createRun({ siteAssetId: battery, periodStart, periodEnd }, "system:demo");
    allocationRun = `${run.id} v${run.version} ${periodStart}..${periodEnd}`;
  }
  return { ...entries, allocationRun };
}
