import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import helper from "node-red-node-test-helper";
import { ServerTCP } from "modbus-serial";
import modbusDeviceNode from "../../../nodes/modbus/modbus-device/modbus-device.js";
import modbusReadNode from "../../../nodes/modbus/modbus-read/modbus-read.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { FaultServer } from "./fixtures/fault-server.js";
import { freePort } from "../../helpers/free-port.js";
import { skipWithReason } from "../../helpers/skip-report.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const POINTS = [
  { name: "THP", function: "holding-register", address: 0, type: "float32", order: "CDAB" },
  { name: "CHOKE", function: "holding-register", address: 2, type: "uint16", scale: 0.1 },
  { name: "TEMP", function: "input-register", address: 10, type: "int16", offset: -40 },
  { name: "RUNNING", function: "coil", address: 5 },
];

function device(id: string, port: number, extra: Record<string, unknown> = {}) {
  return { id, type: "modbus-device", host: "127.0.0.1", port, unitId: 1, timeoutMs: 300, backoffInitialMs: 50, backoffMaxMs: 200, ...extra };
}

function reader(id: string, deviceId: string, asset: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    type: "modbus-read",
    z: "tab",
    device: deviceId,
    interval: 100,
    tagPrefix: `SITE1/${asset}`,
    output: "both",
    points: POINTS,
    wires: [[`${id}-out`]],
    ...extra,
  };
}

function flow(nodes: Record<string, unknown>[]): Record<string, unknown>[] {
  const helpers = nodes.filter((n) => n.type === "modbus-read").map((n) => ({ id: `${String(n.id)}-out`, type: "helper", z: "tab" }));
  return [
    { id: "tab", type: "tab", label: "Test" },
    ...nodes,
    ...helpers,
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
  ];
}

function collect(id: string): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = [];
  (helper.getNode(id) as TestNode).on("input", (msg) => messages.push(msg));
  return messages;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

function seed(server: FaultServer): void {
  // THP 1234.5 as float32, words swapped (CDAB).
  const bytes = Buffer.alloc(4);
  bytes.writeFloatBE(1234.5);
  server.holding.set([bytes.readUInt16BE(2), bytes.readUInt16BE(0), 425], 0);
  server.input[10] = 65;
  server.coils[5] = 1;
}


/** Resolves once something accepts TCP connections on the port (a server in another process starting up). */
async function waitForListener(port: number, gaveUp: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!gaveUp()) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length;
}

