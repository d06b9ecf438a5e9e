import assert from "node:assert/strict";
import { ageLevel, ageParts, monthOf } from "../../../../../../editor/src/modules/corporate/corporate-format";

describe("corporate screens: how old synced data looks", () => {
  it("counts minutes under 90 min, hours under 48 h, then days", () => {
    assert.deepEqual(ageParts(0), { unit: "minutes", count: 0 });
    assert.deepEqual(ageParts(12 * 60 + 20), { unit: "minutes", count: 12 });
    assert.deepEqual(ageParts(89 * 60), { unit: "minutes", count: 89 });
    assert.deepEqual(ageParts(3 * 3600), { unit: "hours", count: 3 });
    assert.deepEqual(ageParts(47 * 3600), { unit: "hours", count: 47 });
    assert.deepEqual(ageParts(3 * 86_400), { unit: "days", count: 3 });
  });

  it("colours fresh under an hour, stale under a day, old after, never without data", () => {
    assert.equal(ageLevel({ asOf: null, ageSeconds: null }), "never");
    assert.equal(ageLevel({ asOf: "2026-10-01T00:00:00Z", ageSeconds: 3599 }), "fresh");
    assert.equal(ageLevel({ asOf: "2026-10-01T00:00:00Z", ageSeconds: 3600 }), "stale");
    assert.equal(ageLevel({ asOf: "2026-10-01T00:00:00Z", ageSeconds: 86_400 }), "old");
  });

  it("steps months back across a year", () => {
    assert.equal(monthOf(new Date("2026-12-08T00:00:00Z")), "2026-12");
    assert.equal(monthOf(new Date("2026-12-08T00:00:00Z"), 11), "2026-01");
    assert.equal(monthOf(new Date("2026-01-31T00:00:00Z"), 1), "2025-12");
  });
});
