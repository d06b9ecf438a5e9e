import assert from "node:assert/strict";
import type { AllocationRun } from "../../../../erp-modules/production/allocation-schema.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, createHarness, createSite, type Harness, type SiteFixture } from "./allocation-fixtures.js";

for (const target of databaseTargets) {
  describe(`ReportService on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let site: SiteFixture;
    let run1: AllocationRun;
    let run2: AllocationRun;
    let w2TestId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      site = await createSite(harness, 2);
      const [w1, w2] = site.wells;
      await site.approvedTest(w1.id, "2026-09-01T00:00:00Z", { oil: 96, gas: 4800, water: 24 });
      w2TestId = await site.approvedTest(w2.id, "2026-09-01T00:00:00Z", { oil: 48, gas: 2400, water: 48 });
      // W002 on Oct 2: ESP trip 06:00-12:00 and a power failure 11:00-13:00 (7 h down in all).
      await site.downtime(w2.id, "2026-10-02T06:00:00Z", "2026-10-02T12:00:00Z", "esp_trip");
      await site.downtime(w2.id, "2026-10-02T11:00:00Z", "2026-10-02T13:00:00Z", "power_failure");
      for (const day of ["2026-10-01", "2026-10-02"]) {
        await site.meterReading(day, "oil", 130);
        await site.meterReading(day, "gas", 7000);
        await site.meterReading(day, "water", 70);
      }
      await site.tankGauge("2026-10-02T06:00:00Z", 120);
      await site.tankGauge("2026-10-02T18:00:00Z", 80, 5);
      await site.tankGauge("2026-10-03T06:00:00Z", 90, 5);
      await site.runTicket("2026-10-02T15:00:00Z", "oil", 40, "T-2001");
      await site.voidEntry("run_ticket", await site.runTicket("2026-10-02T16:00:00Z", "oil", 40, "T-2002"));
      run1 = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-10-01", periodEnd: "2026-10-02" }, ENGINEER);
      await site.meterReading("2026-10-02", "oil", 140);
      run2 = await harness.allocation.createRun(
        { siteAssetId: site.siteId, periodStart: "2026-10-02", periodEnd: "2026-10-02", reason: "oil meter proved" },
        ENGINEER,
      );
    });

    after(async () => {
      await database?.drop();
    });

    it("shows the current run of the day (the restatement), with uptime, downtime by reason and deferment", async () => {
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-02" });
      assert.deepEqual(report.site, { id: site.siteId, code: site.siteCode, name: report.site.name });
      assert.deepEqual(report.run, { id: run2.id, version: 2, createdAt: run2.createdAt, priorPeriodAdjustment: false });
      assert.deepEqual(report.measured, { oil: 140, gas: 7000, water: 70 });
      const [w1, w2] = report.wells;
      assert.deepEqual(
        [w1.code, w2.code],
        site.wells.map((well) => well.code),
      );
      assert.equal(w2.uptimeHours, 17);
      assert.deepEqual(w2.downtime, [
        { reasonCode: "esp_trip", hours: 6 },
        { reasonCode: "power_failure", hours: 2 },
      ]);
      // W002 theoretical oil 48 × 17/24 = 34; W001 96. 140 shared 96 : 34, the leftover unit to W002's larger remainder.
      assert.deepEqual(w1.oil, { theoreticalM3: 96, allocatedM3: 103.384615 });
      assert.deepEqual(w2.oil, { theoreticalM3: 34, allocatedM3: 36.615385 });
      assert.equal(w2.deferredOilM3, 14, "48 × 7/24");
      assert.equal(w2.deferredWaterM3, 14);
      assert.equal(w2.deferredGasM3, 700);
      assert.equal(w1.deferredOilM3, 0);
      assert.deepEqual(report.totals.oil, { theoreticalM3: 130, allocatedM3: 140 });
      assert.equal(report.totals.deferredGasM3, 700);
    });

    it("shows an earlier run when asked by id, and refuses a run that does not cover the day", async () => {
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-02", runId: run1.id });
      assert.equal(report.run?.id, run1.id);
      assert.equal(report.measured.oil, 130);
      assert.equal(report.totals.oil.allocatedM3, 130);
      await assert.rejects(harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-03", runId: run1.id }), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.details?.field, "runId");
        return true;
      });
    });

    it("lists the tanks' latest gauges at the end of the day and the day's non-voided shipments", async () => {
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-02" });
      assert.deepEqual(
        report.tanks.map((tank) => [tank.tankId, tank.volumeM3, tank.levelM, tank.gaugedAt]),
        [[site.tankId, 80, 1.6, "2026-10-02T18:00:00.000Z"]],
      );
      assert.deepEqual(report.shipments, [
        { ticketNumber: "T-2001", shippedAt: "2026-10-02T15:00:00.000Z", fluid: "oil", volumeM3: 40, destination: "truck", carrier: "Acme Haulage" },
      ]);
    });

    it("without a run: run null, theoretical from the test in effect, nothing allocated, measured now", async () => {
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-03" });
      assert.equal(report.run, null);
      assert.deepEqual(report.wells[1].oil, { theoreticalM3: 48, allocatedM3: null });
      assert.deepEqual(report.totals.oil, { theoreticalM3: 144, allocatedM3: null });
      // No meter reading on Oct 3: the tank balance. Opening = the 18:00 Oct 2 gauge (80 − 5 water = 75 oil),
      // closing = the 06:00 Oct 3 gauge (90 − 5 = 85 oil), nothing shipped: oil 10. The tank is an oil tank: its free
      // water is not produced water, and the site has no water tank, so water is not measured; gas has no meter reading.
      assert.deepEqual(report.measured, { oil: 10, gas: null, water: null });
      assert.equal(report.wells[1].deferredOilM3, 0);
      assert.equal(report.wells[1].downtime.length, 0);
    });

    it("sums the month from the current results of each day and names the runs used", async () => {
      const report = await harness.reports.monthly({ siteAssetId: site.siteId, month: "2026-10" });
      assert.deepEqual(report.runs, [run1.id, run2.id]);
      assert.equal(report.month, "2026-10");
      const [w1, w2] = report.wells;
      assert.equal(w1.days, 2);
      assert.equal(w2.uptimeHours, 24 + 17);
      assert.equal(Math.round((w1.oilM3 + w2.oilM3) * 1e6), (130 + 140) * 1e6, "Oct 1 from run 1, Oct 2 from run 2");
      assert.equal(report.totals.oilM3, 270);
      assert.equal(report.totals.gasM3, 14000);
      assert.equal(report.totals.uptimeHours, 24 * 3 + 17);
      const september = await harness.reports.monthly({ siteAssetId: site.siteId, month: "2026-09" });
      assert.deepEqual(september.runs, []);
      assert.deepEqual(
        september.wells.map((well) => [well.days, well.oilM3]),
        [
          [0, 0],
          [0, 0],
        ],
      );
    });

    it("uses the test the run used for deferment even after a newer test is approved", async () => {
      await site.approvedTest(site.wells[1].id, "2026-10-01T00:00:00Z", { oil: 240, gas: 2400, water: 48 });
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-02" });
      assert.equal(report.wells[1].deferredOilM3, 14, `still on test ${w2TestId}`);
      const live = await harness.reports.daily({ siteAssetId: site.siteId, date: "2026-10-03" });
      assert.equal(live.wells[1].oil.theoreticalM3, 240, "no run on Oct 3: the newest test");
    });
  });
}
