import net from "node:net";
import path from "node:path";
import { Aedes } from "aedes";
import type { Logger } from "../observability/logger.js";
import type { TagRegistry } from "../tags/tag-registry.js";
import { DEMO_ENV, DEMO_SPARKPLUG_EDGE_NODE, DEMO_SPARKPLUG_GROUP, SPARKPLUG_ASSETS } from "./demo-assets.js";
import { seedDemoOnce } from "./demo-seed.js";
import type { Database } from "../db/database.js";
import type { ModuleEventBus } from "../events/event-bus.js";
import { tagDefinitionsFromModel } from "./demo-tags.js";
import { startFullSimulator } from "../../simulator/full-simulator.js";
import { OpcUaCertificateStore, opcUaPkiDir } from "../opcua-certs/certificate-store.js";
import type { HistoryRecorder } from "../historian/history-types.js";
import { backfillDemoHistoryOnce } from "./demo-history-backfill.js";

export interface DemoOptions {
  siteId: string;
  dataDir: string;
  modbusPort: number;
  opcUaPort: number;
  timeFactor: number;
  /** A configured broker; without one an embedded broker is started. */
  mqttUrl?: string;
  embeddedMqttPort: number;
  /** Days of history the first start writes for the demo's tags in the background; 0 writes none. */
  backfillDays: number;
  /** On the very first start, an ESP trip and a worn ESP bearing this long after readiness show a newcomer alarms (the random events may take a while). */
  firstFaultDelayMs: number;
}

export interface DemoSite {
  modbusPort: number;
  opcUaEndpointUrl: string;
  mqttUrl: string;
  /** Background work that must not delay readiness: the first start's week of history. Call once the site serves. */
  afterReady(): void;
  close(): Promise<void>;
}

/** The live simulator's seed; the backfilled week runs the same field. */
const DEMO_SEED = 1;

/**
 * An MQTT broker inside the process, for a site with no broker of its own.
 * Closing ends every client connection itself: server.close() alone waits
 * for them, and an external subscriber (SCADA, a historian) never hangs up.
 */
async function startEmbeddedBroker(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `mqtt://127.0.0.1:${boundPort}`,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // aedes disconnects the clients it knows (publishing their Wills); the rest (no CONNECT yet) are cut here.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/**
 * The demo oilfield: the simulator (Modbus TCP, OPC UA with a secure
 * endpoint, Sparkplug B) and tag definitions for every simulated point. The
 * shipped demo flows connect to it over all three protocols. Its plant
 * (assets, tag links, connections) is written into the asset register, which
 * the field overview draws (runtime/demo/demo-assets-erp.ts).
 */
export async function startDemo(
  options: DemoOptions,
  deps: { tags: TagRegistry; db: Database; events: ModuleEventBus; logger: Logger; history?: HistoryRecorder },
): Promise<DemoSite> {
  const log = deps.logger.child({ component: "demo" });
  const closers: (() => Promise<void>)[] = [];
  try {
    const broker = options.mqttUrl ? undefined : await startEmbeddedBroker(options.embeddedMqttPort);
    if (broker) closers.push(() => broker.close());
    const mqttUrl = options.mqttUrl ?? broker?.url ?? "";
    const running = await startFullSimulator({
      siteId: options.siteId,
      seed: DEMO_SEED,
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
      sparkplugStateDir: path.join(options.dataDir, "demo", "sparkplug"),
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
    const created = await deps.tags.ensure(tagDefinitionsFromModel(model), "demo");
    // Once per site, in one transaction: a restart adds nothing, and assets users create are never touched.
    const seed = await seedDemoOnce({ db: deps.db, siteId: options.siteId, events: deps.events, logger: log }, model).catch((error: unknown) => {
      // The register and its sample history are a convenience: the live demo runs without them, and the next start tries again.
      log.warn({ err: error }, "could not enter the demo field and its history in the register");
      return undefined;
    });
    if (seed?.outcome === "skipped") {
      log.warn({ assetsInRegister: seed.assetsInRegister }, "the asset register already holds assets the demo did not create: the demo field and its history were not added");
    }
    const background = new AbortController();
    let backfill: Promise<unknown> = Promise.resolve();
    let firstTrip: NodeJS.Timeout | undefined;
    const scheduleFirstTrip = () => {
      if (seed?.outcome !== "seeded") return;
      firstTrip = setTimeout(() => {
        model.triggerEvent("WELL-102", "esp-trip");
        // A worn ESP bearing on another well: its vibration alarm stays active, and the demo maintenance flow opens a work order after the hold (docs/erp-maintenance.md).
        model.triggerEvent("WELL-101", "esp-vibration");
      }, options.firstFaultDelayMs);
      firstTrip.unref();
    };
    const site: DemoSite = {
      modbusPort: simulator.modbusPort,
      opcUaEndpointUrl: opcUa?.endpointUrl ?? "",
      mqttUrl,
      afterReady() {
        if (options.backfillDays === 0) return scheduleFirstTrip();
        backfill = backfillDemoHistoryOnce({
          days: options.backfillDays,
          db: deps.db,
          siteId: options.siteId,
          logger: log,
          seed: DEMO_SEED,
          signal: background.signal,
          ...(deps.history && { recorder: deps.history }),
        }).catch((error: unknown) => {
          // Trends of the past week are a convenience: the next start tries again.
          log.warn({ err: error }, "the demo history backfill failed; the next start tries again");
        });
        scheduleFirstTrip();
      },
      async close() {
        clearTimeout(firstTrip);
        background.abort();
        await backfill;
        for (const close of closers) await close().catch((error: unknown) => log.warn({ err: error }, "closing the demo"));
      },
    };
    process.env[DEMO_ENV.modbusPort] = String(site.modbusPort);
    process.env[DEMO_ENV.opcUaEndpoint] = site.opcUaEndpointUrl;
    process.env[DEMO_ENV.mqttUrl] = site.mqttUrl;
    log.info({ modbusPort: site.modbusPort, opcUa: site.opcUaEndpointUrl, mqtt: site.mqttUrl, tagsCreated: created, seed }, "demo oilfield running");
    return site;
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
