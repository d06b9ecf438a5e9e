import assert from "node:assert/strict";
import {
  allocationFactor,
  allocationFactorFlags,
  checkMeterFlags,
  staleTestFlags,
  testAgeDays,
} from "../../../../../erp-modules/production/model/flags.js";

describe("production/model/flags", () => {
  describe("check meter against fiscal meter", () => {
    it("flags a deviation beyond the tolerance and not one within it", () => {
      const flags = checkMeterFlags(
        [
          // Oil on 03-01: fiscal 100, check 103 → |103 - 100| / 100 = 3 % > 2 % → flagged.
          { date: "2026-03-01", fluid: "oil", service: "fiscal", volumeM3: 100 },
          { date: "2026-03-01", fluid: "oil", service: "check", volumeM3: 103 },
          // Gas on 03-01: sales 1000, check 985 → 15 / 1000 = 1.5 % ≤ 2 % → not flagged.
          { date: "2026-03-01", fluid: "gas", service: "sales", volumeM3: 1000 },
          { date: "2026-03-01", fluid: "gas", service: "check", volumeM3: 985 },
          // Water on 03-02: two fiscal meters 40 + 60 = 100, check 102 → exactly 2 % → not flagged (beyond means >).
          { date: "2026-03-02", fluid: "water", service: "fiscal", volumeM3: 40 },
          { date: "2026-03-02", fluid: "water", service: null, volumeM3: 60 },
          { date: "2026-03-02", fluid: "water", service: "check", volumeM3: 102 },
          // Oil on 03-02: a check meter alone has nothing to compare with → no flag.
          { date: "2026-03-02", fluid: "oil", service: "check", volumeM3: 50 },
        ],
        2,
      );
      assert.equal(flags.length, 1);
      const [flag] = flags;
      assert.equal(flag.kind, "check_meter_deviation");
      assert.ok(flag.kind === "check_meter_deviation");
      assert.equal(flag.date, "2026-03-01");
      assert.equal(flag.fluid, "oil");
      assert.ok(Math.abs(flag.deviationPercent - 3) < 1e-12);
    });

    it("flags a check volume against a fiscal 0 as 100 % off", () => {
      const flags = checkMeterFlags(
        [
          { date: "2026-03-01", fluid: "oil", service: "fiscal", volumeM3: 0 },
          { date: "2026-03-01", fluid: "oil", service: "check", volumeM3: 4 },
        ],
        2,
      );
      assert.equal(flags.length, 1);
      assert.ok(flags[0].kind === "check_meter_deviation" && flags[0].deviationPercent === 100);
    });
  });

  describe("allocation factor", () => {
    it("is measured over theoretical, null with no theoretical", () => {
      // 95 / 100 = 0.95
      assert.equal(allocationFactor(95, 100), 0.95);
      assert.equal(allocationFactor(10, 0), null);
    });

    it("flags days outside the band, inclusive limits pass", () => {
      const flags = allocationFactorFlags(
        [
          // 88 / 100 = 0.88 < 0.9 → flagged.
          { date: "2026-03-01", fluid: "oil", measuredM3: 88, theoreticalM3: 100 },
          // 90 / 100 = 0.9 → on the limit, not flagged.
          { date: "2026-03-01", fluid: "water", measuredM3: 90, theoreticalM3: 100 },
          // 1150 / 1000 = 1.15 > 1.1 → flagged.
          { date: "2026-03-02", fluid: "gas", measuredM3: 1150, theoreticalM3: 1000 },
          // No theoretical: no factor, no flag.
          { date: "2026-03-02", fluid: "oil", measuredM3: 5, theoreticalM3: 0 },
        ],
        0.9,
        1.1,
      );
      assert.deepEqual(
        flags.map((flag) => (flag.kind === "allocation_factor" ? [flag.date, flag.fluid, flag.factor] : null)),
        [
          ["2026-03-01", "oil", 0.88],
          ["2026-03-02", "gas", 1.15],
        ],
      );
    });
  });

  describe("stale well tests", () => {
    it("counts whole days from the test's day", () => {
      // 2026-01-01 → 2026-04-01: 31 (Jan) + 28 (Feb) + 31 (Mar) = 90 days.
      assert.equal(testAgeDays("2026-01-01T10:30:00Z", "2026-04-01"), 90);
    });

    it("flags a test older than the validity period, once per well and day", () => {
      const flags = staleTestFlags(
        [
          // 90 days old: valid (older than means > 90).
          { date: "2026-04-01", wellId: "w1", wellTestId: "t1", testStartedAt: "2026-01-01T10:30:00Z" },
          // 91 days old → flagged; the same well and day again (another fluid) adds no second flag.
          { date: "2026-04-02", wellId: "w1", wellTestId: "t1", testStartedAt: "2026-01-01T10:30:00Z" },
          { date: "2026-04-02", wellId: "w1", wellTestId: "t1", testStartedAt: "2026-01-01T10:30:00Z" },
        ],
        90,
      );
      assert.equal(flags.length, 1);
      assert.ok(flags[0].kind === "stale_well_test" && flags[0].ageDays === 91 && flags[0].date === "2026-04-02");
    });
  });
});
