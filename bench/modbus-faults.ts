/**
 * Modbus fault timing: how fast the real modbus-device and modbus-read nodes,
 * in a real Node-RED runtime (node-red-node-test-helper), see a fault and
 * recover, and whether faulty devices slow the good ones. These were the
 * wall-clock and RSS assertions of test/nodes/modbus/*.test.ts; the tests keep
 * the behaviour (bad with the reason, recovery, isolation), this keeps the
 * timings, where a loaded machine makes a number late instead of a test red.
 *
 *   isolation  a good device polled every 100 ms, alone (baseline), then beside
 *              four faulty ones: silent, late (500 ms), corrupt MBAP length,
 *              garbage. Targets: ≥ 87 % of its baseline poll rate (26 of 30
 *              polls in 3 s), RSS growth < 40 MiB over the faulty run.
 *   detection  silent device (timeout 300 ms, poll 100 ms) to bad tags, 5 times.
 *              Baseline: the bound max(2 polls, 1 timeout) = 300 ms. Target:
 *              worst ≤ 550 ms (the bound, a poll in flight, 150 ms slack).
 *   recovery   device back on its port (backoff ≤ 200 ms) to good tags.
 *              Target: worst ≤ 1500 ms.
 *   rtu        the same over Modbus RTU through a socat PTY pair (timeout
 *              300 ms, poll 150 ms): a wrong unit id bad within 750 ms of the
 *              deploy, a stopped slave bad within 650 ms, a restarted one good
 *              again within 1500 ms. Skipped, with the reason, without socat or
 *              the serialport binding.
 *
 * `node --import tsx bench/run.ts modbus-faults` (after `npm run build:server`).
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import helper from "node-red-node-test-helper";
import modbusDeviceNode from "../nodes/modbus/modbus-device/modbus-device.js";
import { detectSerialSupport } from "../nodes/modbus/modbus-device/serial-support.js";
import modbusReadNode from "../nodes/modbus/modbus-read/modbus-read.js";
import { TagStore } from "../runtime/tags/tag-store.js";
import { createModbusUnits } from "../simulator/modbus-map.js";
import { createOilfield } from "../simulator/model/oilfield.js";
import { FaultServer } from "../test/nodes/modbus/fixtures/fault-server.js";
import { findSocat, startPtyPair, type PtyPair } from "../test/nodes/modbus/fixtures/pty-pair.js";
import { RtuSlave } from "../test/nodes/modbus/fixtures/rtu-slave.js";
import type { Benchmark, BenchmarkContext, BenchmarkReport, TargetResult } from "./run.js";

helper.init(require.resolve("node-red"));

const POLL_MS = 100;
const TIMEOUT_MS = 300;
const ISOLATION_MS = 3000;
const TRIALS = 5;
const RTU_POLL_MS = 150;
const RTU_UNIT_ID = 11;

const TARGET_POLL_RATIO = 26 / 30;
const TARGET_RSS_GROWTH_MIB = 40;
const TARGET_DETECTION_MS = TIMEOUT_MS + POLL_MS + 150;
const TARGET_RECOVERY_MS = 1500;
const TARGET_RTU_WRONG_UNIT_MS = TIMEOUT_MS + RTU_POLL_MS + 300;
const TARGET_RTU_STOP_MS = TIMEOUT_MS + RTU_POLL_MS + 200;

interface TestNode {
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const POINTS = [
  { name: "THP", function: "holding-register", address: 0, type: "float32", order: "CDAB" },
  { name: "CHOKE", function: "holding-register", address: 2, type: "uint16", scale: 0.1 },
];

function tcpDevice(id: string, port: number): Record<string, unknown> {
  return { id, type: "modbus-device", host: "127.0.0.1", port, unitId: 1, timeoutMs: TIMEOUT_MS, backoffInitialMs: 50, backoffMaxMs: 200 };
}

function reader(id: string, deviceId: string, asset: string, interval = POLL_MS): Record<string, unknown> {
  return { id, type: "modbus-read", z: "tab", device: deviceId, interval, tagPrefix: `SITE1/${asset}`, output: "both", points: POINTS, wires: [[`${id}-out`]] };
}

function flow(nodes: Record<string, unknown>[]): Record<string, unknown>[] {
  const outputs = nodes.filter((n) => n.type === "modbus-read").map((n) => ({ id: `${String(n.id)}-out`, type: "helper", z: "tab" }));
  return [{ id: "tab", type: "tab", label: "Bench" }, ...nodes, ...outputs];
}

function collect(id: string): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = [];
  (helper.getNode(id) as TestNode).on("input", (msg) => messages.push(msg));
  return messages;
}

/** Milliseconds until the condition holds, polled every 5 ms; throws after `limitMs` (a hang, not a slow run). */
async function timeUntil(condition: () => boolean, limitMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await sleep(5);
  }
  return performance.now() - started;
}

