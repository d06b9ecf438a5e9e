import assert from "node:assert/strict";
import { theoreticalVolumeOfPeriods } from "../../../../../erp-modules/production/model/allocation.js";
import { productionDayClock } from "../../../../../erp-modules/production/model/production-day.js";
import { deferredVolume, testInEffect, wellDay, type ApprovedTest } from "../../../../../erp-modules/production/model/theoretical.js";

const NOW = new Date("2026-11-28T12:00:00Z");

function test(id: string, startedAt: string, oil: string, water = "0"): ApprovedTest {
  return { id, startedAt: new Date(startedAt), oilRateM3PerDay: oil, gasRateSm3PerDay: "0", waterRateM3PerDay: water };
}

describe("when a well test applies", () => {
  const old = test("t-old", "2026-09-01T08:00:00Z", "100", "24");

  it("a test starting at 00:00 of D+1 is not applied to D", () => {
    const next = test("t-next", "2026-10-03T00:00:00Z", "60");
    assert.equal(testInEffect([old, next], "2026-10-02")?.id, "t-old");
    const dayD = wellDay("2026-10-02", [old, next], [], NOW);
    // Day D: the old test all 24 h: 100 × 24 / 24 = 100.
    assert.deepEqual([dayD.wellTestIds, dayD.theoreticalM3.oil], [["t-old"], "100.000000"]);
    const dayD1 = wellDay("2026-10-03", [old, next], [], NOW);
    // Day D+1: the new test from its first instant: 60 × 24 / 24 = 60.
    assert.deepEqual([dayD1.wellTestIds, dayD1.theoreticalM3.oil], [["t-next"], "60.000000"]);
  });

  it("a test starting at 12:00 applies pro rata from its start, with the uptime on each side", () => {
    const noon = test("t-noon", "2026-10-02T12:00:00Z", "60", "48");
    // Down 10:00–14:00: 2 h before the new test, 2 h after it.
    const day = wellDay("2026-10-02", [old, noon], [{ startedAt: "2026-10-02T10:00:00Z", endedAt: "2026-10-02T14:00:00Z" }], NOW);
    assert.equal(day.uptimeHours, 20);
    // oil = (100 × (12 − 2) + 60 × (12 − 2)) / 24 = (1000 + 600) / 24 = 66.6666666… → 66.666667
    // water = (24 × 10 + 48 × 10) / 24 = 720 / 24 = 30
    assert.deepEqual(day.theoreticalM3, { oil: "66.666667", gas: "0.000000", water: "30.000000" });
    assert.equal(day.wellTestId, "t-noon", "the test in effect at the day's end");
    assert.deepEqual(day.wellTestIds, ["t-old", "t-noon"]);
  });

  it("a well with no test before a mid-day test gets the new rate for the hours after it only", () => {
    const first = test("t-first", "2026-10-02T18:00:00Z", "96");
    const day = wellDay("2026-10-02", [first], [], NOW);
    // 96 × 6 / 24 = 24
    assert.deepEqual([day.theoreticalM3.oil, day.wellTestIds], ["24.000000", ["t-first"]]);
  });
});

describe("theoretical volume over a day of any length", () => {
  it("rates are per 24 h: a 25-hour day at full uptime gives 25/24 of the rate, a 23-hour day 23/24", () => {
    const clock = productionDayClock({ timeZone: "America/New_York", startHour: 6 });
    const rate = test("t", "2026-01-01T00:00:00Z", "48");
    // 2026-10-31 06:00 EDT to 2026-11-01 06:00 EST = 25 h: 48 × 25 / 24 = 50
    const long = wellDay("2026-10-31", [rate], [], NOW, clock);
    assert.deepEqual([long.uptimeHours, long.dayHours, long.theoreticalM3.oil], [25, 25, "50.000000"]);
    // 2026-03-07 06:00 EST to 2026-03-08 06:00 EDT = 23 h: 48 × 23 / 24 = 46
    const short = wellDay("2026-03-07", [rate], [], NOW, clock);
    assert.deepEqual([short.uptimeHours, short.dayHours, short.theoreticalM3.oil], [23, 23, "46.000000"]);
    // Deferred on the short day with 3 h down: 48 × (23 − 20) / 24 = 6
    assert.equal(deferredVolume(rate, "oil", 20, 23), "6.000000");
  });

  it("sums the periods exactly and rounds once", () => {
    // (1 × 1 + 1 × 1) / 24 = 0.0833333… → 0.083333; rounding each period first would give 2 × 0.041667 = 0.083334.
    assert.equal(theoreticalVolumeOfPeriods([{ ratePerDay: "1", hours: "1" }, { ratePerDay: "1", hours: "1" }]), "0.083333");
    assert.throws(() => theoreticalVolumeOfPeriods([{ ratePerDay: 1, hours: 20 }, { ratePerDay: 1, hours: 5.5 }]), /at most 25/);
    assert.throws(() => theoreticalVolumeOfPeriods([{ ratePerDay: -1, hours: 1 }]), /periods\[0\]\.ratePerDay must not be negative/);
  });
});
