import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import erpProductionEntryNode from "../../../nodes/erp/erp-production-entry/erp-production-entry.js";
import erpWellTestNode from "../../../nodes/erp/erp-well-test/erp-well-test.js";
import type { AssetChoice, AssetChoiceFilter } from "../../../nodes/shared/petroflow-services.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { testServices } from "../../helpers/petroflow-services.js";

helper.init(require.resolve("node-red"));

/** The admin API's error answer. */
type ErrorBody = { error: { message: string } };

/** A register fake: the facade's contract is a filtered list; the endpoint must pass the filter and shape the answer. */
const REGISTER: readonly (AssetChoice & AssetChoiceFilter & { uwi?: string })[] = [
  { id: "0190a3c2-7d7e-7c3e-8a4b-000000000202", code: "WELL-102", name: "Well 102", kind: "well", uwi: "not for the editor" },
  { id: "0190a3c2-7d7e-7c3e-8a4b-000000000201", code: "WELL-101", name: "Well 101", kind: "well" },
  { id: "0190a3c2-7d7e-7c3e-8a4b-000000000301", code: "BAT-01", name: "Battery 1", kind: "site" },
  { id: "0190a3c2-7d7e-7c3e-8a4b-000000000101", code: "TK-01", name: "Tank 1", kind: "equipment", equipmentType: "tank" },
  { id: "0190a3c2-7d7e-7c3e-8a4b-000000000111", code: "FM-01", name: "Oil meter", kind: "equipment", equipmentType: "meter" },
];

const TAB = "tab-assets";
const flow = [
  { id: TAB, type: "tab", label: "Assets" },
  { id: "entry", type: "erp-production-entry", z: TAB, entryType: "tank-gauge", wires: [[]] },
  { id: "well-test", type: "erp-well-test", z: TAB, durationHours: "24", wires: [[]] },
];

describe("erp nodes: the editor's asset choices endpoint", () => {
  let asked: AssetChoiceFilter[];

  beforeEach(async () => {
    asked = [];
    const assets = {
      list: async (filter: AssetChoiceFilter) => {
        asked.push(filter);
        return REGISTER.filter((asset) => asset.kind === filter.kind && (filter.equipmentType === undefined || asset.equipmentType === filter.equipmentType));
      },
      idByCode: async () => null,
    };
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), assets }) });
    await helper.load([erpProductionEntryNode, erpWellTestNode], flow);
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it("answers the wells as { id, code, name } ordered by code, no other field", async () => {
    const response = await helper.request().get("/petroflow/erp/assets?kind=well").expect(200);
    assert.deepEqual(asked, [{ kind: "well" }]);
    assert.deepEqual(response.body, [
      { id: "0190a3c2-7d7e-7c3e-8a4b-000000000201", code: "WELL-101", name: "Well 101" },
      { id: "0190a3c2-7d7e-7c3e-8a4b-000000000202", code: "WELL-102", name: "Well 102" },
    ]);
  });

  it("passes the equipment type: tanks and meters are separate lists", async () => {
    const tanks = await helper.request().get("/petroflow/erp/assets?kind=equipment&equipmentType=tank").expect(200);
    const meters = await helper.request().get("/petroflow/erp/assets").query({ kind: "equipment", equipmentType: "meter" }).expect(200);
    assert.deepEqual(asked, [
      { kind: "equipment", equipmentType: "tank" },
      { kind: "equipment", equipmentType: "meter" },
    ]);
    assert.deepEqual(tanks.body, [{ id: "0190a3c2-7d7e-7c3e-8a4b-000000000101", code: "TK-01", name: "Tank 1" }]);
    assert.deepEqual(meters.body, [{ id: "0190a3c2-7d7e-7c3e-8a4b-000000000111", code: "FM-01", name: "Oil meter" }]);
  });

  it("refuses a bad or missing kind, and an equipment type without kind=equipment, with 400 and the reason", async () => {
    const badKind = await helper.request().get("/petroflow/erp/assets?kind=pump").expect(400);
    assert.match((badKind.body as ErrorBody).error.message, /kind must be one of well, site, equipment/);
    await helper.request().get("/petroflow/erp/assets").expect(400);
    const misplaced = await helper.request().get("/petroflow/erp/assets?kind=well&equipmentType=tank").expect(400);
    assert.match((misplaced.body as ErrorBody).error.message, /equipmentType is only allowed with kind=equipment/);
    assert.deepEqual(asked, [], "a refused query never reaches the register");
  });

  it("answers 500 with the reason when the register fails", async () => {
    helper.settings({
      petroflow: testServices({
        siteId: "SITE1",
        flows: { latest: async () => null },
        tags: new TagStore(),
        assets: { list: () => Promise.reject(new Error("database is closed")), idByCode: async () => null },
      }),
    });
    await helper.unload();
    await helper.load([erpProductionEntryNode, erpWellTestNode], flow);
    const response = await helper.request().get("/petroflow/erp/assets?kind=site").expect(500);
    assert.equal((response.body as ErrorBody).error.message, "database is closed");
  });
});
