/**
 * OPC UA subscription throughput: the simulator server with 5,000 variables
 * that all change every 100 ms, subscribed at 100 ms sampling through the
 * opcua-subscribe node's own logic (ItemSubscription, batches of 500).
 * Ideal: 50,000 notifications/s; target ≥ 95 % delivered over ~10 s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPCUAClient } from "node-opcua";
import { acquireCertificateManager } from "../runtime/opcua-certs/certificate-store.js";
import { ItemSubscription } from "../nodes/opcua/shared/item-subscription.js";
import { monitoringConfig } from "../nodes/opcua/shared/monitoring.js";
import type { OilfieldModel, SimPointDefinition } from "../simulator/model/types.js";
import { pointNodeId, startOpcUaServer } from "../simulator/opcua-server.js";
import type { Benchmark } from "./run.js";

const VARIABLES = 5000;
const PERIOD_MS = 100;
const MEASURE_MS = 10_000;
const TARGET = 0.95;

/** 5,000 float points on 50 assets; every step changes every value. */
function benchModel(): OilfieldModel & { steps(): number } {
  const assets = Array.from({ length: 50 }, (_, index) => ({ id: `WELL-${100 + index}`, kind: "well" as const, description: "bench well" }));
  const points: SimPointDefinition[] = Array.from({ length: VARIABLES }, (_, index) => ({
    asset: assets[index % assets.length].id,
    point: `P${Math.floor(index / assets.length)}`,
    dataType: "float",
    unit: "kPa",
    description: "bench point",
    writable: false,
  }));
  let tick = 0;
  let now = Date.now();
  return {
    siteId: "BENCH",
    assets,
    points,
    read: (_asset, point) => tick + Number(point.slice(1)) / 1000,
    write: () => {
      throw new Error("read-only bench model");
    },
    step: (dtSeconds) => {
      tick++;
      now += dtSeconds * 1000;
    },
    now: () => now,
    onEvent: () => () => undefined,
    steps: () => tick,
  };
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function machineLine(): string {
  return `machine: ${os.cpus()[0]?.model.trim() ?? "unknown"}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export async function runOpcUaSubscriptionBench(): Promise<{ name: string; lines: string[]; passed: boolean }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-bench-"));
  const model = benchModel();
  const server = await startOpcUaServer({ port: await freePort(), host: "127.0.0.1", model, pkiDir: path.join(dir, "server"), stepIntervalMs: PERIOD_MS });
  const certificates = await acquireCertificateManager(path.join(dir, "client"));
  const client = OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: certificates.manager, connectionStrategy: { maxRetry: 0 } });
  let delivered = 0;
  let bad = 0;
  const items = model.points.map((p) => ({ nodeId: pointNodeId(model.siteId, p.asset, p.point) }));
  const subscription = new ItemSubscription(items, monitoringConfig({ samplingInterval: PERIOD_MS, publishingInterval: PERIOD_MS, batchSize: 500, queueSize: 1 }), (_item, value) => {
    delivered++;
    if (value.q !== "good") bad++;
  });
  try {
    await client.connect(server.endpointUrl);
    const session = await client.createSession();
    const setupStart = Date.now();
    const accepted = await subscription.start(session);
    const setupMs = Date.now() - setupStart;
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the initial values and the first cycles settle
    delivered = 0;
    const stepsBefore = model.steps();
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const perSecond = delivered / seconds;
    const produced = ((model.steps() - stepsBefore) * VARIABLES) / seconds;
    const ideal = (VARIABLES * 1000) / PERIOD_MS;
    const ratio = perSecond / ideal;
    const passed = ratio >= TARGET && accepted === VARIABLES && bad === 0;
    await subscription.stop();
    await session.close();
    return {
      name: "opcua-subscription",
      passed,
      lines: [
        machineLine(),
        `${accepted}/${VARIABLES} monitored items created in ${Math.ceil(VARIABLES / 500)} CreateMonitoredItems calls (${setupMs} ms), sampling ${PERIOD_MS} ms, publishing ${PERIOD_MS} ms`,
        `delivered ${delivered} notifications in ${seconds.toFixed(1)} s = ${Math.round(perSecond)}/s vs ideal ${ideal}/s = ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET * 100} %), bad ${bad}`,
        `server produced ${Math.round(produced)} value changes/s (its 100 ms step timer in the same process); delivered/produced = ${((delivered / seconds / produced) * 100).toFixed(1)} %`,
        `${passed ? "PASS" : "FAIL"} opcua-subscription`,
      ],
    };
  } finally {
    await subscription.stop();
    await client.disconnect();
    await server.close();
    await certificates.release();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts, which loads every bench/*.ts exporting `benchmark`. */
export const benchmark: Benchmark = {
  name: "opcua-subscription",
  run: async () => {
    const result = await runOpcUaSubscriptionBench();
    return {
      lines: result.lines,
      targets: [{ target: "≥ 95 % of 50,000 notifications/s", status: result.passed ? "PASS" : "FAIL", detail: result.lines[2] ?? "" }],
    };
  },
};

if (require.main === module) {
  runOpcUaSubscriptionBench().then(
    (result) => {
      for (const line of result.lines) process.stdout.write(`${line}\n`);
      process.exitCode = result.passed ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
