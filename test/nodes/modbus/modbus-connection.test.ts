import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { ConnectionState } from "../../../nodes/modbus/modbus-device/connection-state.js";
import type { ConnectionOptions } from "../../../nodes/modbus/modbus-device/modbus-connection.js";
import { ModbusConnection } from "../../../nodes/modbus/modbus-device/modbus-connection.js";
import { FaultServer } from "./fixtures/fault-server.js";

function options(port: number, overrides: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    endpoint: { kind: "tcp", host: "127.0.0.1", port },
    unitId: 3,
    timeoutMs: 300,
    backoff: { initialMs: 50, maxMs: 200 },
    queueLimit: 8,
    ...overrides,
  };
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(5);
  }
}

/** Sockets and timers this process holds open (what would keep it alive). */
function openHandles(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap" || kind === "TCPWrap" || kind === "Timeout");
}

describe("Modbus connection (real sockets)", () => {
  let server: FaultServer;
  let connection: ModbusConnection | undefined;
  const states: ConnectionState["kind"][] = [];

  beforeEach(async () => {
    server = await new FaultServer().listen(0);
    states.length = 0;
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    await server.stop();
  });

  function connect(overrides: Partial<ConnectionOptions> = {}): ModbusConnection {
    connection = new ModbusConnection(options(server.port, overrides), (state) => states.push(state.kind));
    connection.start();
    return connection;
  }

  it("reads registers and bits, one request at a time, in order", async () => {
    server.holding.set([1, 2, 3], 10);
    server.coils.set([1, 0, 1], 4);
    const link = connect();
    const replies = await Promise.all([
      link.execute({ fc: 3, address: 10, quantity: 3 }),
      link.execute({ fc: 1, address: 4, quantity: 3 }),
      link.execute({ fc: 6, address: 20, value: 99 }),
    ]);
    assert.deepEqual(replies, [{ words: [1, 2, 3] }, { bits: [true, false, true] }, { written: true }]);
    assert.equal(server.holding[20], 99);
    assert.deepEqual(states, ["connecting", "connected"]);
  });

  it("ends a request to a silent device with a timeout naming the device, then backs off", async () => {
    server.mode = "silent";
    const link = connect();
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 1 }), {
      message: `timeout after 300 ms: 127.0.0.1:${server.port} unit 3`,
    });
    assert.equal(link.state.kind, "backing-off");
    // While backing off, requests fail at once with the same reason.
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 1 }), /timeout after 300 ms/);
  });

  it("ends a corrupt MBAP length at once, drops the socket and never buffers the stream", async () => {
    server.mode = "corrupt-length";
    const link = connect({ timeoutMs: 2000 });
    // A protocol error, not "timeout after 2000 ms": the frame guard ended it, not the timer.
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 2 }), /protocol error: MBAP length 65535 out of range/);
    await sleep(100);
    // The device kept streaming 1 KiB every 5 ms; the client hung up after its first chunk (one more may be in flight).
    assert.ok(server.sentPerConnection[0] <= 8192, `sent ${server.sentPerConnection[0]} bytes before the hang-up`);
  });

  it("ends garbage with a protocol error", async () => {
    server.mode = "garbage";
    const link = connect({ timeoutMs: 2000 });
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 2 }), /protocol error: MBAP protocol id/);
  });

  it("ends a short frame with a timeout that says how much came", async () => {
    server.mode = "short";
    const link = connect();
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 2 }), /timeout after 300 ms: .* \(short frame: 9 of 13 bytes\)/);
  });

  it("keeps the connection on a device exception", async () => {
    server.size = 100;
    const link = connect();
    await assert.rejects(link.execute({ fc: 3, address: 200, quantity: 1 }), /Modbus exception 2: .*\(fc 3 at 200\): 127\.0\.0\.1:\d+ unit 3/);
    assert.equal(link.state.kind, "connected");
    assert.deepEqual(await link.execute({ fc: 3, address: 0, quantity: 1 }), { words: [0] });
    assert.equal(server.connections, 1);
  });

  it("refuses requests beyond the queue limit instead of queueing without bound", async () => {
    server.mode = "delay";
    server.delayMs = 50;
    const link = connect({ queueLimit: 2, timeoutMs: 1000 });
    await until(() => link.state.kind === "connected");
    const first = link.execute({ fc: 3, address: 0, quantity: 1 }); // in flight
    const queued = [link.execute({ fc: 3, address: 0, quantity: 1 }), link.execute({ fc: 3, address: 0, quantity: 1 })];
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 1 }), /queue full: 2 requests already waiting/);
    await Promise.all([first, ...queued]);
  });

  it("recovers when the device comes back: backing-off → connecting → connected", async () => {
    const port = server.port;
    await server.stop();
    const link = connect();
    await until(() => link.state.kind === "backing-off");
    assert.match((link.state as { reason: string }).reason, /ECONNREFUSED/);
    await server.listen(port);
    await until(() => link.state.kind === "connected");
    server.holding[0] = 7;
    assert.deepEqual(await link.execute({ fc: 3, address: 0, quantity: 1 }), { words: [7] });
    assert.deepEqual(states.slice(0, 3), ["connecting", "backing-off", "connecting"]);
  });

  it("recovers from a slow device once it answers in time again", async () => {
    server.mode = "delay";
    server.delayMs = 500;
    const link = connect();
    await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 1 }), /timeout/);
    server.mode = "normal";
    await until(() => link.state.kind === "connected");
    assert.deepEqual(await link.execute({ fc: 3, address: 0, quantity: 1 }), { words: [0] });
  });

  it("frees its socket and timers on close, whatever state it is in", async () => {
    await sleep(1); // lets mocha arm its own test timer, which is then part of the baseline
    const baseline = openHandles().length;
    for (const mode of ["normal", "silent", "corrupt-length"] as const) {
      server.mode = mode;
      const link = connect();
      void link.execute({ fc: 3, address: 0, quantity: 1 }).catch(() => undefined);
      await sleep(30);
      await link.close();
      connection = undefined;
      await assert.rejects(link.execute({ fc: 3, address: 0, quantity: 1 }), /device closed/);
    }
    // Server side sockets close a moment after the client's.
    await until(() => openHandles().length <= baseline, 1000).catch((error: Error) => {
      throw new Error(`${error.message}: ${openHandles().join(", ")} (baseline ${baseline})`);
    });
  });
});
