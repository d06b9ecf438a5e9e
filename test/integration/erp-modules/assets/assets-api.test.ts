import assert from "node:assert/strict";
import type { ErrorDetails } from "../../../../runtime/error-contract.js";
import type { Asset, AssetTreeNode, Connection } from "../../../../erp-modules/assets/schema.js";
import type { TankGauge } from "../../../../erp-modules/production/schema.js";
import type { Field } from "../../../../runtime/field/field-schema.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startDemoSiteProcess, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";

/** The { field, reason, params } of an error answer. */
async function detailsOf(response: Response): Promise<ErrorDetails | undefined> {
  return (await errorOf(response)).details;
}

interface AuditEntry {
  action: string;
  actor: string;
  entityId: string | null;
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`assets API (${backend})`, function () {
    this.timeout(90_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let engineer: SiteClient;
    let operator: SiteClient;
    let viewer: SiteClient;
    let field: Asset;
    let battery: Asset;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ admin, engineer, operator, viewer } = await sessionsByRole(site.url, { engineer: "erin-engineer", operator: "oscar-operator", viewer: "vic-viewer" }));
      field = await engineer.json<Asset>("POST", "/api/v1/assets", { kind: "field", code: "FIELD-1", name: "North field" }, 201);
      battery = await engineer.json<Asset>(
        "POST",
        "/api/v1/assets",
        { kind: "site", code: "BAT-1", name: "Battery 1", parentId: field.id, siteType: "battery", latitude: 0, longitude: -68.84 },
        201,
      );
    });

    after(async () => {
      await site?.dispose();
    });

    const auditOf = async (action: string, entityId: string) =>
      (await admin.json<{ entries: AuditEntry[] }>("GET", `/api/v1/audit?action=${action}`)).entries.filter((entry) => entry.entityId === entityId);

    it("creates a field, a site, a well and a tank, and reads them back", async () => {
      assert.equal(field.parentId, null);
      assert.equal(battery.latitude, 0, "a zero coordinate survives the API's type coercion");
      assert.equal(battery.longitude, -68.84);
      const well = await engineer.json<Asset>(
        "POST",
        "/api/v1/assets",
        {
          kind: "well",
          code: "WELL-101",
          name: "Well 101",
          parentId: battery.id,
          latitude: null,
          well: { uwi: "42-501-20130", liftType: "esp", completion: { totalDepthM: 2500, perforations: [{ topM: 2300, bottomM: 2350 }] } },
          tags: [{ role: "thp", tagPath: "SITE1/WELL-101/THP" }],
        },
        201,
      );
      assert.equal(well.latitude, null);
      assert.equal(well.well?.status, "producing");
      const tank = await engineer.json<Asset>(
        "POST",
        "/api/v1/assets",
        {
          kind: "equipment",
          code: "TK-01",
          name: "Oil tank 1",
          parentId: battery.id,
          equipment: {
            equipmentType: "tank",
            fluid: "oil",
            strappingTable: [
              { levelM: 0, volumeM3: 0 },
              { levelM: 8, volumeM3: 628.3 },
            ],
          },
        },
        201,
      );
      assert.equal(tank.equipment?.strappingTable?.length, 2);

      const read = await viewer.json<Asset>("GET", `/api/v1/assets/${well.id}`);
      assert.equal(read.well?.uwi, "42-501-20130");
      assert.deepEqual(read.tags, [{ role: "thp", tagPath: "SITE1/WELL-101/THP" }]);
      assert.deepEqual(read.statusHistory?.map((entry) => [entry.status, entry.recordedBy]), [["producing", "erin-engineer"]]);
      const { nodes } = await viewer.json<{ nodes: AssetTreeNode[] }>("GET", "/api/v1/assets/tree");
      assert.deepEqual(
        nodes.map((node) => [node.code, node.kind]),
        [
          ["BAT-1", "site"],
          ["FIELD-1", "field"],
          ["TK-01", "equipment"],
          ["WELL-101", "well"],
        ],
      );
      const { assets: children } = await viewer.json<{ assets: Asset[] }>("GET", `/api/v1/assets/${battery.id}/children`);
      assert.deepEqual(children.map((child) => child.code), ["TK-01", "WELL-101"]);
      const page = await viewer.json<{ assets: Asset[]; total: number }>("GET", "/api/v1/assets?kind=well&search=501-201&limit=10");
      assert.deepEqual([page.total, page.assets[0]?.code], [1, "WELL-101"]);
      assert.equal((await auditOf("assets.well.create", well.id)).length, 1);
      assert.equal((await viewer.request("GET", "/api/v1/assets/01900000-0000-7000-8000-000000000000")).status, 404);
    });

    it("answers a bad body with 400 naming the field, whether the schema or a rule catches it", async () => {
      const badCode = await engineer.request("POST", "/api/v1/assets", { kind: "field", code: "no spaces allowed", name: "Bad" });
      assert.equal(badCode.status, 400);
      assert.equal((await detailsOf(badCode))?.field, "body.code");
      const badLatitude = await engineer.request("POST", "/api/v1/assets", { kind: "field", code: "F-2", name: "Bad", latitude: 91 });
      assert.equal((await detailsOf(badLatitude))?.field, "body.latitude");
      const noType = await engineer.request("POST", "/api/v1/assets", { kind: "site", code: "PAD-1", name: "Pad", parentId: field.id });
      assert.equal(noType.status, 400);
      assert.deepEqual(await detailsOf(noType), { field: "siteType", reason: "required_for_kind", params: { kind: "site" } });
      const wrongParent = await engineer.request("POST", "/api/v1/assets", { kind: "well", code: "WELL-9", name: "W", parentId: field.id, well: { liftType: "esp" } });
      assert.equal(wrongParent.status, 400);
      assert.equal((await detailsOf(wrongParent))?.field, "parentId");
      const duplicate = await engineer.request("POST", "/api/v1/assets", { kind: "field", code: "FIELD-1", name: "Again" });
      assert.equal(duplicate.status, 409);
      assert.equal((await detailsOf(duplicate))?.field, "code");
    });

    it("lets only engineers create and edit assets, operators change a well's status", async () => {
      const body = { kind: "site", code: "PAD-OP", name: "Operator's pad", parentId: field.id, siteType: "pad" };
      const denied = await operator.request("POST", "/api/v1/assets", body);
      assert.equal(denied.status, 403);
      assert.equal((await errorOf(denied)).code, "forbidden");
      assert.equal((await operator.request("PATCH", `/api/v1/assets/${field.id}`, { rowVersion: field.rowVersion, name: "Mine" })).status, 403);
      assert.equal((await viewer.request("POST", `/api/v1/assets/${field.id}/status`, { status: "shut_in", reason: "x" })).status, 403);
      const list = await viewer.json<{ total: number }>("GET", "/api/v1/assets?search=PAD-OP");
      assert.equal(list.total, 0);
    });

    it("refuses a PATCH with an old rowVersion (409 stale)", async () => {
      const current = await engineer.json<Asset>("GET", `/api/v1/assets/${battery.id}`);
      const renamed = await engineer.json<Asset>("PATCH", `/api/v1/assets/${battery.id}`, { rowVersion: current.rowVersion, name: "Central battery" });
      assert.equal(renamed.rowVersion, current.rowVersion + 1);
      assert.equal(renamed.latitude, 0, "fields not sent stay as they were");
      const stale = await engineer.request("PATCH", `/api/v1/assets/${battery.id}`, { rowVersion: current.rowVersion, name: "Lost update" });
      assert.equal(stale.status, 409);
      assert.equal((await errorOf(stale)).code, "stale");
      battery = renamed;
    });

    it("replays POST, PATCH and status changes sent again with the same Idempotency-Key, acting once", async () => {
      const body = { kind: "well", code: "WELL-102", name: "Well 102", parentId: battery.id, well: { liftType: "gas_lift" } };
      const first = await engineer.request("POST", "/api/v1/assets", body, { "idempotency-key": "create-well-102" });
      assert.equal(first.status, 201);
      const created = (await first.json()) as Asset;
      const again = await engineer.request("POST", "/api/v1/assets", body, { "idempotency-key": "create-well-102" });
      assert.equal(again.status, 201, "the replay answers like the first, not 409 duplicate code");
      assert.equal(again.headers.get("idempotency-replayed"), "true");
      assert.deepEqual(await again.json(), created);
      assert.equal((await viewer.json<{ total: number }>("GET", "/api/v1/assets?search=WELL-102")).total, 1);

      const patch = { rowVersion: created.rowVersion, name: "Well 102 (gas lift)" };
      const patched = await engineer.request("PATCH", `/api/v1/assets/${created.id}`, patch, { "idempotency-key": "rename-well-102" });
      assert.equal(patched.status, 200);
      const patchedBody = (await patched.json()) as Asset;
      const patchedAgain = await engineer.request("PATCH", `/api/v1/assets/${created.id}`, patch, { "idempotency-key": "rename-well-102" });
      assert.equal(patchedAgain.status, 200, "the replay answers like the first, not 409 stale");
      assert.deepEqual(await patchedAgain.json(), patchedBody);
      assert.equal((await viewer.json<Asset>("GET", `/api/v1/assets/${created.id}`)).rowVersion, created.rowVersion + 1);

      const status = { status: "shut_in", reason: "Compressor down" };
      const changed = await operator.request("POST", `/api/v1/assets/${created.id}/status`, status, { "idempotency-key": "shut-in-102" });
      assert.equal(changed.status, 200);
      const changedBody = (await changed.json()) as Asset;
      assert.equal(changedBody.well?.status, "shut_in");
      const changedAgain = await operator.request("POST", `/api/v1/assets/${created.id}/status`, status, { "idempotency-key": "shut-in-102" });
      assert.equal(changedAgain.status, 200, "the replay answers like the first, not 409 already shut in");
      assert.deepEqual(await changedAgain.json(), changedBody);

      const stored = await viewer.json<Asset>("GET", `/api/v1/assets/${created.id}`);
      assert.deepEqual(stored.statusHistory?.map((entry) => [entry.status, entry.recordedBy]), [
        ["shut_in", "oscar-operator"],
        ["producing", "erin-engineer"],
      ]);
      assert.equal((await auditOf("assets.well.create", created.id)).length, 1);
      assert.equal((await auditOf("assets.well.update", created.id)).length, 1);
      assert.equal((await auditOf("assets.well.status", created.id)).length, 1);
    });

    it("connects assets with a stream: engineers write, 400 names the rule, 409 a duplicate, DELETE audited", async () => {
      const equipment = (code: string, body: Record<string, unknown>) =>
        engineer.json<Asset>("POST", "/api/v1/assets", { kind: "equipment", code, name: code, parentId: battery.id, equipment: body }, 201);
      const separator = await equipment("SEP-C", { equipmentType: "separator", separatorService: "test" });
      assert.equal(separator.equipment?.separatorService, "test");
      const manifold = await equipment("MAN-C", { equipmentType: "manifold" });
      const body = { fromAssetId: manifold.id, toAssetId: separator.id, stream: "production" };
      assert.equal((await operator.request("POST", "/api/v1/assets/connections", body)).status, 403);
      const first = await engineer.request("POST", "/api/v1/assets/connections", body, { "idempotency-key": "connect-man-sep" });
      assert.equal(first.status, 201);
      const created = (await first.json()) as Connection;
      assert.deepEqual([created.fromCode, created.toCode, created.stream], ["MAN-C", "SEP-C", "production"]);
      const replay = await engineer.request("POST", "/api/v1/assets/connections", body, { "idempotency-key": "connect-man-sep" });
      assert.equal(replay.status, 201, "a replay answers like the first, not 409");
      const duplicate = await engineer.request("POST", "/api/v1/assets/connections", body);
      assert.equal(duplicate.status, 409);
      assert.equal((await detailsOf(duplicate))?.field, "stream");
      const backwards = await engineer.request("POST", "/api/v1/assets/connections", { fromAssetId: separator.id, toAssetId: manifold.id, stream: "production" });
      assert.equal(backwards.status, 400);
      assert.deepEqual(await detailsOf(backwards), {
        field: "stream",
        reason: "stream_not_allowed",
        params: { stream: "production", from: "separator", to: "manifold" },
      });
      const badStream = await engineer.request("POST", "/api/v1/assets/connections", { ...body, stream: "steam" });
      assert.equal(badStream.status, 400);
      assert.equal((await detailsOf(badStream))?.field, "body.stream");
      const { connections } = await viewer.json<{ connections: Connection[] }>("GET", "/api/v1/assets/connections");
      assert.deepEqual(connections.map((connection) => connection.id), [created.id]);
      assert.equal((await operator.request("DELETE", `/api/v1/assets/connections/${created.id}`)).status, 403);
      assert.equal((await engineer.request("DELETE", `/api/v1/assets/connections/${created.id}`)).status, 204);
      assert.equal((await engineer.request("DELETE", `/api/v1/assets/connections/${created.id}`)).status, 404);
      assert.equal((await viewer.json<{ connections: Connection[] }>("GET", "/api/v1/assets/connections")).connections.length, 0);
      assert.equal((await auditOf("assets.connection.create", created.id)).length, 1);
      assert.equal((await auditOf("assets.connection.delete", created.id)).length, 1);
    });

    it("publishes the asset routes, with their roles, in the OpenAPI document", async () => {
      const document = await viewer.json<{ paths: Record<string, Record<string, { "x-petroflow-role": string }>> }>("GET", "/api/v1/openapi.json");
      const role = (path: string, method: string) => document.paths[path]?.[method]?.["x-petroflow-role"];
      assert.equal(role("/api/v1/assets", "get"), "viewer");
      assert.equal(role("/api/v1/assets", "post"), "engineer");
      assert.equal(role("/api/v1/assets/tree", "get"), "viewer");
      assert.equal(role("/api/v1/assets/{id}", "get"), "viewer");
      assert.equal(role("/api/v1/assets/{id}", "patch"), "engineer");
      assert.equal(role("/api/v1/assets/{id}/status", "post"), "operator");
      assert.equal(role("/api/v1/assets/{id}/children", "get"), "viewer");
      assert.equal(role("/api/v1/assets/connections", "get"), "viewer");
      assert.equal(role("/api/v1/assets/connections", "post"), "engineer");
      assert.equal(role("/api/v1/assets/connections/{id}", "delete"), "engineer");
    });
  });
}

