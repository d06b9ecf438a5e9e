import assert from "node:assert/strict";
import fc from "fast-check";
import type { DcaRatePoint } from "../../../../../erp-modules/reservoir/dca-schema.js";
import { rateAt, type ArpsCurve } from "../../../../../erp-modules/reservoir/model/arps.js";
import { fitArps } from "../../../../../erp-modules/reservoir/model/arps-fit.js";
import { assertIncreasingTimes, DcaInputProblem, fitDecline, splitWindow, type DeclineFitOptions } from "../../../../../erp-modules/reservoir/model/decline-fit.js";

const MONTH = 365.25 / 12;

function series(curve: ArpsCurve, months: number, noise: (i: number) => number = () => 1): DcaRatePoint[] {
  return Array.from({ length: months }, (_, i) => ({ timeDays: i * MONTH, ratePerDay: rateAt(curve, i * MONTH) * noise(i) }));
}

/** A seeded normal(0, 1) from a 32-bit LCG and Box-Muller: the same noise every run. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const OPTIONS: DeclineFitOptions = { model: "hyperbolic", bMin: 0, bMax: 2, rejectOutliers: true, outlierThreshold: 3.5 };

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("fitArps recovers the parameters of noiseless curves", () => {
  it("hyperbolic: qi, Di and b to 1e-6 (fast-check over qi, Di, b)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 1.9, noNaN: true }),
        (qi, diPerYear, b) => {
          const truth: ArpsCurve = { initialRatePerDay: qi, initialDeclinePerDay: diPerYear / 365.25, b };
          const points = series(truth, 120);
          const outcome = fitArps(
            points.map((p) => p.timeDays),
            points.map((p) => p.ratePerDay),
            { model: "hyperbolic", bMin: 0, bMax: 2 },
          );
          assert.ok(relative(outcome.curve.initialRatePerDay, qi) < 1e-6, `qi ${outcome.curve.initialRatePerDay} vs ${qi}`);
          assert.ok(relative(outcome.curve.initialDeclinePerDay, truth.initialDeclinePerDay) < 1e-6, `Di ${outcome.curve.initialDeclinePerDay} vs ${truth.initialDeclinePerDay}`);
          assert.ok(Math.abs(outcome.curve.b - b) < 1e-6, `b ${outcome.curve.b} vs ${b}`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("exponential, harmonic and modified hyperbolic (given Dlim) as well", () => {
    const cases: [DeclineFitOptions["model"], ArpsCurve][] = [
      ["exponential", { initialRatePerDay: 800, initialDeclinePerDay: 0.3 / 365.25, b: 0 }],
      ["harmonic", { initialRatePerDay: 800, initialDeclinePerDay: 1.5 / 365.25, b: 1 }],
      ["modifiedHyperbolic", { initialRatePerDay: 800, initialDeclinePerDay: 2.5 / 365.25, b: 1.3, terminalDeclinePerDay: 0.08 / 365.25 }],
    ];
    for (const [model, truth] of cases) {
      const points = series(truth, 240);
      const outcome = fitArps(
        points.map((p) => p.timeDays),
        points.map((p) => p.ratePerDay),
        { model, bMin: 0, bMax: 2, terminalDeclinePerDay: truth.terminalDeclinePerDay },
      );
      assert.ok(relative(outcome.curve.initialRatePerDay, truth.initialRatePerDay) < 1e-6, `${model} qi`);
      assert.ok(relative(outcome.curve.initialDeclinePerDay, truth.initialDeclinePerDay) < 1e-6, `${model} Di`);
      assert.ok(Math.abs(outcome.curve.b - truth.b) < 1e-6, `${model} b ${outcome.curve.b}`);
      assert.equal(outcome.curve.terminalDeclinePerDay, truth.terminalDeclinePerDay);
    }
  });

  it("keeps b within its bounds: data with b = 2.6 fitted with b ≤ 2 ends on the bound", () => {
    const points = series({ initialRatePerDay: 500, initialDeclinePerDay: 3 / 365.25, b: 2.6 }, 120);
    const fit = fitDecline(points, OPTIONS);
    assert.equal(fit.curve.b, 2);
    assert.ok(fit.flags.includes("b_at_upper_bound") && fit.flags.includes("b_above_one"), fit.flags.join());
    const bounded = fitDecline(points, { ...OPTIONS, bMin: 0.5, bMax: 1.2 });
    assert.equal(bounded.curve.b, 1.2);
  });
});

describe("fitDecline: points, window, outliers, goodness", () => {
  const truth: ArpsCurve = { initialRatePerDay: 1000, initialDeclinePerDay: 1.2 / 365.25, b: 0.8 };

  it("noiseless data: R² = 1 in both spaces, nothing excluded", () => {
    const fit = fitDecline(series(truth, 60), OPTIONS);
    assert.deepEqual(fit.excluded, []);
    assert.equal(fit.goodness.pointsUsed, 60);
    assert.ok(fit.goodness.rSquaredRate > 1 - 1e-12 && fit.goodness.rSquaredLog > 1 - 1e-12);
    assert.ok(fit.goodness.rmseRatePerDay < 1e-6);
  });

  it("reports every excluded point with its reason: caller flags, zero rates, before the last peak, outliers", () => {
    const noise = normals(7);
    const history = series(truth, 120, () => Math.exp(0.03 * noise()));
    // Build-up before the peak, then the decline.
    const points: DcaRatePoint[] = [
      { timeDays: -2 * MONTH, ratePerDay: 300 },
      { timeDays: -MONTH, ratePerDay: 700 },
      ...history,
    ];
    const at = (month: number) => points[month + 2];
    at(0).ratePerDay = 1100; // the peak
    at(20).flag = "shutIn";
    at(21).ratePerDay = 0;
    at(30).flag = "test";
    at(40).ratePerDay *= 2.5; // a spike
    at(70).ratePerDay *= 0.3; // a dip
    const fit = fitDecline(points, OPTIONS);
    const reasons = fit.excluded.map((point) => [point.index, point.reason]);
    assert.deepEqual(reasons, [
      [0, "beforeWindow"],
      [1, "beforeWindow"],
      [22, "shutIn"],
      [23, "nonPositiveRate"],
      [32, "test"],
      [42, "outlier"],
      [72, "outlier"],
    ]);
    for (const outlier of fit.excluded.filter((point) => point.reason === "outlier")) assert.ok(Math.abs(outlier.robustZ ?? 0) > 3.5);
    assert.equal(fit.goodness.pointsUsed, 122 - 7);
    assert.equal(fit.referenceTimeDays, 0, "the window starts at the last peak");
    assert.ok(fit.flags.includes("outliers_excluded"));
    // 3 % noise: the parameters come back within a few percent.
    assert.ok(relative(fit.curve.initialDeclinePerDay, truth.initialDeclinePerDay) < 0.1, `Di ${fit.curve.initialDeclinePerDay * 365.25}`);
    assert.ok(Math.abs(fit.curve.b - truth.b) < 0.15, `b ${fit.curve.b}`);
  });

  it("without outlier rejection the spike stays in, and the fit is worse in log space", () => {
    const points = series(truth, 60);
    (points[30]).ratePerDay *= 4;
    const robust = fitDecline(points, OPTIONS);
    const plain = fitDecline(points, { ...OPTIONS, rejectOutliers: false });
    assert.deepEqual(
      robust.excluded.map((p) => p.index),
      [30],
    );
    assert.deepEqual(plain.excluded, []);
    assert.ok(plain.goodness.rmseLog > robust.goodness.rmseLog);
  });

  it("a window start picked by the caller replaces the last peak", () => {
    const points = series(truth, 36);
    const fit = fitDecline(points, { ...OPTIONS, windowStartDays: 12 * MONTH - 1 });
    assert.equal(fit.referenceTimeDays, 12 * MONTH);
    assert.equal(fit.excluded.length, 12);
    assert.ok(fit.excluded.every((point) => point.reason === "beforeWindow"));
    // qi of a window starting a year in is the rate there.
    assert.ok(relative(fit.curve.initialRatePerDay, rateAt(truth, 12 * MONTH)) < 1e-6);
  });

  it("the last peak is the latest point of the highest rate", () => {
    const points: DcaRatePoint[] = [
      { timeDays: 0, ratePerDay: 100 },
      { timeDays: 1, ratePerDay: 90 },
      { timeDays: 2, ratePerDay: 100 },
      { timeDays: 3, ratePerDay: 95, flag: "test" },
      { timeDays: 4, ratePerDay: 80 },
    ];
    const split = splitWindow(points, undefined);
    assert.deepEqual(split.used, [2, 4]);
    assert.deepEqual(
      split.excluded.map((p) => p.reason),
      ["beforeWindow", "beforeWindow", "test"],
    );
  });

  it("refuses fewer than 3 usable points, naming points", () => {
    const points: DcaRatePoint[] = [
      { timeDays: 0, ratePerDay: 100 },
      { timeDays: 30, ratePerDay: 90, flag: "shutIn" },
      { timeDays: 60, ratePerDay: 0 },
      { timeDays: 90, ratePerDay: 70 },
    ];
    assert.throws(
      () => fitDecline(points, OPTIONS),
      (error: unknown) => error instanceof DcaInputProblem && error.field === "points" && error.reason === "too_few_items",
    );
  });

  it("refuses times that do not strictly increase, naming the point", () => {
    const points: DcaRatePoint[] = [
      { timeDays: 0, ratePerDay: 100 },
      { timeDays: 30, ratePerDay: 90 },
      { timeDays: 30, ratePerDay: 80 },
    ];
    assert.throws(
      () => assertIncreasingTimes(points, "points"),
      (error: unknown) => error instanceof DcaInputProblem && error.field === "points.2.timeDays" && error.reason === "not_after",
    );
  });

  it("noisy data (5 %, seeded): the fitted EUR-relevant parameters stay near the truth over many seeds", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const noise = normals(seed);
      const fit = fitDecline(
        series(truth, 120, () => Math.exp(0.05 * noise())),
        OPTIONS,
      );
      assert.ok(!fit.flags.includes("fit_not_converged"), `seed ${seed}`);
      // Noise can put the highest rate one month in: the window (and t = 0) then starts there.
      const start = fit.referenceTimeDays;
      assert.ok(start <= MONTH, `seed ${seed} window starts at ${start}`);
      assert.ok(relative(fit.curve.initialRatePerDay, rateAt(truth, start)) < 0.1, `seed ${seed} qi ${fit.curve.initialRatePerDay}`);
      assert.ok(relative(rateAt(fit.curve, 3650 - start), rateAt(truth, 3650)) < 0.05, `seed ${seed} q(10 y)`);
    }
  });
});
