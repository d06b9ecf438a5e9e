import assert from "node:assert/strict";
import { Type } from "@sinclair/typebox";
import { Ajv } from "ajv";
import { schemaErrorField } from "../../../runtime/schema-error.js";

describe("schema errors as field and reason", () => {
  const ajv = new Ajv({ allErrors: false, strict: false });
  const check = ajv.compile(
    Type.Object(
      { code: Type.String({ minLength: 1 }), well: Type.Optional(Type.Object({ liftType: Type.String(), depthM: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false })) },
      { additionalProperties: false },
    ),
  );
  const first = (value: unknown) => {
    assert.equal(check(value), false, `${JSON.stringify(value)} should be invalid`);
    return schemaErrorField(check.errors?.[0]);
  };

  it("names a missing property where it is missing, nested ones with their parents", () => {
    assert.deepEqual(first({}), { path: "code", reason: "is required" });
    assert.deepEqual(first({ code: "W-1", well: {} }), { path: "well.liftType", reason: "is required" });
  });

  it("names an unexpected property and a bad value by their paths", () => {
    assert.deepEqual(first({ code: "W-1", colour: "red" }), { path: "colour", reason: "is not allowed" });
    assert.deepEqual(first({ code: "W-1", well: { liftType: "esp", pumpRpm: 3 } }), { path: "well.pumpRpm", reason: "is not allowed" });
    assert.deepEqual(first({ code: "W-1", well: { liftType: "esp", depthM: -1 } }), { path: "well.depthM", reason: "must be >= 0" });
  });

  it("uses an empty path for the value itself, and says invalid without an error", () => {
    assert.deepEqual(first("not an object"), { path: "", reason: "must be object" });
    assert.deepEqual(schemaErrorField(undefined), { path: "", reason: "is invalid" });
  });
});