/** The demo needs the simulator's ports, not a second database backend: PGlite only. */
describe("assets API: the demo field in the register", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let viewer: SiteClient;

  before(async () => {
    site = await startDemoSiteProcess();
    ({ viewer } = await sessionsByRole(site.url, { viewer: "vic-viewer" }));
  });

  after(async () => {
    await site?.dispose();
  });

  it("lists the field, the battery, the 12 wells with their lift types, tanks and meters", async () => {
    const { nodes } = await viewer.json<{ nodes: AssetTreeNode[] }>("GET", "/api/v1/assets/tree");
    const node = (code: string) => nodes.find((candidate) => candidate.code === code);
    assert.equal(node("FIELD-1")?.kind, "field");
    assert.equal(node("BAT-1")?.siteType, "battery");
    const wells = nodes.filter((candidate) => candidate.kind === "well");
    assert.equal(wells.length, 12);
    assert.ok(wells.every((well) => well.parentId === node("BAT-1")?.id && well.status === "producing"));
    assert.deepEqual(
      ["WELL-101", "WELL-201", "WELL-301"].map((code) => node(code)?.liftType),
      ["esp", "gas_lift", "rod_pump"],
    );
    assert.equal(node("ESP-101")?.parentId, node("WELL-101")?.id);
    for (const code of ["TK-01", "TK-02", "TK-W1"]) assert.equal(node(code)?.equipmentType, "tank", code);
    for (const code of ["MTR-OIL", "MTR-GAS", "MTR-WATER"]) assert.equal(node(code)?.equipmentType, "meter", code);
    const well = await viewer.json<Asset>("GET", `/api/v1/assets/${node("WELL-101")?.id ?? ""}`);
    assert.ok(well.tags.some((tag) => tag.role === "oil_rate" && tag.tagPath === "SITE1/WELL-101/OIL_RATE"));
    assert.equal(well.createdBy, "system:demo");
  });

  it("has a week of production history, allocated for oil, gas and water by the first start", async () => {
    const { assets } = await viewer.json<{ assets: Asset[] }>("GET", "/api/v1/assets?kind=site");
    const battery = assets.find((asset) => asset.code === "BAT-1");
    assert.ok(battery, "the demo battery");
    const runs = await viewer.json<{ items: { version: number; totals: Record<"oil" | "gas" | "water", { measuredM3: number; allocatedM3: number }> }[] }>(
      "GET",
      `/api/v1/production/allocation-runs?siteAssetId=${battery.id}`,
    );
    assert.equal(runs.items.length, 1);
    for (const fluid of ["oil", "gas", "water"] as const) {
      const totals = runs.items[0]?.totals[fluid];
      assert.ok(totals && totals.measuredM3 > 0, `${fluid} measured`);
      assert.equal(totals.allocatedM3, totals.measuredM3, `${fluid} allocated exactly`);
    }
  });

  it("records the oil tanks' live levels as gauges through the demo's Production flow, by tank code", async () => {
    const { nodes } = await viewer.json<{ nodes: AssetTreeNode[] }>("GET", "/api/v1/assets/tree");
    const idOf = (code: string) => nodes.find((candidate) => candidate.code === code)?.id ?? "";
    const [battery, oilTanks] = [idOf("BAT-1"), ["TK-01", "TK-02"].map(idOf)];
    const deadline = Date.now() + 30_000;
    let flowGauges: TankGauge[] = [];
    // The flow fires a few seconds after deploy, once Sparkplug has delivered the tank levels.
    while (Date.now() < deadline) {
      const { items } = await viewer.json<{ items: TankGauge[] }>("GET", `/api/v1/production/tank-gauges?siteAssetId=${battery}&limit=100`);
      // The seeded week is source "flow" too, but recorded by the demo, not by the flow's node.
      flowGauges = items.filter((gauge) => gauge.source === "flow" && gauge.createdBy === "flow:erp-entry-tank-gauge");
      if (oilTanks.every((tankId) => flowGauges.some((gauge) => gauge.tankId === tankId))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const tk01 = flowGauges.find((gauge) => gauge.tankId === idOf("TK-01"));
    assert.ok(tk01, `a flow gauge of TK-01 (flow gauges: ${JSON.stringify(flowGauges)})`);
    assert.ok(flowGauges.some((gauge) => gauge.tankId === idOf("TK-02")), "and one of TK-02");
    assert.equal(flowGauges.some((gauge) => gauge.tankId === idOf("TK-W1")), false, "the water tank is not gauged");
    assert.match(String(tk01.sourceKey), /^hourly-gauge:TK-01:\d{4}-\d{2}-\d{2}T\d{2}$/);
    assert.ok(tk01.levelM >= 0 && tk01.levelM <= 8, `level ${tk01.levelM} m within the 8 m tank`);
    assert.ok(Math.abs(Date.parse(tk01.gaugedAt) - Date.now()) < 120_000, `gauged now (${tk01.gaugedAt})`);
  });

  it("draws the demo plant in /api/v1/field from the register: every tag linked, the connections by code", async () => {
    const field = await viewer.json<Field>("GET", "/api/v1/field");
    const asset = (code: string) => field.assets.find((candidate) => candidate.code === code);
    assert.equal(field.assets.filter((candidate) => candidate.kind === "well").length, 12);
    assert.deepEqual([asset("MAN-01")?.equipmentType, asset("SEP-TEST")?.separatorService, asset("SEP-PROD")?.separatorService], ["manifold", "test", "production"]);
    assert.deepEqual([asset("WELL-201")?.liftType, asset("WELL-201")?.status, asset("WELL-201")?.parentCode], ["gas_lift", "producing", "BAT-1"]);
    const oilRate = asset("WELL-101")?.points.find((point) => point.role === "oil_rate");
    assert.deepEqual(oilRate && { tagPath: oilRate.tagPath, point: oilRate.point, unit: oilRate.unit }, { tagPath: "SITE1/WELL-101/OIL_RATE", point: "OIL_RATE", unit: "m3/d" });
    const { tags } = await viewer.json<{ tags: { path: string }[] }>("GET", "/api/v1/tags?prefix=SITE1/&limit=500");
    const shown = new Set(field.assets.flatMap((candidate) => candidate.points.map((point) => point.tagPath)));
    assert.deepEqual(tags.map((tag) => tag.path).filter((path) => !shown.has(path)), [], "every demo tag a viewer reads is a point of an asset");
    const has = (fromCode: string, toCode: string, stream: string) =>
      field.connections.some((connection) => connection.fromCode === fromCode && connection.toCode === toCode && connection.stream === stream);
    assert.ok(has("WELL-101", "MAN-01", "production"));
    assert.ok(has("SEP-PROD", "TK-W1", "water"));
    assert.ok(has("COMP-01", "WELL-201", "lift_gas"));
    assert.ok(!has("COMP-01", "WELL-101", "lift_gas"), "ESP wells get no lift gas");
    assert.ok(has("MTR-OIL", "SALES-01", "oil") && has("MTR-WATER", "SWD-01", "water"));
  });
});
