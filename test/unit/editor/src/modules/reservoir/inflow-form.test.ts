import assert from "node:assert/strict";
import { emptyInflowForm, inflowChartData, iprBody, parsePoints, serverFieldOf, type InflowForm } from "../../../../../../editor/src/modules/reservoir/inflow-form";
import type { IprResult } from "../../../../../../editor/src/api/reservoir-ipr";

const KPA_PER_PSI = 6.894757293168;
const M3_PER_BBL = 0.158987294928;
const WELL = "0193a3c0-0000-7000-8000-000000000101";
const TEST = "0193a3c0-0000-7000-8000-000000000201";

function close(actual: number | undefined, expected: number, tolerance: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);
}

const form = (fields: Partial<InflowForm>): InflowForm => ({ ...emptyInflowForm(), ...fields });

describe("inflow performance form", () => {
  it("sends a stored well test with only the optional values typed, in canonical units", () => {
    const result = iprBody(form({ wellTestId: TEST, atPressure: "1000", targetRate: "" }), WELL, "oilfield");
    assert.ok("body" in result);
    assert.deepEqual(Object.keys(result.body).sort(), ["atPressureKpa", "method", "wellId", "wellTestId"]);
    close(result.body.atPressureKpa, 1000 * KPA_PER_PSI, 1e-9);
  });

  it("needs the reservoir pressure and the test point when the values are typed, and numbers", () => {
    assert.deepEqual(iprBody(form({ source: "values", testRate: "abc" }), "", "metric"), {
      errors: { reservoirPressure: "required", testRate: "notANumber", testPressure: "required" },
    });
    const typed = iprBody(form({ source: "values", method: "composite", reservoirPressure: "3000", bubblePoint: "2000", testRate: "600", testPressure: "2500,5" }), "", "oilfield");
    assert.ok("body" in typed);
    close(typed.body.reservoirPressureKpa, 3000 * KPA_PER_PSI, 1e-9);
    close(typed.body.testRateM3PerDay, 600 * M3_PER_BBL, 1e-9);
    close(typed.body.testPressureKpa, 2500.5 * KPA_PER_PSI, 1e-9);
    assert.equal(typed.body.wellId, undefined);
  });

  it("takes Fetkovich points one pair a line, or a stored multi-rate test", () => {
    assert.deepEqual(parsePoints("100 2000\n 200;1500 \n\n", "metric"), [
      { rateM3PerDay: 100, flowingPressureKpa: 2000 },
      { rateM3PerDay: 200, flowingPressureKpa: 1500 },
    ]);
    assert.equal(parsePoints("100 2000 3", "metric"), null);
    assert.deepEqual(iprBody(form({ method: "fetkovich", source: "values", reservoirPressure: "3000", points: "1 2 3" }), "", "metric"), { errors: { points: "pointsFormat" } });
    assert.deepEqual(iprBody(form({ method: "fetkovich" }), WELL, "metric"), { errors: { multiRateTestId: "required" } });
  });

  it("finds the input a server refusal is about", () => {
    assert.equal(serverFieldOf("body.targetRateM3PerDay"), "targetRate");
    assert.equal(serverFieldOf("reservoirPressureKpa"), "reservoirPressure");
    assert.equal(serverFieldOf("points.2.flowingPressureKpa"), "points");
    assert.equal(serverFieldOf("body.method"), undefined);
    assert.equal(serverFieldOf("toString"), undefined);
    assert.equal(serverFieldOf(undefined), undefined);
  });

  it("puts the curve and the test point on one ascending rate axis in display units", () => {
    const result = {
      curve: [
        { flowingPressureKpa: 2000, rateM3PerDay: 0 },
        { flowingPressureKpa: 1000, rateM3PerDay: 50 },
        { flowingPressureKpa: 0, rateM3PerDay: 80 },
      ],
      testPoints: [{ flowingPressureKpa: 1500, rateM3PerDay: 30, wellTestId: null }],
    } as IprResult;
    const data = inflowChartData(result, "metric");
    assert.deepEqual(data, { rates: [0, 30, 50, 80], curve: [2000, null, 1000, 0], tests: [null, 1500, null, null] });
    const oilfield = inflowChartData(result, "oilfield");
    close(oilfield.rates[3], 80 / M3_PER_BBL, 1e-9);
    close(oilfield.tests[1] ?? undefined, 1500 / KPA_PER_PSI, 1e-9);
  });
});
