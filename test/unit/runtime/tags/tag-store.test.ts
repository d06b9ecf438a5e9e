import assert from "node:assert/strict";
import { compilePattern, isTagPath } from "../../../../runtime/tags/tag-path.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import type { TagUpdate } from "../../../../runtime/tags/tag-types.js";

describe("tag paths and patterns", () => {
  it("accepts <site>/<asset>/<point> and nothing else", () => {
    assert.equal(isTagPath("SITE1/WELL-101/THP"), true);
    assert.equal(isTagPath("SITE1/TK-01/LEVEL_OIL"), true);
    for (const bad of ["SITE1/WELL-101", "SITE1/WELL-101/THP/X", "/SITE1/A/B", "SITE1/A B/C", "SITE1/+/THP", ""]) {
      assert.equal(isTagPath(bad), false, bad);
    }
  });

  it("matches MQTT-style: + one level, # the rest", () => {
    const cases: [string, string, boolean][] = [
      ["SITE1/WELL-101/THP", "SITE1/WELL-101/THP", true],
      ["SITE1/WELL-101/THP", "SITE1/WELL-102/THP", false],
      ["SITE1/+/THP", "SITE1/WELL-102/THP", true],
      ["SITE1/+/THP", "SITE1/WELL-102/CHP", false],
      ["SITE1/WELL-101/#", "SITE1/WELL-101/THP", true],
      ["SITE1/#", "SITE1/WELL-101/THP", true],
      ["SITE2/#", "SITE1/WELL-101/THP", false],
      ["#", "SITE1/WELL-101/THP", true],
      ["+/+", "SITE1/WELL-101/THP", false],
    ];
    for (const [pattern, path, expected] of cases) assert.equal(compilePattern(pattern)(path), expected, `${pattern} ~ ${path}`);
  });

  it("refuses malformed patterns", () => {
    for (const bad of ["SITE1/#/THP", "SITE1/WELL+/THP", "SITE1//THP", "SITE1/W#"]) {
      assert.throws(() => compilePattern(bad), /invalid tag pattern/, bad);
    }
  });
});

describe("TagStore", () => {
  let now = 1_000;
  const store = () => new TagStore({ now: () => now, deadbandOf: (path) => (path.endsWith("/THP") ? 5 : undefined) });

  it("stores {v, q, t} with good quality and the current time by default", () => {
    const tags = store();
    tags.write("SITE1/WELL-101/CHP", { v: 1200 });
    assert.deepEqual(tags.read("SITE1/WELL-101/CHP"), { v: 1200, q: "good", t: 1_000 });
  });

  it("refuses a bad path", () => {
    assert.throws(() => store().write("WELL-101/THP", { v: 1 }), /invalid tag path/);
  });

  it("notifies subscribers of changes only, honouring the deadband", () => {
    const tags = store();
    const seen: TagUpdate[] = [];
    const unsubscribe = tags.subscribe("SITE1/+/THP", (update) => seen.push(update));
    tags.write("SITE1/WELL-101/THP", { v: 1000 });
    tags.write("SITE1/WELL-101/THP", { v: 1004 }); // inside the 5 kPa deadband
    tags.write("SITE1/WELL-101/THP", { v: 1006 });
    tags.write("SITE1/WELL-101/CHP", { v: 1 }); // another pattern
    unsubscribe();
    tags.write("SITE1/WELL-101/THP", { v: 2000 });
    assert.deepEqual(
      seen.map((update) => update.value.v),
      [1000, 1006],
    );
    assert.equal(tags.read("SITE1/WELL-101/THP")?.v, 2000);
  });

  it("treats a quality change as a change even inside the deadband", () => {
    const tags = store();
    const seen: TagUpdate[] = [];
    tags.subscribe("#", (update) => seen.push(update));
    tags.write("SITE1/WELL-101/THP", { v: 1000 });
    tags.write("SITE1/WELL-101/THP", { v: 1001, q: "uncertain", reason: "sensor drift" });
    assert.equal(seen.length, 2);
    assert.equal(seen[1]?.value.reason, "sensor drift");
  });

  it("keeps a steady value's change time and advances its update time; only refresh listeners hear of it", () => {
    const tags = store();
    const changes: TagUpdate[] = [];
    const refreshes: TagUpdate[] = [];
    tags.subscribe("SITE1/+/THP", (update) => changes.push(update), { onRefresh: (update) => refreshes.push(update) });
    tags.write("SITE1/WELL-101/THP", { v: 1000, t: 10_000 });
    tags.write("SITE1/WELL-101/THP", { v: 1000, t: 11_000 });
    tags.write("SITE1/WELL-101/THP", { v: 1003, t: 12_000 }); // inside the deadband: still the same value
    tags.write("SITE1/WELL-101/THP", { v: 1003, t: 11_500 }); // an older report says nothing new
    assert.deepEqual(tags.read("SITE1/WELL-101/THP"), { v: 1000, q: "good", t: 10_000, u: 12_000 });
    assert.deepEqual(changes.map((update) => update.value), [{ v: 1000, q: "good", t: 10_000 }]);
    assert.deepEqual(refreshes.map((update) => update.value.u), [11_000, 12_000]);
    tags.write("SITE1/WELL-101/THP", { v: 1100, t: 13_000 });
    assert.deepEqual(tags.read("SITE1/WELL-101/THP"), { v: 1100, q: "good", t: 13_000 });
    assert.equal(changes.length, 2);
  });

  it("marks tags bad with a reason, keeping the last value", () => {
    const tags = store();
    tags.write("SITE1/WELL-101/CHP", { v: 1200 });
    now = 5_000;
    tags.markBad(["SITE1/WELL-101/CHP", "SITE1/WELL-101/FLT"], "timeout after 1000 ms: 127.0.0.1:5020 unit 1");
    assert.deepEqual(tags.read("SITE1/WELL-101/CHP"), { v: 1200, q: "bad", t: 5_000, reason: "timeout after 1000 ms: 127.0.0.1:5020 unit 1" });
    assert.equal(tags.read("SITE1/WELL-101/FLT")?.v, null);
  });

  it("lists current values by pattern", () => {
    const tags = store();
    tags.writeMany([
      { path: "SITE1/WELL-101/THP", value: { v: 1 } },
      { path: "SITE1/WELL-102/THP", value: { v: 2 } },
      { path: "SITE1/TK-01/LEVEL", value: { v: 3 } },
    ]);
    assert.deepEqual(
      tags.match("SITE1/+/THP").map((update) => update.path).sort(),
      ["SITE1/WELL-101/THP", "SITE1/WELL-102/THP"],
    );
  });

  it("keeps writing when a subscriber throws, and reports it", () => {
    const errors: string[] = [];
    const tags = new TagStore({ onListenerError: (_error, path) => errors.push(path) });
    tags.subscribe("#", () => {
      throw new Error("broken subscriber");
    });
    tags.write("SITE1/WELL-101/THP", { v: 1 });
    assert.equal(tags.read("SITE1/WELL-101/THP")?.v, 1);
    assert.deepEqual(errors, ["SITE1/WELL-101/THP"]);
  });
});
