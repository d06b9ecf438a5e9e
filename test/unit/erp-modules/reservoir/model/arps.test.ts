import assert from "node:assert/strict";
import fc from "fast-check";
import {
  cumulativeAt,
  cumulativeToInfinity,
  declineAt,
  estimatedUltimateRecovery,
  rateAt,
  remainingReserves,
  switchTimeDays,
  timeToRateDays,
  type ArpsCurve,
} from "../../../../../erp-modules/reservoir/model/arps.js";

/*
 * Reference values. No printed worked example could be checked against its
 * source text in this work (the decline-curve chapters of Ahmed's Reservoir
 * Engineering Handbook and of Guo, Lyons & Ghalambor's Petroleum Production
 * Engineering were not available to read), so, as docs/testing.md asks, each
 * case below is an analytic closed form of Arps (1945) chosen so the answer
 * is exact by hand: the parameters make (1 + b Di t) a whole number or e^-Dt
 * a simple fraction. The derivation is in each case's comment; tolerance is
 * relative 1e-12 (floating point only), unless stated.
 */

function close(actual: number, expected: number, relative = 1e-12, label = ""): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  assert.ok(Math.abs(actual - expected) / scale <= relative, `${label} ${actual} ≠ ${expected} (relative ${relative})`);
}

describe("Arps exponential decline (b = 0)", () => {
  // Half-life one year: Di = ln 2 / 365.25 per day.
  const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: Math.LN2 / 365.25, b: 0 };

  it("q(t) = qi exp(-Di t): halves every 365.25 days", () => {
    close(rateAt(curve, 365.25), 50);
    close(rateAt(curve, 730.5), 25);
  });

  it("Np(t) = (qi - q) / Di: 50 / Di over the first year, qi / Di to infinity", () => {
    close(cumulativeAt(curve, 365.25), (50 * 365.25) / Math.LN2);
    close(cumulativeToInfinity(curve), (100 * 365.25) / Math.LN2);
  });

  it("time to a rate = ln(qi / q) / Di; EUR to the limit = (qi - q_el) / Di", () => {
    close(timeToRateDays(curve, 12.5), 3 * 365.25);
    const eur = estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 12.5 });
    assert.equal(eur.limitedBy, "economicLimit");
    close(eur.volume, (87.5 * 365.25) / Math.LN2);
    close(eur.timeDays, 3 * 365.25);
  });

  it("the decline is constant", () => {
    close(declineAt(curve, 0), curve.initialDeclinePerDay);
    close(declineAt(curve, 5000), curve.initialDeclinePerDay);
  });
});

describe("Arps harmonic decline (b = 1)", () => {
  const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.01, b: 1 };

  it("q = qi / (1 + Di t): 1 + 0.01 x 100 = 2 halves the rate", () => {
    close(rateAt(curve, 100), 50);
    close(rateAt(curve, 900), 10);
  });

  it("Np = qi / Di ln(1 + Di t) = 10000 ln 2 at 100 days", () => {
    close(cumulativeAt(curve, 100), 10_000 * Math.LN2);
    close(cumulativeAt(curve, 900), 10_000 * Math.log(10));
  });

  it("time to a rate = (qi / q - 1) / Di; unbounded cumulative, EUR needs a limit", () => {
    close(timeToRateDays(curve, 10), 900);
    assert.equal(cumulativeToInfinity(curve), Infinity);
    assert.equal(estimatedUltimateRecovery(curve, {}).volume, Infinity);
    close(estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 10 }).volume, 10_000 * Math.log(10));
  });
});