describe("modbus-read node", () => {
  let tags: TagStore;
  const servers: FaultServer[] = [];

  async function server(): Promise<FaultServer> {
    const started = await new FaultServer().listen(0);
    seed(started);
    servers.push(started);
    return started;
  }

  beforeEach(() => {
    tags = new TagStore();
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags } });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    for (const started of servers.splice(0)) await started.stop();
  });

  it("polls points into the tag store with good quality and sends one message per poll", async () => {
    const device1 = await server();
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", device1.port), reader("read", "dev", "WELL-101")]));
    const messages = collect("read-out");
    await until(() => messages.length >= 2, 2000);
    assert.deepEqual(messages[1].payload, { THP: 1234.5, CHOKE: 42.5, TEMP: 25, RUNNING: true });
    assert.equal(messages[1].quality, "good");
    assert.deepEqual(tags.read("SITE1/WELL-101/THP")?.v, 1234.5);
    assert.equal(tags.read("SITE1/WELL-101/CHOKE")?.q, "good");
    // Two holding points coalesced into one request; one each for input registers and coils.
    assert.deepEqual([...device1.requests.keys()].sort(), [1, 3, 4]);
    assert.ok(device1.requests.get(3)! <= messages.length + 1);
  });

  it("polls at once on an input message and keeps the message's properties", async () => {
    const device1 = await server();
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", device1.port), reader("read", "dev", "WELL-101", { interval: 60000 })]));
    const messages = collect("read-out");
    await until(() => messages.length >= 1, 2000);
    device1.holding[2] = 500;
    (helper.getNode("read") as TestNode).receive({ topic: "now", wellId: "WELL-101" });
    await until(() => messages.length >= 2, 1000);
    assert.equal(messages[1].wellId, "WELL-101");
    assert.equal((messages[1].payload as Record<string, number>).CHOKE, 50);
  });

  // How soon (max(2 polls, 1 timeout)) is measured by bench/modbus-faults.ts, not asserted here.
  it("marks the device's tags bad with the timeout reason, keeping the last value, and a Catch node hears it", async () => {
    const device1 = await server();
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", device1.port), reader("read", "dev", "WELL-101")]));
    const caught = collect("caught");
    await until(() => tags.read("SITE1/WELL-101/THP")?.q === "good", 2000);
    device1.mode = "silent";
    await until(() => tags.read("SITE1/WELL-101/THP")?.q === "bad", 5000);
    const thp = tags.read("SITE1/WELL-101/THP")!;
    assert.equal(thp.reason, `timeout after 300 ms: 127.0.0.1:${device1.port} unit 1`);
    assert.equal(thp.v, 1234.5, "the last value is kept");
    await until(() => caught.length >= 1, 1000);
    assert.match((caught[0].error as { message: string }).message, /timeout after 300 ms/);
  });

  // The good device's poll rate and the process's RSS beside faulty devices are measured by bench/modbus-faults.ts.
  it("keeps polling good devices while others are silent, late, corrupt or garbage, and never buffers a corrupt stream", async function () {
    this.timeout(20000);
    const good = await server();
    const faulty = await Promise.all([server(), server(), server(), server()]);
    faulty[0].mode = "silent";
    faulty[1].mode = "delay";
    faulty[1].delayMs = 500;
    faulty[2].mode = "corrupt-length";
    faulty[3].mode = "garbage";
    const nodes: Record<string, unknown>[] = [device("dev-good", good.port), reader("read-good", "dev-good", "WELL-101")];
    faulty.forEach((fault, index) => {
      nodes.push(device(`dev-${index}`, fault.port), reader(`read-${index}`, `dev-${index}`, `WELL-20${index}`));
    });
    await helper.load([modbusDeviceNode, modbusReadNode], flow(nodes));
    const messages = collect("read-good-out");
    // Every faulty device has failed at least once, and the corrupt one was reconnected to.
    await until(() => [0, 1, 2, 3].every((index) => tags.read(`SITE1/WELL-20${index}/THP`)?.q === "bad") && faulty[2].connections >= 2, 10000);
    // The good device goes on answering meanwhile: ten more polls, every one good.
    const countBefore = messages.length;
    await until(() => messages.length >= countBefore + 10, 10000);
    assert.ok(messages.every((msg) => msg.quality === "good"), "the good device's messages are all good");
    for (const [index, reason] of [
      [0, /timeout after 300 ms/],
      [1, /timeout after 300 ms/],
      [2, /protocol error: MBAP length 65535/],
      [3, /protocol error: MBAP protocol id/],
    ] as const) {
      const tag = tags.read(`SITE1/WELL-20${index}/THP`);
      assert.equal(tag?.q, "bad", `device ${index}`);
      assert.match(tag.reason ?? "", reason);
    }
    // The corrupt stream was cut after its first chunk or two on every connection (the device may write one more
    // before it sees the hang-up), far from the 65 541 bytes the fake length asks modbus-serial to buffer.
    assert.ok(Math.max(...faulty[2].sentPerConnection) <= 8192, `corrupt device sent ${Math.max(...faulty[2].sentPerConnection)} bytes`);
    assert.ok(faulty[2].connections >= 2, "the connection was retried");
  });

  it("recovers when the device comes back, and frees every socket on unload", async () => {
    const baseline = openSockets();
    const device1 = await server();
    await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", device1.port), reader("read", "dev", "WELL-101")]));
    await until(() => tags.read("SITE1/WELL-101/THP")?.q === "good", 2000);
    const port = device1.port;
    await device1.stop();
    await until(() => tags.read("SITE1/WELL-101/THP")?.q === "bad", 2000);
    assert.match(tags.read("SITE1/WELL-101/THP")?.reason ?? "", /ECONNREFUSED|closed by the device/);
    device1.holding[2] = 600;
    await device1.listen(port);
    await until(() => tags.read("SITE1/WELL-101/CHOKE")?.v === 60 && tags.read("SITE1/WELL-101/CHOKE")?.q === "good", 3000);
    await helper.unload();
    await device1.stop();
    await until(() => openSockets() <= baseline, 1000);
  });

  it("reads from modbus-serial's own ServerTCP", async () => {
    const holding = [0x4120, 0x0000, 7]; // 10.0 as float32 ABCD, then 7
    const port = await freePort();
    const tcp = new ServerTCP(
      { getHoldingRegister: (address: number) => holding[address] ?? 0, getInputRegister: () => 0, getCoil: () => false },
      { host: "127.0.0.1", port, unitID: 1 },
    );
    await new Promise<void>((resolve) => tcp.on("initialized", () => resolve()));
    try {
      const points = [
        { name: "P", function: "holding-register", address: 0, type: "float32" },
        { name: "N", function: "holding-register", address: 2, type: "uint16" },
      ];
      await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", port), reader("read", "dev", "WELL-101", { points })]));
      const messages = collect("read-out");
      await until(() => messages.length >= 1, 2000);
      assert.deepEqual(messages[0].payload, { P: 10, N: 7 });
    } finally {
      await helper.unload();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  describe("a device whose map has holes (exception 2 for a block that spans one)", () => {
    // C at 102 is not mapped, nor is 106 (between D and E): one coalesced block 100..108 is refused as a whole.
    const SPARSE_POINTS = [
      { name: "A", function: "holding-register", address: 100, type: "uint16" },
      { name: "B", function: "holding-register", address: 101, type: "uint16" },
      { name: "C", function: "holding-register", address: 102, type: "uint16" },
      { name: "D", function: "holding-register", address: 103, type: "int32" },
      { name: "E", function: "holding-register", address: 108, type: "uint16" },
    ];
    const MAPPED: Record<number, number> = { 100: 11, 101: 22, 103: 0xffff, 104: 0xfffe, 105: 0, 107: 0, 108: 88 };
    const EXPECTED = { A: 11, B: 22, C: null, D: -2, E: 88 };

    async function expectSplitReads(port: number): Promise<Record<string, unknown>[]> {
      await helper.load([modbusDeviceNode, modbusReadNode], flow([device("dev", port), reader("read", "dev", "WELL-101", { points: SPARSE_POINTS, maxGap: 10 })]));
      const messages = collect("read-out");
      await until(() => messages.length >= 3, 5000);
      for (const message of messages) {
        assert.deepEqual(message.payload, EXPECTED);
        assert.equal(message.quality, "uncertain");
        assert.deepEqual(Object.keys(message.errors as Record<string, string>), ["C"]);
        assert.match((message.errors as Record<string, string>).C, /exception 2.*\(fc 3 at 102\)/i, "the unmapped point's own address");
      }
      for (const name of ["A", "B", "D", "E"]) assert.equal(tags.read(`SITE1/WELL-101/${name}`)?.q, "good", name);
      const c = tags.read("SITE1/WELL-101/C");
      assert.equal(c?.q, "bad");
      assert.match(c?.reason ?? "", /at 102\b/);
      return messages;
    }

    it("splits the block: valid points stay good, only the unmapped point goes bad, with its own address; later polls skip the holes", async () => {
      const device1 = await server();
      for (const [address, value] of Object.entries(MAPPED)) device1.holding[Number(address)] = value;
      for (const hole of [102, 106]) device1.unmapped.add(hole);
      const messages = await expectSplitReads(device1.port);
      const exceptionsAfterLearning = device1.exceptions;
      const readsAfterLearning = device1.requests.get(3) ?? 0;
      const pollsAfterLearning = messages.length;
      await until(() => messages.length >= pollsAfterLearning + 5, 3000);
      assert.equal(device1.exceptions, exceptionsAfterLearning, "no request refused once the holes are learnt");
      const polls = messages.length - pollsAfterLearning;
      const reads = (device1.requests.get(3) ?? 0) - readsAfterLearning;
      assert.ok(reads <= (polls + 1) * 3, `${reads} reads for ${polls} polls: [A B] [D] [E] each poll`);
    });

    it("against pymodbus (another vendor's stack, Debian python3-pymodbus) with a sparse map", async function () {
      this.timeout(20000);
      const python = "/usr/bin/python3";
      try {
        execFileSync(python, ["-c", "import pymodbus.server"], { stdio: "ignore", timeout: 10000 });
      } catch {
        skipWithReason(this, "python3-pymodbus's server cannot be imported (apt-get install python3-pymodbus python3-serial-asyncio)");
      }
      const port = await freePort();
      const script = path.join(__dirname, "fixtures", "pymodbus-sparse-server.py");
      const pymodbus: ChildProcess = spawn(python, [script, String(port), JSON.stringify(MAPPED)], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      pymodbus.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      try {
        await waitForListener(port, () => pymodbus.exitCode !== null);
        assert.equal(pymodbus.exitCode, null, `pymodbus exited: ${stderr}`);
        await expectSplitReads(port);
      } finally {
        await helper.unload();
        pymodbus.kill();
      }
    });
  });

  it("fails clearly without a device, through done(err)", async () => {
    await helper.load([modbusDeviceNode, modbusReadNode], flow([reader("read", "missing", "WELL-101")]));
    const caught = collect("caught");
    (helper.getNode("read") as TestNode).receive({ payload: "tick" });
    await until(() => caught.length >= 1, 1000);
    assert.match((caught[0].error as { message: string }).message, /no Modbus device configured/);
  });
});
