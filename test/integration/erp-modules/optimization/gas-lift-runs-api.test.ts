import assert from "node:assert/strict";
import type { Run, WellLimits } from "../../../../erp-modules/optimization/gas-lift-run-schema.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";
import { createBattery, viaApi, type Battery } from "../erp-fixtures.js";

/*
 * The closed loop's routes on a running site: roles (only an engineer sets
 * limits, makes, approves and rejects runs), schema 400s naming the field,
 * service refusals as 409 with their reason, Idempotency-Key replaying a
 * create instead of making a second run.
 */

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`gas-lift closed loop over HTTP (${backend})`, function () {
    this.timeout(180_000);
    let site: SiteProcess | undefined;
    let engineer: SiteClient;
    let operator: SiteClient;
    let viewer: SiteClient;
    let battery: Battery;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ engineer, operator, viewer } = await sessionsByRole(site.url, { engineer: "erin", operator: "oscar", viewer: "victor" }));
      // The simulator's gas-lift wells' codes, so curveSource simulator gives them curves.
      battery = await createBattery(viaApi(engineer), { field: "GL-FIELD", site: "GL-BAT", wells: { "WELL-201": "gas_lift", "WELL-202": "gas_lift" }, tank: "GL-TK1" });
    });

    after(async () => {
      await site?.dispose();
    });

    it("lets only an engineer set a well's limits, and refuses a malformed tag path naming the field", async () => {
      const [well] = battery.wells;
      const body = { minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: 40_000, setpointTagPath: `SITE1/${well.code}/GL_INJ_SP` };
      assert.equal((await operator.request("PUT", `/api/v1/optimization/gas-lift/limits/${well.id}`, body)).status, 403);
      const bad = await engineer.request("PUT", `/api/v1/optimization/gas-lift/limits/${well.id}`, { ...body, setpointTagPath: "GL_INJ_SP" });
      assert.equal(bad.status, 400);
      assert.equal((await errorOf(bad)).details?.field, "body.setpointTagPath");
      for (const each of battery.wells) {
        await engineer.json<WellLimits>("PUT", `/api/v1/optimization/gas-lift/limits/${each.id}`, { ...body, setpointTagPath: `SITE1/${each.code}/GL_INJ_SP` });
      }
      const listed = await viewer.json<WellLimits[]>("GET", `/api/v1/optimization/gas-lift/limits?siteAssetId=${battery.siteId}`);
      assert.deepEqual(listed.map((limits) => limits.wellCode), ["WELL-201", "WELL-202"]);
    });

    it("makes a run once per Idempotency-Key; a viewer reads it, an operator cannot approve it", async () => {
      const body = { siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000, curveSource: "simulator" };
      const first = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", body, { "idempotency-key": "gas-lift-run-1" });
      assert.equal(first.status, 201);
      const run = (await first.json()) as Run;
      const replay = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", body, { "idempotency-key": "gas-lift-run-1" });
      assert.equal(((await replay.json()) as Run).id, run.id);
      const runs = await viewer.json<{ id: string }[]>("GET", `/api/v1/optimization/gas-lift/runs?siteAssetId=${battery.siteId}`);
      assert.deepEqual(runs.map((listed) => listed.id), [run.id]);
      assert.equal((await operator.request("POST", `/api/v1/optimization/gas-lift/runs/${run.id}/approve`)).status, 403);
      assert.equal((await viewer.request("POST", "/api/v1/optimization/gas-lift/runs", body)).status, 403);
      const approved = await engineer.json<Run>("POST", `/api/v1/optimization/gas-lift/runs/${run.id}/approve`);
      assert.equal(approved.status, "approved");
      const again = await engineer.request("POST", `/api/v1/optimization/gas-lift/runs/${run.id}/reject`, { reason: "changed my mind" });
      assert.equal(again.status, 409);
      assert.deepEqual((await errorOf(again)).details, { field: "runId", reason: "already_decided", params: { status: "approved" } });
    });

    it("answers 409 naming the wells when one has no limits, and 400 when no gas is given and no compressor capacity is set, or a net-value run has no or bad prices", async () => {
      const other = await createBattery(viaApi(engineer), { field: "GL2-FIELD", site: "GL2-BAT", wells: { "GL2-W1": "gas_lift" }, tank: "GL2-TK1" });
      const noLimits = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", { siteAssetId: other.siteId, gasAvailableSm3PerDay: 10_000 });
      assert.equal(noLimits.status, 409);
      assert.deepEqual((await errorOf(noLimits)).details, { field: "siteAssetId", reason: "no_gas_lift_limits", params: { wells: ["GL2-W1"] } });
      const noGas = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", { siteAssetId: battery.siteId, curveSource: "simulator" });
      assert.equal(noGas.status, 400);
      assert.equal((await errorOf(noGas)).details?.reason, "no_compressor_capacity");
      const rejectEmpty = await engineer.request("POST", `/api/v1/optimization/gas-lift/runs/${other.siteId}/reject`, { reason: "" });
      assert.equal(rejectEmpty.status, 400);
      const run = { siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000, curveSource: "simulator" };
      const noPrices = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", { ...run, objective: "net_value" });
      assert.equal(noPrices.status, 400);
      const refused = (await errorOf(noPrices)).details;
      assert.deepEqual([refused?.field, refused?.reason], ["prices", "required"]);
      const prices = { currency: "usd", oilPricePerM3: 440, liftGasCostPerSm3: 0.07, waterHandlingCostPerM3: 9.4 };
      const lowerCase = await engineer.request("POST", "/api/v1/optimization/gas-lift/runs", { ...run, objective: "net_value", prices });
      assert.equal(lowerCase.status, 400);
      assert.equal((await errorOf(lowerCase)).details?.field, "body.prices.currency");
    });
  });
}