describe("Arps hyperbolic decline", () => {
  it("b = 0.5, Di = 0.02/d: q(100) = qi / 2^2, Np(100) = qi / ((1 - b) Di) (1 - 2^-1), EUR∞ = qi / ((1 - b) Di)", () => {
    const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.02, b: 0.5 };
    close(rateAt(curve, 100), 25);
    close(cumulativeAt(curve, 100), 5000);
    close(cumulativeToInfinity(curve), 10_000);
    close(timeToRateDays(curve, 25), 100);
    // D(t) = Di / (1 + b Di t) = 0.02 / 2.
    close(declineAt(curve, 100), 0.01);
  });

  it("b = 2 (above 1), Di = 0.015/d: q(100) = qi 4^-1/2, Np(100) = qi / ((1 - b) Di) (1 - 4^1/2), no finite EUR", () => {
    const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.015, b: 2 };
    close(rateAt(curve, 100), 50);
    close(cumulativeAt(curve, 100), 100 / 0.015);
    close(timeToRateDays(curve, 50), 100);
    assert.equal(cumulativeToInfinity(curve), Infinity);
  });

  it("b near 0 and near 1 join the exponential and harmonic forms smoothly (no cancellation)", () => {
    const exponential: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.002, b: 0 };
    const harmonic: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.002, b: 1 };
    for (const t of [1, 100, 1000, 10_000]) {
      close(cumulativeAt({ ...exponential, b: 1e-9 }, t), cumulativeAt(exponential, t), 1e-7, `b→0 at ${t}`);
      close(cumulativeAt({ ...harmonic, b: 1 + 1e-10 }, t), cumulativeAt(harmonic, t), 1e-8, `b→1+ at ${t}`);
      close(cumulativeAt({ ...harmonic, b: 1 - 1e-10 }, t), cumulativeAt(harmonic, t), 1e-8, `b→1- at ${t}`);
    }
  });

  it("EUR stops at the economic limit or the time limit, whichever comes first", () => {
    const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.02, b: 0.5 };
    const byRate = estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 25, timeLimitDays: 200 });
    assert.deepEqual([byRate.limitedBy, byRate.timeDays], ["economicLimit", 100]);
    close(byRate.volume, 5000);
    const byTime = estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 25, timeLimitDays: 50 });
    assert.deepEqual([byTime.limitedBy, byTime.timeDays], ["timeLimit", 50]);
    close(byTime.volume, cumulativeAt(curve, 50));
    const atOnce = estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 150 });
    assert.deepEqual([atOnce.volume, atOnce.timeDays], [0, 0]);
  });

  it("remaining reserves = EUR - Np(as of), 0 past the EUR's end", () => {
    const curve: ArpsCurve = { initialRatePerDay: 100, initialDeclinePerDay: 0.02, b: 0.5 };
    const eur = estimatedUltimateRecovery(curve, { economicLimitRatePerDay: 25 });
    close(remainingReserves(curve, eur, 0), 5000);
    // Np(50) = 10000 (1 - 1.5^-1) = 3333.33...
    close(remainingReserves(curve, eur, 50), 5000 - 10_000 / 3);
    assert.equal(remainingReserves(curve, eur, 150), 0);
  });
});

describe("modified hyperbolic (hyperbolic to exponential at Dlim)", () => {
  // Harmonic Di = 0.01/d to Dlim = 0.001/d: D(t) = 0.01 / (1 + 0.01 t) = 0.001 at t* = 900 d, q* = qi / 10.
  const curve: ArpsCurve = { initialRatePerDay: 1000, initialDeclinePerDay: 0.01, b: 1, terminalDeclinePerDay: 0.001 };

  it("switches at t* = (Di / Dlim - 1) / (b Di) = 900 days", () => {
    close(switchTimeDays(curve) ?? NaN, 900);
    close(declineAt(curve, 899.999), 0.01 / (1 + 0.01 * 899.999));
    close(declineAt(curve, 1500), 0.001);
    assert.equal(switchTimeDays({ ...curve, b: 0 }), null, "b = 0 never slows to Dlim");
    assert.equal(switchTimeDays({ ...curve, terminalDeclinePerDay: undefined }), null);
  });

  it("rate and cumulative are the harmonic's up to t*, then exponential from q* = 100", () => {
    close(rateAt(curve, 900), 100);
    close(cumulativeAt(curve, 900), 100_000 * Math.log(10));
    close(rateAt(curve, 1900), 100 * Math.exp(-1));
    close(cumulativeAt(curve, 1900), 100_000 * Math.log(10) + 100_000 * (1 - Math.exp(-1)));
  });

  it("finite EUR to infinity; time to a rate below q* goes through the exponential tail", () => {
    close(cumulativeToInfinity(curve), 100_000 * Math.log(10) + 100_000);
    close(timeToRateDays(curve, 10), 900 + 1000 * Math.log(10));
    close(timeToRateDays(curve, 200), (1000 / 200 - 1) / 0.01);
  });
});

