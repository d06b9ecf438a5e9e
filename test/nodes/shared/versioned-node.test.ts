import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import helper from "node-red-node-test-helper";
import { currentVersionOf } from "../../../nodes/shared/node-config-versions.js";
import { PETROFLOW_NODE_MIGRATIONS, petroflowNodeConfigRegistry, type PetroflowNodeType } from "../../../nodes/shared/petroflow-node-migrations.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../../nodes/shared/node-red-types.js";
import { petroflowServices, type PetroflowServices } from "../../../nodes/shared/petroflow-services.js";
import configVersionsEditor from "../../../nodes/platform/config-versions-editor/config-versions-editor.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { testServices } from "../../helpers/petroflow-services.js";

helper.init(require.resolve("node-red"));

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { "node-red": { nodes: Record<string, string> } };
/** Every Petroflow node type, as package.json registers them. */
const NODE_TYPES = Object.keys(PACKAGE["node-red"].nodes).sort();
/** Their modules, from source (the nodes tests run TypeScript through tsx). */
const NODE_MODULES: unknown[] = Object.values(PACKAGE["node-red"].nodes).map((js): unknown =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- computed paths, one per registered node
  require(path.join(ROOT, js.replace(/^dist\//, "").replace(/\.js$/, ".ts"))),
);

interface FlowNode {
  id: string;
  type: string;
  [property: string]: unknown;
}
const EVERY_NODE_V0 = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "flows", "every-node-v0.json"), "utf8")) as FlowNode[];

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode | null;
const next = (id: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    const found = node(id);
    if (!found) reject(new Error(`no node ${id}`));
    else found.on("input", resolve);
  });

/** The test helper spies on Node.prototype's status and send: what one node called them with, in order. */
interface SpiedMethod {
  getCalls(): { thisValue: unknown; args: unknown[] }[];
}
function callsOf(id: string, method: "status" | "send"): unknown[][] {
  const target = helper.getNode(id) as Record<string, SpiedMethod> | null;
  if (!target) throw new Error(`no node ${id}`);
  return target[method]
    .getCalls()
    .filter((call) => call.thisValue === target)
    .map((call) => call.args);
}

