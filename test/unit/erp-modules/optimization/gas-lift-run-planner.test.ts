import assert from "node:assert/strict";
import type { GasLiftOptimizationRequest, GasLiftOptimizationResult, GasLiftSiteCurves } from "../../../../erp-modules/optimization/gas-lift-schema.js";
import { optimiserPlanner } from "../../../../erp-modules/optimization/gas-lift-run-planner.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";

/*
 * The closed loop's planner over a stand-in optimiser: what it asks (bounds,
 * no switching off, the gas and compressor capacity) and how it reads the
 * answer, including the answers it must not propose.
 */

const SITE = "0190a3c2-7d7e-7c3e-8a4b-000000000001";
const W1 = "0190a3c2-7d7e-7c3e-8a4b-000000000101";
const W2 = "0190a3c2-7d7e-7c3e-8a4b-000000000102";
const curve = [
  { injectionSm3PerDay: 0, oilM3PerDay: 20, waterM3PerDay: 5 },
  { injectionSm3PerDay: 30_000, oilM3PerDay: 60, waterM3PerDay: 15 },
];

function siteCurves(withCurve: boolean): GasLiftSiteCurves {
  const well = (wellId: string, code: string) => ({
    wellId,
    code,
    name: code,
    curve: withCurve ? curve : null,
    concave: withCurve ? true : null,
    currentInjectionSm3PerDay: 10_000,
    testIds: [],
    latestTestAt: null,
    oilFit: null,
    waterFit: null,
    problem: withCurve ? null : "too_few_tests",
  });
  return { siteAssetId: SITE, source: "simulator", wells: [well(W1, "W-1"), well(W2, "W-2")] };
}

function result(overrides: Partial<GasLiftOptimizationResult> = {}): GasLiftOptimizationResult {
  const totals = { injectionSm3PerDay: 40_000, oilM3PerDay: 100, waterM3PerDay: 25, objectiveValue: 100 };
  const well = (wellId: string, injection: number) => ({
    wellId,
    injectionSm3PerDay: injection,
    oilM3PerDay: 50,
    waterM3PerDay: 12,
    currentInjectionSm3PerDay: 10_000,
    currentOilM3PerDay: 33,
    currentWaterM3PerDay: 8,
    concave: true,
    leftAtZero: false,
  });
  return {
    status: "optimal",
    solverStatus: "Optimal",
    method: "lp",
    methodReason: "every curve is concave",
    objective: "oil",
    currency: null,
    gasLimitSm3PerDay: 40_000,
    gasLimitBy: "available_gas",
    wells: [well(W1, 22_000), well(W2, 18_000)],
    recommended: totals,
    current: { ...totals, oilM3PerDay: 66 },
    expectedGain: { oilM3PerDay: 34, objectiveValue: 34 },
    marginalValue: { perSm3PerDay: 0.001, per1000Sm3PerDay: 1, method: "lp_dual", deltaSm3PerDay: null },
    solveTimeMs: 3,
    mipGap: null,
    solver: "HiGHS test",
    ...overrides,
  };
}

function optimiser(answer: GasLiftOptimizationResult, withCurve = true) {
  const requests: GasLiftOptimizationRequest[] = [];
  return {
    requests,
    planner: optimiserPlanner({
      curvesForSite: () => Promise.resolve(siteCurves(withCurve)),
      optimize: (raw: unknown) => {
        requests.push(raw as GasLiftOptimizationRequest);
        return Promise.resolve(answer);
      },
    }),
  };
}

const wells = [
  { wellId: W1, wellCode: "W-1", minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: 25_000 },
  { wellId: W2, wellCode: "W-2", minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: 25_000 },
];

const reasonOf = (error: unknown) => (error instanceof ServiceError ? error.details?.reason : String(error));