/** Composite Simpson over [0, t] with n (even) panels. */
function simpson(f: (t: number) => number, t: number, n: number): number {
  const h = t / n;
  let sum = f(0) + f(t);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

const curveArb: fc.Arbitrary<ArpsCurve> = fc
  .record({
    qi: fc.double({ min: 0.1, max: 1e5, noNaN: true }),
    diPerYear: fc.double({ min: 0.01, max: 5, noNaN: true }),
    b: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 2.5, noNaN: true })),
    terminalFraction: fc.option(fc.double({ min: 0.01, max: 0.9, noNaN: true })),
  })
  .map(({ qi, diPerYear, b, terminalFraction }) => {
    const curve: ArpsCurve = { initialRatePerDay: qi, initialDeclinePerDay: diPerYear / 365.25, b };
    if (terminalFraction !== null) curve.terminalDeclinePerDay = curve.initialDeclinePerDay * terminalFraction;
    return curve;
  });

describe("Arps properties (fast-check)", () => {
  it("Np(t) equals the numerical integral of q over [0, t] (Simpson, piecewise at the switch; relative 1e-8)", () => {
    fc.assert(
      fc.property(curveArb, fc.double({ min: 1, max: 20_000, noNaN: true }), (curve, t) => {
        const tSwitch = switchTimeDays(curve);
        const f = (x: number) => rateAt(curve, x);
        // Panels of at most 1 % of the initial decline's time constant keep Simpson's error near 1e-10.
        const panels = (span: number) => 2 * Math.max(1000, Math.ceil(50 * curve.initialDeclinePerDay * span));
        // The rate has a kink at t*; integrate each smooth piece on its own.
        let integral: number;
        if (tSwitch !== null && tSwitch < t) {
          integral = simpson(f, tSwitch, panels(tSwitch)) + simpson((x) => f(tSwitch + x), t - tSwitch, panels(t - tSwitch));
        } else {
          integral = simpson(f, t, panels(t));
        }
        close(cumulativeAt(curve, t), integral, 1e-8, "Np vs ∫q");
      }),
      { numRuns: 200 },
    );
  });

  it("the rate never rises and the cumulative never falls", () => {
    fc.assert(
      fc.property(curveArb, fc.array(fc.double({ min: 0, max: 30_000, noNaN: true }), { minLength: 2, maxLength: 30 }), (curve, times) => {
        const sorted = [...times].sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i++) {
          const earlier = sorted[i - 1] ?? 0;
          const later = sorted[i] ?? 0;
          assert.ok(rateAt(curve, later) <= rateAt(curve, earlier), `q(${later}) > q(${earlier})`);
          assert.ok(cumulativeAt(curve, later) >= cumulativeAt(curve, earlier) - 1e-9 * cumulativeAt(curve, later));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("time to a rate inverts the rate: q(timeToRate(q)) = q", () => {
    fc.assert(
      fc.property(curveArb, fc.double({ min: 1e-4, max: 0.999, noNaN: true }), (curve, fraction) => {
        const target = curve.initialRatePerDay * fraction;
        close(rateAt(curve, timeToRateDays(curve, target)), target, 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
