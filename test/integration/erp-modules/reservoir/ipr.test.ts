import assert from "node:assert/strict";
import { ProductionService } from "../../../../erp-modules/production/service.js";
import { ATMOSPHERIC_PRESSURE_KPA } from "../../../../erp-modules/reservoir/ipr-service.js";
import { ReservoirService } from "../../../../erp-modules/reservoir/service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, countChanges, createBattery, createErpHarness, isServiceError, viaService, type Battery, type ErpHarness } from "../erp-fixtures.js";

const OPERATOR = "olga-operator";

for (const target of databaseTargets) {
  describe(`reservoir inflow performance on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let production: ProductionService;
    let reservoir: ReservoirService;
    let site: Battery;
    let wellId: string;
    let otherWellId: string;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "reservoir.*");
      production = new ProductionService(harness.context, harness.assets);
      reservoir = new ReservoirService(harness.context, { assets: harness.assets, production });
      site = await createBattery(viaService(harness.assets, ENGINEER), { field: "IPR-FIELD", site: "IPR-BAT", wells: { "WELL-101": "esp", "WELL-102": "rod_pump" }, tank: "IPR-TK" });
      [wellId, otherWellId] = site.wells.map((well) => well.id);
    });

    after(async () => {
      await database?.drop();
    });

    const test = async (startedAt: string, oilRateM3PerDay: number, bottomholePressureKpa?: number) => {
      const recorded = await production.proposeWellTest(
        {
          wellId,
          startedAt,
          durationHours: 6,
          oilRateM3PerDay,
          gasRateSm3PerDay: 4_000,
          waterRateM3PerDay: 10,
          ...(bottomholePressureKpa === undefined ? {} : { bottomholePressureKpa, bottomholePressureSource: "gauge" as const }),
        },
        OPERATOR,
      );
      return recorded.entry;
    };

    it("stores a well test's bottomhole pressure and refuses it without its source", async () => {
      const stored = await test("2026-11-03T08:00:00Z", 70, 10_000);
      assert.deepEqual([stored.bottomholePressureKpa, stored.bottomholePressureSource], [10_000, "gauge"]);
      const plain = await test("2026-11-02T08:00:00Z", 60);
      assert.deepEqual([plain.bottomholePressureKpa, plain.bottomholePressureSource], [null, null]);
      await assert.rejects(
        production.proposeWellTest(
          { wellId, startedAt: "2026-11-01T08:00:00Z", durationHours: 6, oilRateM3PerDay: 1, gasRateSm3PerDay: 1, waterRateM3PerDay: 1, bottomholePressureKpa: 9_000 },
          OPERATOR,
        ),
        isServiceError("invalid_input", "bottomholePressureSource"),
      );
    });

    it("creates, lists, corrects and deletes pressure surveys with audit and outbox rows", async () => {
      const before = await countChanges(harness.db, "reservoir");
      const survey = await reservoir.ipr.createSurvey({ wellId, surveyedOn: "2026-10-20", reservoirPressureKpa: 20_000, method: "buildup" }, ENGINEER);
      assert.deepEqual([survey.reservoirPressureKpa, survey.bubblePointKpa, survey.rowVersion, survey.createdBy], [20_000, null, 1, ENGINEER]);
      await assert.rejects(
        reservoir.ipr.createSurvey({ wellId, surveyedOn: "2026-10-20", reservoirPressureKpa: 1, method: "other" }, ENGINEER),
        isServiceError("conflict", "surveyedOn"),
      );
      await assert.rejects(reservoir.ipr.createSurvey({ wellId: site.tankId, surveyedOn: "2026-10-20", reservoirPressureKpa: 1, method: "other" }, ENGINEER), isServiceError("invalid_input", "wellId"));
      const corrected = await reservoir.ipr.updateSurvey(survey.id, { rowVersion: 1, surveyedOn: "2026-10-20", reservoirPressureKpa: 21_000, bubblePointKpa: 12_000, method: "buildup" }, ENGINEER);
      assert.deepEqual([corrected.reservoirPressureKpa, corrected.bubblePointKpa, corrected.rowVersion], [21_000, 12_000, 2]);
      await assert.rejects(reservoir.ipr.updateSurvey(survey.id, { rowVersion: 1, surveyedOn: "2026-10-20", reservoirPressureKpa: 1, method: "buildup" }, ENGINEER), isServiceError("stale", "rowVersion"));
      const later = await reservoir.ipr.createSurvey({ wellId, surveyedOn: "2026-12-01", reservoirPressureKpa: 19_000, method: "static_gradient" }, ENGINEER);
      const listed = await reservoir.ipr.listSurveys({ wellId });
      assert.deepEqual(listed.items.map((item) => item.id), [later.id, survey.id]);
      assert.equal(listed.total, 2);
      await reservoir.ipr.deleteSurvey(later.id, { rowVersion: 1 }, ENGINEER);
      await assert.rejects(reservoir.ipr.getSurvey(later.id), isServiceError("not_found"));
      // create, update, create, delete: four changes, each with its outbox row.
      assert.deepEqual(await countChanges(harness.db, "reservoir"), { audit: before.audit + 4, outbox: before.outbox + 4 });
      const audit = await harness.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", [survey.id]);
      assert.deepEqual(audit.rows.map((row) => row.action), ["reservoir.pressure_survey.create", "reservoir.pressure_survey.update"]);
    });

    it("builds a Vogel IPR from a stored test and the latest survey on or before it", async () => {
      const [stored] = (await production.entries.listWellTests({ wellId })).items.filter((item) => item.bottomholePressureKpa !== null);
      const result = await reservoir.ipr.inflowPerformance({ method: "vogel", wellTestId: stored.id, targetRateM3PerDay: 50, atPressureKpa: 0 });
      assert.deepEqual([result.reservoirPressureKpa, result.reservoirPressureSource, result.surveyedOn, result.wellId], [21_000, "survey", "2026-10-20", wellId]);
      // Equations on absolute pressures: Pr = 21 101.325, Pwf = 10 101.325 kPa abs.
      const pr = 21_000 + ATMOSPHERIC_PRESSURE_KPA;
      const x = (10_000 + ATMOSPHERIC_PRESSURE_KPA) / pr;
      const qmax = 70 / (1 - 0.2 * x - 0.8 * x * x);
      const xAtm = ATMOSPHERIC_PRESSURE_KPA / pr;
      assert.ok(Math.abs(result.aofM3PerDay - qmax * (1 - 0.2 * xAtm - 0.8 * xAtm * xAtm)) < 1e-6);
      assert.equal(result.rateAtPressure?.rateM3PerDay, result.aofM3PerDay);
      assert.deepEqual(result.testPoints, [{ rateM3PerDay: 70, flowingPressureKpa: 10_000, wellTestId: stored.id }]);
      assert.deepEqual(result.curve[0], { flowingPressureKpa: 21_000, rateM3PerDay: 0 });
      assert.equal(result.curve.at(-1)?.flowingPressureKpa, 0);
      assert.ok(result.pressureForRate !== null && result.pressureForRate.flowingPressureKpa > 10_000 && result.pressureForRate.flowingPressureKpa < 21_000);
    });

    it("refuses what an IPR needs but does not have, naming the field", async () => {
      const early = await test("2026-10-01T08:00:00Z", 80, 9_000);
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "vogel", wellTestId: early.id }), (error: unknown) => {
        assert.ok(isServiceError("invalid_input", "reservoirPressureKpa")(error));
        assert.equal((error as Error).message, "reservoirPressureKpa: no static pressure survey on or before 2026-10-01 for WELL-101");
        return true;
      });
      const withoutBhp = (await production.entries.listWellTests({ wellId })).items.find((item) => item.bottomholePressureKpa === null);
      assert.ok(withoutBhp);
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "vogel", wellTestId: withoutBhp.id }), isServiceError("invalid_input", "testPressureKpa"));
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "composite", reservoirPressureKpa: 20_000, testRateM3PerDay: 50, testPressureKpa: 9_000 }), isServiceError("invalid_input", "bubblePointKpa"));
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "fetkovich", reservoirPressureKpa: 20_000 }), isServiceError("invalid_input", "points"));
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "vogel", testRateM3PerDay: 50, testPressureKpa: 9_000 }), isServiceError("invalid_input", "reservoirPressureKpa"));
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "vogel", reservoirPressureKpa: 8_000, testRateM3PerDay: 50, testPressureKpa: 9_000 }), isServiceError("invalid_input", "testPressureKpa"));
      await assert.rejects(reservoir.ipr.inflowPerformance({ method: "vogel", wellId: otherWellId, wellTestId: early.id }), isServiceError("invalid_input", "wellTestId"));
    });

    it("stores a multi-rate test from well tests and entered points, and fits Fetkovich from it", async () => {
      const first = await test("2026-10-25T08:00:00Z", 40, 16_000);
      const second = await test("2026-10-26T08:00:00Z", 75, 12_000);
      const before = await countChanges(harness.db, "reservoir");
      const created = await reservoir.ipr.createMultiRateTest(
        { wellId, testedOn: "2026-10-27", points: [{ wellTestId: first.id }, { wellTestId: second.id }, { rateM3PerDay: 100, flowingPressureKpa: 8_000 }] },
        ENGINEER,
      );
      assert.deepEqual(created.points, [
        { wellTestId: first.id, rateM3PerDay: 40, flowingPressureKpa: 16_000 },
        { wellTestId: second.id, rateM3PerDay: 75, flowingPressureKpa: 12_000 },
        { wellTestId: null, rateM3PerDay: 100, flowingPressureKpa: 8_000 },
      ]);
      await assert.rejects(
        reservoir.ipr.createMultiRateTest({ wellId: otherWellId, testedOn: "2026-10-27", points: [{ wellTestId: first.id }, { rateM3PerDay: 1, flowingPressureKpa: 1 }] }, ENGINEER),
        isServiceError("invalid_input", "points.0.wellTestId"),
      );
      await assert.rejects(
        reservoir.ipr.createMultiRateTest({ wellId, testedOn: "2026-10-27", points: [{ wellTestId: first.id, rateM3PerDay: 3 }, { rateM3PerDay: 1, flowingPressureKpa: 1 }] }, ENGINEER),
        isServiceError("invalid_input", "points.0.rateM3PerDay"),
      );

      const fitted = await reservoir.ipr.inflowPerformance({ method: "fetkovich", multiRateTestId: created.id });
      assert.deepEqual([fitted.reservoirPressureKpa, fitted.reservoirPressureSource, fitted.testPoints.length], [21_000, "survey", 3]);
      assert.ok(fitted.fetkovich !== null && fitted.fetkovich.n > 0 && fitted.fetkovich.rSquared > 0.9);

      const updated = await reservoir.ipr.updateMultiRateTest(
        created.id,
        { rowVersion: 1, testedOn: "2026-10-27", reservoirPressureKpa: 22_000, points: [{ rateM3PerDay: 50, flowingPressureKpa: 15_000 }, { rateM3PerDay: 90, flowingPressureKpa: 9_000 }] },
        ENGINEER,
      );
      assert.deepEqual([updated.rowVersion, updated.points.length, updated.reservoirPressureKpa], [2, 2, 22_000]);
      const refit = await reservoir.ipr.inflowPerformance({ method: "fetkovich", multiRateTestId: created.id, targetRateM3PerDay: 70 });
      assert.deepEqual([refit.reservoirPressureKpa, refit.reservoirPressureSource], [22_000, "multirate_test"]);
      assert.ok(refit.pressureForRate !== null && refit.pressureForRate.flowingPressureKpa < 15_000 && refit.pressureForRate.flowingPressureKpa > 9_000);
      assert.equal((await reservoir.ipr.listMultiRateTests({ wellId })).total, 1);
      await reservoir.ipr.deleteMultiRateTest(created.id, { rowVersion: 2 }, ENGINEER);
      const points = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM reservoir_multirate_points WHERE multirate_test_id = $1", [created.id]);
      assert.equal(points.rows[0]?.count, 0);
      assert.deepEqual(await countChanges(harness.db, "reservoir"), { audit: before.audit + 3, outbox: before.outbox + 3 });
    });

    it("builds a composite IPR with the survey's bubble point", async () => {
      const result = await reservoir.ipr.inflowPerformance({ method: "composite", wellId, testRateM3PerDay: 60, testPressureKpa: 15_000, atPressureKpa: 12_000 });
      assert.deepEqual([result.bubblePointKpa, result.reservoirPressureSource], [12_000, "survey"]);
      const j = 60 / (21_000 - 15_000);
      assert.ok(result.productivityIndexM3PerDayPerKpa !== null && Math.abs(result.productivityIndexM3PerDayPerKpa - j) < 1e-12);
      assert.ok(result.rateAtPressure !== null && Math.abs(result.rateAtPressure.rateM3PerDay - j * 9_000) < 1e-6);
      assert.ok(result.curve.some((point) => point.flowingPressureKpa === 12_000), "the bubble point is on the curve");
    });
  });
}
