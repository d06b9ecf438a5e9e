import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import modbusDeviceNode from "../../../nodes/modbus/modbus-device/modbus-device.js";
import modbusReadNode from "../../../nodes/modbus/modbus-read/modbus-read.js";
import { TAG_WRITE_MIGRATIONS } from "../../../nodes/tags/tag-write/tag-write-migrations.js";
import tagWriteNode from "../../../nodes/tags/tag-write/tag-write.js";
import { NodeConfigRegistry } from "../../../nodes/shared/node-config-versions.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { TagWrites, type WritePolicy } from "../../../runtime/tags/tag-writes.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { FaultServer } from "../modbus/fixtures/fault-server.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const CHOKE = "SITE1/WELL-101/CHOKE_SP";
const POLICY: WritePolicy = { dataType: "float", unit: "%", writable: true, writeMin: 0, writeMax: 100, writeRole: "operator" };

function next(id: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => (helper.getNode(id) as TestNode).on("input", resolve));
}

function float32At(words: ArrayLike<number>, address: number): number {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16BE(words[address] ?? 0, 0);
  bytes.writeUInt16BE(words[address + 1] ?? 0, 2);
  return bytes.readFloatBE(0);
}

/**
 * tag-write "to the device": the value goes through the write limits to the
 * modbus-read node that polls the tag, which writes the device and reads it
 * back; the same path the web app's faceplate uses.
 */
describe("tag-write to the device", () => {
  let server: FaultServer;
  let tags: TagStore;

  beforeEach(async () => {
    server = await new FaultServer().listen(0);
    tags = new TagStore();
    const tagWrites = new TagWrites(tags, (path) => (path === CHOKE ? POLICY : undefined));
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags, tagWrites }) });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await server.stop();
  });

  const flow = (port: number) => [
    { id: "tab", type: "tab", label: "Test" },
    { id: "dev", type: "modbus-device", host: "127.0.0.1", port, unitId: 1, timeoutMs: 500, backoffInitialMs: 50, backoffMaxMs: 200 },
    {
      id: "poll",
      type: "modbus-read",
      z: "tab",
      device: "dev",
      interval: 3_600_000,
      output: "tags",
      points: [{ name: "CHOKE_SP", tag: CHOKE, function: "holding-register", address: 10, type: "float32", order: "ABCD", scale: 1, offset: 0 }],
      wires: [[]],
    },
    { id: "to-device", type: "tag-write", z: "tab", path: CHOKE, target: "device", version: 2, wires: [["out"]] },
    { id: "out", type: "helper", z: "tab" },
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
  ];

  it("writes the device through the poller that owns the tag, reads it back, and the tag holds the value", async () => {
    await helper.load([modbusDeviceNode, modbusReadNode, tagWriteNode], flow(server.port));
    const out = next("out");
    (helper.getNode("to-device") as TestNode).receive({ payload: 42.5 });
    const msg = await out;
    const { requested, readBack, confirmed, outcome } = msg.write as Record<string, unknown>;
    assert.deepEqual({ requested, readBack, confirmed, outcome }, { requested: 42.5, readBack: 42.5, confirmed: true, outcome: "confirmed" });
    assert.equal(float32At(server.holding, 10), 42.5);
    assert.equal(server.requests.get(16), 1, "one FC 16 write of the float's two registers");
    assert.equal(tags.read(CHOKE)?.v, 42.5);
  });

  it("refuses a value outside the tag's write limits: Catch sees why, the device is not written", async () => {
    await helper.load([modbusDeviceNode, modbusReadNode, tagWriteNode], flow(server.port));
    const caught = next("caught");
    (helper.getNode("to-device") as TestNode).receive({ payload: 150 });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /150 is outside the write limits of SITE1\/WELL-101\/CHOKE_SP: 0 to 100 %/);
    assert.equal(server.requests.get(16) ?? 0, 0);
  });

  it("a version 1 tag-write becomes version 2 writing the live store, as it always did", () => {
    const registry = new NodeConfigRegistry();
    registry.register("tag-write", TAG_WRITE_MIGRATIONS);
    assert.equal(registry.currentVersion("tag-write"), 2);
    const migrated = registry.migrate({ id: "w", type: "tag-write", path: CHOKE, version: 1 });
    assert.deepEqual(migrated, { ok: true, from: 1, to: 2, config: { id: "w", type: "tag-write", path: CHOKE, version: 2, target: "store" } });
  });
});
