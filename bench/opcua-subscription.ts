/**
 * OPC UA subscription throughput. The simulator's OPC UA server runs in a
 * CHILD process (bench/support/opcua-bench-server.ts: 5,000 Double variables
 * that all change every 100 ms, stepped by the simulator's own timer), so it
 * has its own event loop and the client under test has this one. This process
 * subscribes to all 5,000 through the opcua-subscribe node's own logic
 * (ItemSubscription: batches of 500, exception-based sampling (interval 0),
 * 100 ms publishing, queue ≥ one publishing interval of changes) and counts
 * what reaches onValue, already mapped to `{ v, q, t }`. Why the target is
 * judged exception-based: docs/decisions.md ("OPC UA throughput target").
 *
 * After WARMUP_MS, over MEASURE_MS of wall time:
 *   delivered/s  notifications reaching onValue in the window (this process's clock)
 *   produced/s   value changes the server made in the same window (asked over IPC
 *                at both ends: steps × 5,000)
 *   per-step     each value is `step + index/1e6`, so every notification names the
 *                step that produced it: of the changes of the steps taken inside the
 *                window, how many distinct ones arrived (after a drain of two
 *                publishing intervals) — client efficiency against production,
 *                independent of the window's edges.
 *
 * Target (issue): ≥ 95 % of the ideal 50,000 notifications/s. When the server
 * itself produces less than that on the machine, the per-step line says how
 * much of what it did produce the client delivered, labelled as such.
 * Loopback only; the child is killed and the temporary PKI folders removed in
 * `finally`. `node --import tsx bench/run.ts opcua-subscription`; env
 * BENCH_OPCUA_PUBLISHING_MS (default 100), BENCH_OPCUA_SAMPLING_MS (0 =
 * exception-based, the default; 100 = cyclic sampling, which node-opcua's JS
 * server cannot serve at this load on 2 cores), BENCH_OPCUA_WARMUP_MS (3000), BENCH_OPCUA_MEASURE_MS
 * (20000) to explore; the target is judged with the defaults.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DataChangeNotification, OPCUAClient, type ClientSession, type ClientSubscription, type NotificationMessage } from "node-opcua";
import { acquireCertificateManager } from "../runtime/opcua-certs/certificate-store.js";
import { ItemSubscription } from "../nodes/opcua/shared/item-subscription.js";
import type { OpcUaItem } from "../nodes/opcua/shared/items.js";
import { monitoringConfig } from "../nodes/opcua/shared/monitoring.js";
import { pointNodeId } from "../simulator/opcua-server.js";
import { formatMachine, machineInfo, type Benchmark, type MachineInfo } from "./run.js";
import { benchPoints, type BenchServerCount, type BenchServerMessage } from "./support/opcua-bench-server.js";

const VARIABLES = 5000;
const PERIOD_MS = 100;
const BATCH_SIZE = 500;
const PUBLISHING_MS = positiveInt(process.env.BENCH_OPCUA_PUBLISHING_MS, 100);
/** Requested sampling interval; 0 (default) asks for exception-based items: the server reports each change, no sampling timer. */
const SAMPLING_MS = (process.env.BENCH_OPCUA_SAMPLING_MS ?? "0") === "0" ? 0 : positiveInt(process.env.BENCH_OPCUA_SAMPLING_MS, PERIOD_MS);
/** Changes one publishing interval can hold, plus one for timer jitter: no sample is dropped between two publishes. */
const QUEUE_SIZE = Math.ceil(PUBLISHING_MS / PERIOD_MS) + 1;
const WARMUP_MS = positiveInt(process.env.BENCH_OPCUA_WARMUP_MS, 3_000);
const MEASURE_MS = positiveInt(process.env.BENCH_OPCUA_MEASURE_MS, 20_000);
/** How the child steps the model: the simulator's own timer, or aimed at fixed deadlines (see the child). */
const STEPPER = process.env.BENCH_OPCUA_STEPPER ?? "deadline";
const CHILD_READY_TIMEOUT_MS = 60_000;
const IPC_TIMEOUT_MS = 5_000;
const TARGET = 0.95;
const IDEAL_PER_S = (VARIABLES * 1000) / PERIOD_MS;

const SERVER_SCRIPT = path.join(__dirname, "support", "opcua-bench-server.ts");

