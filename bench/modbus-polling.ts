/**
 * Modbus polling throughput on loopback against the simulator's Modbus TCP
 * server: 100 holding-register points (uint16 and float32, interleaved) over
 * 150 registers.
 *
 *   ceiling  a bare modbus-serial client reading the coalesced blocks back to back
 *   ours     read planner + ModbusConnection (queue, frame guard, timeouts) + decoder
 *   naive    the same connection and decoder, one request per point
 *
 * A "poll" is one full read of the 100 points. Targets: ours ≥ 70 % of the
 * ceiling, ours ≥ 10× naive.
 */
import os from "node:os";
import ModbusRTU from "modbus-serial";
import { ModbusConnection } from "../nodes/modbus/modbus-device/modbus-connection.js";
import { poll } from "../nodes/modbus/modbus-read/poll.js";
import type { ReadBlock } from "../nodes/modbus/modbus-read/read-plan.js";
import { planReads } from "../nodes/modbus/modbus-read/read-plan.js";
import type { ModbusPoint } from "../nodes/modbus/shared/point.js";
import { pointSpan } from "../nodes/modbus/shared/point.js";
import { startModbusServer } from "../simulator/modbus-server.js";

export interface BenchResult {
  name: string;
  lines: string[];
  passed: boolean;
}

const RUN_MS = 5000;
/**
 * Each variant runs RUN_MS in total, in ROUNDS slices taken in turn: on a
 * shared machine, load from other processes then weighs on every variant
 * alike instead of on whichever ran during a busy second.
 */
const ROUNDS = 5;
const REGISTERS = 150;

function benchPoints(): ModbusPoint[] {
  const points: ModbusPoint[] = [];
  let address = 0;
  for (let index = 0; index < 100; index++) {
    const type = index % 2 === 0 ? "uint16" : "float32";
    points.push({ name: `P${index}`, function: "holding-register", address, type, order: "ABCD", scale: 1, offset: 0 });
    address += type === "uint16" ? 1 : 2;
  }
  return points;
}

/** Polls completed and seconds spent, accumulated over the rounds. */
interface Tally {
  polls: number;
  seconds: number;
}

/** Runs `once` back to back for one slice, adding to the tally. */
async function slice(tally: Tally, once: () => Promise<void>): Promise<void> {
  const end = Date.now() + RUN_MS / ROUNDS;
  const started = process.hrtime.bigint();
  while (Date.now() < end) {
    await once();
    tally.polls++;
  }
  tally.seconds += Number(process.hrtime.bigint() - started) / 1e9;
}

function connection(port: number): ModbusConnection {
  const link = new ModbusConnection({
    endpoint: { kind: "tcp", host: "127.0.0.1", port },
    unitId: 1,
    timeoutMs: 1000,
    backoff: { initialMs: 100, maxMs: 1000 },
    queueLimit: 64,
  });
  link.start();
  return link;
}

/** Our poll: planned blocks through the connection's queue, then decoded; any error ends the bench. */
function ourPoll(link: ModbusConnection, blocks: readonly ReadBlock[], points: readonly ModbusPoint[]): () => Promise<void> {
  return async () => {
    const result = await poll(blocks, points, (request) => link.execute(request));
    if (result.errors.size) throw new Error([...result.errors.values()][0]);
  };
}

export async function runModbusPollingBench(): Promise<BenchResult> {
  const registers = Array.from({ length: REGISTERS }, (_, index) => index);
  const server = await startModbusServer({
    units: new Map([[1, { readHoldingRegisters: (address: number, quantity: number) => registers.slice(address, address + quantity) }]]),
  });
  try {
    const points = benchPoints();
    const blocks = planReads(points, { maxGap: 10 });
    const naiveBlocks: ReadBlock[] = points.map((point, index) => ({
      function: "holding-register",
      fc: 3,
      address: point.address,
      quantity: pointSpan(point),
      points: [{ index, offset: 0 }],
    }));
    const raw = new ModbusRTU();
    await raw.connectTCP("127.0.0.1", { port: server.port });
    raw.setID(1);
    const ours = connection(server.port);
    const naive = connection(server.port);
    const tallies = { ceiling: { polls: 0, seconds: 0 }, ours: { polls: 0, seconds: 0 }, naive: { polls: 0, seconds: 0 } };
    try {
      // The first request of each connection waits in its queue until the socket is up.
      await Promise.all([ours.execute({ fc: 3, address: 0, quantity: 1 }), naive.execute({ fc: 3, address: 0, quantity: 1 })]);
      for (let round = 0; round < ROUNDS; round++) {
        await slice(tallies.ceiling, async () => {
          for (const block of blocks) await raw.readHoldingRegisters(block.address, block.quantity);
        });
        await slice(tallies.ours, ourPoll(ours, blocks, points));
        await slice(tallies.naive, ourPoll(naive, naiveBlocks, points));
      }
    } finally {
      await Promise.all([ours.close(), naive.close(), new Promise<void>((resolve) => raw.close(() => resolve()))]);
    }
    const ceilingRate = tallies.ceiling.polls / tallies.ceiling.seconds;
    const oursRate = tallies.ours.polls / tallies.ours.seconds;
    const naiveRate = tallies.naive.polls / tallies.naive.seconds;
    const ofCeiling = oursRate / ceilingRate;
    const overNaive = oursRate / naiveRate;
    const passed = ofCeiling >= 0.7 && overNaive >= 10;
    const cpus = os.cpus();
    const lines = [
      `machine: ${cpus[0]?.model.trim() ?? "unknown"}, ${cpus.length} cores, Node ${process.version}`,
      `points: ${points.length} holding-register points (uint16 + float32) over ${REGISTERS} registers; ${blocks.length} coalesced requests per poll; ${RUN_MS / 1000} s each, in ${ROUNDS} interleaved slices; load ${os.loadavg()[0].toFixed(2)}`,
      `ceiling (raw modbus-serial, coalesced blocks): ${ceilingRate.toFixed(0)} polls/s (${(ceilingRate * blocks.length).toFixed(0)} requests/s)`,
      `ours    (planner + connection + decoder):      ${oursRate.toFixed(0)} polls/s`,
      `naive   (one request per point):               ${naiveRate.toFixed(1)} polls/s (${(naiveRate * points.length).toFixed(0)} requests/s)`,
      `ours/ceiling: ${(ofCeiling * 100).toFixed(1)} % (target ≥ 70 %) ${ofCeiling >= 0.7 ? "PASS" : "FAIL"}`,
      `ours/naive:   ${overNaive.toFixed(1)}× (target ≥ 10×) ${overNaive >= 10 ? "PASS" : "FAIL"}`,
      passed ? "PASS" : "FAIL",
    ];
    return { name: "modbus-polling", lines, passed };
  } finally {
    await server.close();
  }
}

/** For bench/run.ts, which loads every file here and expects this shape. */
export const benchmark = {
  name: "modbus-polling",
  async run(): Promise<{ lines: string[]; targets: { target: string; status: "PASS" | "FAIL"; detail: string }[] }> {
    const result = await runModbusPollingBench();
    return {
      lines: result.lines,
      targets: [{ target: "ours ≥ 70 % of the ceiling and ≥ 10× naive", status: result.passed ? "PASS" : "FAIL", detail: result.lines.slice(5, 7).join("; ") }],
    };
  },
};
