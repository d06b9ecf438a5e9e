import assert from "node:assert/strict";
import type { Alarm } from "../../../../../../editor/src/api/alarms";
import { alarmsInView, newCriticalAlarms, sortAlarms } from "../../../../../../editor/src/modules/alarms/alarm-list";
import { canonicalFromDisplay, displayFromCanonical } from "../../../../../../editor/src/modules/alarms/alarm-units";

function alarm(id: string, overrides: Partial<Alarm> = {}): Alarm {
  return {
    id,
    kind: "hi",
    tagPath: `SITE1/WELL-101/${id}`,
    priority: "medium",
    area: "WELLS",
    message: id,
    state: "active_unack",
    mode: "enabled",
    value: 1,
    limit: 0,
    activeSince: "2026-03-01T08:00:00.000Z",
    lastChangeAt: "2026-03-01T08:00:00.000Z",
    ackedAt: null,
    ackedBy: null,
    ackComment: null,
    shelvedUntil: null,
    shelvedBy: null,
    modeReason: null,
    ...overrides,
  };
}

describe("alarm console list", () => {
  it("sorts by priority, then newest first", () => {
    const sorted = sortAlarms([
      alarm("low-old", { priority: "low", activeSince: "2026-03-01T07:00:00.000Z" }),
      alarm("high-old", { priority: "high", activeSince: "2026-03-01T07:00:00.000Z" }),
      alarm("critical", { priority: "critical", activeSince: "2026-03-01T06:00:00.000Z" }),
      alarm("high-new", { priority: "high", activeSince: "2026-03-01T09:00:00.000Z" }),
    ]);
    assert.deepEqual(sorted.map((a) => a.id), ["critical", "high-new", "high-old", "low-old"]);
  });

  it("shows unacknowledged, active and shelved alarms in their views; out-of-service and normal ones in none", () => {
    const alarms = [
      alarm("unack"),
      alarm("returned", { state: "rtn_unack" }),
      alarm("acked", { state: "active_ack" }),
      alarm("shelved", { mode: "shelved" }),
      alarm("oos", { mode: "out_of_service" }),
      alarm("normal", { state: "normal" }),
    ];
    const ids = (view: "unacknowledged" | "active" | "shelved") => alarmsInView(alarms, view).map((a) => a.id);
    assert.deepEqual(ids("unacknowledged"), ["unack", "returned"]);
    assert.deepEqual(ids("active"), ["unack", "returned", "acked"]);
    assert.deepEqual(ids("shelved"), ["shelved"]);
  });

  it("announces a critical unacknowledged alarm once, and nothing on the first poll", () => {
    const first = newCriticalAlarms(null, [alarm("a", { priority: "critical" })]);
    assert.deepEqual(first.fresh, []);
    const second = newCriticalAlarms(first.seen, [alarm("a", { priority: "critical" }), alarm("b", { priority: "critical" }), alarm("c", { priority: "high" })]);
    assert.deepEqual(second.fresh.map((a) => a.id), ["b"]);
    const third = newCriticalAlarms(second.seen, [alarm("a", { priority: "critical" }), alarm("b", { priority: "critical", state: "active_ack" })]);
    assert.deepEqual(third.fresh, []);
    // Back in after returning: a new activation is news again.
    const fourth = newCriticalAlarms(third.seen, [alarm("a", { priority: "critical" }), alarm("b", { priority: "critical", activeSince: "2026-03-01T10:00:00.000Z" })]);
    assert.deepEqual(fourth.fresh.map((a) => a.id), ["b"]);
  });

  it("turns limits typed in display units back into SI, with the offset only for absolute values", () => {
    const degC = { unit: "degC", displayUnit: null };
    assert.ok(Math.abs(canonicalFromDisplay(212, degC, "oilfield") - 100) < 1e-9);
    assert.ok(Math.abs(canonicalFromDisplay(18, degC, "oilfield", true) - 10) < 1e-9);
    assert.equal(displayFromCanonical(100, degC, "oilfield"), 212);
    assert.equal(displayFromCanonical(10, degC, "oilfield", true), 18);
    const kPa = { unit: "kPa", displayUnit: null };
    assert.ok(Math.abs(canonicalFromDisplay(1000, kPa, "oilfield") - 6894.757293168) < 1e-6);
    assert.equal(canonicalFromDisplay(5000, kPa, "metric"), 5000);
  });
});