describe("gas-lift closed loop: the planner over the optimiser", () => {
  it("asks for every well within its limits, never switched off, with the gas and the compressor capacity", async () => {
    const { planner, requests } = optimiser(result());
    const plan = await planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 40_000, compressorCapacitySm3PerDay: 50_000, wells, curveSource: "simulator" });
    const [request] = requests;
    assert.equal(request?.availableGasSm3PerDay, 40_000);
    assert.equal(request?.compressorCapacitySm3PerDay, 50_000);
    assert.deepEqual(
      request?.wells.map((well) => [well.wellId, well.minInjectionSm3PerDay, well.maxInjectionSm3PerDay, well.allowZeroInjection, well.currentInjectionSm3PerDay]),
      [
        [W1, 5_000, 25_000, false, 10_000],
        [W2, 5_000, 25_000, false, 10_000],
      ],
    );
    assert.deepEqual(plan.wells.map((well) => [well.wellId, well.recommendedInjectionSm3PerDay, well.expectedOilM3PerDay, well.currentOilM3PerDay]), [
      [W1, 22_000, 50, 33],
      [W2, 18_000, 50, 33],
    ]);
    assert.deepEqual([plan.gasSource, plan.expectedOilGainM3PerDay, plan.marginalOilM3PerSm3], ["request", 34, 0.001]);
    assert.deepEqual(plan.wells[0]?.curve, curve.map(({ injectionSm3PerDay, oilM3PerDay }) => ({ injectionSm3PerDay, oilM3PerDay })));
  });

  it("an oil plan asks for the oil objective (the optimiser's default) and carries no net value", async () => {
    const { planner, requests } = optimiser(result());
    const plan = await planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 40_000, wells });
    assert.deepEqual([requests[0]?.objective, requests[0]?.prices], [undefined, undefined]);
    assert.equal(plan.netValue, undefined);
  });

  it("a net-value plan hands the prices on, keeps its money gain and marginal value apart from the oil's", async () => {
    const prices = { currency: "USD", oilPricePerM3: 400, liftGasCostPerSm3: 0.05, waterHandlingCostPerM3: 2 };
    const answer = result({
      objective: "net_value",
      currency: "USD",
      expectedGain: { oilM3PerDay: 34, objectiveValue: 12_345 },
      marginalValue: { perSm3PerDay: 0.3, per1000Sm3PerDay: 300, method: "lp_dual", deltaSm3PerDay: null },
    });
    const { planner, requests } = optimiser(answer);
    const plan = await planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 40_000, wells, objective: "net_value", prices });
    assert.equal(requests[0]?.objective, "net_value");
    assert.deepEqual(requests[0]?.prices, prices);
    // The curves go with their water, which a net-value objective costs.
    assert.deepEqual(requests[0]?.wells[0]?.curve, curve);
    assert.deepEqual(plan.netValue, { ...prices, expectedGainPerDay: 12_345, marginalValuePerSm3: 0.3 });
    // The optimiser's marginal value is money per Sm3/d here, not oil: the oil field stays empty.
    assert.equal(plan.marginalOilM3PerSm3, null);
    assert.equal(plan.expectedOilGainM3PerDay, 34);
  });

  it("shares the compressor capacity when no gas is given", async () => {
    const { planner, requests } = optimiser(result());
    const plan = await planner.plan({ siteAssetId: SITE, compressorCapacitySm3PerDay: 50_000, wells });
    assert.equal(requests[0]?.availableGasSm3PerDay, 50_000);
    assert.equal(requests[0]?.compressorCapacitySm3PerDay, undefined);
    assert.equal(plan.gasSource, "compressor");
  });

  it("refuses wells without a curve, limits beyond the curve, infeasible gas and a solve with no allocation", async () => {
    await assert.rejects(optimiser(result(), false).planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 1, wells }), (error) => reasonOf(error) === "no_gas_lift_curve");
    const beyond = [{ ...wells[0], minInjectionSm3PerDay: 31_000, maxInjectionSm3PerDay: 35_000 }];
    await assert.rejects(optimiser(result()).planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 1, wells: beyond }), (error) => reasonOf(error) === "limits_outside_curve");
    await assert.rejects(optimiser(result({ status: "infeasible" })).planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 1, wells }), (error) => reasonOf(error) === "gas_lift_infeasible");
    await assert.rejects(
      optimiser(result({ status: "time_limit", method: "milp", mipGap: null, marginalValue: null })).planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 1, wells }),
      (error) => reasonOf(error) === "gas_lift_time_limit",
    );
    // A MILP stopped with an allocation and its gap is proposed.
    const gapped = await optimiser(result({ status: "time_limit", method: "milp", mipGap: 0.002 })).planner.plan({ siteAssetId: SITE, gasAvailableSm3PerDay: 1, wells });
    assert.equal(gapped.wells.length, 2);
  });
});
