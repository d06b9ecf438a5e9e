import assert from "node:assert/strict";
import fc from "fast-check";
import {
  compositeFromTest,
  fetkovichFit,
  iprCurve,
  IprInputError,
  maxRate,
  pressureFor,
  rateAt,
  vogelFromTest,
  type IprModel,
} from "../../../../../erp-modules/reservoir/model/ipr.js";

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} is not within ${relative * 100}% of ${expected}`);
}

function expectInputError(run: () => unknown, field: string, reason: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof IprInputError, `expected an IprInputError, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.equal(error.reason, reason);
    return true;
  });
}

describe("reservoir/model/ipr", () => {
  describe("Fetkovich multi-rate fit, against a published worked example", () => {
    /*
     * "Python for Oil and Gas", Exercise 12.4 "Fetkovich from Multi-Rate Test -
     * Log-Log Deliverability Fit" (https://www.pythonforoilandgas.com/exercises/12-4):
     * Pr = 3,800 psi; (q STB/d, Pwf psi) = (800, 3200), (1400, 2600),
     * (2000, 1900), (2800, 1000). Printed results of the log-log least squares:
     * C ≈ 8.6648e-5, n ≈ 1.04968, AOF ≈ 2838.02 STB/d at Pwf = 0.
     * The equations are homogeneous, so psi and STB/d go through unchanged.
     * Tolerance: 0.01 % (the printed values have 5 to 6 significant figures).
     */
    const points = [
      { rateM3PerDay: 800, flowingPressureKpa: 3200 },
      { rateM3PerDay: 1400, flowingPressureKpa: 2600 },
      { rateM3PerDay: 2000, flowingPressureKpa: 1900 },
      { rateM3PerDay: 2800, flowingPressureKpa: 1000 },
    ];
    const model = fetkovichFit(3800, points);

    it("fits C and n as printed", () => {
      close(model.c, 8.6648e-5, 1e-4, "C");
      close(model.n, 1.04968, 1e-4, "n");
      // Not printed: the four points lie close to, not on, one line.
      assert.ok(model.rSquared > 0.98 && model.rSquared <= 1, `r² ${model.rSquared}`);
    });

    it("gives the printed AOF at Pwf = 0", () => {
      close(maxRate(model), 2838.02, 1e-4, "AOF");
    });

    it("recovers C and n exactly from points on a known curve (closed form)", () => {
      const c = 2e-4;
      const n = 0.8;
      const exact = [3000, 2000, 500].map((pwf) => ({ flowingPressureKpa: pwf, rateM3PerDay: c * (3800 ** 2 - pwf ** 2) ** n }));
      const fitted = fetkovichFit(3800, exact);
      close(fitted.c, c, 1e-9, "C");
      close(fitted.n, n, 1e-12, "n");
      close(fitted.rSquared, 1, 1e-12, "r²");
    });

    it("refuses fewer than two points, equal drawdowns and a rate falling with drawdown", () => {
      expectInputError(() => fetkovichFit(3800, points.slice(0, 1)), "points", "too_few_items");
      expectInputError(
        () => fetkovichFit(3800, [points[0], { ...points[0], rateM3PerDay: 900 }]),
        "points",
        "points_not_distinct",
      );
      expectInputError(
        () => fetkovichFit(3800, [{ rateM3PerDay: 900, flowingPressureKpa: 3000 }, { rateM3PerDay: 800, flowingPressureKpa: 1000 }]),
        "points",
        "points_not_distinct",
      );
      expectInputError(() => fetkovichFit(3800, [points[0], { rateM3PerDay: 10, flowingPressureKpa: 3800 }]), "points.1.flowingPressureKpa", "not_below");
    });
  });

  describe("Vogel, against a published worked example", () => {
    /*
     * "Kuliah 3: IPR Dua Fasa" (two-phase IPR lecture slides,
     * https://ro.scribd.com/presentation/235682500/Kuliah3-Ipr-Dua-Fasa),
     * first problem, Vogel's method: Pr = Pb = 2,000 psi, a test of
     * 1,000 bpd at Pwf = 500 psi. Printed IPR table (Pwf psi → q STB/D):
     * 0 → 1111.1, 400 → 1031.1, 1000 → 777.8, 1400 → 520.0, 1800 → 191.1,
     * 2000 → 0.0; and "q at Pwf = 1000 psi = 777.8 STB/D". The printed
     * values have one decimal: tolerance 0.05 STB/D. The equation is
     * homogeneous, so psi and STB/D go through unchanged.
     */
    const model = vogelFromTest(2000, { rateM3PerDay: 1000, flowingPressureKpa: 500 });
    const printed: [number, number][] = [
      [0, 1111.1],
      [400, 1031.1],
      [1000, 777.8],
      [1400, 520.0],
      [1800, 191.1],
      [2000, 0.0],
    ];

    it("gives the printed qmax and the printed rate at every tabulated flowing pressure", () => {
      assert.ok(Math.abs(maxRate(model) - 1111.1) <= 0.05, `qmax ${maxRate(model)}`);
      for (const [pwf, q] of printed) assert.ok(Math.abs(rateAt(model, pwf) - q) <= 0.05, `q at ${pwf} psi: ${rateAt(model, pwf)}, printed ${q}`);
    });

    it("inverts the printed table: the flowing pressure for each printed rate", () => {
      for (const [pwf, q] of printed.filter(([, rate]) => rate > 0 && rate < 1111)) {
        // The curve falls at least 0.29 STB/D per psi at these pressures, so a 0.05 STB/D rounding is under 0.2 psi.
        assert.ok(Math.abs(pressureFor(model, q) - pwf) <= 0.2, `Pwf for ${q}: ${pressureFor(model, q)}, printed ${pwf}`);
      }
    });
  });

  describe("Vogel (closed-form identities)", () => {
    /*
     * Vogel, J.V., "Inflow Performance Relationships for Solution-Gas Drive
     * Wells", JPT 20 (1968), SPE-1476-PA: q/qmax = 1 − 0.2 x − 0.8 x², x = Pwf/Pr.
     * At x = 0.5 the fraction is exactly 0.7; at x = 0.8 it is 0.328.
     */
    it("qmax from a test at half the reservoir pressure is the test rate / 0.7", () => {
      const model = vogelFromTest(20_000, { rateM3PerDay: 70, flowingPressureKpa: 10_000 });
      close(model.qmaxM3PerDay, 100, 1e-12, "qmax");
      close(rateAt(model, 16_000), 32.8, 1e-12, "q at x = 0.8");
      close(pressureFor(model, 32.8), 16_000, 1e-12, "Pwf for q/qmax = 0.328");
      assert.equal(rateAt(model, 20_000), 0);
      close(maxRate(model), 100, 1e-12, "AOF");
    });

    it("refuses a test at or above the reservoir pressure and a rate above the AOF", () => {
      expectInputError(() => vogelFromTest(20_000, { rateM3PerDay: 70, flowingPressureKpa: 20_000 }), "test.flowingPressureKpa", "not_below");
      expectInputError(() => vogelFromTest(0, { rateM3PerDay: 70, flowingPressureKpa: 0 }), "reservoirPressureKpa", "not_above");
      const model = vogelFromTest(20_000, { rateM3PerDay: 70, flowingPressureKpa: 10_000 });
      expectInputError(() => pressureFor(model, 100.001), "rateM3PerDay", "above_maximum");
      expectInputError(() => rateAt(model, 20_001), "flowingPressureKpa", "above_maximum");
    });
  });

  describe("composite: straight-line PI above the bubble point, Vogel below (closed form)", () => {
    /*
     * Brown, The Technology of Artificial Lift Methods Vol. 1 (1977), the
     * combined PI-Vogel curve: qb = J (Pr − Pb), qmax = qb + J Pb / 1.8. A test
     * above Pb gives J = q / (Pr − Pwf) directly.
     */
    it("a test above the bubble point gives J, qb and qmax in closed form", () => {
      const model = compositeFromTest(30_000, 18_000, { rateM3PerDay: 120, flowingPressureKpa: 24_000 });
      close(model.productivityIndexM3PerDayPerKpa, 0.02, 1e-12, "J");
      close(model.bubblePointRateM3PerDay, 240, 1e-12, "qb");
      close(model.qmaxM3PerDay, 240 + 200, 1e-12, "qmax");
      close(rateAt(model, 9_000), 240 + 200 * 0.7, 1e-12, "q at Pwf = Pb/2");
    });

    it("a test below the bubble point reproduces its own rate", () => {
      const test = { rateM3PerDay: 300, flowingPressureKpa: 12_000 };
      const model = compositeFromTest(30_000, 18_000, test);
      close(rateAt(model, test.flowingPressureKpa), test.rateM3PerDay, 1e-12, "q at the test");
    });

    it("is continuous with a continuous slope at the bubble point", () => {
      const model = compositeFromTest(30_000, 18_000, { rateM3PerDay: 120, flowingPressureKpa: 24_000 });
      const h = 1e-3;
      const above = (rateAt(model, 18_000) - rateAt(model, 18_000 + h)) / h;
      const below = (rateAt(model, 18_000 - h) - rateAt(model, 18_000)) / h;
      close(above, model.productivityIndexM3PerDayPerKpa, 1e-6, "slope above Pb");
      close(below, model.productivityIndexM3PerDayPerKpa, 1e-4, "slope below Pb");
    });

    it("is Vogel's curve when the bubble point is at or above the reservoir pressure", () => {
      const test = { rateM3PerDay: 70, flowingPressureKpa: 10_000 };
      const composite = compositeFromTest(20_000, 25_000, test);
      const vogel = vogelFromTest(20_000, test);
      close(composite.qmaxM3PerDay, vogel.qmaxM3PerDay, 1e-12, "qmax");
      close(rateAt(composite, 4_000), rateAt(vogel, 4_000), 1e-12, "q");
    });
  });

  describe("curve", () => {
    it("runs from Pr to 0 with the bubble point included, rates rising", () => {
      const model = compositeFromTest(30_000, 17_777, { rateM3PerDay: 120, flowingPressureKpa: 24_000 });
      const curve = iprCurve(model, 10);
      assert.equal(curve[0].flowingPressureKpa, 30_000);
      assert.equal(curve[0].rateM3PerDay, 0);
      assert.equal(curve.at(-1)?.flowingPressureKpa, 0);
      assert.ok(curve.some((point) => point.flowingPressureKpa === 17_777), "bubble point on the curve");
      assert.equal(curve.length, 12);
      for (let i = 1; i < curve.length; i++) assert.ok(curve[i].rateM3PerDay > curve[i - 1].rateM3PerDay);
    });

    it("stops at the lowest pressure asked for", () => {
      const curve = iprCurve(vogelFromTest(20_000, { rateM3PerDay: 70, flowingPressureKpa: 10_000 }), 4, 101.325);
      assert.equal(curve.at(-1)?.flowingPressureKpa, 101.325);
      assert.equal(curve.length, 5);
    });
  });

  describe("properties (every method)", () => {
    const modelArb: fc.Arbitrary<IprModel> = fc
      .record({
        pr: fc.double({ min: 1_000, max: 80_000, noNaN: true }),
        pwfFraction: fc.double({ min: 0, max: 0.95, noNaN: true }),
        pbFraction: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        rate: fc.double({ min: 0.1, max: 5_000, noNaN: true }),
        n: fc.double({ min: 0.5, max: 1.2, noNaN: true }),
        method: fc.constantFrom("vogel", "fetkovich", "composite"),
      })
      .map(({ pr, pwfFraction, pbFraction, rate, n, method }) => {
        const test = { rateM3PerDay: rate, flowingPressureKpa: pr * pwfFraction };
        if (method === "vogel") return vogelFromTest(pr, test);
        if (method === "composite") return compositeFromTest(pr, pr * pbFraction, test);
        // Two points on a curve of exponent n through the test.
        const c = rate / (pr * pr - test.flowingPressureKpa ** 2) ** n;
        const second = pr * (pwfFraction < 0.5 ? pwfFraction + 0.4 : pwfFraction - 0.4);
        return fetkovichFit(pr, [test, { flowingPressureKpa: second, rateM3PerDay: c * (pr * pr - second * second) ** n }]);
      });

    it("q(Pr) = 0 and q(0) = the maximum rate", () => {
      fc.assert(
        fc.property(modelArb, (model) => {
          assert.equal(rateAt(model, model.reservoirPressureKpa), 0);
          assert.equal(rateAt(model, 0), maxRate(model));
          assert.ok(maxRate(model) > 0);
        }),
      );
    });

    it("the rate falls as the flowing pressure rises", () => {
      fc.assert(
        fc.property(modelArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (model, a, b) => {
          const low = Math.min(a, b) * model.reservoirPressureKpa;
          const high = Math.max(a, b) * model.reservoirPressureKpa;
          if (high - low < 1e-6 * model.reservoirPressureKpa) return;
          assert.ok(rateAt(model, low) > rateAt(model, high), `q(${low}) = ${rateAt(model, low)} ≤ q(${high}) = ${rateAt(model, high)}`);
        }),
      );
    });

    it("the inverse gives the pressure back: pressureFor(rateAt(p)) = p", () => {
      fc.assert(
        fc.property(modelArb, fc.double({ min: 0, max: 1, noNaN: true }), (model, fraction) => {
          const pressure = fraction * model.reservoirPressureKpa;
          const back = pressureFor(model, rateAt(model, pressure));
          assert.ok(Math.abs(back - pressure) <= 1e-6 * model.reservoirPressureKpa, `${back} vs ${pressure}`);
        }),
      );
    });
  });
});
