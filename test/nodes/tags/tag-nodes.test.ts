import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import tagInNode from "../../../nodes/tags/tag-in/tag-in.js";
import tagReadNode from "../../../nodes/tags/tag-read/tag-read.js";
import tagWriteNode from "../../../nodes/tags/tag-write/tag-write.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

describe("tag nodes", () => {
  let tags: TagStore;

  beforeEach(() => {
    tags = new TagStore();
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags } });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const flow = [
    { id: "tab-tags", type: "tab", label: "Tags" },
    { id: "tag-write-thp", type: "tag-write", z: "tab-tags", path: "SITE1/WELL-101/THP", wires: [["helper-written"]] },
    { id: "tag-write-by-topic", type: "tag-write", z: "tab-tags", path: "", wires: [[]] },
    { id: "tag-in-wells", type: "tag-in", z: "tab-tags", pattern: "SITE1/+/THP", initial: false, wires: [["helper-changes"]] },
    { id: "tag-read-thp", type: "tag-read", z: "tab-tags", path: "", wires: [["helper-read"]] },
    { id: "catch-tags", type: "catch", z: "tab-tags", scope: null, uncaught: false, wires: [["helper-caught"]] },
    { id: "helper-written", type: "helper", z: "tab-tags" },
    { id: "helper-changes", type: "helper", z: "tab-tags" },
    { id: "helper-read", type: "helper", z: "tab-tags" },
    { id: "helper-caught", type: "helper", z: "tab-tags" },
  ];

  it("tag-write writes to the store and tag-in reports the change", async () => {
    await helper.load([tagWriteNode, tagInNode, tagReadNode], flow);
    const change = next("helper-changes");
    const passed = next("helper-written");
    node("tag-write-thp").receive({ payload: 1234.5, quality: "uncertain" });
    const msg = await change;
    assert.equal(msg.topic, "SITE1/WELL-101/THP");
    assert.equal(msg.payload, 1234.5);
    assert.equal(msg.quality, "uncertain");
    assert.equal((await passed).payload, 1234.5);
    assert.equal(tags.read("SITE1/WELL-101/THP")?.v, 1234.5);
  });

  it("tag-write takes the path from msg.topic; an invalid one reaches Catch", async () => {
    await helper.load([tagWriteNode, tagInNode, tagReadNode], flow);
    node("tag-write-by-topic").receive({ topic: "SITE1/TK-01/LEVEL", payload: 3.2 });
    assert.equal(tags.read("SITE1/TK-01/LEVEL")?.v, 3.2);
    const caught = next("helper-caught");
    node("tag-write-by-topic").receive({ topic: "not a path", payload: 1 });
    assert.match(((await caught).error as { message: string }).message, /invalid tag path/);
  });

  it("tag-read reads one tag or every match of a pattern", async () => {
    tags.write("SITE1/WELL-101/THP", { v: 900 });
    tags.write("SITE1/WELL-102/THP", { v: 950, q: "bad", reason: "timeout" });
    await helper.load([tagWriteNode, tagInNode, tagReadNode], flow);
    const single = next("helper-read");
    node("tag-read-thp").receive({ topic: "SITE1/WELL-102/THP" });
    const one = await single;
    assert.equal(one.payload, 950);
    assert.equal(one.quality, "bad");
    assert.equal(one.reason, "timeout");
    const many = next("helper-read");
    node("tag-read-thp").receive({ topic: "SITE1/+/THP" });
    assert.deepEqual((await many).payload, { "SITE1/WELL-101/THP": 900, "SITE1/WELL-102/THP": 950 });
  });

  it("tag-read of a tag with no value reaches Catch", async () => {
    await helper.load([tagWriteNode, tagInNode, tagReadNode], flow);
    const caught = next("helper-caught");
    node("tag-read-thp").receive({ topic: "SITE1/WELL-999/THP" });
    assert.match(((await caught).error as { message: string }).message, /no value yet/);
  });

  it("tag-in stops listening when the flow stops", async () => {
    await helper.load([tagWriteNode, tagInNode, tagReadNode], flow);
    assert.equal(tags.subscriberCount, 1);
    await helper.unload();
    assert.equal(tags.subscriberCount, 0);
  });
});
