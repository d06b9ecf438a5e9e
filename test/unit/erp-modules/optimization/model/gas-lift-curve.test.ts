import assert from "node:assert/strict";
import {
  curveAt,
  fitGasLiftCurve,
  fittedRate,
  isConcaveCurve,
  resampleFittedCurve,
  upperEnvelopeIndices,
  type GasLiftPoint,
} from "../../../../../erp-modules/optimization/model/gas-lift-curve.js";
import { createOilfield } from "../../../../../simulator/model/oilfield.js";

const oil = (point: GasLiftPoint): number => point.oilM3PerDay;
const point = (injectionSm3PerDay: number, oilM3PerDay: number, waterM3PerDay = 0): GasLiftPoint => ({ injectionSm3PerDay, oilM3PerDay, waterM3PerDay });

describe("gas-lift curves", () => {
  it("interpolates linearly between points and holds the ends outside", () => {
    const curve = [point(0, 10, 1), point(10000, 30, 3), point(20000, 35, 5)];
    assert.deepEqual(curveAt(curve, 5000), point(5000, 20, 2));
    assert.deepEqual(curveAt(curve, 15000), point(15000, 32.5, 4));
    assert.equal(curveAt(curve, 30000).oilM3PerDay, 35);
    assert.equal(curveAt(curve, -1).oilM3PerDay, 10);
  });

  it("tells a concave curve (falling slopes, a maximum allowed) from a non-concave one", () => {
    assert.equal(isConcaveCurve([point(0, 10), point(1000, 20), point(2000, 25), point(3000, 24)], oil), true);
    assert.equal(isConcaveCurve([point(0, 10), point(1000, 20), point(2000, 20)], oil), true, "flat after rising");
    assert.equal(isConcaveCurve([point(0, 10), point(1000, 10), point(2000, 30)], oil), false, "an unloading threshold");
    assert.equal(isConcaveCurve([point(0, 10), point(1000, 20)], oil), true, "one segment");
  });

  it("finds the upper concave envelope", () => {
    // (1000, 10) lies under the chord from (0, 10) to (2000, 40); (3000, 41) is on the hull.
    assert.deepEqual(upperEnvelopeIndices([0, 1000, 2000, 3000], [10, 10, 40, 41]), [0, 2, 3]);
    assert.deepEqual(upperEnvelopeIndices([0, 1000, 2000], [0, 10, 15]), [0, 1, 2], "already concave");
  });

  it("recovers the model's parameters from exact points of q = a + b·ln(1 + g/c) − d·g", () => {
    const truth = { aM3PerDay: 30, bM3PerDay: 45, cSm3PerDay: 9000, dM3PerSm3: 0.0006, rmsM3PerDay: 0 };
    const tests = [0, 5000, 10000, 20000, 30000, 45000].map((g) => point(g, fittedRate(truth, g), 0.5 * fittedRate(truth, g)));
    const fit = fitGasLiftCurve(tests);
    assert.ok(fit);
    // Exact data: the fit is exact up to the search tolerance on c.
    assert.ok(fit.oil.rmsM3PerDay < 1e-3, `rms ${fit.oil.rmsM3PerDay}`);
    assert.ok(Math.abs(fit.oil.cSm3PerDay - 9000) / 9000 < 0.01, `c ${fit.oil.cSm3PerDay}`);
    assert.ok(Math.abs(fit.oil.bM3PerDay - 45) / 45 < 0.01);
    assert.ok(Math.abs(fit.water.bM3PerDay - 22.5) / 22.5 < 0.01, "water fitted with the same form");
    const curve = resampleFittedCurve(fit, 20);
    assert.equal(curve.length, 20);
    assert.equal(curve[19]?.injectionSm3PerDay, 45000);
    assert.equal(isConcaveCurve(curve, oil), true);
  });

  it("fits noisy tests of a simulated well: peaks near the well's own optimum", () => {
    const field = createOilfield({ seed: 5, eventsPerDay: 0, startTime: 0 });
    const truth = field.gasLiftCurve("WELL-202", 61);
    const tests = [6000, 12000, 18000, 24000, 30000, 36000, 42000, 48000].map((g, index) => {
      const exact = curveAt(truth, g);
      // ±1 % deterministic "measurement" error, alternating in sign.
      const error = index % 2 === 0 ? 1.01 : 0.99;
      return point(g, exact.oilM3PerDay * error, exact.waterM3PerDay * error);
    });
    const fit = fitGasLiftCurve(tests);
    assert.ok(fit);
    const resampled = resampleFittedCurve(fit, 49);
    const peakOf = (curve: GasLiftPoint[]): GasLiftPoint => curve.reduce((best, candidate) => (candidate.oilM3PerDay > best.oilM3PerDay ? candidate : best));
    const truePeak = peakOf(truth);
    const fittedPeak = peakOf(resampled);
    assert.ok(Math.abs(fittedPeak.oilM3PerDay - truePeak.oilM3PerDay) / truePeak.oilM3PerDay < 0.02, `${fittedPeak.oilM3PerDay} vs ${truePeak.oilM3PerDay}`);
    // A flat top: the peak's injection is known to within a few thousand Sm3/d.
    assert.ok(Math.abs(fittedPeak.injectionSm3PerDay - truePeak.injectionSm3PerDay) < 8000, `${fittedPeak.injectionSm3PerDay} vs ${truePeak.injectionSm3PerDay}`);
  });

  it("needs three distinct injections, one above 0; with exactly three, c is their mean", () => {
    assert.equal(fitGasLiftCurve([point(10000, 20), point(10000, 21), point(20000, 25)]), null);
    assert.equal(fitGasLiftCurve([point(0, 20), point(0, 21)]), null);
    const fit = fitGasLiftCurve([point(0, 20), point(10000, 30), point(20000, 34)]);
    assert.ok(fit);
    assert.equal(fit.oil.cSm3PerDay, 10000);
    assert.ok(fit.oil.rmsM3PerDay < 1e-6, "three points, a model that bends: an exact fit");
  });

  it("never fits a convex curve: b and d stay at or above 0", () => {
    const fit = fitGasLiftCurve([point(0, 10), point(10000, 11), point(20000, 15), point(30000, 25)]);
    assert.ok(fit);
    assert.ok(fit.oil.bM3PerDay >= 0 && fit.oil.dM3PerSm3 >= 0);
    assert.equal(isConcaveCurve(resampleFittedCurve(fit, 10), oil), true);
  });
});