function rssMiB(): number {
  global.gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

function target(name: string, passed: boolean, detail: string): TargetResult {
  return { target: name, status: passed ? "PASS" : "FAIL", detail };
}

const fmt = (values: readonly number[]) => values.map((v) => v.toFixed(0)).join(", ");
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function withTags<T>(run: (tags: TagStore) => Promise<T>): Promise<T> {
  const tags = new TagStore();
  helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: () => Promise.resolve(null) }, tags } });
  try {
    return await run(tags);
  } finally {
    await helper.unload();
    helper.settings({});
  }
}

async function seededServer(): Promise<FaultServer> {
  const server = await new FaultServer().listen(0);
  server.holding.set([0, 0x4494, 425], 0);
  return server;
}

/** Polls of the good device in ISOLATION_MS, and RSS growth over that time, with `faulty` devices beside it. */
async function pollRun(faultModes: readonly ("silent" | "delay" | "corrupt-length" | "garbage")[]): Promise<{ polls: number; rssGrowthMiB: number }> {
  const servers = [await seededServer()];
  try {
    for (const mode of faultModes) {
      const server = await seededServer();
      server.mode = mode;
      server.delayMs = 500;
      servers.push(server);
    }
    return await withTags(async () => {
      const nodes = servers.flatMap((server, index) => [tcpDevice(`dev-${index}`, server.port), reader(`read-${index}`, `dev-${index}`, `WELL-${100 + index}`)]);
      await helper.load([modbusDeviceNode, modbusReadNode], flow(nodes));
      const messages = collect("read-0-out");
      // Settle: connections up, faulty devices failed once.
      await sleep(500);
      const rssBefore = rssMiB();
      const countBefore = messages.length;
      await sleep(ISOLATION_MS);
      const polls = messages.length - countBefore;
      const bad = messages.slice(countBefore).filter((msg) => msg.quality !== "good").length;
      if (bad > 0) throw new Error(`the good device sent ${bad} messages of bad quality`);
      return { polls, rssGrowthMiB: rssMiB() - rssBefore };
    });
  } finally {
    for (const server of servers) await server.stop();
  }
}

async function tcpDetectionAndRecovery(): Promise<{ detection: number[]; recovery: number[] }> {
  const server = await seededServer();
  try {
    return await withTags(async (tags) => {
      await helper.load([modbusDeviceNode, modbusReadNode], flow([tcpDevice("dev", server.port), reader("read", "dev", "WELL-101")]));
      const quality = () => tags.read("SITE1/WELL-101/THP")?.q;
      const detection: number[] = [];
      const recovery: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        await timeUntil(() => quality() === "good", 5000, "good before the fault");
        server.mode = "silent";
        detection.push(await timeUntil(() => quality() === "bad", 5000, "bad after silence"));
        server.mode = "normal";
        await timeUntil(() => quality() === "good", 5000, "good after silence");
        await server.stop();
        await timeUntil(() => quality() === "bad", 5000, "bad after the device went away");
        await server.listen();
        recovery.push(await timeUntil(() => quality() === "good", 5000, "recovery"));
      }
      return { detection, recovery };
    });
  } finally {
    await server.stop();
  }
}

