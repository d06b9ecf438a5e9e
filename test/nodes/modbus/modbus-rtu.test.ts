import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import helper from "node-red-node-test-helper";
import modbusDeviceNode from "../../../nodes/modbus/modbus-device/modbus-device.js";
import { detectSerialSupport } from "../../../nodes/modbus/modbus-device/serial-support.js";
import modbusReadNode from "../../../nodes/modbus/modbus-read/modbus-read.js";
import modbusWriteNode from "../../../nodes/modbus/modbus-write/modbus-write.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import type { ModbusUnit } from "../../../simulator/modbus-frame.js";
import { createModbusUnits } from "../../../simulator/modbus-map.js";
import { createOilfield, type Oilfield } from "../../../simulator/model/oilfield.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { findSocat, startPtyPair, type PtyPair } from "./fixtures/pty-pair.js";
import { RtuSlave, crc16Modbus } from "./fixtures/rtu-slave.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

/** WELL-101's unit id in the simulator's register map. */
const WELL_UNIT_ID = 11;
const TIMEOUT_MS = 300;
const POLL_MS = 150;
const THP_TAG = "SITE1/WELL-101/THP";

// The simulator's WELL-101: float32 (ABCD) measurements from input register 0, the scaled
// int16 copies of its setpoints from holding register 1000 (value x 10), a coil, a discrete input.
const POINTS = [
  { name: "THP", function: "input-register", address: 0, type: "float32" },
  { name: "CHP", function: "input-register", address: 2, type: "float32" },
  { name: "CHOKE_SP", function: "holding-register", address: 1000, type: "int16", scale: 0.1 },
  { name: "ESP_FREQ_SP", function: "holding-register", address: 1001, type: "int16", scale: 0.1 },
  { name: "SHUT_IN_CMD", function: "coil", address: 0 },
  { name: "RUNNING", function: "discrete-input", address: 0 },
];

/** What the read node must decode, straight from the model: float32 rounding, int16 at 0.1 resolution. */
function servedValues(field: Oilfield): Record<string, number | boolean> {
  const number = (point: string) => Number(field.read("WELL-101", point));
  return {
    THP: Math.fround(number("THP")),
    CHP: Math.fround(number("CHP")),
    CHOKE_SP: Math.round(number("CHOKE_SP") * 10) * 0.1,
    ESP_FREQ_SP: Math.round(number("ESP_FREQ_SP") * 10) * 0.1,
    SHUT_IN_CMD: field.read("WELL-101", "SHUT_IN_CMD") === true,
    RUNNING: field.read("WELL-101", "RUNNING") === true,
  };
}

function device(serialPath: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "dev",
    type: "modbus-device",
    transport: "rtu",
    serialPath,
    baudRate: 19200,
    parity: "none",
    dataBits: 8,
    stopBits: 1,
    unitId: WELL_UNIT_ID,
    timeoutMs: TIMEOUT_MS,
    backoffInitialMs: 50,
    backoffMaxMs: 200,
    ...extra,
  };
}

function reader(points: Record<string, unknown>[] = POINTS): Record<string, unknown> {
  return { id: "read", type: "modbus-read", z: "tab", device: "dev", interval: POLL_MS, tagPrefix: "SITE1/WELL-101", output: "both", points, wires: [["read-out"]] };
}

function writer(id: string, write: Record<string, unknown>): Record<string, unknown> {
  return { id, type: "modbus-write", z: "tab", device: "dev", readBack: true, wires: [[`${id}-out`]], ...write };
}

function flow(nodes: Record<string, unknown>[]): Record<string, unknown>[] {
  const outputs = nodes.filter((n) => n.type === "modbus-read" || n.type === "modbus-write").map((n) => ({ id: `${String(n.id)}-out`, type: "helper", z: "tab" }));
  return [
    { id: "tab", type: "tab", label: "Test" },
    ...nodes,
    ...outputs,
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
  ];
}

function collect(id: string): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = [];
  (helper.getNode(id) as TestNode).on("input", (msg) => messages.push(msg));
  return messages;
}

function next(id: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => (helper.getNode(id) as TestNode).on("input", resolve));
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(10);
  }
}

