import assert from "node:assert/strict";
import type { LiveValue } from "../../../../../editor/src/live/live-protocol";
import { lastUpdate, oldestUpdate, stalenessOf, worstStaleness } from "../../../../../editor/src/live/live-staleness";

const good = (t: number, u?: number): LiveValue => (u === undefined ? { v: 1, q: "good", t } : { v: 1, q: "good", t, u });

describe("web app: stale live values", () => {
  it("calls a good value on an open feed fresh, however long ago it last changed", () => {
    assert.equal(stalenessOf(good(0), "open"), "fresh");
    assert.equal(stalenessOf(good(0, 5_000_000), "open"), "fresh");
  });

  it("calls every value stale while the feed is down, whatever its quality", () => {
    for (const feed of ["reconnecting", "connecting", "idle"] as const) {
      assert.equal(stalenessOf(good(1), feed), "feedDown", feed);
      assert.equal(stalenessOf({ v: 1, q: "bad", t: 1 }, feed), "feedDown", feed);
    }
  });

  it("calls a value whose quality is not good stale on an open feed", () => {
    assert.equal(stalenessOf({ v: 1, q: "uncertain", t: 1 }, "open"), "quality");
    assert.equal(stalenessOf({ v: null, q: "bad", t: 1, reason: "timeout" }, "open"), "quality");
  });

  it("has nothing to say before a value arrives", () => {
    assert.equal(stalenessOf(undefined, "reconnecting"), null);
    assert.equal(stalenessOf(null, "open"), null);
  });

  it("takes the last update as the latest report, which for a changed value is its change", () => {
    assert.equal(lastUpdate(good(1_000)), 1_000);
    assert.equal(lastUpdate(good(1_000, 9_000)), 9_000);
    assert.equal(oldestUpdate([good(1_000, 9_000), undefined, good(5_000)]), 5_000);
    assert.equal(oldestUpdate([undefined]), null);
  });

  it("judges a group of values (an asset) by its worst: feed down, then quality", () => {
    assert.equal(worstStaleness([good(1), { v: 1, q: "bad", t: 1 }], "open"), "quality");
    assert.equal(worstStaleness([good(1), { v: 1, q: "bad", t: 1 }], "reconnecting"), "feedDown");
    assert.equal(worstStaleness([good(1), undefined], "open"), "fresh");
    assert.equal(worstStaleness([undefined], "reconnecting"), null);
  });
});
