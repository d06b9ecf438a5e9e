import assert from "node:assert/strict";
import { AllocationService } from "../../../../erp-modules/production/allocation-service.js";
import { ReportService } from "../../../../erp-modules/production/report-service.js";
import { ProductionService } from "../../../../erp-modules/production/service.js";
import { M3_PER_BBL } from "../../../../erp-modules/reservoir/model/history-csv.js";
import { SHORTFALL_EVENT } from "../../../../erp-modules/reservoir/shortfall-service.js";
import { ReservoirService } from "../../../../erp-modules/reservoir/service.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { SM3_PER_MSCF } from "../../../../runtime/units/gas-volume.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { HistoryQueries } from "../../../../runtime/historian/history-queries.js";
import { RollupJob } from "../../../../runtime/historian/rollups.js";
import { newId } from "../../../../runtime/ids.js";
import { insertTag, storeSamples } from "../../../helpers/history-samples.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createSite, type Harness, type SiteFixture } from "../production/allocation-fixtures.js";
import { countChanges, createErpHarness, ENGINEER, isServiceError } from "../erp-fixtures.js";

const QUERY = { unitSystem: "oilfield", frequency: "monthly", fileName: "ofm-export.csv" } as const;
const CLOSE = 1e-9;

function rowsOf(db: Harness["db"], table: string): Promise<number> {
  return db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`).then((result) => Number(result.rows[0]?.count));
}

for (const target of databaseTargets) {
  describe(`reservoir data (history import, rates, forecasts, shortfall) on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let reservoir: ReservoirService;
    let site: SiteFixture;
    let uwiWellId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      const erp = await createErpHarness(database.db, "*");
      // The historian as the site wires it (runtime/site-services.ts); one tag is not readable by viewers.
      erp.context.tagHistory = { queries: new HistoryQueries(database.db, { timeoutMs: 30_000 }), mayRead: (path, role) => role !== "viewer" || !path.endsWith("/WATER_RATE") };
      harness = { ...erp, allocation: new AllocationService(erp.context, erp.assets), reports: new ReportService(erp.context, erp.assets) };
      reservoir = new ReservoirService(erp.context, { assets: erp.assets, production: new ProductionService(erp.context, erp.assets) });
      site = await createSite(harness, 2);
      const well = await harness.assets.create({ kind: "well", code: "RX-UWI", name: "Well with a UWI", parentId: site.siteId, well: { liftType: "esp", uwi: "42-501-20130-03-00" } }, ENGINEER);
      uwiWellId = well.id;
    });

    after(async () => {
      await reservoir?.idle();
      await database?.drop();
    });

    it("imports an OFM monthly export in oilfield units, stores SI volumes, one audit and one outbox row", async () => {
      const [a] = site.wells;
      const csv = [
        "Well Name,API Number,Date,Oil (bbl),Gas (Mscf),Water (bbl),Days On,Comment",
        `${a.code},,2024-01-31,3100,6200,310,31,first month`,
        `${a.code},,2024-02-29,2610,5220,290,29,`,
        `${a.code},,2024-03-31,0,0,0,0,shut in all month`,
        ",4250120130030 0,2024-01-01,1000,,,20,by API number",
      ].join("\n");
      const before = await countChanges(harness.db, "reservoir");
      const result = await reservoir.history.importCsv(csv, { ...QUERY, assetId: site.siteId }, ENGINEER);
      const after = await countChanges(harness.db, "reservoir");
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [1, 1]);
      assert.deepEqual([result.rowCount, result.wellCount, result.supersededCount, result.ignoredColumns], [4, 2, 0, ["Comment"]]);
      assert.match(result.fileSha256, /^[0-9a-f]{64}$/);
      const rows = await reservoir.history.wellHistory(a.id, {});
      assert.deepEqual(
        rows.map((row) => row.periodStart),
        ["2024-01-01", "2024-02-01", "2024-03-01"],
      );
      // 3100 bbl × 0.158987294928 m3/bbl; 6200 Mscf × 28.316846592 Sm3/Mscf.
      assert.ok(Math.abs((rows[0].oilVolumeM3 ?? 0) - 3100 * M3_PER_BBL) < CLOSE);
      assert.ok(Math.abs((rows[0].gasVolumeSm3 ?? 0) - 6200 * SM3_PER_MSCF) < 1e-6);
      const byUwi = await reservoir.history.wellHistory(uwiWellId, {});
      assert.deepEqual([byUwi.length, byUwi[0].waterVolumeM3, byUwi[0].daysOnProduction], [1, null, 20]);
    });

    it("refuses a file with bad lines as a whole, naming each line (nothing stored)", async () => {
      const csv = ["Well,Date,Oil (bbl),Days On", `${site.wells[1].code},2024-01-01,-5,31`, "NO-SUCH-WELL,2024-01-01,10,31", `${site.wells[1].code},2024-13-01,10,31`, `${site.wells[1].code},2024-02-01,10,30`].join("\n");
      const before = await rowsOf(harness.db, "reservoir_production_history");
      await assert.rejects(reservoir.history.importCsv(csv, { ...QUERY, assetId: site.siteId }, ENGINEER), (error: unknown) => {
        assert.ok(error instanceof ServiceError && error.code === "invalid_input");
        assert.equal(error.details?.params?.problemCount, 4);
        assert.deepEqual(
          (error.details?.params?.problems as string[]).map((problem) => problem.split(":")[0]),
          ["line 2", "line 3", "line 4", "line 5"],
        );
        assert.match((error.details?.params?.problems as string[])[3], /must not exceed the 29 days/);
        return true;
      });
      assert.equal(await rowsOf(harness.db, "reservoir_production_history"), before);
    });

    it("refuses a header in other units than declared, and a file without a date column", async () => {
      await assert.rejects(
        reservoir.history.importCsv("Well,Date,Oil m3\nX,2024-01-01,1", { ...QUERY, assetId: site.siteId }, ENGINEER),
        isServiceError("invalid_input", "Oil m3"),
      );
      await assert.rejects(reservoir.history.importCsv("Well,Oil\nX,1", { ...QUERY, assetId: site.siteId }, ENGINEER), isServiceError("invalid_input", "body"));
    });

    it("refuses a re-import of a well's period (409) unless replace=true with a reason, which supersedes and keeps the old rows", async () => {
      const [a] = site.wells;
      const csv = `Well,Date,Oil (bbl),Days On\n${a.code},2024-02-01,3000,29\n${a.code},2024-04-01,2000,30`;
      await assert.rejects(reservoir.history.importCsv(csv, { ...QUERY, assetId: site.siteId }, ENGINEER), (error: unknown) => {
        assert.ok(isServiceError("conflict")(error));
        assert.deepEqual((error as ServiceError).details?.params?.periods, [`${a.code} 2024-02-01`]);
        return true;
      });
      await assert.rejects(reservoir.history.importCsv(csv, { ...QUERY, assetId: site.siteId, replace: true }, ENGINEER), isServiceError("invalid_input", "query.reason"));
      const replaced = await reservoir.history.importCsv(csv, { ...QUERY, assetId: site.siteId, replace: true, reason: "OFM re-export after the Feb correction" }, ENGINEER);
      assert.equal(replaced.supersededCount, 1);
      const current = await reservoir.history.wellHistory(a.id, {});
      assert.deepEqual(
        current.map((row) => [row.periodStart, Math.round((row.oilVolumeM3 ?? 0) / M3_PER_BBL)]),
        [
          ["2024-01-01", 3100],
          ["2024-02-01", 3000],
          ["2024-03-01", 0],
          ["2024-04-01", 2000],
        ],
      );
      const all = await reservoir.history.wellHistory(a.id, { includeSuperseded: true });
      assert.equal(all.length, 5);
      const detail = await reservoir.history.getImport(replaced.id);
      assert.ok(detail.rows.some((row) => row.supersedesId !== null));
      const audit = await harness.db.query<{ details: { supersededRowIds?: string[] } }>(
        "SELECT details FROM audit_log WHERE action = 'reservoir.history.import' AND entity_id = $1",
        [replaced.id],
      );
      assert.equal(audit.rows[0]?.details.supersededRowIds?.length, 1);
    });

    it("gives the rate series of imported history: producing-day rates, a shut-in month excluded", async () => {
      const series = await reservoir.rates.series(site.wells[0].id, { fluid: "oil", source: "history" }, "viewer");
      assert.equal(series.interval, "monthly");
      const [january, , march] = series.points;
      // 3100 bbl over 31 days on = 100 bbl/d.
      assert.ok(Math.abs((january.rate ?? 0) - 100 * M3_PER_BBL) < CLOSE);
      assert.deepEqual([march.flags, march.excluded, march.rate], [["shutIn"], true, null]);
    });

    it("gives the rate series of allocated production with shut-in and well-test days flagged", async () => {
      const [a, b] = site.wells;
      await site.approvedTest(a.id, "2026-08-01T00:00:00Z", { oil: 60, gas: 0, water: 0 });
      await site.approvedTest(b.id, "2026-08-01T00:00:00Z", { oil: 40, gas: 0, water: 0 });
      // A test of A during the period: its day is flagged.
      await site.approvedTest(a.id, "2026-09-05T06:00:00Z", { oil: 60, gas: 0, water: 0 });
      await site.downtime(b.id, "2026-09-03T00:00:00Z", "2026-09-04T00:00:00Z");
      for (let day = 1; day <= 10; day++) await site.meterReading(`2026-09-${String(day).padStart(2, "0")}`, "oil", 100);
      await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-09-01", periodEnd: "2026-09-10" }, ENGINEER);
      const seriesB = await reservoir.rates.series(b.id, { fluid: "oil", source: "allocated", from: "2026-09-01", to: "2026-09-10" }, "viewer");
      assert.equal(seriesB.points.length, 10);
      const shutIn = seriesB.points.find((point) => point.date === "2026-09-03");
      assert.deepEqual([shutIn?.flags, shutIn?.excluded], [["shutIn"], true]);
      // 40 of 100 theoretical: B is allocated 40 m3 on a normal day.
      assert.ok(Math.abs((seriesB.points[0].rate ?? 0) - 40) < CLOSE);
      const seriesA = await reservoir.rates.series(a.id, { fluid: "oil", source: "allocated", from: "2026-09-01", to: "2026-09-10" }, "viewer");
      assert.deepEqual(
        seriesA.points.filter((point) => point.excluded).map((point) => [point.date, point.flags]),
        [["2026-09-05", ["test"]]],
      );
      const monthly = await reservoir.rates.series(a.id, { fluid: "oil", source: "allocated", interval: "monthly", from: "2026-09-01", to: "2026-09-10" }, "viewer");
      assert.equal(monthly.points.length, 1);
    });

    it("gives the rate series of a rate tag: daily time-weighted averages, a zero day shut in; refuses a tag in other units or not readable", async () => {
      const [a] = site.wells;
      const day = (d: number) => Date.parse(`2026-03-0${d}T00:00:00Z`);
      const oilTag = newId();
      await insertTag(harness.db, oilTag, `SITE1/${a.code}/OIL_RATE`, "float", "m3/d");
      // 80 m3/d all of Mar 1; 0 all of Mar 2; 60 from Mar 3 00:00, then 90 from Mar 3 12:00 (average 75).
      await storeSamples(harness.db, oilTag, [
        { t: day(1), v: 80, q: "good" },
        { t: day(2), v: 0, q: "good" },
        { t: day(3), v: 60, q: "good" },
        { t: day(3) + 12 * 3_600_000, v: 90, q: "good" },
        { t: day(4), v: 90, q: "good" },
      ]);
      await new RollupJob({ db: harness.db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 20_000, timeoutMs: 60_000 }).catchUp();
      const series = await reservoir.rates.series(a.id, { fluid: "oil", source: "tag", from: "2026-03-01", to: "2026-03-03" }, "viewer");
      assert.equal(series.tagPath, `SITE1/${a.code}/OIL_RATE`);
      assert.deepEqual(
        series.points.map((point) => [point.date, point.rate, point.flags]),
        [
          ["2026-03-01", 80, []],
          ["2026-03-02", null, ["shutIn"]],
          ["2026-03-03", 75, []],
        ],
      );
      await insertTag(harness.db, newId(), `SITE1/${a.code}/GAS_RATE`, "float", "m3/d");
      await assert.rejects(reservoir.rates.series(a.id, { fluid: "gas", source: "tag" }, "viewer"), isServiceError("invalid_input", "query.tagPath"));
      await insertTag(harness.db, newId(), `SITE1/${a.code}/WATER_RATE`, "float", "m3/d");
      await assert.rejects(reservoir.rates.series(a.id, { fluid: "water", source: "tag" }, "viewer"), isServiceError("not_found", "query.tagPath"));
    });

    it("stores forecast versions with the server's goodness, excluded points and EUR; computes the forecast as of today", async () => {
      const [a] = site.wells;
      const body = {
        fluid: "oil" as const,
        source: "history" as const,
        windowStart: "2024-01-01",
        windowEnd: "2024-12-31",
        parameters: { model: "exponential" as const, initialRatePerDay: 100 * M3_PER_BBL, initialDeclineNominalPerYear: 0.5 },
        referenceDate: "2024-01-01",
        economicLimitRatePerDay: 1,
        reason: "first look",
      };
      await assert.rejects(reservoir.forecasts.create(a.id, { ...body, reason: "  " }, ENGINEER, "engineer"), isServiceError("invalid_input", "reason"));
      const before = await countChanges(harness.db, "reservoir");
      const first = await reservoir.forecasts.create(a.id, body, ENGINEER, "engineer");
      const after = await countChanges(harness.db, "reservoir");
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [1, 1]);
      assert.equal(first.version, 1);
      assert.deepEqual(
        first.excludedPoints.map((point) => [point.date, point.reason]),
        [["2024-03-01", "shutIn"]],
      );
      assert.equal(first.goodness.pointsUsed, 3);
      // Exponential: EUR = (qi − q_limit) / D with D per day = 0.5 / 365.25.
      const qi = 100 * M3_PER_BBL;
      assert.ok(Math.abs((first.eurVolume ?? 0) - (qi - 1) / (0.5 / 365.25)) < 1e-6 * (first.eurVolume ?? 1));
      const second = await reservoir.forecasts.create(a.id, { ...body, excludedDates: [{ date: "2024-04-01", reason: "manual" }], reason: "April was a workover" }, ENGINEER, "engineer");
      assert.equal(second.version, 2);
      assert.equal(second.goodness.pointsUsed, 2);
      const list = await reservoir.forecasts.list(a.id);
      assert.deepEqual(
        list.map((forecast) => [forecast.version, forecast.reason]),
        [
          [2, "April was a workover"],
          [1, "first look"],
        ],
      );
      const detail = await reservoir.forecasts.get(a.id, second.id, 5);
      assert.equal(detail.forecast.points[0].date, "2024-01-01");
      assert.ok(detail.forecast.economicLimitDate !== null);
      assert.ok(detail.forecast.remainingVolume !== null && detail.forecast.remainingVolume >= 0);
      await assert.rejects(harness.db.query("UPDATE reservoir_forecasts SET reason = 'x' WHERE id = $1", [first.id]), /append-only/);
    });

    it("emits reservoir.forecast.shortfall after an allocation run when production falls below the current forecast", async () => {
      const [a, b] = site.wells;
      // A's forecast expects 100 m3/d from Sep 1; it is allocated about 60.
      await reservoir.forecasts.create(
        a.id,
        {
          fluid: "oil",
          source: "allocated",
          windowStart: "2026-09-01",
          windowEnd: "2026-09-10",
          parameters: { model: "exponential", initialRatePerDay: 100, initialDeclineNominalPerYear: 0.1 },
          referenceDate: "2026-09-01",
          reason: "type-curve expectation",
        },
        ENGINEER,
        "engineer",
      );
      // B's forecast matches what it makes (40 m3/d): no alert.
      await reservoir.forecasts.create(
        b.id,
        {
          fluid: "oil",
          source: "allocated",
          windowStart: "2026-09-01",
          windowEnd: "2026-09-10",
          parameters: { model: "exponential", initialRatePerDay: 40, initialDeclineNominalPerYear: 0.01 },
          referenceDate: "2026-09-01",
          reason: "matches",
        },
        ENGINEER,
        "engineer",
      );
      for (let day = 11; day <= 15; day++) await site.meterReading(`2026-09-${day}`, "oil", 100);
      harness.events.length = 0;
      await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-09-11", periodEnd: "2026-09-15" }, ENGINEER);
      await reservoir.idle();
      const shortfalls = harness.events.filter((event) => event.type === SHORTFALL_EVENT);
      assert.deepEqual(
        shortfalls.map((event) => [event.payload.wellCode, event.payload.fluid]),
        [[a.code, "oil"]],
      );
      const payload = shortfalls[0].payload as { actualRatePerDay: number; forecastRatePerDay: number; shortfallPercent: number; thresholdPercent: number };
      assert.ok(Math.abs(payload.actualRatePerDay - 60) < CLOSE);
      assert.ok(payload.forecastRatePerDay > 99 && payload.forecastRatePerDay < 100);
      assert.ok(payload.shortfallPercent > 39 && payload.thresholdPercent === 20);
    });
  });
}
