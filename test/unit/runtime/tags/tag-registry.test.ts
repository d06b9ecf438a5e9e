import assert from "node:assert/strict";
import { CSV_COLUMNS, csvRecordToInput } from "../../../../runtime/tags/tag-registry.js";

const BASE = { path: "SITE1/WELL-101/CHOKE_SP", dataType: "float", unit: "%" };

describe("tag CSV rows: write limits", () => {
  it("has the write columns, after the others", () => {
    assert.deepEqual(CSV_COLUMNS.slice(-4), ["writable", "writeMin", "writeMax", "writeRole"]);
  });

  it("reads writable, limits and role; empty cells are the defaults (not writable, no limits, operator)", () => {
    const full = csvRecordToInput({ ...BASE, writable: "true", writeMin: "0", writeMax: "100", writeRole: "engineer" });
    assert.ok("tag" in full, JSON.stringify(full));
    assert.deepEqual([full.tag.writable, full.tag.writeMin, full.tag.writeMax, full.tag.writeRole], [true, 0, 100, "engineer"]);
    const bare = csvRecordToInput({ ...BASE, writable: "", writeMin: "", writeMax: "", writeRole: "" });
    assert.ok("tag" in bare, JSON.stringify(bare));
    assert.deepEqual([bare.tag.writable, bare.tag.writeMin, bare.tag.writeMax, bare.tag.writeRole], [false, null, null, "operator"]);
  });

  it("refuses a minimum above the maximum, and a viewer as the write role", () => {
    const inverted = csvRecordToInput({ ...BASE, writable: "true", writeMin: "80", writeMax: "20" });
    assert.ok("problem" in inverted);
    assert.deepEqual(inverted.problem, { field: "writeMin", reason: "above_field", params: { other: "writeMax" } });
    const viewer = csvRecordToInput({ ...BASE, writable: "true", writeRole: "viewer" });
    assert.ok("problem" in viewer);
    assert.equal(viewer.problem.field, "writeRole");
  });
});