interface RtuTimes {
  wrongUnit: number[];
  stopped: number[];
  recovered: number[];
}

async function rtuTimes(pty: PtyPair): Promise<RtuTimes> {
  const field = createOilfield({ seed: 3, startTime: Date.UTC(2025, 0, 1), eventsPerDay: 0 });
  const unit = createModbusUnits(field).get(RTU_UNIT_ID);
  if (!unit) throw new Error("the simulator serves no WELL-101");
  const rtuDevice = (unitId: number) => ({
    id: "dev", type: "modbus-device", transport: "rtu", serialPath: pty.devicePath, baudRate: 19200, parity: "none", dataBits: 8, stopBits: 1,
    unitId, timeoutMs: TIMEOUT_MS, backoffInitialMs: 50, backoffMaxMs: 200,
  });
  const rtuReader = { ...reader("read", "dev", "WELL-101", RTU_POLL_MS), points: [{ name: "THP", function: "input-register", address: 0, type: "float32" }] };
  const times: RtuTimes = { wrongUnit: [], stopped: [], recovered: [] };
  for (let trial = 0; trial < TRIALS; trial++) {
    let slave = new RtuSlave(unit, { path: pty.slavePath, baudRate: 19200, unitId: RTU_UNIT_ID });
    await slave.start();
    try {
      await withTags(async (tags) => {
        const deployedAt = performance.now();
        await helper.load([modbusDeviceNode, modbusReadNode], flow([rtuDevice(12), rtuReader]));
        await timeUntil(() => tags.read("SITE1/WELL-101/THP")?.q === "bad", 5000, "wrong unit id bad");
        times.wrongUnit.push(performance.now() - deployedAt);
      });
      await withTags(async (tags) => {
        const quality = () => tags.read("SITE1/WELL-101/THP")?.q;
        await helper.load([modbusDeviceNode, modbusReadNode], flow([rtuDevice(RTU_UNIT_ID), rtuReader]));
        await timeUntil(() => quality() === "good", 5000, "RTU good");
        await slave.stop();
        times.stopped.push(await timeUntil(() => quality() === "bad", 5000, "stopped slave bad"));
        slave = new RtuSlave(unit, { path: pty.slavePath, baudRate: 19200, unitId: RTU_UNIT_ID });
        await slave.start();
        times.recovered.push(await timeUntil(() => quality() === "good", 5000, "RTU recovery"));
      });
    } finally {
      await slave.stop();
    }
  }
  return times;
}

