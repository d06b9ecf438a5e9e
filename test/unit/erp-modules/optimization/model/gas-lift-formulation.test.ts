import assert from "node:assert/strict";
import fc from "fast-check";
import { createGasLiftSolver, type GasLiftSolver } from "../../../../../erp-modules/optimization/gas-lift-solver.js";
import type { GasLiftCurve, GasLiftOptimizationRequest } from "../../../../../erp-modules/optimization/gas-lift-schema.js";
import { curveAt } from "../../../../../erp-modules/optimization/model/gas-lift-curve.js";
import { buildGasLiftModel, equalSlopeBasis, planGasLift } from "../../../../../erp-modules/optimization/model/gas-lift-formulation.js";

/**
 * Correctness of the gas-lift allocation (LP and MILP through HiGHS in the
 * worker) against cases whose optimum is known independently: closed forms
 * from the equal-marginal-slope rule, and brute force on small grids.
 */

/** A curve sampled from a function at `count` evenly spaced injections up to `maxSm3PerDay`. */
function sampled(maxSm3PerDay: number, count: number, oil: (g: number) => number, water: (g: number) => number = () => 0): GasLiftCurve {
  return Array.from({ length: count }, (_, index) => {
    const g = (maxSm3PerDay * index) / (count - 1);
    return { injectionSm3PerDay: g, oilM3PerDay: oil(g), waterM3PerDay: water(g) };
  });
}

function points(list: [number, number][]): GasLiftCurve {
  return list.map(([g, q]) => ({ injectionSm3PerDay: g, oilM3PerDay: q, waterM3PerDay: 0 }));
}