describe("RTU wire check", () => {
  it("computes CRC-16/MODBUS as the specification's example frame has it", () => {
    // Read one holding register at 0 from unit 1: 01 03 00 00 00 01, CRC bytes 84 0A (low byte first).
    assert.equal(crc16Modbus(Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x01])), 0x0a84);
  });
});

describe("Modbus RTU nodes over a socat PTY pair", function () {
  let pty: PtyPair | undefined;
  let field: Oilfield;
  let tags: TagStore;
  let slave: RtuSlave | undefined;

  before(async function () {
    const socat = findSocat();
    if (!socat) skipWithReason(this, "socat is not installed, so there is no PTY pair to run Modbus RTU over (apt-get install socat)");
    const serial = detectSerialSupport();
    if (!serial.available) skipWithReason(this, serial.reason);
    pty = await startPtyPair(socat);
  });

  after(async () => {
    await pty?.stop();
  });

  beforeEach(() => {
    field = createOilfield({ seed: 3, startTime: Date.UTC(2025, 0, 1), eventsPerDay: 0 });
    tags = new TagStore();
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags } });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await slave?.stop();
    slave = undefined;
  });

  function pair(): PtyPair {
    assert.ok(pty, "the PTY pair is running");
    return pty;
  }

  function well(): ModbusUnit {
    const unit = createModbusUnits(field).get(WELL_UNIT_ID);
    assert.ok(unit, "the simulator serves WELL-101");
    return unit;
  }

  async function startSlave(options: { baudRate: number; parity?: "none" | "even" | "odd"; unit?: ModbusUnit }): Promise<RtuSlave> {
    const started = new RtuSlave(options.unit ?? well(), { path: pair().slavePath, baudRate: options.baudRate, parity: options.parity, unitId: WELL_UNIT_ID });
    await started.start();
    return started;
  }

  it("reads float32, int16 and bool points that equal what the slave serves, at 19200 baud, in valid RTU frames", async () => {
    slave = await startSlave({ baudRate: 19200 });
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device(pair().devicePath), reader()]));
    const messages = collect("read-out");
    const caught = collect("caught");
    await until(() => messages.length >= 2, 3000, "two polls");
    const served = servedValues(field);
    assert.equal(served.RUNNING, true, "the fixture serves both bool states");
    assert.equal(served.SHUT_IN_CMD, false);
    assert.deepEqual(messages[1].payload, served);
    assert.equal(messages[1].quality, "good");
    assert.deepEqual({ v: tags.read(THP_TAG)?.v, q: tags.read(THP_TAG)?.q }, { v: served.THP, q: "good" });
    assert.equal(tags.read("SITE1/WELL-101/CHOKE_SP")?.v, served.CHOKE_SP);
    // On the wire: one request per table per poll, all for unit 11 with a CRC checked independently of modbus-serial.
    const requests = slave.requests;
    assert.ok(requests.length >= 8, `${requests.length} request frames`);
    assert.ok(requests.every((frame) => frame.unitId === WELL_UNIT_ID && frame.crcValid), JSON.stringify(requests));
    assert.deepEqual(new Set(requests.map((frame) => frame.functionCode)), new Set([1, 2, 3, 4]));
    assert.equal(caught.length, 0);
  });

  it("writes a float32 setpoint (FC 16) and a coil (FC 5) with read-back at 9600 baud, even parity, and reads them back", async () => {
    slave = await startSlave({ baudRate: 9600, parity: "even" });
    await helper.load(
      [modbusDeviceNode, modbusReadNode, modbusWriteNode],
      flow([
        device(pair().devicePath, { baudRate: 9600, parity: "even" }),
        reader(POINTS.filter((point) => point.name === "ESP_FREQ_SP" || point.name === "SHUT_IN_CMD")),
        // The float32 copy of ESP_FREQ_SP at holding 2-3; the reader polls its int16 copy at 1001.
        writer("write-sp", { function: "holding-register", address: 2, dataType: "float32" }),
        writer("write-cmd", { function: "coil", address: 0 }),
      ]),
    );
    const caught = collect("caught");
    await until(() => tags.read("SITE1/WELL-101/ESP_FREQ_SP")?.q === "good", 3000, "first poll");
    assert.equal(tags.read("SITE1/WELL-101/ESP_FREQ_SP")?.v, 54.5);

    const spWritten = next("write-sp-out");
    (helper.getNode("write-sp") as TestNode).receive({ payload: 52.5 });
    assert.equal((await spWritten).payload, 52.5);
    assert.equal(field.read("WELL-101", "ESP_FREQ_SP"), 52.5);
    await until(() => tags.read("SITE1/WELL-101/ESP_FREQ_SP")?.v === 52.5, 2000, "the new setpoint polled");

    const cmdWritten = next("write-cmd-out");
    (helper.getNode("write-cmd") as TestNode).receive({ payload: true });
    assert.equal((await cmdWritten).payload, true);
    assert.equal(field.read("WELL-101", "SHUT_IN_CMD"), true);
    await until(() => tags.read("SITE1/WELL-101/SHUT_IN_CMD")?.v === true, 2000, "the coil polled");

    const codes = slave.requests.map((frame) => frame.functionCode);
    assert.ok(codes.includes(16) && codes.includes(5), `function codes ${codes.join(",")}`);
    assert.ok(slave.requests.every((frame) => frame.crcValid));
    assert.equal(caught.length, 0, JSON.stringify(caught.map((msg) => msg.error)));
  });

  // How soon tags go bad and recover is measured by bench/modbus-faults.ts (rtu), not asserted here.
  it("a wrong unit id: the slave ignores the frames and tags and messages go bad with the timeout reason", async () => {
    slave = await startSlave({ baudRate: 19200 });
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device(pair().devicePath, { unitId: 12 }), reader()]));
    const messages = collect("read-out");
    const caught = collect("caught");
    await until(() => tags.read(THP_TAG)?.q === "bad", 5000, "THP bad");
    const reason = `timeout after ${TIMEOUT_MS} ms: ${pair().devicePath} unit 12`;
    assert.equal(tags.read(THP_TAG)?.reason, reason);
    await until(() => messages.length >= 1 && caught.length >= 1, 2000, "a bad message and a caught error");
    assert.equal(messages[0].quality, "bad");
    assert.equal((messages[0].payload as Record<string, unknown>).THP, null);
    assert.equal((messages[0].errors as Record<string, string>).THP, reason);
    assert.equal((caught[0].error as { message: string }).message, reason);
    // The frames did reach the slave, well formed, addressed to a unit it is not.
    assert.ok(slave.requests.length >= 1);
    assert.ok(slave.requests.every((frame) => frame.unitId === 12 && frame.crcValid), JSON.stringify(slave.requests));
  });

  it("the slave stops: tags go bad with the timeout reason, then recover when it answers again", async () => {
    slave = await startSlave({ baudRate: 19200 });
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device(pair().devicePath), reader()]));
    const messages = collect("read-out");
    await until(() => tags.read(THP_TAG)?.q === "good", 3000, "THP good");
    const lastGood = tags.read(THP_TAG)?.v;

    await slave.stop();
    await until(() => tags.read(THP_TAG)?.q === "bad", 5000, "THP bad");
    const reason = `timeout after ${TIMEOUT_MS} ms: ${pair().devicePath} unit ${WELL_UNIT_ID}`;
    assert.equal(tags.read(THP_TAG)?.reason, reason);
    assert.equal(tags.read(THP_TAG)?.v, lastGood, "the last value is kept");
    await until(() => messages.at(-1)?.quality === "bad", 1000, "a bad message");
    assert.equal((messages.at(-1)?.errors as Record<string, string>).THP, reason);

    // The device comes back with a new setpoint: the node reopens the port after its backoff and reads it.
    field.write("WELL-101", "CHOKE_SP", 75);
    slave = await startSlave({ baudRate: 19200 });
    await until(() => tags.read("SITE1/WELL-101/CHOKE_SP")?.v === 75 && tags.read(THP_TAG)?.q === "good", 5000, "recovery");
    await until(() => messages.at(-1)?.quality === "good", 1000, "a good message");
    assert.deepEqual(messages.at(-1)?.payload, servedValues(field));
  });
});
