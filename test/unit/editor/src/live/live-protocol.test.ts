import assert from "node:assert/strict";
import {
  coalesce,
  matchesPattern,
  mergeUpdates,
  newerValue,
  parseServerMessage,
  patternKey,
  patternsOf,
  reconnectDelay,
  snapshotValues,
  type WireTag,
} from "../../../../../editor/src/live/live-protocol";

const tag = (p: string, v: WireTag["v"], t = 1000, q: WireTag["q"] = "good", r?: string): WireTag =>
  r === undefined ? { p, v, q, t } : { p, v, q, t, r };

describe("web app: live tag patterns", () => {
  const cases: [string, string, boolean][] = [
    ["SITE1/WELL-101/THP", "SITE1/WELL-101/THP", true],
    ["SITE1/WELL-101/THP", "SITE1/WELL-101/CHP", false],
    ["SITE1/WELL-101/#", "SITE1/WELL-101/THP", true],
    ["SITE1/#", "SITE1/WELL-101/THP", true],
    ["#", "SITE1/WELL-101/THP", true],
    ["SITE1/+/THP", "SITE1/WELL-102/THP", true],
    ["SITE1/+/THP", "SITE1/WELL-102/CHP", false],
    ["SITE1/+", "SITE1/WELL-102/THP", false],
    ["SITE1/WELL-101/THP/#", "SITE1/WELL-101/THP", true],
    ["SITE1/WELL-10/#", "SITE1/WELL-101/THP", false],
  ];
  for (const [pattern, path, expected] of cases) {
    it(`${pattern} ${expected ? "matches" : "does not match"} ${path}`, () => {
      assert.equal(matchesPattern(pattern, path), expected);
    });
  }

  it("gives the same key to the same set of patterns in any order", () => {
    assert.equal(patternKey(["b/#", "a/+/x", "b/#"]), patternKey(["a/+/x", "b/#"]));
    assert.deepEqual(patternsOf(patternKey(["b/#", "a/+/x"])), ["a/+/x", "b/#"]);
    assert.deepEqual(patternsOf(patternKey([])), []);
  });
});

describe("web app: live message parsing", () => {
  it("accepts the three server messages", () => {
    assert.deepEqual(parseServerMessage('{"type":"snapshot","id":"s1","tags":[{"p":"A/B/C","v":1.5,"q":"good","t":5}]}'), {
      type: "snapshot",
      id: "s1",
      tags: [{ p: "A/B/C", v: 1.5, q: "good", t: 5 }],
    });
    assert.deepEqual(parseServerMessage('{"type":"update","tags":[{"p":"A/B/C","v":null,"q":"bad","t":6,"r":"timeout"}]}'), {
      type: "update",
      tags: [{ p: "A/B/C", v: null, q: "bad", t: 6, r: "timeout" }],
    });
    assert.deepEqual(parseServerMessage('{"type":"error","message":"bad pattern"}'), { type: "error", message: "bad pattern" });
  });

  it("reads the update time u of a value re-reported unchanged, and ignores a u that is not a time", () => {
    assert.deepEqual(parseServerMessage('{"type":"update","tags":[{"p":"A/B/C","v":1,"q":"good","t":5,"u":9}]}'), {
      type: "update",
      tags: [{ p: "A/B/C", v: 1, q: "good", t: 5, u: 9 }],
    });
    assert.deepEqual(parseServerMessage('{"type":"update","tags":[{"p":"A/B/C","v":1,"q":"good","t":5,"u":"9"}]}'), {
      type: "update",
      tags: [{ p: "A/B/C", v: 1, q: "good", t: 5 }],
    });
  });

  it("drops malformed tags but keeps the rest of the frame", () => {
    const message = parseServerMessage('{"type":"update","tags":[{"p":"A/B/C","v":1,"q":"meh","t":1},{"p":"A/B/D","v":2,"q":"good","t":1}]}');
    assert.deepEqual(message, { type: "update", tags: [{ p: "A/B/D", v: 2, q: "good", t: 1 }] });
  });

  for (const junk of ["not json", "[]", '{"type":"update"}', '{"type":"snapshot","tags":[]}', '{"type":"hello"}', '{"type":"error"}']) {
    it(`ignores ${junk}`, () => assert.equal(parseServerMessage(junk), null));
  }
  it("ignores binary frames", () => assert.equal(parseServerMessage(new ArrayBuffer(2)), null));
});

