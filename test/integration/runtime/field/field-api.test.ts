import assert from "node:assert/strict";
import type { Asset } from "../../../../erp-modules/assets/schema.js";
import type { Field, FieldAsset, SiteInfo } from "../../../../runtime/field/field-schema.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`GET /api/v1/field from the asset register (${backend})`, function () {
    this.timeout(90_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let engineer: SiteClient;
    let operator: SiteClient;
    let viewer: SiteClient;
    let battery: Asset;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({
        backend,
        env: { PETROFLOW_SITE_LANGUAGE: "es", PETROFLOW_SITE_TIME_ZONE: "America/Argentina/Buenos_Aires", PETROFLOW_PRODUCTION_DAY_START_HOUR: "6", PETROFLOW_STANDARD_CONDITIONS: "60F_14.696psia" },
      });
      ({ admin, engineer, operator, viewer } = await sessionsByRole(site.url, { engineer: "erin-engineer", operator: "oscar-operator", viewer: "vic-viewer" }));
      const field = await engineer.json<Asset>("POST", "/api/v1/assets", { kind: "field", code: "F-1", name: "Field" }, 201);
      battery = await engineer.json<Asset>("POST", "/api/v1/assets", { kind: "site", code: "BAT-7", name: "Battery 7", parentId: field.id, siteType: "battery" }, 201);
    });

    after(async () => {
      await site?.dispose();
    });

    const fieldAsset = async (code: string, client: SiteClient = viewer): Promise<FieldAsset | undefined> =>
      (await client.json<Field>("GET", "/api/v1/field")).assets.find((asset) => asset.code === code);

    it("states the site's language, time zone, production day and standard conditions", async () => {
      const info = await viewer.json<SiteInfo>("GET", "/api/v1/site");
      assert.deepEqual(
        { language: info.language, timeZone: info.timeZone, productionDayStartHour: info.productionDayStartHour, standardConditions: info.standardConditions },
        {
          language: "es",
          timeZone: "America/Argentina/Buenos_Aires",
          productionDayStartHour: 6,
          // 60 °F = (60 − 32) × 5/9 = 15.5556 °C; 14.696 psia = 101.325 kPa.
          standardConditions: { id: "60F_14.696psia", temperatureDegC: 15.5556, pressureKpaAbs: 101.325 },
        },
      );
      assert.equal(info.siteId, "SITE1");
      assert.equal(info.role, "edge", "an installation says which role it runs in (the web app shows corporate screens in the cloud role)");
    });

    it("shows a well created through the API, with its linked tags as points, and its connection", async () => {
      await engineer.json("POST", "/api/v1/tags", { path: "SITE1/WELL-9/THP", dataType: "float", unit: "kPa", description: "Tubing head pressure" }, 201);
      await engineer.json("POST", "/api/v1/tags", { path: "SITE1/WELL-9/CHOKE_SP", dataType: "float", unit: "%", description: "Choke", writable: true }, 201);
      await admin.json("POST", "/api/v1/tags", { path: "SITE1/WELL-9/SECRET", dataType: "float", readRole: "engineer" }, 201);
      const well = await engineer.json<Asset>(
        "POST",
        "/api/v1/assets",
        {
          kind: "well",
          code: "WELL-9",
          name: "Well 9",
          parentId: battery.id,
          well: { liftType: "gas_lift" },
          tags: [
            { role: "thp", tagPath: "SITE1/WELL-9/THP" },
            { role: "choke_sp", tagPath: "SITE1/WELL-9/CHOKE_SP" },
            { role: "secret", tagPath: "SITE1/WELL-9/SECRET" },
            { role: "oil_rate", tagPath: "SITE1/WELL-9/OIL_RATE" },
          ],
        },
        201,
      );
      const separator = await engineer.json<Asset>(
        "POST",
        "/api/v1/assets",
        { kind: "equipment", code: "SEP-7", name: "Separator 7", parentId: battery.id, equipment: { equipmentType: "separator", separatorService: "production" } },
        201,
      );
      await engineer.json("POST", "/api/v1/assets/connections", { fromAssetId: well.id, toAssetId: separator.id, stream: "production" }, 201);

      const field = await viewer.json<Field>("GET", "/api/v1/field");
      assert.equal(field.siteId, "SITE1");
      assert.deepEqual(field.assets.map((asset) => asset.code), ["BAT-7", "SEP-7", "WELL-9"], "sites, wells and equipment by code; not the field");
      assert.deepEqual(field.connections, [{ fromCode: "WELL-9", toCode: "SEP-7", stream: "production" }]);
      const shown = field.assets.find((asset) => asset.code === "WELL-9");
      assert.deepEqual(
        { assetId: shown?.assetId, kind: shown?.kind, parentCode: shown?.parentCode, liftType: shown?.liftType, status: shown?.status },
        { assetId: well.id, kind: "well", parentCode: "BAT-7", liftType: "gas_lift", status: "producing" },
      );
      assert.deepEqual(shown?.points, [
        { role: "choke_sp", tagPath: "SITE1/WELL-9/CHOKE_SP", point: "CHOKE_SP", unit: "%", description: "Choke", writable: true },
        // Linked but not (yet) registered: shown without a unit, a flow may write it.
        { role: "oil_rate", tagPath: "SITE1/WELL-9/OIL_RATE", point: "OIL_RATE", unit: "", description: "", writable: false },
        { role: "thp", tagPath: "SITE1/WELL-9/THP", point: "THP", unit: "kPa", description: "Tubing head pressure", writable: false },
      ], "a viewer does not see the engineers-only tag");
      assert.ok((await fieldAsset("WELL-9", engineer))?.points.some((point) => point.role === "secret"), "an engineer does");
      const sep = field.assets.find((asset) => asset.code === "SEP-7");
      assert.deepEqual([sep?.equipmentType, sep?.separatorService, sep?.parentCode], ["separator", "production", "BAT-7"]);
      assert.equal(field.assets.find((asset) => asset.code === "BAT-7")?.parentCode, null, "a site under the field has no parent code");
    });

    it("shows a well shut in through the register as shut_in, since then", async () => {
      const well = (await viewer.json<{ assets: Asset[] }>("GET", "/api/v1/assets?search=WELL-9")).assets[0];
      assert.ok(well);
      const changed = await operator.json<Asset>("POST", `/api/v1/assets/${well.id}/status`, { status: "shut_in", reason: "Flowline leak" });
      const shown = await fieldAsset("WELL-9");
      assert.deepEqual([shown?.status, shown?.statusSince], ["shut_in", changed.well?.statusSince]);
    });

    it("drops a removed connection", async () => {
      const { connections } = await viewer.json<{ connections: { id: string }[] }>("GET", "/api/v1/assets/connections");
      for (const connection of connections) assert.equal((await engineer.request("DELETE", `/api/v1/assets/connections/${connection.id}`)).status, 204);
      assert.deepEqual((await viewer.json<Field>("GET", "/api/v1/field")).connections, []);
    });
  });
}
