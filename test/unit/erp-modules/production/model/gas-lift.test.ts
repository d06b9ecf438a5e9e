import assert from "node:assert/strict";
import { planAllocation, type PlanInput } from "../../../../../erp-modules/production/model/allocation-plan.js";
import {
  formationGasRate,
  gasBalance,
  gasOilRatio,
  liftGasInjected,
  liftGasTestWarnings,
  netLiftGas,
  type GasDispositionEntry,
  type NettedGasTotal,
} from "../../../../../erp-modules/production/model/gas-lift.js";
import type { ApprovedTest } from "../../../../../erp-modules/production/model/theoretical.js";

const NOW = new Date("2026-11-28T12:00:00Z");
const DAY = "2026-10-01";

function disposition(id: string, kind: GasDispositionEntry["disposition"], volumeSm3: string, productionDate = DAY): GasDispositionEntry {
  return { id, productionDate, disposition: kind, volumeSm3 };
}

describe("gas lift rules", () => {
  it("a test's formation gas rate is its separator gas less the lift gas injected, never below 0 (flagged)", () => {
    // 30 000 − 22 000 = 8 000 Sm3/d.
    assert.deepEqual(formationGasRate("30000", "22000"), { formationGasRateSm3PerDay: "8000.000000", liftGasExceedsGas: false });
    // No lift gas recorded (an ESP well): all of it is formation gas.
    assert.deepEqual(formationGasRate("6000", null), { formationGasRateSm3PerDay: "6000.000000", liftGasExceedsGas: false });
    // 5 000 − 6 000 = −1 000: taken as 0 and flagged.
    assert.deepEqual(formationGasRate(5000, 6000), { formationGasRateSm3PerDay: "0.000000", liftGasExceedsGas: true });
    const warnings = liftGasTestWarnings(
      [
        { id: "t9", wellId: "w9", gasRateSm3PerDay: "5000", liftGasInjectionSm3PerDay: "6000" },
        { id: "t1", wellId: "w1", gasRateSm3PerDay: "30000", liftGasInjectionSm3PerDay: "22000" },
      ],
      (id) => id.toUpperCase(),
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /well W9 test t9: lift gas injected 6000 Sm3\/d exceeds the separator gas 5000/);
  });

  it("lift gas injected over a day is the test's lift rate × uptime / 24", () => {
    // 22 000 × 18 / 24 = 16 500.
    assert.equal(liftGasInjected("22000", 18), "16500.000000");
    assert.equal(liftGasInjected(null, 24), "0.000000");
  });

  it("formation GOR = formation gas / oil; null without oil", () => {
    // Gas-lift well: 8 000 / 80 = 100 Sm3/m3 formation GOR, where its separator gas gives 30 000 / 80 = 375.
    assert.equal(gasOilRatio(8000, 80), 100);
    assert.equal(gasOilRatio(30000, 80), 375);
    assert.equal(gasOilRatio(100, 0), null);
  });

  it("the gas balance: measured = sales + fuel + flare + vent + lift recycle, the difference shown", () => {
    const entries = [
      disposition("d1", "sales", "13000"),
      disposition("d2", "fuel", "600"),
      disposition("d3", "flare", "400"),
      disposition("d4", "vent", "100"),
      disposition("d5", "lift_recycle", "20000"),
      disposition("d6", "lift_recycle", "1000"),
      disposition("d7", "sales", "99999", "2026-10-02"),
    ];
    const balance = gasBalance(DAY, "36400", entries);
    // Lift recycle 20 000 + 1 000 = 21 000 (entries of a kind add up); the 2 October sale is another day.
    // Disposed 13 000 + 600 + 400 + 100 + 21 000 = 35 100; difference 36 400 − 35 100 = 1 300;
    // formation gas 36 400 − 21 000 = 15 400.
    assert.deepEqual(balance, {
      measuredSm3: "36400.000000",
      bySm3: { sales: "13000.000000", fuel: "600.000000", flare: "400.000000", vent: "100.000000", lift_recycle: "21000.000000" },
      disposedSm3: "35100.000000",
      differenceSm3: "1300.000000",
      formationSm3: "15400.000000",
    });
    const unmeasured = gasBalance(DAY, null, entries);
    assert.deepEqual([unmeasured.disposedSm3, unmeasured.differenceSm3, unmeasured.formationSm3], ["35100.000000", null, null]);
  });

  it("nets the lift gas returned out of the measured gas; more lift gas than gas gives 0 and a warning", () => {
    const measured = {
      total: { date: DAY, fluid: "gas" as const, source: "meters" as const, volumeM3: "20000.000000", meterReadingIds: ["r1"], tankGaugeIds: [], runTicketIds: [] },
      warnings: [],
    };
    const over = netLiftGas(measured, DAY, { gasDispositions: [disposition("d5", "lift_recycle", "21000")] });
    // 20 000 − 21 000 < 0 → 0 allocated.
    assert.equal(over.total?.volumeM3, "0.000000");
    assert.match(over.warnings.join("\n"), /lift gas returned 21000\.000000 Sm3 exceeds the measured 20000\.000000 Sm3/);
    const none = netLiftGas(measured, DAY, { gasDispositions: [], liftGasTests: [{ id: "t1", wellId: "w1", gasRateSm3PerDay: "1", liftGasInjectionSm3PerDay: "1" }] });
    assert.equal(none.total?.volumeM3, "20000.000000", "no lift-recycle entry: nothing netted");
    assert.match(none.warnings.join("\n"), /no lift-gas recycle recorded/);
    assert.deepEqual(netLiftGas(measured, DAY, {}), measured, "no gas lift at all: unchanged, no warning");
  });

  describe("allocation of one gas-lift well and one ESP well on one day", () => {
    // The reader (allocation-inputs.ts) gives tests with their formation gas rate.
    const approved = (id: string, oil: string, gas: string, lift: string | null): ApprovedTest => ({
      id,
      startedAt: new Date("2026-09-01T00:00:00Z"),
      oilRateM3PerDay: oil,
      gasRateSm3PerDay: formationGasRate(gas, lift).formationGasRateSm3PerDay,
      waterRateM3PerDay: "0",
    });
    const input = (gasDispositions: GasDispositionEntry[]): PlanInput => ({
      days: [DAY],
      wells: [
        { id: "gl", code: "GL-1" },
        { id: "esp", code: "ESP-1" },
      ],
      testsByWell: new Map([
        // GL-1: 80 m3/d oil, 30 000 Sm3/d separator gas of which 22 000 lift gas → 8 000 formation gas.
        ["gl", [approved("t-gl", "80", "30000", "22000")]],
        // ESP-1: 60 m3/d oil, 6 000 Sm3/d gas, no lift gas.
        ["esp", [approved("t-esp", "60", "6000", null)]],
      ]),
      downtimeByWell: new Map(),
      meterReadings: [{ id: "r-gas", meterId: "m-gas", productionDate: DAY, fluid: "gas", volumeM3: "36400", createdAt: NOW }],
      tanks: [],
      gaugesByTank: new Map(),
      runTickets: [],
      now: NOW,
      gasDispositions,
      liftGasTests: [{ id: "t-gl", wellId: "gl", gasRateSm3PerDay: "30000", liftGasInjectionSm3PerDay: "22000" }],
    });

    it("shares the formation gas (measured − lift gas returned) by formation gas rates", () => {
      const plan = planAllocation(input([disposition("d-lift", "lift_recycle", "21000"), disposition("d-sales", "sales", "15400")]));
      // Measured formation gas = 36 400 − 21 000 = 15 400 Sm3.
      // Theoretical (24 h up): GL-1 8 000, ESP-1 6 000 → 14 000; factor 15 400 / 14 000 = 1.1.
      // GL-1 8 000 × 1.1 = 8 800; ESP-1 6 000 × 1.1 = 6 600 (sum 15 400).
      const gas = plan.results.filter((row) => row.fluid === "gas").map((row) => [row.wellId, row.theoreticalM3, row.allocatedM3]);
      assert.deepEqual(gas, [
        ["gl", "8000.000000", "8800.000000"],
        ["esp", "6000.000000", "6600.000000"],
      ]);
      assert.deepEqual(plan.totals.gas, { measuredM3: "15400.000000", allocatedM3: "15400.000000" });
      const measuredGas = plan.measured.find((total) => total.fluid === "gas") as NettedGasTotal | undefined;
      assert.deepEqual(
        [measuredGas?.separatorGasM3, measuredGas?.liftGasReturnedM3, measuredGas?.gasDispositionIds],
        ["36400.000000", "21000.000000", ["d-lift"]],
        "the run keeps what the formation gas came from",
      );
      // Formation GORs: GL-1 8 800 / 80 = 110, ESP-1 6 600 / 60 = 110 (oil not measured here; test oil rates).
      assert.equal(gasOilRatio(8800, 80), 110);
      assert.equal(plan.warnings.some((warning) => /lift/.test(warning)), false);
    });

    it("without the lift-gas entry, the separator gas is shared as before and a warning says so", () => {
      const plan = planAllocation(input([]));
      // 36 400 over 8 000 : 6 000 → GL-1 20 800, ESP-1 15 600: the lift gas lands on both wells' production.
      const gas = plan.results.filter((row) => row.fluid === "gas").map((row) => row.allocatedM3);
      assert.deepEqual(gas, ["20800.000000", "15600.000000"]);
      assert.match(plan.warnings.join("\n"), /gas on 2026-10-01: no lift-gas recycle recorded/);
    });
  });
});
