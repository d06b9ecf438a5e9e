import assert from "node:assert/strict";
import { planAllocation, type PlanInput } from "../../../../../erp-modules/production/model/allocation-plan.js";
import { toUnits } from "../../../../../erp-modules/production/model/allocation.js";
import { deferredVolume, testInEffect, wellDay, type ApprovedTest } from "../../../../../erp-modules/production/model/theoretical.js";

const NOW = new Date("2026-11-28T12:00:00Z");

function test(id: string, startedAt: string, oil: string, gas = "0", water = "0"): ApprovedTest {
  return { id, startedAt: new Date(startedAt), oilRateM3PerDay: oil, gasRateSm3PerDay: gas, waterRateM3PerDay: water };
}

describe("theoretical volumes", () => {
  const tests = [test("t1", "2026-09-01T00:00:00Z", "100"), test("t2", "2026-10-02T18:00:00Z", "80"), test("t0", "2026-10-02T18:00:00Z", "70")];

  it("the test in effect at the day's end is the latest approved one started before it (ties: greater id)", () => {
    assert.equal(testInEffect(tests, "2026-10-01")?.id, "t1");
    assert.equal(testInEffect(tests, "2026-10-02")?.id, "t2", "started during the day: in effect at its end");
    assert.equal(testInEffect(tests, "2026-08-30"), null);
    assert.equal(testInEffect([test("t3", "2026-10-03T00:00:00Z", "1")], "2026-10-02"), null, "exactly at the day's end: the next day's");
  });

  it("theoretical = rate × uptime / 24, exact to the micro-m3; open downtime runs to now", () => {
    const day = wellDay("2026-10-01", tests, [{ startedAt: "2026-10-01T16:00:00Z", endedAt: null }], NOW);
    assert.equal(day.uptimeHours, 16);
    assert.equal(day.wellTestId, "t1");
    assert.deepEqual(day.theoreticalM3, { oil: "66.666667", gas: "0.000000", water: "0.000000" });
    const noTest = wellDay("2026-08-01", tests, [], NOW);
    assert.deepEqual([noTest.wellTestId, noTest.theoreticalM3.oil, noTest.uptimeHours], [null, "0.000000", 24]);
  });

  it("deferment = rate × downtime hours / 24, 0 without a test", () => {
    assert.equal(deferredVolume(tests[0], "oil", 18), "25.000000");
    assert.equal(deferredVolume(null, "oil", 0), "0.000000");
  });
});

describe("planAllocation", () => {
  function input(overrides: Partial<PlanInput> = {}): PlanInput {
    return {
      days: ["2026-10-01", "2026-10-02"],
      wells: [
        { id: "w1", code: "W-1" },
        { id: "w2", code: "W-2" },
        { id: "w3", code: "W-3" },
      ],
      testsByWell: new Map([
        ["w1", [test("t1", "2026-09-01T00:00:00Z", "10", "1000", "1")]],
        ["w2", [test("t2", "2026-09-01T00:00:00Z", "20", "0", "2")]],
      ]),
      downtimeByWell: new Map([["w2", [{ startedAt: "2026-10-02T00:00:00Z", endedAt: "2026-10-03T00:00:00Z" }]]]),
      meterReadings: [
        { id: "r1", meterId: "m", productionDate: "2026-10-01", fluid: "oil", volumeM3: "1", createdAt: NOW },
        { id: "r2", meterId: "m", productionDate: "2026-10-02", fluid: "oil", volumeM3: "33.333333", createdAt: NOW },
        { id: "r3", meterId: "g", productionDate: "2026-10-02", fluid: "gas", volumeM3: "500", createdAt: NOW },
        { id: "r4", meterId: "w", productionDate: "2026-10-02", fluid: "water", volumeM3: "9", createdAt: NOW },
      ],
      tanks: [],
      gaugesByTank: new Map(),
      runTickets: [],
      now: NOW,
      ...overrides,
    };
  }

  it("shares each measured day and fluid exactly in proportion to theoretical volumes", () => {
    const plan = planAllocation(input());
    const sum = (day: string, fluid: string) =>
      plan.results.filter((row) => row.productionDate === day && row.fluid === fluid).reduce((total, row) => total + toUnits(row.allocatedM3), 0n);
    assert.equal(sum("2026-10-01", "oil"), toUnits("1"));
    assert.equal(sum("2026-10-02", "oil"), toUnits("33.333333"));
    const oct1 = plan.results.filter((row) => row.productionDate === "2026-10-01").map((row) => [row.wellId, row.allocatedM3]);
    // 1 m3 over 10 : 20 : 0 → 1/3 and 2/3; the leftover unit to the larger remainder (w2: 0.666666|67).
    assert.deepEqual(oct1, [
      ["w1", "0.333333"],
      ["w2", "0.666667"],
      ["w3", "0.000000"],
    ]);
    // Oct 2: w2 down all day → w1 gets everything.
    assert.deepEqual(
      plan.results.filter((row) => row.productionDate === "2026-10-02" && row.fluid === "oil").map((row) => row.allocatedM3),
      ["33.333333", "0.000000", "0.000000"],
    );
    assert.deepEqual(plan.totals.oil, { measuredM3: "34.333333", allocatedM3: "34.333333" });
    assert.deepEqual(plan.testUse.filter((use) => use.wellId === "w3"), [{ wellId: "w3", wellTestId: null, from: "2026-10-01", to: "2026-10-02" }]);
    assert.ok(plan.warnings.includes("well W-3 has no approved well test on 2026-10-01..2026-10-02: its theoretical volume is 0"));
  });

  it("skips a day and fluid without a basis, with a warning, and counts it as measured but not allocated", () => {
    // Gas on Oct 2: only w1 has a gas rate; take w1 down all day too.
    const plan = planAllocation(
      input({
        downtimeByWell: new Map([
          ["w1", [{ startedAt: "2026-10-02T00:00:00Z", endedAt: "2026-10-03T00:00:00Z" }]],
          ["w2", [{ startedAt: "2026-10-02T00:00:00Z", endedAt: "2026-10-03T00:00:00Z" }]],
        ]),
      }),
    );
    assert.equal(plan.results.filter((row) => row.productionDate === "2026-10-02").length, 0, "nothing had a basis on Oct 2");
    assert.deepEqual(plan.totals.gas, { measuredM3: "500.000000", allocatedM3: "0.000000" });
    assert.ok(plan.warnings.some((warning) => warning.startsWith("gas on 2026-10-02 not allocated: 500.000000 m3 measured")));
    assert.deepEqual(
      plan.measured.filter((total) => total.date === "2026-10-02").map((total) => [total.fluid, total.allocated]),
      [
        ["oil", false],
        ["gas", false],
        ["water", false],
      ],
    );
  });
});
