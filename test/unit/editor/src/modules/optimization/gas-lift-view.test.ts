import assert from "node:assert/strict";
import { curveInDisplay, isDecidable, isInFlight, marginalInDisplay, moneyPerGasInDisplay, oilGainM3PerDay, pricesToCanonical } from "../../../../../../editor/src/modules/optimization/gas-lift-view";
import type { RunSetpoint } from "../../../../../../editor/src/api/optimization";

/*
 * Oilfield units by their definitions: 1 bbl = 0.158987294928 m3 (exact, 42 US
 * gal of 231 in3) and 1 Mscf = 28.316846592 Sm3 (1000 ft3 of 0.3048 m, exact),
 * so a ratio's conversion is checked against these constants, not against
 * the code's own tables.
 */
const M3_PER_BBL = 0.158987294928;
const SM3_PER_MSCF = 28.316846592;

const setpoint: RunSetpoint = {
  id: "s",
  wellId: "w",
  wellCode: "WELL-201",
  tagPath: "SITE1/WELL-201/GL_INJ_SP",
  currentInjectionSm3PerDay: 20_000,
  recommendedInjectionSm3PerDay: 25_000,
  currentOilM3PerDay: 50,
  expectedOilM3PerDay: 54,
  minInjectionSm3PerDay: 5_000,
  maxInjectionSm3PerDay: 40_000,
  curve: [
    { injectionSm3PerDay: 0, oilM3PerDay: 20 },
    { injectionSm3PerDay: 40_000, oilM3PerDay: 60 },
  ],
  write: null,
};

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= 1e-9 * expected, `${actual} vs ${expected}`);

describe("gas-lift screen: what a run shows", () => {
  it("gains oil over the current rate, and shows none when the current rate is unknown", () => {
    assert.equal(oilGainM3PerDay(setpoint), 4);
    assert.equal(oilGainM3PerDay({ ...setpoint, currentOilM3PerDay: null }), null);
  });

  it("turns the marginal value (m3/d of oil per Sm3/d of gas) into bbl/d per Mscf/d on an oilfield site", () => {
    const perSm3 = 0.0004;
    assert.equal(marginalInDisplay(perSm3, "metric"), perSm3);
    const expected = (perSm3 / M3_PER_BBL) * SM3_PER_MSCF;
    assert.ok(Math.abs(marginalInDisplay(perSm3, "oilfield") - expected) < 1e-9 * expected, `${marginalInDisplay(perSm3, "oilfield")} vs ${expected}`);
  });

  it("draws the curve and both points in the site's units", () => {
    const shown = curveInDisplay(setpoint, "oilfield");
    assert.ok(Math.abs((shown.injection[1] ?? 0) - 40_000 / SM3_PER_MSCF) < 1e-6);
    assert.ok(Math.abs((shown.oil[0] ?? 0) - 20 / M3_PER_BBL) < 1e-6);
    assert.ok(Math.abs(shown.recommended.injection - 25_000 / SM3_PER_MSCF) < 1e-6);
    assert.equal(curveInDisplay({ ...setpoint, currentOilM3PerDay: null }, "metric").current, null);
  });

  it("turns prices per bbl and per Mscf into the API's prices per m3 and per Sm3; metric prices pass unchanged", () => {
    const typed = { currency: "USD", oilPerVolume: 70, liftGasPerVolume: 2, waterPerVolume: 1.5 };
    const canonical = pricesToCanonical(typed, "oilfield");
    assert.equal(canonical.currency, "USD");
    // 70 USD/bbl = 70 / 0.158987294928 USD/m3 = 440.29 USD/m3; 2 USD/Mscf = 2 / 28.316846592 USD/Sm3.
    near(canonical.oilPricePerM3, 70 / M3_PER_BBL);
    near(canonical.liftGasCostPerSm3, 2 / SM3_PER_MSCF);
    near(canonical.waterHandlingCostPerM3, 1.5 / M3_PER_BBL);
    assert.deepEqual(pricesToCanonical(typed, "metric"), { currency: "USD", oilPricePerM3: 70, liftGasCostPerSm3: 2, waterHandlingCostPerM3: 1.5 });
  });

  it("shows a marginal value in money per Sm3/d of gas as money per Mscf/d on an oilfield site", () => {
    near(moneyPerGasInDisplay(0.05, "oilfield"), 0.05 * SM3_PER_MSCF);
    assert.equal(moneyPerGasInDisplay(0.05, "metric"), 0.05);
  });

  it("lets an engineer decide only a proposed run, and follows a run until its writes are done", () => {
    assert.deepEqual(
      (["proposed", "approved", "rejected", "writing", "sent", "partially_failed", "failed"] as const).map((status) => [isDecidable(status), isInFlight(status)]),
      [
        [true, false],
        [false, true],
        [false, false],
        [false, true],
        [false, false],
        [false, false],
        [false, false],
      ],
    );
  });
});
