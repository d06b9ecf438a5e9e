import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import flowRevisionNode from "../../../nodes/platform/flow-revision/flow-revision.js";
import type { PetroflowServices, RevisionInfo } from "../../../nodes/shared/petroflow-services.js";
import { revisionPayload } from "../../../nodes/platform/flow-revision/revision-payload.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { testServices } from "../../helpers/petroflow-services.js";

helper.init(require.resolve("node-red"));

const revision: RevisionInfo = {
  number: 7,
  sha256: "a".repeat(64),
  author: "ana",
  message: "Raise separator alarm limit",
  createdAt: "2026-11-28T10:00:00.000Z",
};

function services(latest: () => Promise<RevisionInfo | null>): PetroflowServices {
  return testServices({ siteId: "SITE1", flows: { latest }, tags: new TagStore() });
}

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const flow = [
  { id: "tab-test", type: "tab", label: "Test" },
  { id: "flow-revision-under-test", type: "flow-revision", z: "tab-test", name: "Revision", wires: [["helper-out"]] },
  { id: "helper-out", type: "helper", z: "tab-test" },
  { id: "catch-all", type: "catch", z: "tab-test", scope: null, uncaught: false, wires: [["helper-caught"]] },
  { id: "helper-caught", type: "helper", z: "tab-test" },
];

function nextMessage(node: TestNode): Promise<Record<string, unknown>> {
  return new Promise((resolve) => node.on("input", resolve));
}

describe("flow-revision node", () => {
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it("builds its payload from the revision (pure)", () => {
    assert.deepEqual(revisionPayload("SITE1", revision), {
      siteId: "SITE1",
      revision: 7,
      sha256: "a".repeat(64),
      author: "ana",
      message: "Raise separator alarm limit",
      deployedAt: "2026-11-28T10:00:00.000Z",
    });
    assert.throws(() => revisionPayload("SITE1", null), /no flow revision/);
  });

  it("answers an input with the running revision and keeps the message's other properties", async () => {
    helper.settings({ petroflow: services(async () => revision) });
    await helper.load(flowRevisionNode, flow);
    const out = helper.getNode("helper-out") as TestNode;
    const received = nextMessage(out);
    (helper.getNode("flow-revision-under-test") as TestNode).receive({ payload: "tick", wellId: "WELL-101" });
    const msg = await received;
    assert.equal(msg.wellId, "WELL-101");
    assert.deepEqual(msg.payload, revisionPayload("SITE1", revision));
  });

  it("reports a failure through done(err), so a Catch node sees it", async () => {
    helper.settings({ petroflow: services(async () => null) });
    await helper.load(flowRevisionNode, flow);
    const caught = nextMessage(helper.getNode("helper-caught") as TestNode);
    (helper.getNode("flow-revision-under-test") as TestNode).receive({ payload: "tick" });
    const msg = await caught;
    const error = msg.error as { message: string; source: { id: string } };
    assert.match(error.message, /no flow revision/);
    assert.equal(error.source.id, "flow-revision-under-test");
  });

  it("fails clearly outside a Petroflow runtime (no services)", async () => {
    await helper.load(flowRevisionNode, flow);
    const caught = nextMessage(helper.getNode("helper-caught") as TestNode);
    (helper.getNode("flow-revision-under-test") as TestNode).receive({ payload: "tick" });
    const msg = await caught;
    assert.match((msg.error as { message: string }).message, /must run inside the Petroflow runtime/);
  });
});
