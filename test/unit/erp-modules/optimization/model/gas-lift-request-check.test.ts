import assert from "node:assert/strict";
import type { GasLiftOptimizationRequest } from "../../../../../erp-modules/optimization/gas-lift-schema.js";
import { checkGasLiftRequest } from "../../../../../erp-modules/optimization/model/gas-lift-request-check.js";

const curve = [
  { injectionSm3PerDay: 0, oilM3PerDay: 10, waterM3PerDay: 1 },
  { injectionSm3PerDay: 10000, oilM3PerDay: 20, waterM3PerDay: 2 },
  { injectionSm3PerDay: 20000, oilM3PerDay: 24, waterM3PerDay: 3 },
];
const valid = (): GasLiftOptimizationRequest => ({
  availableGasSm3PerDay: 30000,
  wells: [
    { wellId: "A", curve, currentInjectionSm3PerDay: 5000 },
    { wellId: "B", curve, currentInjectionSm3PerDay: 5000 },
  ],
});

describe("gas-lift request rules", () => {
  it("accepts a valid request", () => {
    assert.equal(checkGasLiftRequest(valid()), null);
  });

  it("names the first point whose injection does not increase", () => {
    const request = valid();
    request.wells[1] = { wellId: "B", currentInjectionSm3PerDay: 0, curve: [curve[0], curve[1], { injectionSm3PerDay: 10000, oilM3PerDay: 21, waterM3PerDay: 2 }] as typeof curve };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.1.curve.2.injectionSm3PerDay", reason: "not_above", params: { limit: 10000 } });
  });

  it("refuses points less than 1 Sm3/d apart (slopes no solver can hold)", () => {
    const request = valid();
    request.wells[0] = { wellId: "A", currentInjectionSm3PerDay: 0, curve: [curve[0], { injectionSm3PerDay: 0.5, oilM3PerDay: 1e5, waterM3PerDay: 0 }] as typeof curve };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.0.curve.1.injectionSm3PerDay", reason: "below_minimum", params: { limit: 1 } });
  });

  it("refuses a minimum above the maximum, and bounds outside the curve", () => {
    const request = valid();
    request.wells[0] = { ...request.wells[0], wellId: "A", curve, currentInjectionSm3PerDay: 0, minInjectionSm3PerDay: 15000, maxInjectionSm3PerDay: 12000 };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.0.minInjectionSm3PerDay", reason: "above_field", params: { other: "wells.0.maxInjectionSm3PerDay" } });
    request.wells[0] = { wellId: "A", curve, currentInjectionSm3PerDay: 0, minInjectionSm3PerDay: 25000 };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.0.minInjectionSm3PerDay", reason: "above_maximum", params: { limit: 20000 } });
    request.wells[0] = { wellId: "A", curve: curve.slice(1), currentInjectionSm3PerDay: 0, maxInjectionSm3PerDay: 5000 };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.0.maxInjectionSm3PerDay", reason: "below_minimum", params: { limit: 10000 } });
  });

  it("needs prices for the net-value objective and unique well ids", () => {
    assert.deepEqual(checkGasLiftRequest({ ...valid(), objective: "net_value" }), { field: "prices", reason: "required" });
    assert.deepEqual(checkGasLiftRequest({ ...valid(), objective: "net_value" }, "body"), { field: "body.prices", reason: "required" }, "under a root");
    const request = valid();
    request.wells[1] = { wellId: "A", curve, currentInjectionSm3PerDay: 0 };
    assert.deepEqual(checkGasLiftRequest(request), { field: "wells.1.wellId", reason: "duplicate_items" });
  });
});
