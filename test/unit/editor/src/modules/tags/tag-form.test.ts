import assert from "node:assert/strict";
import type { TagFields } from "../../../../../../editor/src/api/tags";
import {
  changedFields,
  emptyTagForm,
  serverFieldErrors,
  tagFieldsFrom,
  tagFormFrom,
} from "../../../../../../editor/src/modules/tags/tag-form";

const fields: TagFields = {
  path: "SITE1/WELL-101/THP",
  dataType: "float",
  unit: "kPa",
  displayUnit: "bar",
  description: "Tubing head pressure",
  deadband: 5,
  scaling: { rawMin: 0, rawMax: 65535, engMin: 0, engMax: 20000 },
  source: "modbus:rtu-1",
  readRole: "viewer",
  historyEnabled: true,
  historyDeviation: 2.5,
  historyMaxIntervalSeconds: 900,
  writable: true,
  writeMin: 0,
  writeMax: 20000,
  writeRole: "engineer",
};

describe("web app: tag form", () => {
  it("round-trips a tag through the form unchanged", () => {
    assert.deepEqual(tagFieldsFrom(tagFormFrom(fields)), { fields });
  });

  it("sends empty optional text as null, a blank deadband as 0, and trims", () => {
    const result = tagFieldsFrom({ ...emptyTagForm(), path: "  S/A/P ", deadband: " ", source: "  " });
    assert.ok("fields" in result);
    assert.equal(result.fields.path, "S/A/P");
    assert.equal(result.fields.deadband, 0);
    assert.equal(result.fields.source, null);
    assert.equal(result.fields.scaling, null);
  });

  it("sends the history policy, refusing a deviation that is not a number", () => {
    const result = tagFieldsFrom({ ...emptyTagForm(), historyEnabled: true, historyDeviation: "0,25", historyMaxIntervalSeconds: "" });
    assert.ok("fields" in result);
    assert.deepEqual([result.fields.historyEnabled, result.fields.historyDeviation, result.fields.historyMaxIntervalSeconds], [true, 0.25, 3600]);
    assert.deepEqual(tagFieldsFrom({ ...emptyTagForm(), historyDeviation: "abc" }), { errors: { historyDeviation: "notANumber" } });
  });

  it("accepts a decimal comma, as Spanish keyboards type it", () => {
    const result = tagFieldsFrom({ ...emptyTagForm(), deadband: "0,5" });
    assert.ok("fields" in result);
    assert.equal(result.fields.deadband, 0.5);
  });

  it("names the number inputs that hold no number", () => {
    const result = tagFieldsFrom({ ...tagFormFrom(fields), deadband: "abc", rawMax: "" });
    assert.deepEqual(result, { errors: { deadband: "notANumber", rawMax: "notANumber" } });
  });

  it("sends an empty write limit as no limit (null) and refuses text that is no number", () => {
    const open = tagFieldsFrom({ ...tagFormFrom(fields), writeMin: " ", writeMax: "1500,5" });
    assert.ok("fields" in open);
    assert.deepEqual([open.fields.writeMin, open.fields.writeMax], [null, 1500.5]);
    assert.deepEqual(tagFieldsFrom({ ...tagFormFrom(fields), writeMax: "high" }), { errors: { writeMax: "notANumber" } });
  });

  it("puts only the edited fields into a PATCH", () => {
    assert.deepEqual(changedFields(fields, { ...fields, description: "THP", scaling: null }), { description: "THP", scaling: null });
    assert.deepEqual(changedFields(fields, { ...fields, scaling: { ...fields.scaling!, engMax: 1 } }), {
      scaling: { ...fields.scaling!, engMax: 1 },
    });
    assert.deepEqual(changedFields(fields, { ...fields }), {});
  });

  it("maps the server's field errors onto the inputs", () => {
    assert.deepEqual(serverFieldErrors({ field: "path", reason: "already exists" }), { fields: { path: "already exists" }, other: [] });
    assert.deepEqual(serverFieldErrors({ field: "/scaling/rawMax", reason: "must exceed rawMin" }), {
      fields: { rawMax: "must exceed rawMin" },
      other: [],
    });
    assert.deepEqual(serverFieldErrors([{ field: "scaling.engMin", reason: "x" }, { field: "colour", reason: "unknown" }]), {
      fields: { engMin: "x" },
      other: ["colour: unknown"],
    });
    assert.deepEqual(serverFieldErrors(undefined), { fields: {}, other: [] });
  });
});
