import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi } from "../erp-fixtures.js";

interface Order {
  id: string;
  rowVersion: number;
  problemCode: string | null;
  attachments: { id: string }[];
}
interface Code {
  id: string;
  kind: string;
  code: string;
  rowVersion: number;
  active: boolean;
}
interface Plan {
  id: string;
  name: string;
  intervalDays: number | null;
  rowVersion: number;
  tasks: string[];
}

/** The API the new maintenance screens use: the failure-code catalogue, plan edits and attachment removal, with their roles. */
for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`maintenance catalogue, plan edits and attachments over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let operator: SiteClient;
    let engineer: SiteClient;
    let viewer: SiteClient;
    let equipmentId = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      let admin: SiteClient;
      ({ admin, operator, engineer, viewer } = await sessionsByRole(site.url, { operator: "olga-operator", engineer: "erin-engineer", viewer: "vic-viewer" }));
      const battery = await createBattery(viaApi(admin), { field: "FIELD-C", site: "BAT-C", wells: { "WELL-C1": "esp" }, tank: "TK-C" });
      equipmentId = battery.wells[0].id;
    });

    after(async () => {
      await site?.dispose();
    });

    it("lets a viewer read the catalogue and only an engineer write it; a work order takes codes from it (400 naming the field otherwise)", async () => {
      const codes = await viewer.json<Code[]>("GET", "/api/v1/maintenance/failure-codes?kind=problem");
      assert.deepEqual(
        codes.map((code) => code.code),
        ["ELP", "FTS", "LOO", "OHE", "VIB"],
      );
      const body = { kind: "problem", code: "NOI", descriptionEn: "Noise", descriptionEs: "Ruido" };
      assert.equal((await operator.request("POST", "/api/v1/maintenance/failure-codes", body)).status, 403);
      const noise = await engineer.json<Code>("POST", "/api/v1/maintenance/failure-codes", body, 201);
      const duplicate = await engineer.request("POST", "/api/v1/maintenance/failure-codes", body);
      assert.equal(duplicate.status, 409);
      const duplicateError = await errorOf(duplicate);
      assert.deepEqual([duplicateError.details?.field, duplicateError.details?.reason], ["code", "already_exists"]);
      const missingSpanish = await engineer.request("POST", "/api/v1/maintenance/failure-codes", { kind: "cause", code: "X1", descriptionEn: "x" });
      assert.equal(missingSpanish.status, 400);

      const order = await operator.json<Order>("POST", "/api/v1/maintenance/work-orders", { equipmentId, title: "Noisy pump" }, 201);
      const unknown = await operator.request("PATCH", `/api/v1/maintenance/work-orders/${order.id}`, { rowVersion: order.rowVersion, problemCode: "SQUEAK" });
      assert.equal(unknown.status, 400);
      const error = await errorOf(unknown);
      assert.deepEqual([error.details?.field, error.details?.reason], ["problemCode", "not_in_catalogue"]);
      const coded = await operator.json<Order>("PATCH", `/api/v1/maintenance/work-orders/${order.id}`, { rowVersion: order.rowVersion, problemCode: "NOI" });
      assert.equal(coded.problemCode, "NOI");

      const off = await engineer.json<Code>("PATCH", `/api/v1/maintenance/failure-codes/${noise.id}`, { rowVersion: noise.rowVersion, active: false });
      assert.equal(off.active, false);
      assert.ok(!(await viewer.json<Code[]>("GET", "/api/v1/maintenance/failure-codes")).some((code) => code.code === "NOI"));
      assert.ok((await viewer.json<Code[]>("GET", "/api/v1/maintenance/failure-codes?includeInactive=true")).some((code) => code.code === "NOI"));
    });

    it("edits a plan (engineer only), keeping its kind: an interval of the other kind is a 400", async () => {
      const plan = await engineer.json<Plan>("POST", "/api/v1/maintenance/plans", { equipmentId, name: "Inspect", kind: "calendar", intervalDays: 30 }, 201);
      assert.equal((await operator.request("PATCH", `/api/v1/maintenance/plans/${plan.id}`, { rowVersion: plan.rowVersion, intervalDays: 14 })).status, 403);
      const edited = await engineer.json<Plan>("PATCH", `/api/v1/maintenance/plans/${plan.id}`, { rowVersion: plan.rowVersion, name: "Inspect seals", intervalDays: 14, tasks: ["Look at the seal"] });
      assert.deepEqual([edited.name, edited.intervalDays, edited.tasks, edited.rowVersion], ["Inspect seals", 14, ["Look at the seal"], plan.rowVersion + 1]);
      const wrongKind = await engineer.request("PATCH", `/api/v1/maintenance/plans/${plan.id}`, { rowVersion: edited.rowVersion, intervalAmount: 500 });
      assert.equal(wrongKind.status, 400);
      assert.equal((await errorOf(wrongKind)).details?.field, "intervalAmount");
      const stale = await engineer.request("PATCH", `/api/v1/maintenance/plans/${plan.id}`, { rowVersion: plan.rowVersion, name: "Late" });
      assert.equal(stale.status, 409);
    });

    it("removes an attachment from an open order (viewer may not), and refuses an oversized one naming the file", async () => {
      const order = await operator.json<Order>("POST", "/api/v1/maintenance/work-orders", { equipmentId, title: "With a photo" }, 201);
      await operator.json("POST", `/api/v1/maintenance/work-orders/${order.id}/attachments`, { fileName: "note.txt", contentType: "text/plain", contentBase64: Buffer.from("seal worn").toString("base64") });
      const detail = await viewer.json<Order>("GET", `/api/v1/maintenance/work-orders/${order.id}`);
      const path = `/api/v1/maintenance/work-orders/${order.id}/attachments/${detail.attachments[0].id}`;
      assert.equal((await viewer.request("DELETE", path)).status, 403);
      assert.equal((await operator.request("DELETE", path)).status, 200);
      assert.deepEqual((await viewer.json<Order>("GET", `/api/v1/maintenance/work-orders/${order.id}`)).attachments, []);
      assert.equal((await operator.request("DELETE", path)).status, 404);

      const oversized = await operator.request("POST", `/api/v1/maintenance/work-orders/${order.id}/attachments`, {
        fileName: "big.txt",
        contentType: "text/plain",
        contentBase64: Buffer.alloc(2 * 1024 * 1024 + 1, 65).toString("base64"),
      });
      assert.equal(oversized.status, 400);
      const error = await errorOf(oversized);
      assert.deepEqual([error.details?.field, error.details?.reason], ["contentBase64", "too_large"]);
    });
  });
}
