import assert from "node:assert/strict";
import { nonProducingByWell, nonProducingIntervals, withStatusDowntime } from "../../../../../erp-modules/production/model/well-status.js";
import { uptimeHoursOn } from "../../../../../erp-modules/production/model/uptime.js";

describe("production model: well status as time a well could not produce", () => {
  it("turns each non-producing status into a span up to the next change, the current one open", () => {
    const spans = nonProducingIntervals([
      { status: "shut_in", effectiveAt: "2026-10-10T12:00:00.000Z" },
      { status: "producing", effectiveAt: "2026-09-01T00:00:00.000Z" },
      { status: "producing", effectiveAt: "2026-10-11T06:00:00.000Z" },
      { status: "suspended", effectiveAt: "2026-10-20T00:00:00.000Z" },
    ]);
    assert.deepEqual(spans, [
      { status: "shut_in", startedAt: "2026-10-10T12:00:00.000Z", endedAt: "2026-10-11T06:00:00.000Z" },
      { status: "suspended", startedAt: "2026-10-20T00:00:00.000Z", endedAt: null },
    ]);
    assert.equal(uptimeHoursOn("2026-10-10", spans, new Date("2026-11-01T00:00:00Z")), 12);
    assert.equal(uptimeHoursOn("2026-10-11", spans, new Date("2026-11-01T00:00:00Z")), 18);
    assert.equal(uptimeHoursOn("2026-10-25", spans, new Date("2026-11-01T00:00:00Z")), 0);
  });

  it("counts a well as producing before its first status and skips changes made at the same instant", () => {
    assert.deepEqual(nonProducingIntervals([]), []);
    // Equal instants keep the order they were recorded in (the register lists them so): the later one stands.
    assert.deepEqual(
      nonProducingIntervals([
        { status: "shut_in", effectiveAt: "2026-10-10T00:00:00.000Z" },
        { status: "producing", effectiveAt: "2026-10-10T00:00:00.000Z" },
      ]),
      [],
    );
  });

  it("groups histories by well and adds the spans to the recorded downtime", () => {
    const byWell = nonProducingByWell([
      { wellId: "w1", status: "producing", effectiveAt: "2026-09-01T00:00:00.000Z" },
      { wellId: "w2", status: "abandoned", effectiveAt: "2026-09-01T00:00:00.000Z" },
    ]);
    assert.deepEqual([...byWell.keys()].sort(), ["w1", "w2"]);
    assert.deepEqual(byWell.get("w1"), []);
    const recorded = new Map([["w1", [{ startedAt: "2026-10-10T00:00:00.000Z", endedAt: "2026-10-10T06:00:00.000Z" }]]]);
    const merged = withStatusDowntime(recorded, byWell);
    assert.equal(merged.get("w1")?.length, 1);
    assert.deepEqual(merged.get("w2"), [{ status: "abandoned", startedAt: "2026-09-01T00:00:00.000Z", endedAt: null }]);
    assert.equal(recorded.get("w1")?.length, 1, "the recorded downtime is not changed");
  });
});
