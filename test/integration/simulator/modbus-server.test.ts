import assert from "node:assert/strict";
import net from "node:net";
import ModbusRTU from "modbus-serial";
import { encodeFrame } from "../../../simulator/modbus-frame.js";
import { buildModbusMap, createModbusUnits, float32ToRegisters, type ModbusMapUnit } from "../../../simulator/modbus-map.js";
import { startModbusServer, type ModbusServer, type ModbusUnit } from "../../../simulator/modbus-server.js";
import { createOilfield, type Oilfield } from "../../../simulator/model/oilfield.js";

const HOST = "127.0.0.1";

/** A bare TCP client for what modbus-serial cannot do: split frames, garbage, raw header checks. */
class RawClient {
  private received = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
    socket.on("error", () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, HOST, () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Resolves with exactly `bytes` bytes once they have arrived. */
  async read(bytes: number, timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < bytes) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${bytes} bytes (have ${this.received.length})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
    const head = this.received.subarray(0, bytes);
    this.received = this.received.subarray(bytes);
    return Buffer.from(head);
  }

  close(): void {
    this.socket.destroy();
  }
}

const request = (transactionId: number, unitId: number, pdu: number[]): Buffer => encodeFrame(transactionId, unitId, Buffer.from(pdu));

function modbusCode(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "modbusCode" in error ? Number(error.modbusCode) : undefined;
}

async function expectException(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(modbusCode(error), code, String(error));
    return true;
  });
}

function address(map: ModbusMapUnit[], asset: string, point: string): number {
  const found = map.find((unit) => unit.asset === asset)?.entries.find((e) => e.point === point);
  assert.ok(found, `${asset}/${point}`);
  return found.address;
}