function positiveInt(raw: string | undefined, fallback: number): number {
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`expected a whole number > 0, got ${JSON.stringify(raw)}`);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next message of `type` from the child, or a rejection when it fails, exits or takes too long. */
function nextMessage<T extends BenchServerMessage["type"]>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  stderr: () => string,
): Promise<Extract<BenchServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (message: BenchServerMessage) => {
      if (message.type === "error") {
        cleanup();
        reject(new Error(`OPC UA bench server failed: ${message.message}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message as Extract<BenchServerMessage, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`OPC UA bench server exited (${code ?? signal}) while waiting for "${type}": ${stderr().slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`OPC UA bench server sent no "${type}" within ${timeoutMs} ms: ${stderr().slice(-2000)}`));
    }, timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Stops the child: asks politely, then SIGKILL; resolves when it has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.connected) child.send({ type: "stop" });
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

/** Per-item bookkeeping of which step each notification came from. */
class StepTally {
  private readonly lastStep: Int32Array;
  /** Distinct (item, step) notifications, by step. */
  private readonly perStep = new Map<number, number>();
  delivered = 0;
  bad = 0;
  duplicates = 0;

  constructor(items: number) {
    this.lastStep = new Int32Array(items).fill(-1);
  }

  record(index: number, v: unknown, q: string): void {
    this.delivered++;
    if (q !== "good" || typeof v !== "number") {
      this.bad++;
      return;
    }
    const step = Math.floor(v);
    if (step <= this.lastStep[index]) {
      this.duplicates++;
      return;
    }
    this.lastStep[index] = step;
    this.perStep.set(step, (this.perStep.get(step) ?? 0) + 1);
  }

  /** Distinct notifications from steps first..last (inclusive). */
  between(first: number, last: number): number {
    let total = 0;
    for (let step = first; step <= last; step++) total += this.perStep.get(step) ?? 0;
    return total;
  }
}

/** Data-change notifications as they come off the wire (before ItemSubscription), by step: what the server sent. */
class WireTally {
  private readonly perStep = new Map<number, number>();

  constructor(subscription: ClientSubscription) {
    subscription.on("raw_notification", (message: NotificationMessage) => {
      for (const data of message.notificationData ?? []) {
        if (!(data instanceof DataChangeNotification)) continue;
        for (const item of data.monitoredItems ?? []) {
          const v: unknown = item.value.value.value;
          if (typeof v === "number") this.perStep.set(Math.floor(v), (this.perStep.get(Math.floor(v)) ?? 0) + 1);
        }
      }
    });
  }

  between(first: number, last: number): number {
    let total = 0;
    for (let step = first; step <= last; step++) total += this.perStep.get(step) ?? 0;
    return total;
  }
}

/** Busy and total CPU time of the whole machine (Linux /proc/stat, clock ticks); undefined elsewhere. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");

export async function runOpcUaSubscriptionBench(machine: MachineInfo = machineInfo()): Promise<{ name: string; lines: string[]; passed: boolean; summary: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-bench-"));
  let child: ChildProcess | undefined;
  let certificates: Awaited<ReturnType<typeof acquireCertificateManager>> | undefined;
  let client: OPCUAClient | undefined;
  let session: ClientSession | undefined;
  let subscription: ItemSubscription | undefined;
  try {
    let stderr = "";
    child = fork(SERVER_SCRIPT, [String(VARIABLES), String(PERIOD_MS), path.join(dir, "server"), STEPPER], {
      execPath: process.execPath,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-10_000);
    });
    const serverChild = child;
    const readStderr = () => stderr;
    const { endpointUrl } = await nextMessage(serverChild, "ready", CHILD_READY_TIMEOUT_MS, readStderr);
    const count = async (): Promise<BenchServerCount> => {
      const reply = nextMessage(serverChild, "count", IPC_TIMEOUT_MS, readStderr);
      serverChild.send({ type: "count" });
      return reply;
    };

    certificates = await acquireCertificateManager(path.join(dir, "client"));
    client = OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: certificates.manager, connectionStrategy: { maxRetry: 0 } });
    const { points } = benchPoints(VARIABLES);
    const items: OpcUaItem[] = points.map((p) => ({ nodeId: pointNodeId("BENCH", p.asset, p.point) }));
    const indexOf = new Map(items.map((item, index) => [item, index]));
    const tally = new StepTally(VARIABLES);
    subscription = new ItemSubscription(
      items,
      monitoringConfig({ samplingInterval: SAMPLING_MS, publishingInterval: PUBLISHING_MS, batchSize: BATCH_SIZE, queueSize: QUEUE_SIZE }),
      (item, value) => tally.record(indexOf.get(item) ?? 0, value.v, value.q),
    );

    await client.connect(endpointUrl);
    session = await client.createSession();
    const setupStart = Date.now();
    const accepted = await subscription.start(session);
    const setupMs = Date.now() - setupStart;
    // The node-opcua subscription inside ItemSubscription (private to the node code; the bench peeks at it).
    const clientSubscription = subscription["subscription"];
    if (!clientSubscription) throw new Error("ItemSubscription has no subscription after start()");
    const wire = new WireTally(clientSubscription);
    await sleep(WARMUP_MS); // initial values, first cycles, JIT

    const before = await count();
    const deliveredBefore = tally.delivered;
    const cpuBefore = process.cpuUsage();
    const loopBefore = performance.eventLoopUtilization();
    const boxBefore = machineCpu();
    const start = process.hrtime.bigint();
    await sleep(MEASURE_MS);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const deliveredInWindow = tally.delivered - deliveredBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const clientLoop = performance.eventLoopUtilization(loopBefore).utilization;
    const boxAfter = machineCpu();
    const after = await count();
    await sleep(2 * PUBLISHING_MS + 500); // let the window's last steps arrive
    const bad = tally.bad;
    const duplicates = tally.duplicates;

    const deliveredPerS = deliveredInWindow / seconds;
    const producedPerS = (after.changes - before.changes) / seconds;
    const windowSteps = after.steps - before.steps;
    const producedOfSteps = windowSteps * VARIABLES;
    const deliveredOfSteps = tally.between(before.steps + 1, after.steps);
    const sentOfSteps = wire.between(before.steps + 1, after.steps);
    const clientCpu = (cpu.user + cpu.system) / 1e6 / seconds;
    const serverCpu = (after.cpuMicros - before.cpuMicros) / 1e6 / seconds;
    const loopActive = after.loopActiveMs - before.loopActiveMs;
    const serverLoop = loopActive / (loopActive + after.loopIdleMs - before.loopIdleMs);
    const ratio = deliveredPerS / IDEAL_PER_S;
    // Cores busy on the whole machine over the window, minus the two processes of this bench: other work skews the figures.
    const boxCores = boxBefore && boxAfter ? ((boxAfter.busy - boxBefore.busy) / (boxAfter.total - boxBefore.total)) * os.cpus().length : undefined;
    const otherCores = boxCores === undefined ? undefined : Math.max(0, boxCores - clientCpu - serverCpu);
    const efficiency = producedOfSteps > 0 ? deliveredOfSteps / producedOfSteps : 0;
    const serverCoverage = producedOfSteps > 0 ? sentOfSteps / producedOfSteps : 0;
    const clientEfficiency = sentOfSteps > 0 ? deliveredOfSteps / sentOfSteps : 0;
    const passed = ratio >= TARGET && accepted === VARIABLES && bad === 0;
    const serverShort = producedPerS < TARGET * IDEAL_PER_S;

    const lines = [
      formatMachine(machine),
      `server: simulator OPC UA server in a child process (${VARIABLES} Double variables, all stepped every ${PERIOD_MS} ms by ${STEPPER === "simulator" ? "the simulator's own timer" : "a deadline timer"}), 127.0.0.1, security None`,
      `client: ItemSubscription in this process, ${accepted}/${VARIABLES} monitored items in ${Math.ceil(VARIABLES / BATCH_SIZE)} CreateMonitoredItems calls of ${BATCH_SIZE} (${setupMs} ms); sampling ${SAMPLING_MS} ms, publishing ${PUBLISHING_MS} ms, queue ${QUEUE_SIZE}; warm-up ${WARMUP_MS / 1000} s, window ${seconds.toFixed(1)} s`,
      `delivered ${thousands(deliveredInWindow)} = ${thousands(deliveredPerS)}/s vs ideal ${thousands(IDEAL_PER_S)}/s = ${percent(ratio)} (target ≥ ${TARGET * 100} %), bad ${bad}, duplicates ${duplicates}`,
      `server produced ${thousands(producedPerS)} changes/s = ${percent(producedPerS / IDEAL_PER_S)} of ideal (${windowSteps} steps in ${seconds.toFixed(1)} s, longest step gap ${after.maxStepGapMs.toFixed(0)} ms)${serverShort ? " — the server itself falls short of the ideal on this machine" : ""}`,
      `per step (not the target), steps ${before.steps + 1}–${after.steps} = ${thousands(producedOfSteps)} changes: server sent ${thousands(sentOfSteps)} = ${percent(serverCoverage)} (the rest never left it: not sampled, or dropped from its queues), our client delivered ${thousands(deliveredOfSteps)} distinct = ${percent(clientEfficiency)} of what was sent, ${percent(efficiency)} of what was produced`,
      `over the window: client process CPU ${percent(clientCpu)} of one core, event loop busy ${percent(clientLoop)}; server process CPU ${percent(serverCpu)}, event loop busy ${percent(serverLoop)}; other processes ${otherCores === undefined ? "unknown" : `${percent(otherCores)} of one core`}`,
      `${passed ? "PASS" : "FAIL"} opcua-subscription: ${percent(ratio)} of ${thousands(IDEAL_PER_S)}/s${passed ? "" : ` (server produced ${percent(producedPerS / IDEAL_PER_S)} and sent ${percent(serverCoverage)} of that; client delivered ${percent(clientEfficiency)} of what was sent)`}`,
    ];
    return {
      name: "opcua-subscription",
      passed,
      lines,
      summary: `${thousands(deliveredPerS)}/s = ${percent(ratio)} of ideal; server produced ${percent(producedPerS / IDEAL_PER_S)} of ideal and sent ${percent(serverCoverage)} of that; client delivered ${percent(clientEfficiency)} of what was sent`,
    };
  } finally {
    await subscription?.stop().catch(() => undefined);
    await session?.close().catch(() => undefined);
    await client?.disconnect().catch(() => undefined);
    if (child) await stopChild(child);
    await certificates?.release().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts, which loads every bench/*.ts exporting `benchmark`. */
export const benchmark: Benchmark = {
  name: "opcua-subscription",
  run: async (context) => {
    context.log(`server child + 5,000 monitored items, ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s window`);
    const result = await runOpcUaSubscriptionBench(context.machine);
    return {
      lines: result.lines,
      targets: [{ target: "≥ 95 % of 50,000 notifications/s", status: result.passed ? "PASS" : "FAIL", detail: result.summary }],
    };
  },
};
