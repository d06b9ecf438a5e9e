import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import iprCurveNode from "../../../nodes/reservoir/ipr-curve/ipr-curve.js";
import { requestOf, statusText, wellCodeOf } from "../../../nodes/reservoir/ipr-curve/ipr-curve-logic.js";
import { ProductionService } from "../../../erp-modules/production/service.js";
import { ReservoirService } from "../../../erp-modules/reservoir/service.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { ENGINEER, createBattery, createErpHarness, viaService } from "../../integration/erp-modules/erp-fixtures.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

describe("ipr-curve node: request shaping", () => {
  it("takes the settings as defaults and the payload's fields over them", () => {
    const config = { method: "composite", reservoirPressureKpa: "20000", bubblePointKpa: "", curveSteps: 20, wellId: "" };
    assert.deepEqual(requestOf(config, { payload: "go" }), { method: "composite", reservoirPressureKpa: 20_000, curveSteps: 20 });
    assert.deepEqual(requestOf(config, { payload: { method: "vogel", testRateM3PerDay: 50, testPressureKpa: 9_000 } }), {
      method: "vogel",
      reservoirPressureKpa: 20_000,
      curveSteps: 20,
      testRateM3PerDay: 50,
      testPressureKpa: 9_000,
    });
    assert.throws(() => requestOf({ reservoirPressureKpa: "high" }, {}), /reservoirPressureKpa in the node's settings is not a number/);
  });

  it("names the well by a code, from the payload or the settings", () => {
    assert.equal(wellCodeOf({ wellId: "code:WELL-101" }, {}), "WELL-101");
    assert.equal(wellCodeOf({ wellId: "code:WELL-101" }, { wellCode: "WELL-102" }), "WELL-102");
    assert.equal(wellCodeOf({ wellId: "0193a3c0-0000-7000-8000-000000000001" }, {}), undefined);
    assert.deepEqual(requestOf({ wellId: "code:WELL-101", method: "vogel" }, {}, "id-101"), { method: "vogel", wellId: "id-101" });
    assert.throws(() => requestOf({ wellId: "code:WELL-404" }, {}, null), /no well with code WELL-404/);
    assert.equal(statusText({ method: "vogel", aofM3PerDay: 123.456 }), "vogel: AOF 123.5 m3/d");
  });
});

describe("ipr-curve node over PGlite with the reservoir module", function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let reservoir: ReservoirService;
  let wellId = "";

  const flow = [
    { id: "tab", type: "tab", label: "IPR" },
    { id: "ipr-explicit", type: "ipr-curve", z: "tab", method: "vogel", reservoirPressureKpa: "20000", curveSteps: "10", wires: [["out"]] },
    { id: "ipr-stored", type: "ipr-curve", z: "tab", method: "composite", wellId: "code:WELL-301", wires: [["out"]] },
    { id: "catch-ipr", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "out", type: "helper", z: "tab" },
    { id: "caught", type: "helper", z: "tab" },
  ];

  before(async () => {
    database = await databaseTargets[0].create();
    const harness = await createErpHarness(database.db, "reservoir.*");
    const production = new ProductionService(harness.context, harness.assets);
    reservoir = new ReservoirService(harness.context, { assets: harness.assets, production });
    const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "N-FIELD", site: "N-BAT", wells: { "WELL-301": "esp" }, tank: "N-TK" });
    wellId = battery.wells[0].id;
    helper.settings({
      petroflow: testServices({
        siteId: "SITE1",
        flows: { latest: async () => null },
        tags: new TagStore(),
        assets: { list: async () => [], idByCode: async (code) => (code === "WELL-301" ? wellId : null) },
        inflowPerformance: { compute: (request) => reservoir.ipr.inflowPerformance(request) },
      }),
    });
  });

  beforeEach(async () => {
    await helper.load(iprCurveNode, flow);
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await database?.drop();
  });

  it("sends the curve of explicit test values as msg.payload", async () => {
    const out = next("out");
    node("ipr-explicit").receive({ payload: { testRateM3PerDay: 70, testPressureKpa: 10_000, targetRateM3PerDay: 40 }, topic: "WELL-301" });
    const msg = await out;
    const result = msg.payload as { method: string; reservoirPressureKpa: number; curve: unknown[]; aofM3PerDay: number; pressureForRate: { flowingPressureKpa: number } };
    assert.deepEqual([msg.topic, result.method, result.reservoirPressureKpa, result.curve.length], ["WELL-301", "vogel", 20_000, 11]);
    assert.ok(result.aofM3PerDay > 70 && result.pressureForRate.flowingPressureKpa > 10_000);
  });

  it("reports a missing survey to Catch, naming the field, then computes once one exists", async () => {
    const caught = next("caught");
    node("ipr-stored").receive({ payload: { testRateM3PerDay: 60, testPressureKpa: 12_000 } });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /reservoirPressureKpa: no static pressure survey on or before \d{4}-\d{2}-\d{2} for WELL-301$/);

    await reservoir.ipr.createSurvey({ wellId, surveyedOn: "2026-11-01", reservoirPressureKpa: 21_000, bubblePointKpa: 15_000, method: "buildup" }, ENGINEER);
    const out = next("out");
    node("ipr-stored").receive({ payload: { testRateM3PerDay: 60, testPressureKpa: 12_000 } });
    const result = (await out).payload as { reservoirPressureSource: string; bubblePointKpa: number; wellId: string };
    assert.deepEqual([result.reservoirPressureSource, result.bubblePointKpa, result.wellId], ["survey", 15_000, wellId]);
  });
});