async function runModbusFaultsBench(context: BenchmarkContext): Promise<BenchmarkReport> {
  const lines = [`points: ${POINTS.length} holding-register points per device; poll ${POLL_MS} ms, timeout ${TIMEOUT_MS} ms; load ${os.loadavg()[0].toFixed(2)}`];
  const targets: TargetResult[] = [];

  context.log("isolation: the good device alone");
  const alone = await pollRun([]);
  context.log("isolation: beside four faulty devices");
  const beside = await pollRun(["silent", "delay", "corrupt-length", "garbage"]);
  const ratio = beside.polls / alone.polls;
  lines.push(
    `isolation  alone (baseline): ${alone.polls} polls in ${ISOLATION_MS / 1000} s, RSS ${alone.rssGrowthMiB.toFixed(1)} MiB growth`,
    `           beside 4 faulty:  ${beside.polls} polls in ${ISOLATION_MS / 1000} s, RSS ${beside.rssGrowthMiB.toFixed(1)} MiB growth; ratio ${(ratio * 100).toFixed(1)} %`,
  );
  targets.push(
    target(`good device keeps ≥ ${(TARGET_POLL_RATIO * 100).toFixed(0)} % of its poll rate beside faulty ones`, ratio >= TARGET_POLL_RATIO, `${beside.polls}/${alone.polls} polls (${(ratio * 100).toFixed(1)} %)`),
    target(`RSS grows < ${TARGET_RSS_GROWTH_MIB} MiB beside faulty devices`, beside.rssGrowthMiB < TARGET_RSS_GROWTH_MIB, `${beside.rssGrowthMiB.toFixed(1)} MiB (alone ${alone.rssGrowthMiB.toFixed(1)} MiB)`),
  );

  context.log(`detection and recovery over TCP, ${TRIALS} trials`);
  const tcp = await tcpDetectionAndRecovery();
  const bound = Math.max(2 * POLL_MS, TIMEOUT_MS);
  const worstDetection = Math.max(...tcp.detection);
  const worstRecovery = Math.max(...tcp.recovery);
  lines.push(
    `detection  silent → bad (ms): ${fmt(tcp.detection)}; median ${median(tcp.detection).toFixed(0)}, worst ${worstDetection.toFixed(0)} = ${(worstDetection / bound).toFixed(2)}× the bound max(2 polls, 1 timeout) = ${bound} ms (baseline)`,
    `recovery   back → good (ms): ${fmt(tcp.recovery)}; worst ${worstRecovery.toFixed(0)}`,
  );
  targets.push(
    target(`TCP silent device bad within ${TARGET_DETECTION_MS} ms`, worstDetection <= TARGET_DETECTION_MS, `worst ${worstDetection.toFixed(0)} ms of ${TRIALS}`),
    target(`TCP device good again within ${TARGET_RECOVERY_MS} ms`, worstRecovery <= TARGET_RECOVERY_MS, `worst ${worstRecovery.toFixed(0)} ms of ${TRIALS}`),
  );

  const socat = findSocat();
  const serial = detectSerialSupport();
  const rtuSkip = !socat ? "socat is not installed (apt-get install socat)" : !serial.available ? serial.reason : undefined;
  const rtuTargets = [`RTU wrong unit id bad within ${TARGET_RTU_WRONG_UNIT_MS} ms of deploy`, `RTU stopped slave bad within ${TARGET_RTU_STOP_MS} ms`, `RTU slave good again within ${TARGET_RECOVERY_MS} ms`];
  if (rtuSkip !== undefined || socat === undefined) {
    lines.push(`rtu        SKIPPED: ${rtuSkip ?? "no socat"}`);
    for (const name of rtuTargets) targets.push({ target: name, status: "SKIPPED", detail: rtuSkip ?? "no socat" });
  } else {
    context.log(`RTU over a PTY pair, ${TRIALS} trials`);
    const pty = await startPtyPair(socat);
    try {
      const rtu = await rtuTimes(pty);
      const worst = { wrongUnit: Math.max(...rtu.wrongUnit), stopped: Math.max(...rtu.stopped), recovered: Math.max(...rtu.recovered) };
      lines.push(
        `rtu        wrong unit → bad from deploy (ms): ${fmt(rtu.wrongUnit)}`,
        `           stopped → bad (ms): ${fmt(rtu.stopped)}`,
        `           restarted → good (ms): ${fmt(rtu.recovered)}`,
      );
      targets.push(
        target(rtuTargets[0], worst.wrongUnit <= TARGET_RTU_WRONG_UNIT_MS, `worst ${worst.wrongUnit.toFixed(0)} ms of ${TRIALS}`),
        target(rtuTargets[1], worst.stopped <= TARGET_RTU_STOP_MS, `worst ${worst.stopped.toFixed(0)} ms of ${TRIALS}`),
        target(rtuTargets[2], worst.recovered <= TARGET_RECOVERY_MS, `worst ${worst.recovered.toFixed(0)} ms of ${TRIALS}`),
      );
    } finally {
      await pty.stop();
    }
  }
  if (global.gc === undefined) lines.push("note: run with --expose-gc for RSS figures after a collection");
  return { lines, targets };
}

export const benchmark: Benchmark = { name: "modbus-faults", run: runModbusFaultsBench };
