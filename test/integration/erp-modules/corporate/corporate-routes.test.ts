import type { Stream } from "node:stream";
import assert from "node:assert/strict";
import type { ConsolidatedProduction, CorporateAlarmKpis, RemoteDailyProduction, RemoteWells, SiteList } from "../../../../erp-modules/corporate/schema.js";
import type { SiteInfo } from "../../../../runtime/field/field-schema.js";
import { seedTwoSites } from "../../../helpers/corporate-fixtures.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { pdfText, unzip, xlsxXml } from "../../../helpers/office-files.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

/** supertest leaves PDF and zip bodies unparsed: collect the bytes. */
function bytes(res: Stream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => callback(null, Buffer.concat(chunks)));
  res.on("error", (error: Error) => callback(error, Buffer.alloc(0)));
}
const binary = (response: { body: unknown }) => response.body as Buffer;
const errorOf = (response: { body: unknown }) => (response.body as { error: { details: { field: string; reason: string } } }).error.details;

for (const target of databaseTargets) {
  describe(`corporate routes in the cloud role (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite | undefined;
    let viewer: InProcessSession;
    let seededAt: number;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db, { role: "cloud", siteId: "CLOUD", siteName: "Corporativo" });
      seededAt = Date.now();
      await seedTwoSites(database.db, seededAt);
      viewer = await site.session("viewer");
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    it("states the cloud role in GET /site", async () => {
      const info = (await viewer.send("get", "/api/v1/site").expect(200)).body as SiteInfo;
      assert.equal(info.role, "cloud");
    });

    it("consolidates production by site, field and month from the current runs (the restatement replaces Oct 2)", async () => {
      const answer = (await viewer.send("get", "/api/v1/corporate/production?fromMonth=2026-09&toMonth=2026-10").expect(200)).body as ConsolidatedProduction;
      assert.deepEqual(
        answer.rows.map((row) => [row.siteId, row.siteName, row.fieldCode, row.month, row.oilM3, row.gasSm3, row.waterM3, row.wells, row.days]),
        [
          ["SITE-N", "Norte", "F-NORTE", "2026-10", 33, 3200, 7, 2, 2],
          ["SITE-S", "Sur", "F-SUR", "2026-09", 20, 2000, 10, 1, 1],
          ["SITE-S", "Sur", "F-SUR", "2026-10", 22, 2100, 11, 1, 1],
        ],
      );
      assert.deepEqual(answer.siteTotals.map((total) => [total.siteId, total.oilM3, total.freshness.ageSeconds !== null && total.freshness.ageSeconds >= 720]), [["SITE-N", 33, true], ["SITE-S", 42, true]]);
      assert.equal(answer.runsWithoutVolumes, 0);
      const one = (await viewer.send("get", "/api/v1/corporate/production?fromMonth=2026-10&toMonth=2026-10&siteId=SITE-S").expect(200)).body as ConsolidatedProduction;
      assert.deepEqual(one.rows.map((row) => [row.siteId, row.oilM3]), [["SITE-S", 22]]);
    });

    it("refuses a reversed or too long range and an unknown site with 4xx naming the field", async () => {
      const reversed = await viewer.send("get", "/api/v1/corporate/production?fromMonth=2026-10&toMonth=2026-09").expect(400);
      assert.deepEqual(errorOf(reversed), { field: "toMonth", reason: "before_field", params: { other: "fromMonth" } });
      const long = await viewer.send("get", "/api/v1/corporate/production?fromMonth=2020-01&toMonth=2026-10").expect(400);
      assert.equal(errorOf(long).reason, "too_many_months");
      await viewer.send("get", "/api/v1/corporate/production?fromMonth=2026-13&toMonth=2026-10").expect(400);
      await viewer.send("get", "/api/v1/corporate/sites/NOPE/wells").expect(404);
    });

    it("shows each site's sync health and the data's age", async () => {
      const { sites } = (await viewer.send("get", "/api/v1/corporate/sites").expect(200)).body as SiteList;
      const byId = new Map(sites.map((entry) => [entry.siteId, entry]));
      const norte = byId.get("SITE-N");
      const sur = byId.get("SITE-S");
      const elapsed = Math.ceil((Date.now() - seededAt) / 1000) + 1;
      assert.deepEqual([norte?.outboxPending, norte?.spoolBytes, norte?.appVersion, norte?.lastSequence, norte?.outboxLagSeconds], [0, 0, "0.1.0", 5120, 0]);
      // Nothing pending: as of the last contact, 12 minutes before the seed.
      assert.ok(norte?.freshness.ageSeconds !== null && norte !== undefined && norte.freshness.ageSeconds >= 720 && norte.freshness.ageSeconds <= 720 + elapsed, JSON.stringify(norte));
      // 40 rows pending since 3 h: the cloud holds Sur as of 3 h ago though it spoke 2 minutes ago.
      assert.equal(sur?.outboxPending, 40);
      assert.equal(sur?.spoolBytes, 65_536);
      assert.ok(sur !== undefined && sur.freshness.ageSeconds !== null && sur.freshness.ageSeconds >= 10_800 && sur.freshness.ageSeconds <= 10_800 + elapsed, JSON.stringify(sur));
      assert.equal(sur?.freshness.asOf, sur?.oldestPendingAt);
    });

    it("computes alarm KPIs across sites from the daily summaries", async () => {
      const kpis = (await viewer.send("get", "/api/v1/corporate/alarm-kpis?fromDay=2026-10-01&toDay=2026-10-31").expect(200)).body as CorporateAlarmKpis;
      const [norte, sur] = kpis.sites;
      // 27 in one day: 27 / 24 h = 1.125 → 1.13 an operator-hour; Sur 48 / 24 = 2.
      assert.deepEqual([norte.siteId, norte.activations, norte.perDay, norte.perOperatorHour], ["SITE-N", 27, 27, 1.13]);
      assert.deepEqual([sur.siteId, sur.activations, sur.perDay, sur.perOperatorHour], ["SITE-S", 48, 48, 2]);
      assert.deepEqual(norte.chattering.map((entry) => [entry.alarmId, entry.activationsInOneMinute]), [["n102-ll", 3]]);
      // Across sites: 48 of 75 = 64.0 %, 24 of 75 = 32.0 %.
      assert.deepEqual(kpis.badActors.slice(0, 2).map((actor) => [actor.siteId, actor.alarmId, actor.activations, actor.percentOfTotal]), [["SITE-S", "s201-ht", 48, 64], ["SITE-N", "n101-hp", 24, 32]]);
    });

    it("shows a site's wells and its daily production read-only, with the data's age", async () => {
      const wells = (await viewer.send("get", "/api/v1/corporate/sites/SITE-N/wells").expect(200)).body as RemoteWells;
      assert.deepEqual(wells.wells.map((well) => [well.code, well.status, well.siteAssetCode, well.fieldCode]), [["N-101", "producing", "BAT-N1", "F-NORTE"], ["N-102", "shut_in", "BAT-N1", "F-NORTE"]]);
      assert.ok((wells.freshness.ageSeconds ?? 0) >= 720);
      const daily = (await viewer.send("get", "/api/v1/corporate/sites/SITE-N/daily-production?month=2026-10").expect(200)).body as RemoteDailyProduction;
      assert.deepEqual(daily.days.map((day) => [day.day, day.oilM3, day.gasSm3, day.waterM3]), [["2026-10-01", 15, 1500, 3], ["2026-10-02", 18, 1700, 4]]);
      assert.deepEqual(daily.wells.map((well) => [well.wellCode, well.oilM3, well.days, well.runVersion]), [["N-101", 22, 2, 2], ["N-102", 11, 2, 2]]);
    });

    it("writes the report as PDF and XLSX in Spanish and oilfield units, and in English", async () => {
      const pdf = binary(await viewer.send("get", "/api/v1/corporate/production.pdf?fromMonth=2026-09&toMonth=2026-10&lang=es&units=oilfield").buffer(true).parse(bytes).expect(200));
      assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
      const text = pdfText(pdf).join("\n");
      assert.match(text, /Producción por sitio, campo y mes/);
      assert.match(text, /Petróleo \(bbl\)/);
      // 33 m3 = 33 / 0.158987294928 = 207.563... bbl, Spanish decimals.
      assert.match(text, /207,564/);
      assert.match(text, /SITE-S Sur: datos al/);
      const xlsx = binary(await viewer.send("get", "/api/v1/corporate/production.xlsx?fromMonth=2026-09&toMonth=2026-10&lang=en").buffer(true).parse(bytes).expect(200));
      const xml = xlsxXml(xlsx);
      assert.match(xml, /Oil \(m3\)/);
      assert.match(xml, /F-NORTE Campo Norte/);
      assert.match(xml, /<v>3200<\/v>/);
    });

    it("exports hive-style CSV partitions with a manifest in a zip", async () => {
      const zip = binary(await viewer.send("get", "/api/v1/corporate/export.zip?fromMonth=2026-09&toMonth=2026-10").buffer(true).parse(bytes).expect(200));
      const files = unzip(zip);
      assert.deepEqual([...files.keys()].sort(), [
        "manifest.json",
        "production_monthly/site=SITE-N/month=2026-10/part-0000.csv",
        "production_monthly/site=SITE-S/month=2026-09/part-0000.csv",
        "production_monthly/site=SITE-S/month=2026-10/part-0000.csv",
        "well_daily_production/site=SITE-N/month=2026-10/part-0000.csv",
        "well_daily_production/site=SITE-S/month=2026-09/part-0000.csv",
        "well_daily_production/site=SITE-S/month=2026-10/part-0000.csv",
      ]);
      const daily = String(files.get("well_daily_production/site=SITE-N/month=2026-10/part-0000.csv")).trim().split("\n");
      assert.equal(daily[0], "site_asset_code,field_code,well_id,well_code,production_date,oil_m3,gas_sm3,water_m3,run_id,run_version");
      assert.equal(daily.length, 5, "2 wells × 2 days");
      assert.match(daily[3], /^BAT-N1,F-NORTE,[0-9a-f-]{36},N-101,2026-10-02,12,1100,3,[0-9a-f-]{36},2$/);
      assert.equal(String(files.get("production_monthly/site=SITE-N/month=2026-10/part-0000.csv")).trim().split("\n")[1], "Norte,F-NORTE,Campo Norte,33,3200,7,2,2");
      const manifest = JSON.parse(String(files.get("manifest.json"))) as { datasets: Record<string, { partitions: string[] }>; sites: { siteId: string; dataAsOf: string | null }[] };
      assert.deepEqual(manifest.datasets.well_daily_production.partitions, ["site", "month"]);
      assert.deepEqual(manifest.sites.map((entry) => entry.siteId), ["SITE-N", "SITE-S"]);
    });

    it("offers GET routes only: remote access is read-only", async () => {
      const spec = await site!.openApi();
      const paths = Object.entries(spec.paths as Record<string, Record<string, unknown>>).filter(([path]) => path.startsWith("/api/v1/corporate") || path.startsWith("/corporate"));
      assert.ok(paths.length >= 8, `corporate paths in the OpenAPI document: ${paths.length}`);
      for (const [path, operations] of paths) assert.deepEqual(Object.keys(operations).filter((key) => key !== "parameters"), ["get"], path);
      const admin = await site!.session("admin");
      const post = await admin.send("post", "/api/v1/corporate/production").send({});
      assert.equal(post.status, 404, "no write route exists");
    });
  });
}

describe("corporate routes on an edge box", function () {
  this.timeout(60_000);
  it("are not registered: the edge role has no corporate API", async function () {
    const target = databaseTargets.find((candidate) => candidate.name === "pglite");
    if (!target) skipWithReason(this, "no PGlite target");
    const database = await target.create();
    const site = await startInProcessSite(database.db);
    try {
      const viewer = await site.session("viewer");
      await viewer.send("get", "/api/v1/corporate/sites").expect(404);
      assert.equal(((await viewer.send("get", "/api/v1/site").expect(200)).body as SiteInfo).role, "edge");
    } finally {
      await site.close();
      await database.drop();
    }
  });
});
