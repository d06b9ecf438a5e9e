import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import helper from "node-red-node-test-helper";
import modbusDeviceNode from "../../../nodes/modbus/modbus-device/modbus-device.js";
import modbusReadNode from "../../../nodes/modbus/modbus-read/modbus-read.js";
import modbusWriteNode from "../../../nodes/modbus/modbus-write/modbus-write.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { startModbusServer } from "../../../simulator/modbus-server.js";
import { FaultServer } from "./fixtures/fault-server.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

function flow(port: number, write: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { id: "tab", type: "tab", label: "Test" },
    { id: "dev", type: "modbus-device", host: "127.0.0.1", port, unitId: 1, timeoutMs: 300, backoffInitialMs: 50, backoffMaxMs: 200 },
    { id: "write", type: "modbus-write", z: "tab", device: "dev", wires: [["out"]], ...write },
    { id: "out", type: "helper", z: "tab" },
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
  ];
}

function next(id: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => (helper.getNode(id) as TestNode).on("input", resolve));
}

function send(payload: unknown): void {
  (helper.getNode("write") as TestNode).receive({ payload });
}

describe("modbus-write node", () => {
  let server: FaultServer;

  beforeEach(async () => {
    server = await new FaultServer().listen(0);
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore() } });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await server.stop();
  });

  it("writes a scaled float32 with FC 16, word order applied, and checks it by reading back", async () => {
    await helper.load([modbusDeviceNode, modbusWriteNode], flow(server.port, {
      function: "holding-register", address: 100, dataType: "float32", order: "CDAB", scale: 0.5, readBack: true,
    }));
    const out = next("out");
    send(21);
    assert.equal((await out).payload, 21);
    const bytes = Buffer.alloc(4);
    bytes.writeFloatBE(42);
    assert.deepEqual([server.holding[100], server.holding[101]], [bytes.readUInt16BE(2), bytes.readUInt16BE(0)]);
    assert.equal(server.requests.get(16), 1);
    assert.equal(server.requests.get(3), 1);
  });

  it("writes one register with FC 6 and a coil with FC 5", async () => {
    await helper.load([modbusDeviceNode, modbusWriteNode], flow(server.port, { function: "holding-register", address: 7, dataType: "int16" }));
    let out = next("out");
    send(-2);
    await out;
    assert.equal(server.holding[7], 0xfffe);
    assert.equal(server.requests.get(6), 1);
    await helper.unload();
    await helper.load([modbusDeviceNode, modbusWriteNode], flow(server.port, { function: "coil", address: 3 }));
    out = next("out");
    send(true);
    await out;
    assert.equal(server.coils[3], 1);
    assert.equal(server.requests.get(5), 1);
  });

  it("reports a read-back mismatch to a Catch node", async () => {
    server.ignoreWrites = true;
    await helper.load([modbusDeviceNode, modbusWriteNode], flow(server.port, {
      function: "holding-register", address: 10, dataType: "uint16", readBack: true,
    }));
    const caught = next("caught");
    send(1234);
    const error = (await caught).error as { message: string; source: { id: string } };
    assert.match(error.message, /read-back mismatch at address 10: wrote \[1234\], device holds \[0\]/);
    assert.equal(error.source.id, "write");
  });

  it("rejects a value out of range, and a silent device, through done(err)", async () => {
    await helper.load([modbusDeviceNode, modbusWriteNode], flow(server.port, { function: "holding-register", address: 0, dataType: "uint16" }));
    let caught = next("caught");
    send(70000);
    assert.match(((await caught).error as { message: string }).message, /outside uint16/);
    server.mode = "silent";
    caught = next("caught");
    send(1);
    assert.match(((await caught).error as { message: string }).message, /timeout after 300 ms: 127\.0\.0\.1:\d+ unit 1/);
  });
});

describe("modbus nodes against the simulator's Modbus server", () => {
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it("writes a setpoint and reads it back into the tag store", async () => {
    const registers = new Array<number>(200).fill(0);
    const simulator = await startModbusServer({
      units: new Map([[1, {
        readHoldingRegisters: (address: number, quantity: number) => registers.slice(address, address + quantity),
        writeRegisters: (address: number, values: number[]) => registers.splice(address, values.length, ...values),
      }]]),
    });
    const tags = new TagStore();
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags } });
    try {
      const nodes = flow(simulator.port, { function: "holding-register", address: 20, dataType: "float32", readBack: true });
      nodes.push({
        id: "read", type: "modbus-read", z: "tab", device: "dev", interval: 50, tagPrefix: "SITE1/WELL-101", output: "tags",
        points: [{ name: "CHOKE_SP", function: "holding-register", address: 20, type: "float32" }],
      });
      await helper.load([modbusDeviceNode, modbusReadNode, modbusWriteNode], nodes);
      const out = next("out");
      send(37.5);
      await out;
      const deadline = Date.now() + 2000;
      while (tags.read("SITE1/WELL-101/CHOKE_SP")?.v !== 37.5 && Date.now() < deadline) await sleep(10);
      assert.deepEqual(tags.read("SITE1/WELL-101/CHOKE_SP")?.q, "good");
      assert.equal(tags.read("SITE1/WELL-101/CHOKE_SP")?.v, 37.5);
      // The simulator's corrupt length (one byte short) leaves trailing bytes: the guard ends the request.
      simulator.setFault(1, { corruptLength: true });
      const deadlineBad = Date.now() + 2000;
      while (tags.read("SITE1/WELL-101/CHOKE_SP")?.q !== "bad" && Date.now() < deadlineBad) await sleep(10);
      assert.match(tags.read("SITE1/WELL-101/CHOKE_SP")?.reason ?? "", /protocol error/);
    } finally {
      await helper.unload();
      await simulator.close();
    }
  });
});