describe("web app: live value merging", () => {
  const patterns = ["SITE1/WELL-101/#"];

  it("keeps only the last value per tag of a burst", () => {
    const pending = new Map<string, WireTag>();
    coalesce(pending, [tag("SITE1/WELL-101/THP", 1, 1), tag("SITE1/WELL-101/CHP", 5, 1)]);
    coalesce(pending, [tag("SITE1/WELL-101/THP", 2, 2)]);
    assert.deepEqual([...pending.values()], [tag("SITE1/WELL-101/THP", 2, 2), tag("SITE1/WELL-101/CHP", 5, 1)]);
  });

  it("adds matching tags, ignores the others, and carries the reason", () => {
    const merged = mergeUpdates(new Map(), [tag("SITE1/WELL-101/THP", 10, 1, "bad", "timeout"), tag("SITE1/WELL-102/THP", 3)], patterns);
    assert.deepEqual([...merged], [["SITE1/WELL-101/THP", { v: 10, q: "bad", t: 1, reason: "timeout" }]]);
  });

  it("returns the same map when nothing it holds changed", () => {
    const current = snapshotValues([tag("SITE1/WELL-101/THP", 10)], patterns);
    assert.equal(mergeUpdates(current, [tag("SITE1/WELL-101/THP", 10), tag("SITE1/WELL-102/THP", 1)], patterns), current);
  });

  it("replaces a changed value without touching the previous map", () => {
    const current = snapshotValues([tag("SITE1/WELL-101/THP", 10)], patterns);
    const next = mergeUpdates(current, [tag("SITE1/WELL-101/THP", 11, 2)], patterns);
    assert.notEqual(next, current);
    assert.equal(current.get("SITE1/WELL-101/THP")?.v, 10);
    assert.equal(next.get("SITE1/WELL-101/THP")?.v, 11);
  });

  it("takes a refresh (same value and change time, later update time) so the screen shows the value is alive", () => {
    const current = snapshotValues([tag("SITE1/WELL-101/THP", 10, 1000)], patterns);
    const next = mergeUpdates(current, [{ ...tag("SITE1/WELL-101/THP", 10, 1000), u: 6000 }], patterns);
    assert.notEqual(next, current);
    assert.deepEqual(next.get("SITE1/WELL-101/THP"), { v: 10, q: "good", t: 1000, u: 6000 });
    assert.equal(mergeUpdates(next, [{ ...tag("SITE1/WELL-101/THP", 10, 1000), u: 6000 }], patterns), next);
  });

  it("notices a quality change with the same value", () => {
    const current = snapshotValues([tag("SITE1/WELL-101/THP", 10)], patterns);
    const next = mergeUpdates(current, [tag("SITE1/WELL-101/THP", 10, 1000, "bad", "comm loss")], patterns);
    assert.equal(next.get("SITE1/WELL-101/THP")?.q, "bad");
  });

  it("takes the newer of the list's reading and the socket's, the socket on a tie", () => {
    const list = { v: 1, q: "good" as const, t: 10 };
    const socket = { v: 2, q: "good" as const, t: 10 };
    assert.equal(newerValue(list, socket), socket);
    assert.equal(newerValue({ ...list, t: 11 }, socket)?.v, 1);
    assert.equal(newerValue(null, undefined), null);
    assert.equal(newerValue(list, undefined), list);
  });
});

describe("web app: live reconnect backoff", () => {
  it("grows exponentially within jitter bounds and stops at 30 s", () => {
    assert.equal(reconnectDelay(0, () => 0), 250);
    assert.equal(reconnectDelay(0, () => 1), 500);
    assert.equal(reconnectDelay(3, () => 1), 4000);
    assert.equal(reconnectDelay(20, () => 1), 30_000);
    assert.ok(reconnectDelay(20, () => 0) >= 250);
  });
});
