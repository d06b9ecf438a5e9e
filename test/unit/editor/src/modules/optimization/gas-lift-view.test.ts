import assert from "node:assert/strict";
import { curveInDisplay, isDecidable, isInFlight, marginalInDisplay, oilGainM3PerDay } from "../../../../../../editor/src/modules/optimization/gas-lift-view";
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