describe("Modbus TCP server (real sockets)", () => {
  let model: Oilfield;
  let map: ModbusMapUnit[];
  let server: ModbusServer;
  let client: ModbusRTU;

  beforeEach(async () => {
    model = createOilfield({ seed: 9, startTime: Date.UTC(2025, 0, 1), eventsPerDay: 0 });
    map = buildModbusMap(model);
    server = await startModbusServer({ host: HOST, port: 0, units: createModbusUnits(model, map) });
    client = new ModbusRTU();
    await client.connectTCP(HOST, { port: server.port });
    client.setTimeout(1000);
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await server.close();
  });

  it("reads coils, discrete inputs, holding and input registers", async () => {
    client.setID(11);
    assert.deepEqual((await client.readCoils(0, 1)).data.slice(0, 1), [false]);
    assert.deepEqual((await client.readDiscreteInputs(0, 2)).data.slice(0, 2), [true, false]);
    const holding = await client.readHoldingRegisters(0, 4);
    assert.equal(holding.buffer.readFloatBE(0), Math.fround(model.read("WELL-101", "CHOKE_SP") as number));
    assert.equal(holding.buffer.readFloatBE(4), Math.fround(model.read("WELL-101", "ESP_FREQ_SP") as number));
    const input = await client.readInputRegisters(0, 4);
    assert.equal(input.buffer.readFloatBE(0), Math.fround(model.read("WELL-101", "THP") as number));
    const pip = address(map, "WELL-101", "PIP");
    assert.equal((await client.readInputRegisters(pip, 2)).buffer.readFloatBE(0), Math.fround(model.read("WELL-101", "PIP") as number));
    const scaled = await client.readInputRegisters(1000, 2);
    assert.deepEqual(scaled.data, [Math.round(model.read("WELL-101", "THP") as number), Math.round(model.read("WELL-101", "CHP") as number)]);
    client.setID(51);
    assert.ok((await client.readInputRegisters(0, 2)).buffer.readFloatBE(0) > 0, "tank level");
  });

  it("writes with FC 5, 6, 15 and 16 reach the model", async () => {
    client.setID(11);
    await client.writeCoil(0, true);
    assert.equal(model.read("WELL-101", "SHUT_IN_CMD"), true);
    assert.equal(model.read("WELL-101", "RUNNING"), false);
    await client.writeCoils(0, [false]);
    assert.equal(model.read("WELL-101", "RUNNING"), true);
    await client.writeRegister(1000, 333);
    assert.equal(model.read("WELL-101", "CHOKE_SP"), 33.3);
    await client.writeRegisters(2, float32ToRegisters(61.5));
    assert.equal(model.read("WELL-101", "ESP_FREQ_SP"), 61.5);
    client.setID(41);
    await client.writeRegisters(address(map, "SEP-TEST", "TEST_WELL"), float32ToRegisters(304));
    assert.equal(model.read("SEP-TEST", "TEST_WELL"), 304);
    client.setID(51);
    await client.writeCoil(0, true);
    assert.equal(model.read("TK-01", "TRANSFER_PUMP"), true);
  });

  it("answers exceptions 01, 02, 03, 04 and 0B", async () => {
    client.setID(11);
    await expectException(client.readHoldingRegisters(500, 2), 2);
    await expectException(client.readHoldingRegisters(0, 126), 3);
    await expectException(client.readCoils(0, 2001), 3);
    await expectException(client.writeRegister(1000, 1001), 3);
    await expectException(client.writeRegister(0, 0x4248), 2);
    client.setID(99);
    await expectException(client.readInputRegisters(0, 2), 0x0b);

    const raw = await RawClient.connect(server.port);
    raw.socket.write(request(7, 11, [0x2b, 0x0e, 0x01, 0x00]));
    assert.equal((await raw.read(9)).toString("hex"), "000700000003" + "0bab01");
    raw.close();

    const failing: ModbusUnit = {
      readInputRegisters: () => {
        throw new Error("transmitter bus down");
      },
    };
    const other = await startModbusServer({ host: HOST, port: 0, units: new Map([[1, failing]]) });
    const second = new ModbusRTU();
    await second.connectTCP(HOST, { port: other.port });
    second.setID(1);
    second.setTimeout(1000);
    await expectException(second.readInputRegisters(0, 1), 4);
    await new Promise<void>((resolve) => second.close(() => resolve()));
    await other.close();
  });

  it("answers pipelined requests on one connection", async () => {
    const reads = Array.from({ length: 200 }, (_, index) => {
      const unitId = [11, 21, 31, 42][index % 4] ?? 11;
      client.setID(unitId);
      return client.readInputRegisters(0, 2).then((result) => ({ unitId, value: result.buffer.readFloatBE(0) }));
    });
    const results = await Promise.all(reads);
    const expected: Record<number, string> = { 11: "WELL-101", 21: "WELL-201", 31: "WELL-301", 42: "SEP-PROD" };
    for (const { unitId, value } of results) {
      const asset = expected[unitId] ?? "";
      const point = asset === "SEP-PROD" ? "PRESSURE" : "THP";
      assert.equal(value, Math.fround(model.read(asset, point) as number));
    }

    const raw = await RawClient.connect(server.port);
    raw.socket.write(Buffer.concat([request(1, 11, [3, 0, 0, 0, 2]), request(2, 12, [1, 0, 0, 0, 1]), request(3, 13, [4, 0, 0, 0, 1])]));
    const answers = await raw.read(13 + 10 + 11);
    assert.equal(answers.readUInt16BE(0), 1);
    assert.equal(answers.readUInt16BE(13), 2);
    assert.equal(answers.readUInt16BE(23), 3);
    raw.close();
  });

  it("reassembles a request split across TCP writes", async () => {
    const raw = await RawClient.connect(server.port);
    const frame = request(0x0102, 11, [4, 0, 0, 0, 2]);
    raw.socket.write(frame.subarray(0, 4));
    await new Promise((resolve) => setTimeout(resolve, 30));
    raw.socket.write(frame.subarray(4, 9));
    await new Promise((resolve) => setTimeout(resolve, 30));
    raw.socket.write(frame.subarray(9));
    const answer = await raw.read(13);
    assert.equal(answer.subarray(0, 9).toString("hex"), "010200000007" + "0b0404");
    assert.equal(answer.readFloatBE(9), Math.fround(model.read("WELL-101", "THP") as number));
    raw.close();
  });

  it("closes the connection on an over-long length or a foreign protocol", async () => {
    const longLength = await RawClient.connect(server.port);
    longLength.socket.write(Buffer.from("0001000001f40b03", "hex"));
    await longLength.closed;

    const http = await RawClient.connect(server.port);
    http.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await http.closed;

    client.setID(11);
    assert.equal((await client.readInputRegisters(0, 2)).data.length, 2, "other connections are unaffected");
  });

  it("injects faults per unit: silent, delayed, corrupt length", async () => {
    client.setID(12);
    server.setFault(12, { silent: true });
    client.setTimeout(200);
    // modbus-serial rejects a timeout with a plain object, not an Error: recognise it by errno.
    await assert.rejects(client.readInputRegisters(0, 2), (error: unknown) => {
      assert.equal(typeof error === "object" && error !== null && "errno" in error ? error.errno : undefined, "ETIMEDOUT");
      return true;
    });
    client.setID(13);
    assert.equal((await client.readInputRegisters(0, 2)).data.length, 2, "only unit 12 is silent");

    server.setFault(12, { delayMs: 150 });
    client.setTimeout(1000);
    client.setID(12);
    const started = Date.now();
    await client.readInputRegisters(0, 2);
    assert.ok(Date.now() - started >= 140, "answered late");

    // Cleared: unit 12 answers at once, ahead of a delayed unit 13 asked first on the same socket
    // (an order, not a time limit, so a loaded machine cannot fail it).
    server.setFault(12, undefined);
    server.setFault(13, { delayMs: 150 });
    const ordered = await RawClient.connect(server.port);
    ordered.socket.write(Buffer.concat([request(1, 13, [4, 0, 0, 0, 2]), request(2, 12, [4, 0, 0, 0, 2])]));
    const answeredFirst = (await ordered.read(13)).readUInt16BE(0);
    const answeredSecond = (await ordered.read(13)).readUInt16BE(0);
    assert.deepEqual([answeredFirst, answeredSecond], [2, 1], "unit 12 (transaction 2) answers before the delayed unit 13");
    ordered.close();
    server.setFault(13, undefined);

    server.setFault(14, { corruptLength: true });
    const raw = await RawClient.connect(server.port);
    raw.socket.write(request(5, 14, [4, 0, 0, 0, 2]));
    const answer = await raw.read(13);
    assert.equal(answer.readUInt16BE(4), 6, "MBAP length one short of the real 7");
    raw.close();
    client.setID(14);
    await assert.rejects(client.readInputRegisters(0, 2));
  });

  it("close() drops connections and frees the port", async () => {
    const other = await startModbusServer({ host: HOST, port: 0, units: new Map() });
    const raw = await RawClient.connect(other.port);
    await other.close();
    await raw.closed;
    await assert.rejects(RawClient.connect(other.port), /ECONNREFUSED/);
  });
});
