/**
 * Child process for bench/opcua-subscription.ts: the simulator's OPC UA server
 * (simulator/opcua-server.ts) over a bench model of N float variables that all
 * change on every step, stepped by the simulator's own timer every P ms. Runs
 * alone in its process so it gets its own event loop (and core) instead of
 * sharing one with the client under test.
 *
 * Not a benchmark itself (bench/run.ts only loads bench/*.ts). Spawned with
 * `process.execPath --import tsx` and an IPC channel:
 *
 *   argv:   <variables> <periodMs> <pkiDir> [simulator|deadline]
 *   → parent  { type: "ready", endpointUrl }
 *   ← parent  { type: "count" }            → { type: "count", steps, changes, cpuMicros, maxStepGapMs }
 *   ← parent  { type: "stop" }             → closes the server and exits
 *
 * Every variable's value is `step + index / 1e6`, so the client can tell which
 * step produced each notification it receives (step = Math.floor(value)).
 * The process exits by itself when the parent goes away (IPC disconnect).
 */
import net from "node:net";
import type { OilfieldModel, SimPointDefinition } from "../../simulator/model/types.js";
import { startOpcUaServer } from "../../simulator/opcua-server.js";

export interface BenchServerCount {
  type: "count";
  /** Model steps taken since start (each changes every variable once). */
  steps: number;
  /** Value changes pushed into the address space: steps × variables. */
  changes: number;
  /** User + system CPU of this process since it started, µs. */
  cpuMicros: number;
  /** Event-loop active and idle time since start, ms (performance.eventLoopUtilization()). */
  loopActiveMs: number;
  loopIdleMs: number;
  /** Largest gap between two consecutive steps since the previous count, ms (period + the step timer's worst lateness). */
  maxStepGapMs: number;
}

export type BenchServerMessage = { type: "ready"; endpointUrl: string } | BenchServerCount | { type: "error"; message: string };

/** N float points on 50 assets: `ns=1;s=BENCH/WELL-<100+i%50>/P<floor(i/50)>`. */
export function benchPoints(variables: number): { assets: { id: string; kind: "well"; description: string }[]; points: SimPointDefinition[] } {
  const assets = Array.from({ length: 50 }, (_, index) => ({ id: `WELL-${100 + index}`, kind: "well" as const, description: "bench well" }));
  const points: SimPointDefinition[] = Array.from({ length: variables }, (_, index) => ({
    asset: assets[index % assets.length].id,
    point: `P${Math.floor(index / assets.length)}`,
    dataType: "float",
    unit: "kPa",
    description: "bench point",
    writable: false,
  }));
  return { assets, points };
}

function benchModel(variables: number): OilfieldModel & { steps(): number; takeMaxStepGapMs(): number } {
  const { assets, points } = benchPoints(variables);
  const indexOf = new Map(points.map((point, index) => [`${point.asset}/${point.point}`, index]));
  let tick = 0;
  let now = Date.now();
  let lastStep = 0;
  let maxGap = 0;
  return {
    siteId: "BENCH",
    assets,
    points,
    read: (asset, point) => tick + (indexOf.get(`${asset}/${point}`) ?? 0) / 1e6,
    write: () => {
      throw new Error("read-only bench model");
    },
    step: (dtSeconds) => {
      const wall = performance.now();
      if (lastStep > 0) maxGap = Math.max(maxGap, wall - lastStep);
      lastStep = wall;
      tick++;
      now += dtSeconds * 1000;
    },
    now: () => now,
    onEvent: () => () => undefined,
    steps: () => tick,
    takeMaxStepGapMs: () => {
      const gap = maxGap;
      maxGap = 0;
      return gap;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function main(): Promise<void> {
  const send = (message: BenchServerMessage) => process.send?.(message);
  if (!process.send) throw new Error("opcua-bench-server must be started with an IPC channel");
  const [variablesArg, periodArg, pkiDir, stepper = "simulator"] = process.argv.slice(2);
  const variables = Number(variablesArg);
  const periodMs = Number(periodArg);
  if (!(variables > 0) || !(periodMs > 0) || !pkiDir || (stepper !== "simulator" && stepper !== "deadline")) {
    throw new Error("usage: opcua-bench-server <variables> <periodMs> <pkiDir> [simulator|deadline]");
  }
  const model = benchModel(variables);
  // simulator: the simulator's own setInterval (each step re-armed from when it ran, so lateness accumulates);
  // deadline: steps aimed at start + k × period, so a late step does not push back the later ones
  // (a field device's clock); more than a period behind, the missed steps are skipped.
  const server = await startOpcUaServer({ port: await freePort(), host: "127.0.0.1", model, pkiDir, stepIntervalMs: stepper === "simulator" ? periodMs : 0 });
  let timer: NodeJS.Timeout | undefined;
  if (stepper === "deadline") {
    let deadline = performance.now() + periodMs;
    const tick = () => {
      server.step(periodMs / 1000);
      deadline += periodMs;
      // More than a whole period behind: those steps are lost (production drops), no burst to catch up.
      if (deadline < performance.now() - periodMs) deadline = performance.now() + periodMs;
      timer = setTimeout(tick, Math.max(0, deadline - performance.now()));
    };
    timer = setTimeout(tick, periodMs);
  }
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    clearTimeout(timer);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("message", (message: { type?: string }) => {
    if (message?.type === "count") {
      const cpu = process.cpuUsage();
      const loop = performance.eventLoopUtilization();
      send({
        type: "count",
        steps: model.steps(),
        changes: model.steps() * variables,
        cpuMicros: cpu.user + cpu.system,
        loopActiveMs: loop.active,
        loopIdleMs: loop.idle,
        maxStepGapMs: model.takeMaxStepGapMs(),
      });
    } else if (message?.type === "stop") {
      void close();
    }
  });
  process.on("disconnect", () => void close());
  send({ type: "ready", endpointUrl: server.endpointUrl });
}

// Only when run as the child; bench/opcua-subscription.ts imports the types and benchPoints().
if (require.main === module) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ type: "error", message });
    process.stderr.write(`${message}\n`);
    process.exit(2);
  });
}
