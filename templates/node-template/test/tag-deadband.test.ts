import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import type { PetroflowServices } from "petroflow/sdk";
import { petroflowTestServices } from "petroflow/sdk/testing";
import tagDeadband = require("../nodes/tag-deadband/tag-deadband.js");

helper.init(require.resolve("node-red"));

type Received = Record<string, unknown> & { deadband?: { written: boolean; live: unknown; deadbandEu: number } };

/** The next message on a helper node. */
function next(id: string): Promise<Received> {
  const node = helper.getNode(id);
  assert.ok(node, `node ${id} is loaded`);
  return new Promise((resolve) => node.on("input", (msg) => resolve(msg as Received)));
}

describe("tag-deadband (against Petroflow's tag store and config registry)", () => {
  let services: PetroflowServices;

  beforeEach(() => {
    services = petroflowTestServices();
    helper.settings({ petroflow: services });
  });

  afterEach(async () => {
    await helper.unload();
  });

  const flow = (config: Record<string, unknown>) => [
    { id: "f", type: "tab" },
    { id: "db", z: "f", type: "tag-deadband", path: "SITE1/WELL-101/THP", wires: [["written"], ["held"]], ...config },
    { id: "written", z: "f", type: "helper" },
    { id: "held", z: "f", type: "helper" },
  ];

  it("writes past the deadband and holds back inside it", async () => {
    await helper.load(tagDeadband, flow({ version: 2, deadbandEu: 1 }));
    const node = helper.getNode("db");
    assert.ok(node);

    const first = next("written");
    node.receive({ payload: 100 });
    assert.deepEqual((await first).deadband?.written, true);
    assert.equal(services.tags.read("SITE1/WELL-101/THP")?.v, 100);

    const held = next("held");
    node.receive({ payload: 100.6 });
    const heldMsg = await held;
    assert.equal(heldMsg.deadband?.written, false);
    assert.equal(heldMsg.deadband?.live, 100);
    assert.equal(services.tags.read("SITE1/WELL-101/THP")?.v, 100);

    const second = next("written");
    node.receive({ payload: 101.5 });
    assert.equal((await second).deadband?.live, 100);
    assert.equal(services.tags.read("SITE1/WELL-101/THP")?.v, 101.5);
  });

  it("runs a version-1 config (deadband without its unit) as version 2", async () => {
    await helper.load(tagDeadband, flow({ version: 1, deadband: 5 }));
    const node = helper.getNode("db");
    assert.ok(node);
    services.tags.write("SITE1/WELL-101/THP", { v: 50 });
    const held = next("held");
    node.receive({ payload: 54 });
    assert.equal((await held).deadband?.deadbandEu, 5);
    assert.equal(services.nodeConfigs.registry.currentVersion("tag-deadband"), 2);
  });
});