/** Waits (without a fixed sleep) until a node has made a call. */
async function firstCall(id: string, method: "status" | "send", timeoutMs = 5000): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [call] = callsOf(id, method);
    if (call) return call;
    if (Date.now() > deadline) throw new Error(`${id} never called ${method}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const current = (type: string) => currentVersionOf(PETROFLOW_NODE_MIGRATIONS[type as PetroflowNodeType]);

describe("versioned node configs: a flow of every Petroflow node at version 0", function () {
  // node-opcua loads with the first OPC UA node.
  this.timeout(60_000);
  let tags: TagStore;
  let services: PetroflowServices;

  beforeEach(() => {
    tags = new TagStore();
    services = testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags });
    helper.settings({ petroflow: services });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it("the fixture holds every node type package.json registers, none with a version", () => {
    const petroflowNodes = EVERY_NODE_V0.filter((candidate) => NODE_TYPES.includes(candidate.type));
    assert.deepEqual([...new Set(petroflowNodes.map((candidate) => candidate.type))].sort(), NODE_TYPES);
    assert.deepEqual(
      petroflowNodes.filter((candidate) => "version" in candidate).map((candidate) => candidate.id),
      [],
    );
  });

  it("every registered node type has its migrations in PETROFLOW_NODE_MIGRATIONS", () => {
    assert.deepEqual(Object.keys(PETROFLOW_NODE_MIGRATIONS).sort(), NODE_TYPES);
  });

  it("migrates every node to its type's current version, tag-in's initial becoming emitOnStart", () => {
    const { flows, migrated, refused } = petroflowNodeConfigRegistry().migrateFlows(EVERY_NODE_V0);
    assert.deepEqual(refused, []);
    assert.equal(migrated.length, EVERY_NODE_V0.filter((candidate) => NODE_TYPES.includes(candidate.type)).length);
    for (const [index, migratedNode] of flows.entries()) {
      const original = EVERY_NODE_V0[index];
      assert.ok(original);
      if (!NODE_TYPES.includes(original.type)) {
        assert.equal(migratedNode, original, `${original.id} is not a Petroflow node and is left alone`);
        continue;
      }
      assert.equal(migratedNode.version, current(original.type), `${original.id} is at its current version`);
    }
    const tagIn = flows.find((candidate) => candidate.id === "tag-in-thp-v0");
    assert.equal(tagIn?.emitOnStart, true);
    assert.equal(tagIn !== undefined && "initial" in tagIn, false);
    assert.equal(current("tag-in"), 2);
  });

  it("runs: every node is constructed, each type registers its migrations, and the migrated shapes reach the nodes", async () => {
    tags.write("SITE1/WELL-101/THP", { v: 1234.5 });
    const flow = EVERY_NODE_V0.map((candidate) => (candidate.type === "debug" ? { id: candidate.id, type: "helper", z: candidate.z } : candidate));
    await helper.load(NODE_MODULES, flow);
    for (const candidate of EVERY_NODE_V0.filter(({ type }) => type !== "tab")) {
      assert.ok(helper.getNode(candidate.id), `${candidate.id} (${candidate.type}) was constructed`);
    }
    assert.deepEqual(services.nodeConfigs.registry.types(), NODE_TYPES);
    for (const type of NODE_TYPES) assert.equal(services.nodeConfigs.registry.currentVersion(type), current(type));

    // tag-in ran with emitOnStart (its v0 config said initial): it sent the current value once, at start.
    const [initial] = (await firstCall("tag-in-thp-v0", "send")) as [Record<string, unknown>];
    assert.equal(initial.topic, "SITE1/WELL-101/THP");
    assert.equal(initial.payload, 1234.5);
    const written = next("debug-tag-written");
    node("tag-write-setpoint-v0")?.receive({ payload: 52 });
    await written;
    assert.equal(tags.read("SITE1/WELL-101/ESP_FREQ_SP")?.v, 52);
  });

  it("a node whose config is newer than this runtime knows stays red and answers every message with the reason", async () => {
    const flow = [
      { id: "tab-newer", type: "tab", label: "From a newer Petroflow" },
      { id: "tag-write-from-the-future", type: "tag-write", z: "tab-newer", name: "", path: "SITE1/WELL-101/THP", version: 99, wires: [[]] },
      { id: "catch-newer", type: "catch", z: "tab-newer", scope: null, uncaught: false, wires: [["helper-caught"]] },
      { id: "helper-caught", type: "helper", z: "tab-newer" },
    ];
    await helper.load(NODE_MODULES, flow);
    const refused = node("tag-write-from-the-future");
    assert.ok(refused, "the node is in the flow (so the rest of the flow runs)");
    const caught = next("helper-caught");
    refused.receive({ payload: 1 });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /tag-write-from-the-future \(tag-write\) has config version 99, newer than the 2 this Petroflow knows/);
    assert.equal(tags.read("SITE1/WELL-101/THP"), undefined, "nothing was written");
    const [shown] = (await firstCall("tag-write-from-the-future", "status")) as [{ fill: string; text: string }];
    assert.equal(shown.fill, "red");
    assert.match(shown.text, /config version 99 is newer than 2/);
  });

  it("an integrator's node versions its config through RED.settings.petroflow.nodeConfigs", async () => {
    const pumpMigrations = [
      { to: 1, summary: "shape before versions", up: (config: FlowNode) => config },
      { to: 2, summary: "rate becomes rateSm3PerDay", up: ({ rate, ...rest }: FlowNode) => ({ ...rest, rateSm3PerDay: rate }) },
    ];
    const acmePump = (RED: NodeRedRuntime) => {
      petroflowServices(RED).nodeConfigs.registerType(RED, "acme-pump", pumpMigrations, function (this: NodeInstance, config: NodeDefinition) {
        RED.nodes.createNode(this, config);
        this.on("input", (msg, send, done) => {
          send({ ...msg, payload: { version: config.version, rateSm3PerDay: config.rateSm3PerDay } });
          done();
        });
      });
    };
    await helper.load(
      [acmePump],
      [
        { id: "tab-acme", type: "tab" },
        { id: "acme-pump-v0", type: "acme-pump", z: "tab-acme", rate: 1200, wires: [["helper-pump"]] },
        { id: "helper-pump", type: "helper", z: "tab-acme" },
      ],
    );
    assert.equal(services.nodeConfigs.registry.currentVersion("acme-pump"), 2);
    const answered = next("helper-pump");
    node("acme-pump-v0")?.receive({ payload: "read" });
    assert.deepEqual((await answered).payload, { version: 2, rateSm3PerDay: 1200 });
  });

  describe("the editor's migration endpoint", () => {
    it("answers the configs that changed, migrated, and the refused ones with the reason", async () => {
      await helper.load([configVersionsEditor, ...NODE_MODULES], [{ id: "tab-empty", type: "tab" }]);
      const tagIn = EVERY_NODE_V0.find((candidate) => candidate.id === "tag-in-thp-v0");
      const currentTagRead = { id: "tag-read-current", type: "tag-read", path: "SITE1/TK-01/LEVEL", version: 1 };
      const newer = { id: "tag-read-newer", type: "tag-read", path: "", version: 5 };
      const response = await helper
        .request()
        .post("/petroflow/node-configs/migrate")
        .send({ nodes: [tagIn, currentTagRead, newer, { id: "inject-1", type: "inject" }] });
      assert.equal(response.status, 200);
      const body = response.body as { nodes: FlowNode[]; refused: { id: string; code: string; message: string }[] };
      assert.deepEqual(body.nodes, [{ ...tagIn, initial: undefined, emitOnStart: true, version: 2 }].map(({ initial: _initial, ...rest }) => rest));
      assert.deepEqual(
        body.refused.map(({ id, code }) => ({ id, code })),
        [{ id: "tag-read-newer", code: "newer_version" }],
      );
      assert.match(body.refused[0]?.message ?? "", /newer Petroflow/);
    });

    it("refuses a body that is not a list of node configs", async () => {
      await helper.load([configVersionsEditor, ...NODE_MODULES], [{ id: "tab-empty", type: "tab" }]);
      for (const body of [{}, { nodes: "tag-in" }, { nodes: [{ id: 1, type: "tag-in" }] }, { nodes: [null] }]) {
        const response = await helper.request().post("/petroflow/node-configs/migrate").send(body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal((response.body as { error: { code: string } }).error.code, "invalid_body");
      }
    });
  });
});
