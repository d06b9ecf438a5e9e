import assert from "node:assert/strict";
import { assetChoiceFilter, assetChoices } from "../../../../../nodes/erp/shared/asset-choices.js";
import { ASSET_CHOICE_LIMIT } from "../../../../../nodes/shared/petroflow-services.js";

describe("erp nodes: asset choices (query and answer of the editor's asset endpoint)", () => {
  describe("assetChoiceFilter", () => {
    it("takes a known kind, and an equipment type with kind=equipment", () => {
      assert.deepEqual(assetChoiceFilter({ kind: "well" }), { value: { kind: "well" } });
      assert.deepEqual(assetChoiceFilter({ kind: "site" }), { value: { kind: "site" } });
      assert.deepEqual(assetChoiceFilter({ kind: "equipment", equipmentType: "meter" }), { value: { kind: "equipment", equipmentType: "meter" } });
    });

    it("refuses a missing, unknown or repeated kind", () => {
      assert.deepEqual(assetChoiceFilter({}), { error: "kind must be one of well, site, equipment" });
      assert.deepEqual(assetChoiceFilter({ kind: "field" }), { error: "kind must be one of well, site, equipment" });
      assert.deepEqual(assetChoiceFilter({ kind: ["well", "site"] }), { error: "kind must be one of well, site, equipment" });
    });

    it("refuses an equipment type that is unknown or given for another kind", () => {
      assert.deepEqual(assetChoiceFilter({ kind: "equipment", equipmentType: "esp" }), { error: "equipmentType must be one of tank, meter" });
      assert.deepEqual(assetChoiceFilter({ kind: "well", equipmentType: "tank" }), { error: "equipmentType is only allowed with kind=equipment" });
    });
  });

  describe("assetChoices", () => {
    it("keeps id, code and name, ordered by code (code points, as the register's COLLATE \"C\")", () => {
      const rows = [
        { id: "b", code: "WELL-b", name: "lower case sorts after", uwi: "dropped" },
        { id: "a", code: "WELL-B", name: "upper case first" },
        { id: "c", code: "BAT-01", name: "Battery" },
      ];
      assert.deepEqual(assetChoices(rows), [
        { id: "c", code: "BAT-01", name: "Battery" },
        { id: "a", code: "WELL-B", name: "upper case first" },
        { id: "b", code: "WELL-b", name: "lower case sorts after" },
      ]);
    });

    it(`answers at most ${ASSET_CHOICE_LIMIT}`, () => {
      const rows = Array.from({ length: ASSET_CHOICE_LIMIT + 20 }, (_, i) => ({ id: `id-${i}`, code: `TK-${String(i).padStart(4, "0")}`, name: `Tank ${i}` }));
      const choices = assetChoices(rows);
      assert.equal(choices.length, ASSET_CHOICE_LIMIT);
      assert.equal(choices.at(-1)?.code, `TK-${String(ASSET_CHOICE_LIMIT - 1).padStart(4, "0")}`);
    });
  });
});
