import { parseArgs } from "node:util";
import { buildModbusMap, createModbusUnits } from "./modbus-map.js";
import { startModbusServer, type ModbusServer } from "./modbus-server.js";
import { createOilfield, type Oilfield } from "./model/oilfield.js";
import type { OilfieldModel } from "./model/types.js";

/**
 * Runs the simulated oilfield: the model ticking in real time (sped up by
 * timeFactor) behind its protocol servers. Modbus TCP is built in; OPC UA and
 * Sparkplug B plug in through `extraServers`.
 */

/** A protocol server fed by the model (OPC UA, Sparkplug B publisher ...). */
export interface SimulatorExtraServer {
  start(model: OilfieldModel): Promise<void> | void;
  close(): Promise<void> | void;
}

export interface SimulatorOptions {
  siteId?: string;
  seed?: number;
  /** Simulated seconds per real second. Default 1. */
  timeFactor?: number;
  /** See OilfieldOptions.declineTimeFactor. Default 1. */
  declineTimeFactor?: number;
  /** See OilfieldOptions.eventsPerDay. */
  eventsPerDay?: number;
  startTime?: number;
  /** Default 5020 (502 needs privileges); 0 picks a free port. */
  modbusPort?: number;
  /** Address the servers bind. Default 127.0.0.1; 0.0.0.0 to reach them from other machines. */
  host?: string;
  /** Real ms between model steps. Default 1000. */
  tickMs?: number;
  /** Started after Modbus, in order; closed in reverse order. */
  extraServers?: SimulatorExtraServer[];
}

export interface RunningSimulator {
  model: Oilfield;
  modbusPort: number;
  modbus: ModbusServer;
  /** Stops the clock and closes every server and socket. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const model = createOilfield({
    siteId: options.siteId,
    seed: options.seed,
    startTime: options.startTime,
    declineTimeFactor: options.declineTimeFactor,
    eventsPerDay: options.eventsPerDay,
  });
  const timeFactor = options.timeFactor ?? 1;
  const tickMs = options.tickMs ?? 1000;
  const modbus = await startModbusServer({ host: options.host ?? "127.0.0.1", port: options.modbusPort ?? 5020, units: createModbusUnits(model) });

  const started: SimulatorExtraServer[] = [];
  const closeStarted = async (): Promise<void> => {
    for (const server of [...started].reverse()) await server.close();
    await modbus.close();
  };
  try {
    for (const server of options.extraServers ?? []) {
      await server.start(model);
      started.push(server);
    }
  } catch (error) {
    await closeStarted();
    throw error;
  }

  let closing: Promise<void> | undefined;
  // Step by the real time elapsed, not the nominal tick, so a busy event loop does not slow the field down.
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    model.step(((now - last) / 1000) * timeFactor);
    last = now;
  }, tickMs);

  return {
    model,
    modbusPort: modbus.port,
    modbus,
    close() {
      clearInterval(timer);
      // Idempotent: a signal handler and a test teardown may both close.
      closing ??= closeStarted();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      "time-factor": { type: "string", default: "1" },
      "decline-time-factor": { type: "string", default: "1" },
      "modbus-port": { type: "string", default: "5020" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const simulator = await startSimulator({
    seed: Number(values.seed),
    timeFactor: Number(values["time-factor"]),
    declineTimeFactor: Number(values["decline-time-factor"]),
    modbusPort: Number(values["modbus-port"]),
    host: values.host,
  });
  const { model } = simulator;
  model.onEvent((event) => process.stdout.write(`${new Date(event.t).toISOString()} ${event.asset} ${event.kind}: ${event.message}\n`));
  process.stdout.write(`Simulated oilfield ${model.siteId}: Modbus TCP on ${values.host}:${simulator.modbusPort}\n`);
  for (const unit of buildModbusMap(model)) process.stdout.write(`  unit ${unit.unitId}: ${unit.asset}\n`);
  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
