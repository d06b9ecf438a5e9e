import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface Run {
  id: string;
  version: number;
  restates: string | null;
  reason: string | null;
  periodStart: string;
  periodEnd: string;
  totals: Record<"oil" | "gas" | "water", { measuredM3: number; allocatedM3: number }>;
  warnings: string[];
}

const DAY = "2026-11-01";

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`production allocation and reports over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let engineer: SiteClient;
    let operator: SiteClient;
    let viewer: SiteClient;
    let siteAssetId = "";
    let run1: Run;
    let run2: Run;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ engineer, operator, viewer } = await sessionsByRole(site.url, { engineer: "erin-engineer", operator: "oscar-operator", viewer: "vera-viewer" }));
      const battery = await createBattery(viaApi(engineer), { field: "NORTH", site: "BAT-7", wells: { "WELL-701": "esp", "WELL-702": "esp" }, tank: "TK-701" });
      siteAssetId = battery.siteId;
      const wellIds = battery.wells.map((well) => well.id);

      const rates = [
        { oilRateM3PerDay: 60, gasRateSm3PerDay: 3000, waterRateM3PerDay: 20 },
        { oilRateM3PerDay: 30, gasRateSm3PerDay: 1000, waterRateM3PerDay: 40 },
      ];
      for (const [index, wellId] of wellIds.entries()) {
        const test = await operator.json<{ id: string; rowVersion: number }>(
          "POST",
          "/api/v1/production/well-tests",
          { wellId, startedAt: "2026-10-20T08:00:00Z", durationHours: 12, ...rates[index] },
          201,
        );
        await engineer.json("POST", `/api/v1/production/well-tests/${test.id}/approve`, { rowVersion: test.rowVersion }, 200);
      }
      await operator.json(
        "POST",
        "/api/v1/production/downtime",
        { wellId: wellIds[1], startedAt: `${DAY}T00:00:00Z`, endedAt: `${DAY}T12:00:00Z`, reasonCode: "esp_trip" },
        201,
      );
      for (const [fluid, volumeM3] of [
        ["oil", 70],
        ["gas", 3300],
        ["water", 40],
      ] as const) {
        await operator.json("POST", "/api/v1/production/meter-readings", { meterId: battery.meterIds[fluid], productionDate: DAY, fluid, volumeM3 }, 201);
      }
      await operator.json("POST", "/api/v1/production/tank-gauges", { tankId: battery.tankId, gaugedAt: `${DAY}T22:00:00Z`, levelM: 2 }, 201);
      await operator.json(
        "POST",
        "/api/v1/production/run-tickets",
        { siteAssetId, tankId: battery.tankId, ticketNumber: "RT-1", shippedAt: `${DAY}T14:00:00Z`, fluid: "oil", volumeM3: 30, destination: "truck", carrier: "Acme" },
        201,
      );
    });

    after(async () => {
      await site?.dispose();
    });

    it("an engineer creates a run (201) that allocates the measured totals", async () => {
      run1 = await engineer.json<Run>("POST", "/api/v1/production/allocation-runs", { siteAssetId, periodStart: DAY, periodEnd: DAY }, 201);
      assert.equal(run1.version, 1);
      assert.equal(run1.restates, null);
      assert.deepEqual(run1.totals, {
        oil: { measuredM3: 70, allocatedM3: 70 },
        gas: { measuredM3: 3300, allocatedM3: 3300 },
        water: { measuredM3: 40, allocatedM3: 40 },
      });
      const detail = await viewer.json<Run & { results: { wellCode: string; fluid: string; allocatedM3: number; theoreticalM3: number; uptimeHours: number }[] }>(
        "GET",
        `/api/v1/production/allocation-runs/${run1.id}`,
      );
      // Oil: WELL-701 60 (up 24 h), WELL-702 30 × 12/24 = 15: 70 shared 60 : 15 = 56 : 14.
      assert.deepEqual(
        detail.results.filter((result) => result.fluid === "oil").map((result) => [result.wellCode, result.theoreticalM3, result.allocatedM3, result.uptimeHours]),
        [
          ["WELL-701", 60, 56, 24],
          ["WELL-702", 15, 14, 12],
        ],
      );
    });

    it("refuses a restatement without a reason with 400 naming `reason`", async () => {
      const response = await engineer.request("POST", "/api/v1/production/allocation-runs", { siteAssetId, periodStart: DAY, periodEnd: DAY });
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, "invalid_input");
      assert.equal(error.details?.field, "reason");
      assert.equal(error.details?.reason, "restatement_needs_reason");
    });

    it("refuses an operator (403)", async () => {
      const response = await operator.request("POST", "/api/v1/production/allocation-runs", { siteAssetId, periodStart: DAY, periodEnd: DAY, reason: "x" });
      assert.equal(response.status, 403);
      assert.equal((await errorOf(response)).code, "forbidden");
    });

    it("replays a repeated Idempotency-Key: the same run, no second version", async () => {
      const body = { siteAssetId, periodStart: DAY, periodEnd: DAY, reason: "water meter proved" };
      const headers = { "Idempotency-Key": "restate-bat7-2026-11-01" };
      const first = await engineer.request("POST", "/api/v1/production/allocation-runs", body, headers);
      assert.equal(first.status, 201);
      run2 = (await first.json()) as Run;
      const again = await engineer.request("POST", "/api/v1/production/allocation-runs", body, headers);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get("idempotency-replayed"), "true");
      assert.equal(((await again.json()) as Run).id, run2.id);
      assert.equal(run2.version, 2);
      assert.equal(run2.restates, run1.id);
      const runs = await viewer.json<{ items: Run[]; total: number }>("GET", `/api/v1/production/allocation-runs?siteAssetId=${siteAssetId}`);
      assert.equal(runs.total, 2);
      assert.deepEqual(runs.items.map((run) => run.version), [2, 1]);
    });

    it("a viewer reads the daily report, which names its run", async () => {
      const report = await viewer.json<{
        run: { id: string; version: number } | null;
        wells: { code: string; uptimeHours: number; downtime: { reasonCode: string; hours: number }[]; oil: { allocatedM3: number | null }; deferredOilM3: number }[];
        tanks: { volumeM3: number }[];
        shipments: { ticketNumber: string }[];
        measured: { oil: number | null };
      }>("GET", `/api/v1/production/reports/daily?siteAssetId=${siteAssetId}&date=${DAY}`);
      assert.deepEqual(report.run && [report.run.id, report.run.version], [run2.id, 2]);
      assert.deepEqual(
        report.wells.map((well) => [well.code, well.uptimeHours, well.oil.allocatedM3, well.deferredOilM3]),
        [
          ["WELL-701", 24, 56, 0],
          ["WELL-702", 12, 14, 15],
        ],
      );
      assert.deepEqual(report.wells[1].downtime, [{ reasonCode: "esp_trip", hours: 12 }]);
      assert.deepEqual(report.tanks.map((tank) => tank.volumeM3), [100]);
      assert.deepEqual(report.shipments.map((ticket) => ticket.ticketNumber), ["RT-1"]);
      assert.equal(report.measured.oil, 70);
      const older = await viewer.json<{ run: { id: string } }>("GET", `/api/v1/production/reports/daily?siteAssetId=${siteAssetId}&date=${DAY}&runId=${run1.id}`);
      assert.equal(older.run.id, run1.id);
    });

    it("downloads the daily report as CSV, XLSX and PDF", async () => {
      const query = `siteAssetId=${siteAssetId}&date=${DAY}`;
      const csv = await viewer.request("GET", `/api/v1/production/reports/daily.csv?${query}`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
      assert.match(csv.headers.get("content-disposition") ?? "", /^attachment; filename="?production-BAT-7-2026-11-01\.csv"?$/);
      const lines = (await csv.text()).trimEnd().split("\n");
      assert.match(lines[0], /^Well code,Well name,Uptime \(h\),Oil theoretical \(m3\),Oil allocated \(m3\)/);
      assert.match(lines[1], /^WELL-701,Well WELL-701,24,60,56,/);
      assert.match(lines[3], /^TOTAL,/);

      const xlsx = await viewer.request("GET", `/api/v1/production/reports/daily.xlsx?${query}`);
      assert.equal(xlsx.status, 200);
      assert.equal(xlsx.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      assert.match(xlsx.headers.get("content-disposition") ?? "", /filename="?production-BAT-7-2026-11-01\.xlsx"?$/);
      assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString("latin1"), "PK");

      const pdf = await viewer.request("GET", `/api/v1/production/reports/daily.pdf?${query}`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get("content-type"), "application/pdf");
      assert.match(pdf.headers.get("content-disposition") ?? "", /filename="?production-BAT-7-2026-11-01\.pdf"?$/);
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString("latin1"), "%PDF-");
    });

    it("serves the monthly report with the runs used, and its CSV", async () => {
      const monthly = await viewer.json<{ runs: string[]; totals: { oilM3: number; gasM3: number } }>(
        "GET",
        `/api/v1/production/reports/monthly?siteAssetId=${siteAssetId}&month=2026-11`,
      );
      assert.deepEqual(monthly.runs, [run2.id]);
      assert.deepEqual([monthly.totals.oilM3, monthly.totals.gasM3], [70, 3300]);
      const csv = await viewer.request("GET", `/api/v1/production/reports/monthly.csv?siteAssetId=${siteAssetId}&month=2026-11`);
      assert.match(csv.headers.get("content-disposition") ?? "", /filename="?production-BAT-7-2026-11\.csv"?$/);
      assert.equal((await csv.text()).split("\n")[0], "Well code,Well name,Days,Uptime (h),Oil (m3),Gas (Sm3),Water (m3),Water cut (%),GOR (Sm3/m3),WOR (m3/m3)");
      const invalid = await viewer.request("GET", `/api/v1/production/reports/monthly?siteAssetId=${siteAssetId}&month=2026-13`);
      assert.equal(invalid.status, 400);
    });
  });
}
