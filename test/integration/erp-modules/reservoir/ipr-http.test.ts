import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface Survey {
  id: string;
  rowVersion: number;
  reservoirPressureKpa: number;
}

interface Ipr {
  reservoirPressureKpa: number;
  reservoirPressureSource: string;
  aofM3PerDay: number;
  curve: { flowingPressureKpa: number; rateM3PerDay: number }[];
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`reservoir IPR over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let operator: SiteClient;
    let engineer: SiteClient;
    let viewer: SiteClient;
    let wellId = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ admin, operator, engineer, viewer } = await sessionsByRole(site.url, { operator: "olga-operator", engineer: "erin-engineer", viewer: "vic-viewer" }));
      const battery = await createBattery(viaApi(admin), { field: "FIELD-R", site: "BAT-R", wells: { "WELL-101": "esp" }, tank: "TK-R" });
      wellId = battery.wells[0].id;
    });

    after(async () => {
      await site?.dispose();
    });

    it("answers 400 naming what a stored-test IPR misses, then the curve once a survey exists", async () => {
      const wellTest = await operator.json<{ id: string; bottomholePressureKpa: number }>(
        "POST",
        "/api/v1/production/well-tests",
        {
          wellId,
          startedAt: "2026-11-03T10:00:00Z",
          durationHours: 6,
          oilRateM3PerDay: 70,
          gasRateSm3PerDay: 5_000,
          waterRateM3PerDay: 12,
          bottomholePressureKpa: 10_000,
          bottomholePressureSource: "measured",
        },
        201,
      );
      assert.equal(wellTest.bottomholePressureKpa, 10_000);

      const missing = await viewer.request("POST", "/api/v1/reservoir/ipr", { method: "vogel", wellTestId: wellTest.id });
      assert.equal(missing.status, 400);
      const error = await errorOf(missing);
      assert.deepEqual([error.code, error.details?.field, error.details?.reason], ["invalid_input", "reservoirPressureKpa", "no_pressure_survey"]);
      assert.equal(error.message, "reservoirPressureKpa: no static pressure survey on or before 2026-11-03 for WELL-101");

      const composite = await viewer.request("POST", "/api/v1/reservoir/ipr", { method: "composite", reservoirPressureKpa: 20_000, testRateM3PerDay: 50, testPressureKpa: 9_000 });
      assert.equal(composite.status, 400);
      assert.equal((await errorOf(composite)).details?.field, "bubblePointKpa");

      const schema = await viewer.request("POST", "/api/v1/reservoir/ipr", { method: "darcy" });
      assert.equal(schema.status, 400);
      assert.equal((await errorOf(schema)).details?.field, "body.method");

      const byViewer = await viewer.request("POST", "/api/v1/reservoir/pressure-surveys", { wellId, surveyedOn: "2026-10-30", reservoirPressureKpa: 20_000, method: "buildup" });
      assert.equal(byViewer.status, 403);
      const byOperator = await operator.request("POST", "/api/v1/reservoir/pressure-surveys", { wellId, surveyedOn: "2026-10-30", reservoirPressureKpa: 20_000, method: "buildup" });
      assert.equal(byOperator.status, 403);

      const headers = { "Idempotency-Key": "survey-well-101-2026-10-30" };
      const body = { wellId, surveyedOn: "2026-10-30", reservoirPressureKpa: 20_000, method: "buildup" };
      const first = await engineer.request("POST", "/api/v1/reservoir/pressure-surveys", body, headers);
      assert.equal(first.status, 201);
      const survey = (await first.json()) as Survey;
      const again = await engineer.request("POST", "/api/v1/reservoir/pressure-surveys", body, headers);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get("idempotency-replayed"), "true");
      assert.equal(((await again.json()) as Survey).id, survey.id);
      const listed = await viewer.json<{ items: Survey[]; total: number }>("GET", `/api/v1/reservoir/pressure-surveys?wellId=${wellId}`);
      assert.deepEqual(listed.items.map((item) => item.id), [survey.id]);

      const ipr = await viewer.json<Ipr>("POST", "/api/v1/reservoir/ipr", { method: "vogel", wellTestId: wellTest.id, curveSteps: 10 });
      assert.deepEqual([ipr.reservoirPressureKpa, ipr.reservoirPressureSource, ipr.curve.length], [20_000, "survey", 11]);
      assert.ok(ipr.aofM3PerDay > 70);

      const withWell = await engineer.request("PUT", `/api/v1/reservoir/pressure-surveys/${survey.id}`, { ...body, rowVersion: 1 });
      assert.equal(withWell.status, 400, "wellId is not part of an update");
      const stale = await engineer.request("PUT", `/api/v1/reservoir/pressure-surveys/${survey.id}`, { surveyedOn: "2026-10-30", reservoirPressureKpa: 1, method: "buildup", rowVersion: 5 });
      assert.equal(stale.status, 409);
      assert.equal((await errorOf(stale)).code, "stale");
      const corrected = await engineer.json<Survey>("PUT", `/api/v1/reservoir/pressure-surveys/${survey.id}`, { rowVersion: 1, surveyedOn: "2026-10-30", reservoirPressureKpa: 21_000, method: "buildup" });
      assert.deepEqual([corrected.rowVersion, corrected.reservoirPressureKpa], [2, 21_000]);
      const removed = await engineer.request("DELETE", `/api/v1/reservoir/pressure-surveys/${survey.id}`, { rowVersion: 2 });
      assert.equal(removed.status, 204);
      const audit = await admin.json<{ entries: { action: string }[] }>("GET", `/api/v1/audit?entityId=${survey.id}`);
      assert.deepEqual(audit.entries.map((item) => item.action).sort(), ["reservoir.pressure_survey.create", "reservoir.pressure_survey.delete", "reservoir.pressure_survey.update"]);
    });
  });
}
