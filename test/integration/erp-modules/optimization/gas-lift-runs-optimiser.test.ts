import assert from "node:assert/strict";
import { ProductionService } from "../../../../erp-modules/production/service.js";
import { OptimizationService } from "../../../../erp-modules/optimization/service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, createBattery, createErpHarness, isServiceError, viaService, type Battery, type ErpHarness } from "../erp-fixtures.js";

/*
 * A run made by the real optimiser as the site wires it (OptimizationService):
 * the demo's gas-lift wells' simulator curves, HiGHS in its worker, each well
 * held within its limits. What the optimum is belongs to the optimiser's own
 * tests; here the run stores an allocation that respects the gas and limits.
 */

for (const target of databaseTargets) {
  describe(`gas-lift runs from the optimiser on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let optimization: OptimizationService;
    let battery: Battery;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "optimization.*");
      optimization = new OptimizationService(harness.context, { assets: harness.assets, production: new ProductionService(harness.context, harness.assets) });
      // The simulator's gas-lift wells are WELL-201..204: the same codes get its curves.
      battery = await createBattery(viaService(harness.assets, ENGINEER), {
        field: "OPT-FIELD",
        site: "OPT-BAT",
        wells: { "WELL-201": "gas_lift", "WELL-202": "gas_lift", "WELL-203": "gas_lift", "WELL-204": "gas_lift" },
        tank: "OPT-TK1",
      });
      for (const well of battery.wells) {
        await optimization.gasLiftRuns.setLimits(well.id, { minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: 35_000, setpointTagPath: `SITE1/${well.code}/GL_INJ_SP` }, ENGINEER);
      }
    });

    after(async () => {
      await database?.drop();
    });

    it("stores the optimiser's allocation within the gas and every well's limits, with each well's curve", async () => {
      const run = await optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 60_000, curveSource: "simulator" }, ENGINEER);
      assert.equal(run.status, "proposed");
      assert.deepEqual(run.setpoints.map((setpoint) => setpoint.wellCode), ["WELL-201", "WELL-202", "WELL-203", "WELL-204"]);
      const total = run.setpoints.reduce((sum, setpoint) => sum + setpoint.recommendedInjectionSm3PerDay, 0);
      assert.ok(total <= 60_000 + 1e-6, `uses ${total} Sm3/d of 60000`);
      for (const setpoint of run.setpoints) {
        assert.ok(setpoint.recommendedInjectionSm3PerDay >= 5_000 - 1e-6 && setpoint.recommendedInjectionSm3PerDay <= 35_000 + 1e-6, `${setpoint.wellCode} ${setpoint.recommendedInjectionSm3PerDay}`);
        assert.ok(setpoint.curve.length >= 2, `${setpoint.wellCode} has its curve`);
        assert.ok(setpoint.currentInjectionSm3PerDay !== null, "the simulator's setpoint is the current injection");
      }
      const expected = run.setpoints.reduce((sum, setpoint) => sum + setpoint.expectedOilM3PerDay, 0);
      assert.ok(Math.abs(expected - run.expectedOilM3PerDay) < 1e-6, "the run's expected oil is its wells' sum");
      assert.ok(run.marginalOilM3PerSm3 !== null && run.marginalOilM3PerSm3 >= 0);
    });

    it("a net-value run costing lift gas above its marginal oil value uses less gas; its gain is the money the setpoints make", async () => {
      const oil = await optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 60_000, curveSource: "simulator" }, ENGINEER);
      const marginalOil = oil.marginalOilM3PerSm3 ?? 0;
      assert.ok(marginalOil > 0, "60000 Sm3/d binds the oil run");
      // At the oil run's optimum the last Sm3 of gas brings marginalOil m3 of oil, worth 400 × marginalOil: cost it at twice that.
      const prices = { currency: "USD", oilPricePerM3: 400, liftGasCostPerSm3: 2 * 400 * marginalOil, waterHandlingCostPerM3: 0 };
      const run = await optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 60_000, curveSource: "simulator", objective: "net_value", prices }, ENGINEER);
      assert.equal(run.objective, "net_value");
      const gasOf = (made: typeof run) => made.setpoints.reduce((sum, setpoint) => sum + setpoint.recommendedInjectionSm3PerDay, 0);
      assert.ok(gasOf(run) < gasOf(oil) - 1, `net value uses ${gasOf(run)} Sm3/d, oil ${gasOf(oil)}`);
      for (const setpoint of run.setpoints) assert.ok(setpoint.recommendedInjectionSm3PerDay >= 5_000 - 1e-6 && setpoint.recommendedInjectionSm3PerDay <= 35_000 + 1e-6);
      // Without a water cost the value per day is 400 × oil − cost × gas, so the gain is the setpoints' change in both.
      const gain = run.setpoints.reduce(
        (sum, setpoint) =>
          sum + 400 * (setpoint.expectedOilM3PerDay - (setpoint.currentOilM3PerDay ?? NaN)) - prices.liftGasCostPerSm3 * (setpoint.recommendedInjectionSm3PerDay - (setpoint.currentInjectionSm3PerDay ?? NaN)),
        0,
      );
      assert.ok(run.netValue !== null && Math.abs(run.netValue.expectedGainPerDay - gain) < 1e-6 * Math.max(1, Math.abs(gain)), `${run.netValue?.expectedGainPerDay} vs ${gain}`);
      assert.equal(run.netValue.currency, "USD");
      assert.equal(run.marginalOilM3PerSm3, null);
    });

    it("refuses a run on well tests when a well has none to fit a curve, naming the wells", async () => {
      await assert.rejects(optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 60_000 }, ENGINEER), (error: unknown) => {
        assert.ok(isServiceError("conflict", "siteAssetId")(error));
        assert.deepEqual((error as { details?: unknown }).details, {
          field: "siteAssetId",
          reason: "no_gas_lift_curve",
          params: { wells: ["WELL-201", "WELL-202", "WELL-203", "WELL-204"] },
        });
        return true;
      });
    });

    it("refuses limits that miss a well's curve, naming the well", async () => {
      const [first] = battery.wells;
      assert.ok(first);
      // The simulator's curves end at 60000 Sm3/d: a minimum above it lies beyond the curve.
      await optimization.gasLiftRuns.setLimits(first.id, { minInjectionSm3PerDay: 70_000, maxInjectionSm3PerDay: 80_000, setpointTagPath: `SITE1/${first.code}/GL_INJ_SP` }, ENGINEER);
      await assert.rejects(
        optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 200_000, curveSource: "simulator" }, ENGINEER),
        (error: unknown) => {
          assert.deepEqual((error as { details?: unknown }).details, { field: "siteAssetId", reason: "limits_outside_curve", params: { wells: [first.code] } });
          return true;
        },
      );
      await optimization.gasLiftRuns.setLimits(first.id, { minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: 35_000, setpointTagPath: `SITE1/${first.code}/GL_INJ_SP` }, ENGINEER);
    });

    it("refuses gas that cannot give every well its minimum", async () => {
      await assert.rejects(
        optimization.gasLiftRuns.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 10_000, curveSource: "simulator" }, ENGINEER),
        isServiceError("conflict", "gasAvailableSm3PerDay"),
      );
    });
  });
}
