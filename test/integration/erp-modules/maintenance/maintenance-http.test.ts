import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface Order {
  id: string;
  number: number;
  status: string;
  rowVersion: number;
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`maintenance over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let operator: SiteClient;
    let engineer: SiteClient;
    let viewer: SiteClient;
    let equipmentId = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ admin, operator, engineer, viewer } = await sessionsByRole(site.url, { operator: "olga-operator", engineer: "erin-engineer", viewer: "vic-viewer" }));
      const battery = await createBattery(viaApi(admin), { field: "FIELD-M", site: "BAT-M", wells: { "WELL-M1": "esp" }, tank: "TK-M" });
      equipmentId = battery.wells[0].id;
    });

    after(async () => {
      await site?.dispose();
    });

    it("opens (201), answers the open order for the same condition (200), and maps refusals to 403 and 409", async () => {
      const body = { equipmentId, title: "Vibration", conditionKey: "alarm:BAT-M/WELL-M1/VIBRATION" };
      const first = await operator.json<Order>("POST", "/api/v1/maintenance/work-orders", body, 201);
      const again = await operator.json<Order>("POST", "/api/v1/maintenance/work-orders", body, 200);
      assert.equal(again.id, first.id);

      const forbidden = await operator.request("POST", `/api/v1/maintenance/work-orders/${first.id}/transition`, { rowVersion: 1, to: "approved" });
      assert.equal(forbidden.status, 403);
      assert.deepEqual((await errorOf(forbidden)).details?.reason, "needs_role");
      const skipped = await operator.request("POST", `/api/v1/maintenance/work-orders/${first.id}/transition`, { rowVersion: 1, to: "done" });
      assert.equal(skipped.status, 409);
      const error = await errorOf(skipped);
      assert.deepEqual([error.code, error.details?.reason, error.details?.params], ["invalid_state", "transition_not_allowed", { from: "requested", to: "done" }]);
      const approved = await engineer.json<Order>("POST", `/api/v1/maintenance/work-orders/${first.id}/transition`, { rowVersion: 1, to: "approved" });
      assert.equal(approved.status, "approved");

      const viewerWrite = await viewer.request("POST", "/api/v1/maintenance/work-orders", { equipmentId, title: "x" });
      assert.equal(viewerWrite.status, 403);
      const planByOperator = await operator.request("POST", "/api/v1/maintenance/plans", { equipmentId, name: "x", kind: "calendar", intervalDays: 30 });
      assert.equal(planByOperator.status, 403);
    });

    it("honours Idempotency-Key, serves an attachment as a download and refuses an HTML one", async () => {
      const key = { "Idempotency-Key": "maint-http-test-0001" };
      const a = await operator.request("POST", "/api/v1/maintenance/work-orders", { equipmentId, title: "Once" }, key);
      const b = await operator.request("POST", "/api/v1/maintenance/work-orders", { equipmentId, title: "Once" }, key);
      assert.equal(a.status, 201);
      const [orderA, orderB] = [(await a.json()) as Order, (await b.json()) as Order];
      assert.equal(orderB.id, orderA.id);

      await operator.json("POST", `/api/v1/maintenance/work-orders/${orderA.id}/attachments`, { fileName: "report.txt", contentType: "text/plain", contentBase64: Buffer.from("ok").toString("base64") });
      const detail = await viewer.json<{ attachments: { id: string }[] }>("GET", `/api/v1/maintenance/work-orders/${orderA.id}`);
      const download = await viewer.request("GET", `/api/v1/maintenance/work-orders/${orderA.id}/attachments/${detail.attachments[0].id}`);
      assert.equal(download.status, 200);
      assert.match(download.headers.get("content-disposition") ?? "", /^attachment/);
      assert.equal(download.headers.get("x-content-type-options"), "nosniff");
      assert.equal(await download.text(), "ok");
      const html = await operator.request("POST", `/api/v1/maintenance/work-orders/${orderA.id}/attachments`, { fileName: "x.html", contentType: "text/html", contentBase64: "PGI+" });
      assert.equal(html.status, 400);
      assert.equal((await errorOf(html)).details?.field, "contentType");
    });
  });
}
