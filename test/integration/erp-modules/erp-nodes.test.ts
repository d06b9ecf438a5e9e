import assert from "node:assert/strict";
import type { SiteClient } from "../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../helpers/site-process.js";
import {
  adminClient,
  bearerClientFrom,
  createUser,
  deployViaEditorApi,
  loadFixture,
  nodeRedFlows,
  poll,
  sessionAs,
  skipUnlessAvailable,
  type Backend,
} from "../support.js";
import { createBattery, viaApi } from "./erp-fixtures.js";

const ERP_NODES = loadFixture("erp-nodes");
const GAUGED_AT = "2026-01-15T06:00:00.000Z";

interface Recorded {
  id: string;
  replayed: boolean;
  entry: { id: string; tankId: string; levelM: number; volumeM3: number; source: string; createdBy: string };
}

interface TankGauge {
  id: string;
  tankId: string;
  levelM: number;
  volumeM3: number;
  source: string;
  createdBy: string;
  voided: boolean;
}

interface EntryEvent {
  type: string;
  payload: { entryType: string; id: string };
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  // One site per backend; the tests run in order: deploy, record, replay, refuse.
  describe(`erp nodes in a running site: flows record production entries and hear module events (${backend})`, function () {
    this.timeout(90_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let tankId = "";

    /** POSTs a gauge to the fixture's endpoint; a 404 until the deployed flows have started. */
    const postGauge = (levelM: number) => admin.request("POST", "/endpoints/erp-nodes/tank-gauge", { gaugedAt: GAUGED_AT, levelM });

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      admin = await adminClient(site.url);
      // TK-01: 5 m tall, 10 m3 per metre.
      const strappingTable = [{ levelM: 0, volumeM3: 0 }, { levelM: 5, volumeM3: 50 }];
      ({ tankId } = await createBattery(viaApi(admin), { field: "FLD-NODES", site: "BAT-01", wells: {}, tank: "TK-01", strappingTable, tankCapacityM3: 50 }));
      const flows = ERP_NODES.map((node) => (node.id === "entry-tank-gauge" ? { ...node, tankId } : node));
      const deployer = await bearerClientFrom(admin, "erp-nodes-deploy");
      const running = await nodeRedFlows(deployer);
      const deployed = await deployViaEditorApi(deployer, [...running.flows, ...flows], { message: "ERP nodes: gauge endpoint and entry events" });
      assert.equal(deployed.status, 200, await deployed.text());
    });

    after(async () => {
      await site?.dispose();
    });

    it("records a gauge posted to the flow, with source flow and the node as author", async () => {
      const answered = await poll(() => postGauge(2.5), (response) => response.status !== 404);
      assert.equal(answered.value.status, 200, await answered.value.clone().text());
      const recorded = (await answered.value.json()) as Recorded;
      assert.equal(recorded.replayed, false);
      assert.equal(recorded.entry.tankId, tankId);
      const listed = await admin.json<{ items: TankGauge[]; total: number }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`);
      assert.equal(listed.total, 1);
      const [gauge] = listed.items;
      assert.equal(gauge?.id, recorded.id);
      assert.equal(gauge?.source, "flow");
      assert.equal(gauge?.createdBy, "flow:entry-tank-gauge");
      assert.equal(gauge?.levelM, 2.5);
      assert.equal(gauge?.volumeM3, 25, "the volume comes from TK-01's strapping table");
    });

    it("reads the register through erp-query: the site hands flows the ERP reads", async () => {
      const answered = await poll(() => admin.request("GET", "/endpoints/erp-nodes/asset?code=TK-01"), (response) => response.status === 200, 20_000);
      assert.ok(answered.satisfied, `the erp-query flow did not answer: ${answered.value.status}`);
      const asset = (await answered.value.json()) as { id: string; code: string; kind: string };
      assert.deepEqual([asset.id, asset.code, asset.kind], [tankId, "TK-01", "equipment"]);
    });

    it("hands the production.entry.recorded event to the erp-event node", async () => {
      const { id } = (await admin.json<{ items: TankGauge[] }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`)).items[0];
      const seen = await poll(
        async () => {
          const response = await admin.request("GET", "/endpoints/erp-nodes/last-entry-event");
          const text = await response.text();
          return text ? (JSON.parse(text) as EntryEvent) : null;
        },
        (event) => event?.payload.id === id,
      );
      assert.ok(seen.satisfied, `no event for ${id}: ${JSON.stringify(seen.value)}`);
      assert.equal(seen.value?.type, "production.entry.recorded");
      assert.equal(seen.value?.payload.entryType, "tank_gauge");
    });

    it("records the same message delivered twice once", async () => {
      const first = (await admin.json<{ items: TankGauge[] }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`)).items[0];
      const again = await postGauge(2.5);
      assert.equal(again.status, 200);
      const replayed = (await again.json()) as Recorded;
      assert.equal(replayed.replayed, true);
      assert.equal(replayed.id, first.id);
      const listed = await admin.json<{ total: number }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`);
      assert.equal(listed.total, 1);
    });

    it("offers the site's tanks to the node editor through the admin API, to an engineer only", async () => {
      const assetsPath = "/editor/petroflow/erp/assets?kind=equipment&equipmentType=tank";
      await createUser(admin, "nodes-engineer", "engineer");
      await createUser(admin, "nodes-operator", "operator");
      const engineer = await bearerClientFrom(await sessionAs(site!.url, "nodes-engineer"), "erp-nodes-editor");
      const tanks = await engineer.json<{ id: string; code: string; name: string }[]>("GET", assetsPath);
      assert.deepEqual(
        tanks.map(({ id, code }) => ({ id, code })),
        [{ id: tankId, code: "TK-01" }],
      );
      assert.deepEqual(Object.keys(tanks[0]).sort(), ["code", "id", "name"]);
      const badKind = await engineer.request("GET", "/editor/petroflow/erp/assets?kind=pump");
      assert.equal(badKind.status, 400);

      const operator = await bearerClientFrom(await sessionAs(site!.url, "nodes-operator"), "erp-nodes-operator");
      assert.equal((await operator.request("GET", assetsPath)).status, 403);
      const anonymous = await fetch(`${site!.url}${assetsPath}`, { headers: { accept: "application/json" } });
      assert.equal(anonymous.status, 401);
    });

    it("passes a refused gauge to the flow's Catch node with the service's reason", async () => {
      const refused = await postGauge(7);
      assert.equal(refused.status, 422);
      assert.match(await refused.text(), /levelM.*outside the strapping table/);
      const listed = await admin.json<{ total: number }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`);
      assert.equal(listed.total, 1);
    });

    it("holds a flow's message to the API's input policy: done(err) naming the field, nothing recorded", async () => {
      const post = (body: string) =>
        admin.request("POST", "/endpoints/erp-nodes/tank-gauge", body, { "content-type": "application/json" });
      const cases: [string, RegExp][] = [
        [`{"gaugedAt":"${GAUGED_AT}","levelM":"1"}`, /: levelM must be number/],
        [`{"gaugedAt":"${GAUGED_AT}","levelM":null}`, /: levelM must be number/],
        [`{"gaugedAt":"${GAUGED_AT}","levelM":true}`, /: levelM must be number/],
        [`{"gaugedAt":"${GAUGED_AT}","levelM":1e400}`, /: msg\.payload\.levelM must be a finite number/],
        [`{"gaugedAt":"${GAUGED_AT}","levelM":1,"notes":"a\\u0000b"}`, /: msg\.payload\.notes contains a NUL character/],
        [`{"gaugedAt":"9999-12-31T23:59:60Z","levelM":1}`, /: gaugedAt has second 60/],
        [`{"gaugedAt":"0001-06-01T00:00:00Z","levelM":1}`, /: gaugedAt must be in the years 1900 to 2200/],
      ];
      for (const [body, reason] of cases) {
        const refused = await post(body);
        const text = await refused.text();
        assert.equal(refused.status, 422, `${body}: ${text}`);
        assert.match(text, reason, `${body}: ${text}`);
      }
      const listed = await admin.json<{ total: number }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}`);
      assert.equal(listed.total, 1);
    });
  });
}