describe("gas-lift allocation: correctness", function () {
  let solver: GasLiftSolver;
  before(() => {
    solver = createGasLiftSolver();
  });
  after(async () => {
    await solver.close();
  });

  it("matches the equal-marginal-slope closed form on logarithmic curves (Kanu, Mach and Brown, SPE-9084-PA, 1981)", async () => {
    /*
     * Kanu, Mach and Brown: at the optimum every well receiving gas has the
     * same slope dq/dg (otherwise moving gas from the flatter to the steeper
     * well adds oil). With q_i = a_i·ln(1 + g_i/c_i), dq_i/dg_i = a_i/(c_i + g_i) = λ,
     * so g_i = a_i/λ − c_i, and Σ g_i = G gives 1/λ = (G + Σ c_i)/Σ a_i.
     * a = (60, 40, 30) m3/d, c = (8000, 5000, 12000) Sm3/d, G = 60 000 Sm3/d:
     * 1/λ = 85 000/130 = 653.846, so g = (31 230.8, 21 153.8, 7 615.4) Sm3/d
     * (all positive, so no well is at a bound) and λ = 1.5294 m3/d per 1000 Sm3/d.
     * The curves are sampled every 500 Sm3/d; the piecewise-linear optimum
     * is within one sample of the smooth one (tolerance 500 Sm3/d).
     */
    const a = [60, 40, 30];
    const c = [8000, 5000, 12000];
    const G = 60000;
    const inverseLambda = (G + c.reduce((s, x) => s + x, 0)) / a.reduce((s, x) => s + x, 0);
    const expected = a.map((ai, i) => ai * inverseLambda - (c[i]));
    assert.deepEqual(expected.map((g) => Math.round(g * 10) / 10), [31230.8, 21153.8, 7615.4]);
    const result = await solver.solve({
      availableGasSm3PerDay: G,
      wells: a.map((ai, i) => ({ wellId: `W${i}`, curve: sampled(60000, 121, (g) => ai * Math.log1p(g / (c[i]))), currentInjectionSm3PerDay: 20000 })),
    });
    assert.equal(result.status, "optimal");
    assert.equal(result.method, "lp");
    result.wells.forEach((well, i) => assert.ok(Math.abs(well.injectionSm3PerDay - (expected[i])) <= 500, `${well.wellId}: ${well.injectionSm3PerDay} vs ${expected[i]}`));
    assert.ok(Math.abs(result.recommended.injectionSm3PerDay - G) < 1e-6, "all the gas is used");
    const smoothOptimum = a.reduce((sum, ai, i) => sum + ai * Math.log1p((expected[i]) / (c[i])), 0);
    // Chords lie under the smooth curve: the sampled optimum is a little below it, by far less than 0.1 %.
    assert.ok(result.recommended.oilM3PerDay <= smoothOptimum + 1e-9 && result.recommended.oilM3PerDay > smoothOptimum * 0.999);
    // The gas row's dual is λ, up to the slope change across one 500 Sm3/d segment (< 4 %).
    assert.equal(result.marginalValue?.method, "lp_dual");
    const lambdaPer1000 = 1000 / inverseLambda;
    assert.ok(Math.abs((result.marginalValue?.per1000Sm3PerDay ?? 0) - lambdaPer1000) / lambdaPer1000 < 0.04, `${result.marginalValue?.per1000Sm3PerDay} vs ${lambdaPer1000}`);
    // The gain is measured against the current allocation read on the same curves.
    const current = a.reduce((sum, ai, i) => sum + ai * Math.log1p(20000 / (c[i])), 0);
    assert.ok(Math.abs(result.current.oilM3PerDay - current) < 0.05);
    assert.ok(Math.abs(result.expectedGain.oilM3PerDay - (result.recommended.oilM3PerDay - result.current.oilM3PerDay)) < 1e-9);
  });

  it("net value: stops each well where the oil value of the last Sm3 equals its cost, gas to spare (closed form)", async () => {
    /*
     * With gas not limiting, the optimum of p·a_i·ln(1 + g_i/c_i) − w·g_i is
     * where p·a_i/(c_i + g_i) = w: g_i = p·a_i/w − c_i. p = 400 USD/m3,
     * w = 0.5 USD/Sm3: g = (40 000, 27 000, 12 000) Sm3/d, total 79 000 of the
     * 100 000 available, so the gas row is slack and one more Sm3/d is worth 0.
     */
    const a = [60, 40, 30];
    const c = [8000, 5000, 12000];
    const result = await solver.solve({
      objective: "net_value",
      prices: { currency: "USD", oilPricePerM3: 400, liftGasCostPerSm3: 0.5, waterHandlingCostPerM3: 0 },
      availableGasSm3PerDay: 100000,
      wells: a.map((ai, i) => ({ wellId: `W${i}`, curve: sampled(60000, 121, (g) => ai * Math.log1p(g / (c[i]))), currentInjectionSm3PerDay: 0 })),
    });
    assert.equal(result.currency, "USD");
    [40000, 27000, 12000].forEach((g, i) => assert.ok(Math.abs((result.wells[i]?.injectionSm3PerDay ?? NaN) - g) <= 500, `W${i}: ${result.wells[i]?.injectionSm3PerDay}`));
    assert.ok(Math.abs(result.marginalValue?.perSm3PerDay ?? NaN) < 1e-9);
    const value = result.wells.reduce((sum, well) => sum + 400 * well.oilM3PerDay - 0.5 * well.injectionSm3PerDay, 0);
    assert.ok(Math.abs(result.recommended.objectiveValue - value) < 1e-6);
  });

  it("the compressor limits when it is below the gas available", async () => {
    const result = await solver.solve({
      availableGasSm3PerDay: 80000,
      compressorCapacitySm3PerDay: 30000,
      wells: [0, 1].map((i) => ({ wellId: `W${i}`, curve: sampled(40000, 9, (g) => 50 * Math.log1p(g / 10000)), currentInjectionSm3PerDay: 0 })),
    });
    assert.equal(result.gasLimitBy, "compressor");
    assert.equal(result.gasLimitSm3PerDay, 30000);
    assert.ok(result.recommended.injectionSm3PerDay <= 30000 + 1e-6);
    // Identical concave wells share equally.
    assert.ok(Math.abs((result.wells[0]?.injectionSm3PerDay ?? 0) - (result.wells[1]?.injectionSm3PerDay ?? 0)) <= 5000);
  });

  it("non-concave curves: the MILP beats the LP on the concave envelope and equals brute force", async () => {
    /*
     * Well B needs 5000 Sm3/d before the gas lifts at all (an unloading
     * threshold): its curve is convex there. Its concave envelope runs
     * straight from (0, 10) to (10 000, 40), slope 0.003, steeper than A's
     * first segment (0.0025), so the envelope LP gives B all 6000 Sm3/d — where
     * B's real curve gives only 16 m3/d: total 16 + 10 = 26. Brute force: A
     * 6000 → 21 + B 10 = 31 (A 4000 + B 2000 → 20 + 10 = 30; B 6000 → 26).
     */
    const wells = [
      { wellId: "A", curve: points([[0, 10], [4000, 20], [20000, 28]]), currentInjectionSm3PerDay: 3000 },
      { wellId: "B", curve: points([[0, 10], [5000, 10], [10000, 40], [20000, 42]]), currentInjectionSm3PerDay: 3000 },
    ];
    const lp = await solver.solve({ availableGasSm3PerDay: 6000, wells, solver: { method: "lp" } });
    const milp = await solver.solve({ availableGasSm3PerDay: 6000, wells });
    assert.equal(lp.method, "lp");
    assert.match(lp.methodReason, /concave envelope/);
    assert.equal(milp.method, "milp");
    assert.match(milp.methodReason, /non-concave curves: B/);
    assert.ok(Math.abs(lp.recommended.oilM3PerDay - 26) < 1e-6, `LP on the envelope: ${lp.recommended.oilM3PerDay}`);
    assert.ok(Math.abs(milp.recommended.oilM3PerDay - 31) < 1e-6, `MILP: ${milp.recommended.oilM3PerDay}`);
    assert.equal(milp.wells.find((well) => !well.concave)?.wellId, "B");
    assert.equal(milp.mipGap !== null && milp.mipGap <= 1e-4, true);
    assert.equal(milp.marginalValue?.method, "milp_resolve");
    // The re-solve with 7000 Sm3/d switches to B alone (22 + 10 = 32 beats A alone, 21.5 + 10): 1 m3/d for 1000 Sm3/d,
    // a jump no LP dual would show.
    assert.ok(Math.abs((milp.marginalValue?.perSm3PerDay ?? NaN) - 0.001) < 1e-9, `${milp.marginalValue?.perSm3PerDay}`);
  });

  it("the MILP equals brute force on random non-concave three-well cases (grid of 1000 Sm3/d)", async () => {
    /*
     * Breakpoints and the gas limit on a 1000 Sm3/d grid: fixing each well's
     * active segment leaves an LP with one coupling row, whose optimum has at
     * most one well between breakpoints; its gas is then the limit minus grid
     * values, on the grid too. So enumerating the grid finds the exact optimum.
     */
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 12 }),
        async (increments, limitThousands) => {
          const curves = increments.map((steps) => {
            let q = 5;
            return points(steps.map((step, index): [number, number] => [index * 1000, index === 0 ? q : (q += step - 4)]).map(([g, value]) => [g, Math.max(0, value)]));
          });
          const result = await solver.solve({
            availableGasSm3PerDay: limitThousands * 1000,
            wells: curves.map((curve, i) => ({ wellId: `W${i}`, curve, currentInjectionSm3PerDay: 0 })),
            solver: { method: "milp" },
          });
          let best = -Infinity;
          for (let x = 0; x <= 4; x++) for (let y = 0; y <= 4; y++) for (let z = 0; z <= 4; z++) {
            if (x + y + z > limitThousands) continue;
            const total = [x, y, z].reduce((sum, k, i) => sum + curveAt(curves[i], k * 1000).oilM3PerDay, 0);
            best = Math.max(best, total);
          }
          assert.ok(Math.abs(result.recommended.oilM3PerDay - best) < 1e-6, `MILP ${result.recommended.oilM3PerDay} vs brute force ${best}`);
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it("a well whose minimum cannot be afforded is left at 0 when allowed, and the problem is infeasible when not", async () => {
    const curve = sampled(20000, 11, (g) => 10 + 30 * Math.log1p(g / 5000));
    const allowed = await solver.solve({
      availableGasSm3PerDay: 15000,
      wells: [
        { wellId: "A", curve, currentInjectionSm3PerDay: 10000, minInjectionSm3PerDay: 10000 },
        { wellId: "B", curve, currentInjectionSm3PerDay: 10000, minInjectionSm3PerDay: 10000 },
      ],
    });
    assert.equal(allowed.method, "milp");
    assert.equal(allowed.status, "optimal");
    assert.deepEqual(allowed.wells.map((well) => well.leftAtZero).sort(), [false, true]);
    assert.equal(allowed.wells.find((well) => !well.leftAtZero)?.injectionSm3PerDay, 15000);
    const hard = await solver.solve({
      availableGasSm3PerDay: 15000,
      wells: ["A", "B"].map((wellId) => ({ wellId, curve, currentInjectionSm3PerDay: 10000, minInjectionSm3PerDay: 10000, allowZeroInjection: false })),
    });
    assert.equal(hard.status, "infeasible");
    assert.equal(hard.marginalValue, null);
    assert.deepEqual(hard.wells.map((well) => well.injectionSm3PerDay), [10000, 10000], "the current allocation is kept");
  });

  it("a time limit reached before any allocation answers time_limit with the current allocation, not an error", async () => {
    // 40 wells whose thresholds make a real MILP, and a limit far too short to find anything.
    const result = await solver.solve({
      availableGasSm3PerDay: 200000,
      wells: Array.from({ length: 40 }, (_, i) => ({
        wellId: `W${i}`,
        curve: points([[0, 5], [4000 + 100 * i, 6], [8000 + 150 * i, 30 + (i % 7)], [20000, 36 + (i % 5)], [40000, 37]]),
        currentInjectionSm3PerDay: 5000,
        minInjectionSm3PerDay: 3000,
      })),
      solver: { timeLimitSeconds: 1e-6 },
    });
    assert.equal(result.method, "milp");
    assert.equal(result.status, "time_limit");
    assert.match(result.solverStatus, /no allocation found within 0.000001 s/);
    assert.equal(result.mipGap, null);
    assert.deepEqual(result.wells.map((well) => well.injectionSm3PerDay), result.wells.map((well) => well.currentInjectionSm3PerDay));
    assert.equal(result.marginalValue, null);
  });

  it("starts HiGHS from the equal-slope basis: steepest segments at their upper bound, one partly filled and basic", () => {
    // Slopes per kSm3/d: A 3, 1; B 2, 0.5. 2500 Sm3/d: A's first (1000), B's first (1000), then 500 of A's second.
    const request: GasLiftOptimizationRequest = {
      availableGasSm3PerDay: 2500,
      wells: [
        { wellId: "A", curve: points([[0, 0], [1000, 3], [2000, 4]]), currentInjectionSm3PerDay: 0 },
        { wellId: "B", curve: points([[0, 0], [1000, 2], [2000, 2.5]]), currentInjectionSm3PerDay: 0 },
      ],
    };
    const plan = planGasLift(request);
    const model = buildGasLiftModel(plan, plan.gasLimitSm3PerDay);
    assert.deepEqual(equalSlopeBasis(model), { colStatus: [2, 1, 2, 0], rowStatus: [2] });
    // With gas to spare every positive segment is full and the gas row is the basic one.
    const spare = planGasLift({ ...request, availableGasSm3PerDay: 10000 });
    assert.deepEqual(equalSlopeBasis(buildGasLiftModel(spare, spare.gasLimitSm3PerDay)), { colStatus: [2, 2, 2, 2], rowStatus: [1] });
    // A MILP model (B made non-concave) has no such basis.
    const milp = planGasLift({ ...request, wells: [request.wells[0], { wellId: "B", curve: points([[0, 0], [1000, 0.5], [2000, 2.5]]), currentInjectionSm3PerDay: 0 }] });
    assert.equal(milp.method, "milp");
    assert.equal(equalSlopeBasis(buildGasLiftModel(milp, milp.gasLimitSm3PerDay)), null);
  });

  describe("properties (fast-check)", () => {
    const curveArbitrary = fc
      .tuple(fc.array(fc.integer({ min: -10, max: 30 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 5 }))
      .map(([steps, widthThousands]) => {
        let q = 20;
        return [{ injectionSm3PerDay: 0, oilM3PerDay: q, waterM3PerDay: 5 }].concat(
          steps.map((step, index) => ({ injectionSm3PerDay: (index + 1) * widthThousands * 1000, oilM3PerDay: (q = Math.max(0, q + step)), waterM3PerDay: 5 + index })),
        );
      });
    const wellArbitrary = fc.tuple(curveArbitrary, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([curve, minK, maxCut]) => {
      const last = curve[curve.length - 1]?.injectionSm3PerDay ?? 0;
      const min = Math.min(last, minK * 1000);
      return { curve, min, max: Math.max(min, last - maxCut * 1000) };
    });
    const requestArbitrary = fc
      .record({
        wells: fc.array(wellArbitrary, { minLength: 1, maxLength: 6 }),
        available: fc.integer({ min: 0, max: 60000 }),
        compressor: fc.option(fc.integer({ min: 0, max: 60000 }), { nil: undefined }),
        allowZero: fc.boolean(),
      })
      .map(({ wells, available, compressor, allowZero }): GasLiftOptimizationRequest => ({
        availableGasSm3PerDay: available,
        ...(compressor === undefined ? {} : { compressorCapacitySm3PerDay: compressor }),
        wells: wells.map((well, i) => ({
          wellId: `W${i}`,
          curve: well.curve,
          currentInjectionSm3PerDay: 0,
          minInjectionSm3PerDay: well.min,
          maxInjectionSm3PerDay: well.max,
          allowZeroInjection: allowZero,
        })),
      }));

    it("never uses more gas than available or than the compressor, and keeps every well within its bounds", async () => {
      await fc.assert(
        fc.asyncProperty(requestArbitrary, async (request) => {
          const result = await solver.solve(request);
          const plan = planGasLift(request);
          if (result.status === "infeasible") {
            // Only when the hard minimums alone exceed the limit.
            assert.ok(plan.hardMinimumSm3PerDay > plan.gasLimitSm3PerDay);
            return;
          }
          const limit = Math.min(request.availableGasSm3PerDay, request.compressorCapacitySm3PerDay ?? Infinity);
          assert.ok(result.recommended.injectionSm3PerDay <= limit + 1e-6, `${result.recommended.injectionSm3PerDay} > ${limit}`);
          result.wells.forEach((well, i) => {
            const input = request.wells[i];
            if (well.leftAtZero) {
              assert.equal(well.injectionSm3PerDay, 0);
              return;
            }
            assert.ok(well.injectionSm3PerDay >= (input?.minInjectionSm3PerDay ?? 0) - 1e-6, `${well.wellId} below its minimum`);
            assert.ok(well.injectionSm3PerDay <= (input?.maxInjectionSm3PerDay ?? Infinity) + 1e-6, `${well.wellId} above its maximum`);
          });
        }),
        { numRuns: 40, seed: 7 },
      );
    });

    it("adding gas never lowers the optimum", async () => {
      await fc.assert(
        fc.asyncProperty(requestArbitrary, fc.integer({ min: 1, max: 20000 }), async (request, extra) => {
          const less = await solver.solve(request);
          const more = await solver.solve({ ...request, availableGasSm3PerDay: request.availableGasSm3PerDay + extra, compressorCapacitySm3PerDay: undefined });
          if (less.status === "infeasible") return;
          assert.notEqual(more.status, "infeasible");
          assert.ok(more.recommended.objectiveValue >= less.recommended.objectiveValue - 1e-6, `${more.recommended.objectiveValue} < ${less.recommended.objectiveValue}`);
        }),
        { numRuns: 30, seed: 3 },
      );
    });
  });
});
