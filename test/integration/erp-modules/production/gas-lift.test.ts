import assert from "node:assert/strict";
import { EntryService } from "../../../../erp-modules/production/entry-service.js";
import type { NettedGasTotal } from "../../../../erp-modules/production/model/gas-lift.js";
import { readRunInputs } from "../../../../erp-modules/production/allocation-service.js";
import { demoDays, ensureDemoProduction, ratesFromSimulator } from "../../../../erp-modules/production/demo-production.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, countChanges, createBattery, isServiceError, viaService, type Battery } from "../erp-fixtures.js";
import { createHarness, type Harness } from "./allocation-fixtures.js";

const OPERATOR = "olga-operator";
const DAY = "2026-10-01";

for (const target of databaseTargets) {
  describe(`gas lift and gas disposition on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let harness: Harness;
    let entries: EntryService;
    let site: Battery;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      entries = new EntryService(harness.context, harness.assets);
      site = await createBattery(viaService(harness.assets, ENGINEER), { field: "GL-FIELD", site: "GL-BAT", wells: { "GL-201": "gas_lift", "GL-101": "esp" }, tank: "GL-TK" });
    });

    after(async () => {
      await database?.drop();
    });

    const well = (code: string) => {
      const found = site.wells.find((candidate) => candidate.code === code);
      if (!found) throw new Error(`no well ${code}`);
      return found.id;
    };

    it("records a well test's lift gas, gives its formation gas rate, and flags lift gas above the gas", async () => {
      const proposed = await entries.proposeWellTest(
        {
          wellId: well("GL-201"),
          startedAt: "2026-09-30T00:00:00Z",
          durationHours: 4,
          oilRateM3PerDay: 80,
          gasRateSm3PerDay: 30_000,
          waterRateM3PerDay: 20,
          liftGasInjectionSm3PerDay: 22_000,
        },
        OPERATOR,
      );
      // 30 000 − 22 000 = 8 000 Sm3/d of formation gas.
      assert.deepEqual(
        [proposed.entry.liftGasInjectionSm3PerDay, proposed.entry.formationGasRateSm3PerDay, proposed.entry.liftGasExceedsGas],
        [22_000, 8_000, false],
      );
      await entries.approveWellTest(proposed.id, { rowVersion: proposed.entry.rowVersion }, ENGINEER);
      const esp = await entries.proposeWellTest(
        { wellId: well("GL-101"), startedAt: "2026-09-30T06:00:00Z", durationHours: 4, oilRateM3PerDay: 60, gasRateSm3PerDay: 6_000, waterRateM3PerDay: 90 },
        OPERATOR,
      );
      assert.deepEqual([esp.entry.liftGasInjectionSm3PerDay, esp.entry.formationGasRateSm3PerDay], [null, 6_000]);
      await entries.approveWellTest(esp.id, { rowVersion: esp.entry.rowVersion }, ENGINEER);

      const odd = await entries.proposeWellTest(
        { wellId: well("GL-201"), startedAt: "2026-09-29T00:00:00Z", durationHours: 4, oilRateM3PerDay: 10, gasRateSm3PerDay: 5_000, waterRateM3PerDay: 1, liftGasInjectionSm3PerDay: 6_000 },
        OPERATOR,
      );
      assert.deepEqual([odd.entry.formationGasRateSm3PerDay, odd.entry.liftGasExceedsGas], [0, true]);
      await assert.rejects(
        entries.proposeWellTest(
          { wellId: well("GL-201"), startedAt: "2026-09-29T00:00:00Z", durationHours: 4, oilRateM3PerDay: 1, gasRateSm3PerDay: 1, waterRateM3PerDay: 1, liftGasInjectionSm3PerDay: -1 },
          OPERATOR,
        ),
        isServiceError("invalid_input", "liftGasInjectionSm3PerDay"),
      );
    });

    it("records gas dispositions append-only with audit and outbox, voids one, and balances the day", async () => {
      const before = await countChanges(harness.db, "production");
      const record = (disposition: "sales" | "fuel" | "flare" | "vent" | "lift_recycle", volumeSm3: number) =>
        entries.recordGasDisposition({ siteAssetId: site.siteId, productionDate: DAY, disposition, volumeSm3 }, OPERATOR);
      await record("lift_recycle", 21_000);
      await record("sales", 13_000);
      await record("fuel", 600);
      await record("flare", 400);
      const mistaken = await record("vent", 5_000);
      await record("vent", 100);
      assert.deepEqual(await countChanges(harness.db, "production"), { audit: before.audit + 6, outbox: before.outbox + 6 });
      const voided = await entries.voidEntry("gas_disposition", mistaken.id, "typed 5000 for 100", OPERATOR);
      assert.equal(voided.voided, true);
      await assert.rejects(harness.db.query("DELETE FROM gas_dispositions WHERE id = $1", [mistaken.id]), "append-only");
      const replayed = await entries.recordGasDisposition(
        { siteAssetId: site.siteId, productionDate: DAY, disposition: "sales", volumeSm3: 1, sourceKey: "k1" },
        OPERATOR,
      );
      assert.equal((await entries.recordGasDisposition({ siteAssetId: site.siteId, productionDate: DAY, disposition: "sales", volumeSm3: 1, sourceKey: "k1" }, OPERATOR)).replayed, true);
      await entries.voidEntry("gas_disposition", replayed.id, "test of the source key", OPERATOR);
      await assert.rejects(
        entries.recordGasDisposition({ siteAssetId: site.wells[0].id, productionDate: DAY, disposition: "sales", volumeSm3: 1 }, OPERATOR),
        isServiceError("invalid_input", "siteAssetId"),
      );

      const listed = await entries.listGasDispositions({ siteAssetId: site.siteId, from: DAY, to: DAY });
      assert.equal(listed.total, 7);
      assert.equal(listed.items.filter((item) => item.voided).length, 2);

      await entries.recordMeterReading({ meterId: site.meterIds.gas, productionDate: DAY, fluid: "gas", volumeM3: 36_400 }, OPERATOR);
      // Disposed 13 000 + 600 + 400 + 100 + 21 000 = 35 100 (the voided vent and sale left out);
      // difference 36 400 − 35 100 = 1 300; formation gas 36 400 − 21 000 = 15 400.
      assert.deepEqual(await entries.gasBalance({ siteAssetId: site.siteId, date: DAY }), {
        siteAssetId: site.siteId,
        date: DAY,
        measuredSm3: 36_400,
        salesSm3: 13_000,
        fuelSm3: 600,
        flareSm3: 400,
        ventSm3: 100,
        liftRecycleSm3: 21_000,
        disposedSm3: 35_100,
        differenceSm3: 1_300,
        formationSm3: 15_400,
      });
    });

    it("allocates formation gas and reports lift gas apart", async () => {
      await entries.recordMeterReading({ meterId: site.meterIds.oil, productionDate: DAY, fluid: "oil", volumeM3: 140 }, OPERATOR);
      const run = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: DAY, periodEnd: DAY }, ENGINEER);
      // Formation gas 15 400 over 8 000 : 6 000 (factor 1.1): GL-201 8 800, GL-101 6 600.
      assert.deepEqual(run.totals.gas, { measuredM3: 15_400, allocatedM3: 15_400 });
      const inputs = await readRunInputs(harness.db, run.id);
      const gas = inputs.measured.find((total) => total.fluid === "gas") as NettedGasTotal | undefined;
      assert.deepEqual([gas?.separatorGasM3, gas?.liftGasReturnedM3], ["36400.000000", "21000.000000"]);
      assert.equal(run.warnings.some((warning) => /exceeds the separator gas/.test(warning)), false, "the odd test was never approved");

      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: DAY });
      const byWell = new Map(report.wells.map((row) => [row.code, row]));
      assert.equal(byWell.get("GL-201")?.gas.allocatedM3, 8_800);
      assert.equal(byWell.get("GL-101")?.gas.allocatedM3, 6_600);
      assert.equal(report.measured.gas, 15_400, "the measured gas allocated is formation gas");
      const lift = new Map(report.gasLift.wells.map((row) => [row.wellId, row]));
      // Oil 140 over 80 : 60 → 80 and 60; formation GOR 8 800 / 80 = 110 and 6 600 / 60 = 110.
      assert.deepEqual(lift.get(well("GL-201")), { wellId: well("GL-201"), liftGasInjectedSm3: 22_000, formationGasAllocatedSm3: 8_800, formationGorSm3PerM3: 110 });
      assert.deepEqual(lift.get(well("GL-101")), { wellId: well("GL-101"), liftGasInjectedSm3: 0, formationGasAllocatedSm3: 6_600, formationGorSm3PerM3: 110 });
      assert.deepEqual(report.gasLift.totals, { liftGasInjectedSm3: 22_000, separatorGasSm3: 36_400, liftGasReturnedSm3: 21_000, formationGasSm3: 15_400 });
      assert.equal(report.gasLift.balance.differenceSm3, 1_300);
    });

    it("the demo week records lift gas and dispositions, so gas-lift wells get formation GORs", async () => {
      // The demo's simulated wells by code, rates read from a running model (as runtime/demo/demo-seed.ts does).
      const model = createOilfield({ seed: 1, startTime: Date.UTC(2026, 10, 1), eventsPerDay: 0 });
      model.step(3600);
      const codes = ["WELL-101", "WELL-102", "WELL-201", "WELL-202", "WELL-203", "WELL-204"];
      const demo = await createBattery(viaService(harness.assets, ENGINEER), {
        field: "DEMO-FIELD",
        site: "DEMO-BAT",
        wells: Object.fromEntries(codes.map((code) => [code, code.startsWith("WELL-2") ? ("gas_lift" as const) : ("esp" as const)])),
        tank: "DEMO-TK",
      });
      const now = new Date();
      await ensureDemoProduction(entries, harness.assets, demo.siteId, {
        meterIds: demo.meterIds,
        wellRates: ratesFromSimulator(model),
        // The fixture tank is shorter than the demo's gauges: wells only (the meters measure the site).
        demoAssetIds: new Set(demo.wells.map((row) => row.id)),
        now,
      });
      const days = demoDays(now);
      const lastDay = days[days.length - 1];
      const run = await harness.allocation.createRun({ siteAssetId: demo.siteId, periodStart: days[0], periodEnd: lastDay }, ENGINEER);
      assert.deepEqual(run.warnings.filter((warning) => /lift/.test(warning)), [], "every day has its lift-gas recycle");

      const report = await harness.reports.daily({ siteAssetId: demo.siteId, date: lastDay });
      const codeOf = new Map(report.wells.map((row) => [row.wellId, row.code]));
      for (const row of report.gasLift.wells) {
        const code = codeOf.get(row.wellId) ?? "";
        const gor = row.formationGorSm3PerM3;
        // The model seeds GORs of 60–200 Sm3/m3; meter and sales noise of a few percent moves them a little.
        assert.ok(gor !== null && gor > 50 && gor < 230, `${code} formation GOR ${gor}`);
        assert.equal(row.liftGasInjectedSm3 > 0, code.startsWith("WELL-2"), `${code} lift gas ${row.liftGasInjectedSm3}`);
      }
      const { totals, balance } = report.gasLift;
      assert.ok(totals.liftGasReturnedSm3 > 0 && totals.formationGasSm3 !== null && totals.separatorGasSm3 !== null);
      // Separator gas = formation gas + lift gas returned.
      assert.ok(Math.abs(totals.separatorGasSm3 - totals.formationGasSm3 - totals.liftGasReturnedSm3) < 1e-6);
      // Sales are metered apart: the balance closes within the meters' few percent.
      assert.ok(balance.differenceSm3 !== null && Math.abs(balance.differenceSm3) < totals.separatorGasSm3 * 0.06, `difference ${balance.differenceSm3}`);
    });
  });
}
