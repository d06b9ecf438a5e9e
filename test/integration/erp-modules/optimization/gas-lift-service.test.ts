import assert from "node:assert/strict";
import { GasLiftService } from "../../../../erp-modules/optimization/gas-lift-service.js";
import { createGasLiftSolver, type GasLiftSolver } from "../../../../erp-modules/optimization/gas-lift-solver.js";
import { ProductionService } from "../../../../erp-modules/production/service.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, createErpHarness, ENGINEER, isServiceError, viaService, type Battery, type ErpHarness } from "../erp-fixtures.js";

const OPERATOR = "olga-operator";

/** The "true" curve the tests of GL-201 sample: q = 30 + 45·ln(1 + g/9000) − 0.0006·g, water half of it. */
const oilAt = (g: number): number => 30 + 45 * Math.log1p(g / 9000) - 0.0006 * g;

for (const target of databaseTargets) {
  describe(`gas-lift curves and optimisation through the service on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let production: ProductionService;
    let solver: GasLiftSolver;
    let gasLift: GasLiftService;
    let site: Battery;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "optimization.*");
      production = new ProductionService(harness.context, harness.assets);
      solver = createGasLiftSolver();
      gasLift = new GasLiftService(harness.context, { assets: harness.assets, production }, solver);
      site = await createBattery(viaService(harness.assets, ENGINEER), {
        field: "GLO-FIELD",
        site: "GLO-BAT",
        wells: { "GL-201": "gas_lift", "GL-202": "gas_lift", "GL-101": "esp" },
        tank: "GLO-TK",
      });
    });

    after(async () => {
      await solver?.close();
      await database?.drop();
    });

    const well = (code: string): string => {
      const found = site.wells.find((candidate) => candidate.code === code);
      if (!found) throw new Error(`no well ${code}`);
      return found.id;
    };

    const test = async (code: string, day: number, injection: number, approve = true): Promise<string> => {
      const proposed = await production.entries.proposeWellTest(
        {
          wellId: well(code),
          startedAt: `2026-09-${String(day).padStart(2, "0")}T06:00:00Z`,
          durationHours: 4,
          oilRateM3PerDay: oilAt(injection),
          gasRateSm3PerDay: injection + 8000,
          waterRateM3PerDay: oilAt(injection) / 2,
          liftGasInjectionSm3PerDay: injection,
        },
        OPERATOR,
      );
      if (approve) await production.entries.approveWellTest(proposed.id, { rowVersion: proposed.entry.rowVersion }, ENGINEER);
      return proposed.id;
    };

    it("fits each gas-lift well's approved tests, skips wells with too few, and the curves optimise", async () => {
      const injections = [5000, 10000, 20000, 30000, 45000];
      const ids = [];
      for (const [index, injection] of injections.entries()) ids.push(await test("GL-201", index + 1, injection));
      await test("GL-201", 20, 60000, false); // proposed, not approved: not used
      await test("GL-202", 1, 10000);
      await test("GL-202", 2, 20000);

      const curves = await gasLift.curvesForSite({ siteAssetId: site.siteId, points: 10 });
      assert.equal(curves.source, "well_tests");
      assert.deepEqual(curves.wells.map((entry) => entry.code), ["GL-201", "GL-202"], "gas-lift wells only, by code");
      const [first, second] = curves.wells;
      assert.ok(first?.curve && first.oilFit);
      assert.equal(first.curve.length, 10);
      assert.equal(first.curve[9]?.injectionSm3PerDay, 45000, "up to the largest tested injection");
      assert.deepEqual([...first.testIds].sort(), [...ids].sort());
      assert.equal(first.currentInjectionSm3PerDay, 45000, "the latest approved test's injection");
      assert.equal(first.latestTestAt, "2026-09-05T06:00:00.000Z");
      assert.equal(first.concave, true);
      // Exact samples of the model's own form: the fit reproduces them.
      assert.ok(first.oilFit.rmsM3PerDay < 0.01, `rms ${first.oilFit.rmsM3PerDay}`);
      for (const point of first.curve) assert.ok(Math.abs(point.oilM3PerDay - oilAt(point.injectionSm3PerDay)) < 0.05);
      assert.equal(second?.curve, null);
      assert.equal(second?.problem, "too_few_tests");

      const result = await gasLift.optimize({
        availableGasSm3PerDay: 30000,
        wells: [{ wellId: first.wellId, curve: first.curve, currentInjectionSm3PerDay: first.currentInjectionSm3PerDay ?? 0 }],
      });
      // The curve peaks at g = 45/0.0006 − 9000 = 66 000: all 30 000 Sm3/d go in.
      assert.ok(Math.abs((result.wells[0]?.injectionSm3PerDay ?? 0) - 30000) < 1e-6);
      assert.ok(result.expectedGain.oilM3PerDay < 0, "less gas than the latest test: less oil, said plainly");
    });

    it("builds curves from the simulator for wells whose codes it knows", async () => {
      const simulated = await createBattery(viaService(harness.assets, ENGINEER), {
        field: "SIM-FIELD",
        site: "SIM-BAT",
        wells: { "WELL-201": "gas_lift", "WELL-299": "gas_lift" },
        tank: "SIM-TK",
      });
      const curves = await gasLift.curvesForSite({ siteAssetId: simulated.siteId, source: "simulator", points: 7, simulatorSeed: 3 });
      const [known, unknown] = curves.wells;
      const expected = createOilfield({ seed: 3, eventsPerDay: 0, startTime: 0 }).gasLiftCurve("WELL-201", 7);
      assert.deepEqual(known?.curve, expected);
      assert.equal(known?.concave, true);
      assert.equal(typeof known?.currentInjectionSm3PerDay, "number");
      assert.equal(unknown?.curve, null);
      assert.equal(unknown?.problem, "not_in_simulator");
    });

    it("refuses what is not a site, and a bad request naming the field", async () => {
      await assert.rejects(gasLift.curvesForSite({ siteAssetId: well("GL-201") }), isServiceError("invalid_input", "siteAssetId"));
      await assert.rejects(
        gasLift.optimize({ availableGasSm3PerDay: 1000, wells: [{ wellId: "A", currentInjectionSm3PerDay: 0, curve: [{ injectionSm3PerDay: 0, oilM3PerDay: 1, waterM3PerDay: 0 }] }] }),
        isServiceError("invalid_input", "wells.0.curve"),
      );
    });
  });
}
