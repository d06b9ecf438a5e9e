import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { pdfText, xlsxXml } from "../../../helpers/office-files.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface MonthState {
  closed: boolean;
  closedBy: string | null;
  history: { action: string; reason: string | null; by: string }[];
  adjustments: { entityType: string; reason: string; by: string }[];
}

interface Flag {
  kind: string;
  date: string;
  fluid: string | null;
  wellCode: string | null;
  value: number;
}

interface Run {
  id: string;
  version: number;
  priorPeriodAdjustment: boolean;
}

const MONTH = "2026-10";
const DAY = "2026-10-15";
const M3_PER_BBL = 0.158987294928;

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`production month close and report files over HTTP (${backend})`, function () {
    this.timeout(180_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let engineer: SiteClient;
    let operator: SiteClient;
    let siteAssetId = "";
    let oilMeterId = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ admin, engineer, operator } = await sessionsByRole(site.url, { engineer: "erin-engineer", operator: "oscar-operator" }));
      const battery = await createBattery(viaApi(engineer), { field: "SOUTH", site: "BAT-9", wells: { "WELL-901": "esp" }, tank: "TK-901" });
      siteAssetId = battery.siteId;
      oilMeterId = battery.meterIds.oil;
      // A test of 2026-06-01: on Oct 15 it is 136 days old (30 Jun-days left + 31 + 31 + 30 + 14 = 136 > 90).
      const test = await operator.json<{ id: string; rowVersion: number }>(
        "POST",
        "/api/v1/production/well-tests",
        { wellId: battery.wells[0].id, startedAt: "2026-06-01T08:00:00Z", durationHours: 12, oilRateM3PerDay: 60, gasRateSm3PerDay: 3000, waterRateM3PerDay: 20 },
        201,
      );
      await engineer.json("POST", `/api/v1/production/well-tests/${test.id}/approve`, { rowVersion: test.rowVersion }, 200);
      // Oil 70 measured against 60 theoretical: factor 70 / 60 = 1.1667 > 1.1.
      for (const [fluid, volumeM3] of [
        ["oil", 70],
        ["gas", 3000],
        ["water", 20],
      ] as const) {
        await operator.json("POST", "/api/v1/production/meter-readings", { meterId: battery.meterIds[fluid], productionDate: DAY, fluid, volumeM3 }, 201);
      }
    });

    after(async () => {
      await site?.dispose();
    });

    it("refuses to close a month no run covers, naming the days (409)", async () => {
      const response = await engineer.request("POST", `/api/v1/production/months/${MONTH}/close`, { siteAssetId });
      assert.equal(response.status, 409);
      const error = await errorOf(response);
      assert.equal(error.details?.reason, "month_not_covered");
      assert.equal((error.details?.params?.days as string[]).length, 31);
    });

    it("an engineer closes the month once a run covers every day", async () => {
      await engineer.json<Run>("POST", "/api/v1/production/allocation-runs", { siteAssetId, periodStart: `${MONTH}-01`, periodEnd: `${MONTH}-31` }, 201);
      const state = await engineer.json<MonthState>("POST", `/api/v1/production/months/${MONTH}/close`, { siteAssetId, reason: "October signed off" }, 200);
      assert.equal(state.closed, true);
      assert.equal(state.closedBy, "erin-engineer");
      const again = await engineer.request("POST", `/api/v1/production/months/${MONTH}/close`, { siteAssetId });
      assert.equal(again.status, 409);
      assert.equal((await errorOf(again)).details?.reason, "month_already_closed");
    });

    it("refuses an entry into the closed month to an engineer (409) and takes it from an admin with a reason", async () => {
      // The proved oil volume of the day: the meter's latest reading of a day is the one measured.
      const reading = { meterId: oilMeterId, productionDate: DAY, fluid: "oil", volumeM3: 71 };
      const refused = await engineer.request("POST", "/api/v1/production/meter-readings", reading);
      assert.equal(refused.status, 409);
      const error = await errorOf(refused);
      assert.equal(error.details?.reason, "month_closed");
      assert.equal(error.details?.field, "productionDate");
      const noReason = await admin.request("POST", "/api/v1/production/meter-readings", reading);
      assert.equal(noReason.status, 400);
      assert.equal((await errorOf(noReason)).details?.reason, "adjustment_needs_reason");
      await admin.json("POST", "/api/v1/production/meter-readings", { ...reading, notes: "late proving ticket" }, 201);
      const state = await engineer.json<MonthState>("GET", `/api/v1/production/months/${MONTH}?siteAssetId=${siteAssetId}`);
      assert.deepEqual(
        state.adjustments.map((adjustment) => [adjustment.entityType, adjustment.reason, adjustment.by]),
        [["meter_reading", "late proving ticket", "admin"]],
      );
    });

    it("a restatement of the closed month needs an admin and is a prior-period adjustment with flags", async () => {
      const body = { siteAssetId, periodStart: DAY, periodEnd: DAY, reason: "proving ticket" };
      const refused = await engineer.request("POST", "/api/v1/production/allocation-runs", body);
      assert.equal(refused.status, 409);
      assert.equal((await errorOf(refused)).details?.reason, "month_closed");
      const run = await admin.json<Run>("POST", "/api/v1/production/allocation-runs", body, 201);
      assert.equal(run.priorPeriodAdjustment, true);
      const detail = await engineer.json<Run & { flags: Flag[] }>("GET", `/api/v1/production/allocation-runs/${run.id}`);
      assert.equal(detail.priorPeriodAdjustment, true);
      // Oil 71 (the proved reading) measured against 60 theoretical: 71 / 60 = 1.1833.
      const factor = detail.flags.find((flag) => flag.kind === "allocation_factor" && flag.fluid === "oil");
      assert.ok(factor && Math.abs(factor.value - 71 / 60) < 1e-9, JSON.stringify(detail.flags));
      assert.ok(detail.flags.some((flag) => flag.kind === "stale_well_test" && flag.wellCode === "WELL-901" && flag.value === 136));

      const report = await engineer.json<{
        run: Run;
        close: { closed: boolean };
        flags: Flag[];
        wells: { ratios: { waterCutPercent: number; gorSm3PerM3: number; worM3PerM3: number } }[];
      }>("GET", `/api/v1/production/reports/daily?siteAssetId=${siteAssetId}&date=${DAY}`);
      assert.equal(report.run.id, run.id);
      assert.equal(report.run.priorPeriodAdjustment, true);
      assert.equal(report.close.closed, true);
      // One well gets everything: oil 71, gas 3000, water 20 → cut 20 / 91 = 21.978 %, GOR 3000 / 71 = 42.254, WOR 20 / 71 = 0.2817.
      const [ratios] = report.wells.map((well) => well.ratios);
      assert.ok(Math.abs(ratios.waterCutPercent - (20 / 91) * 100) < 1e-9);
      assert.ok(Math.abs(ratios.gorSm3PerM3 - 3000 / 71) < 1e-9);
      assert.ok(Math.abs(ratios.worM3PerM3 - 20 / 71) < 1e-9);
      assert.deepEqual([...new Set(report.flags.map((flag) => flag.kind))].sort(), ["allocation_factor", "stale_well_test"]);

      const monthly = await engineer.json<{ priorPeriodRuns: string[]; close: { closed: boolean }; adjustments: unknown[] }>(
        "GET",
        `/api/v1/production/reports/monthly?siteAssetId=${siteAssetId}&month=${MONTH}`,
      );
      assert.deepEqual(monthly.priorPeriodRuns, [run.id]);
      assert.equal(monthly.close.closed, true);
      assert.equal(monthly.adjustments.length, 2);
    });

    it("report files come in Spanish and oilfield units on request, English and SI by default", async () => {
      const query = `siteAssetId=${siteAssetId}&date=${DAY}`;
      const english = await (await engineer.request("GET", `/api/v1/production/reports/daily.csv?${query}`)).text();
      assert.match(english, /^Well code,Well name,Uptime \(h\),Oil theoretical \(m3\),Oil allocated \(m3\)/);

      const csv = await engineer.request("GET", `/api/v1/production/reports/daily.csv?${query}&lang=es&units=oilfield`);
      assert.equal(csv.status, 200);
      const lines = (await csv.text()).trimEnd().split("\n");
      assert.match(lines[0], /^Código de pozo;Nombre del pozo;Tiempo en producción \(h\);Petróleo teórico \(bbl\);Petróleo asignado \(bbl\)/);
      // Oil allocated 71 m3 / 0.158987294928 = 446.5766 bbl.
      const oilBbl = Number(lines[1].split(";")[4].replace(",", "."));
      assert.ok(Math.abs(oilBbl - 71 / M3_PER_BBL) < 1e-5, lines[1]);

      const xlsx = await engineer.request("GET", `/api/v1/production/reports/daily.xlsx?${query}&lang=es&units=oilfield`);
      const xml = xlsxXml(Buffer.from(await xlsx.arrayBuffer()));
      assert.match(xml, /Petróleo asignado \(bbl\)/);
      assert.match(xml, /446\.576/);

      const pdf = await engineer.request("GET", `/api/v1/production/reports/daily.pdf?${query}&lang=es&units=oilfield`);
      const text = pdfText(Buffer.from(await pdf.arrayBuffer())).join("\n");
      assert.match(text, /Informe diario de producción/);
      assert.match(text, /versión 2/);
      assert.match(text, /AJUSTE DE PERÍODO ANTERIOR/);
      assert.match(text, /Mes cerrado/);
      assert.match(text, /15 °C, 101\.325 kPa \(absoluta\)/);
      assert.match(text, /446,577/);
      assert.match(text, /Alertas \(2\)/);

      const bad = await engineer.request("GET", `/api/v1/production/reports/daily.csv?${query}&lang=fr`);
      assert.equal(bad.status, 400);
    });

    it("an admin reopens the month with a reason; an engineer may not", async () => {
      const refused = await engineer.request("POST", `/api/v1/production/months/${MONTH}/reopen`, { siteAssetId, reason: "x" });
      assert.equal(refused.status, 403);
      const state = await admin.json<MonthState>("POST", `/api/v1/production/months/${MONTH}/reopen`, { siteAssetId, reason: "auditor query" }, 200);
      assert.equal(state.closed, false);
      assert.deepEqual(
        state.history.map((event) => [event.action, event.by]),
        [
          ["close", "erin-engineer"],
          ["reopen", "admin"],
        ],
      );
      await engineer.json("POST", "/api/v1/production/meter-readings", { meterId: oilMeterId, productionDate: DAY, fluid: "water", volumeM3: 0 }, 201);
    });
  });
}
