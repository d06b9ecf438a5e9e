import assert from "node:assert/strict";
import { Type } from "@sinclair/typebox";
import { checkInput, parseText } from "../../../../runtime/input/schema-check.js";

const Body = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 8 }),
    levelM: Type.Number({ minimum: 0, maximum: 100 }),
    temperatureDegC: Type.Optional(Type.Union([Type.Number({ minimum: -60 }), Type.Null()])),
    fluid: Type.Optional(Type.Union([Type.Literal("oil"), Type.Literal("gas")])),
    at: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.String({ format: "date" })])),
    notes: Type.String({ default: "" }),
    well: Type.Optional(Type.Object({ liftType: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

function problemOf(value: unknown): unknown {
  const checked = checkInput(Body, value, "body");
  return "problem" in checked ? checked.problem : "accepted";
}

describe("the one validator: no coercion, reasons as the error contract says them", () => {
  const good = { code: "W-1", levelM: 2 };

  it("accepts and fills defaults on a copy", () => {
    const checked = checkInput(Body, good, "body");
    assert.deepEqual("value" in checked && checked.value, { ...good, notes: "" });
    assert.deepEqual(good, { code: "W-1", levelM: 2 });
  });

  it("does not coerce null, true or \"1\" into a number", () => {
    for (const levelM of [null, true, "1"]) {
      assert.deepEqual(problemOf({ ...good, levelM }), { field: "body.levelM", reason: "wrong_type", params: { expected: ["number"] } });
    }
  });

  it("names missing, unexpected and nested fields", () => {
    assert.deepEqual(problemOf({ levelM: 1 }), { field: "body.code", reason: "required" });
    assert.deepEqual(problemOf({ ...good, colour: "red" }), { field: "body.colour", reason: "not_allowed" });
    assert.deepEqual(problemOf({ ...good, well: {} }), { field: "body.well.liftType", reason: "required" });
  });

  it("gives limits as params", () => {
    assert.deepEqual(problemOf({ ...good, levelM: -1 }), { field: "body.levelM", reason: "below_minimum", params: { limit: 0 } });
    assert.deepEqual(problemOf({ ...good, levelM: 101 }), { field: "body.levelM", reason: "above_maximum", params: { limit: 100 } });
    assert.deepEqual(problemOf({ ...good, code: "" }), { field: "body.code", reason: "too_short", params: { limit: 1 } });
    assert.deepEqual(problemOf({ ...good, code: "123456789" }), { field: "body.code", reason: "too_long", params: { limit: 8 } });
  });

  it("judges a union by the branch of the value's own type, and a union of literals as a list", () => {
    assert.deepEqual(problemOf({ ...good, temperatureDegC: -61 }), { field: "body.temperatureDegC", reason: "below_minimum", params: { limit: -60 } });
    assert.deepEqual(problemOf({ ...good, temperatureDegC: "x" }), { field: "body.temperatureDegC", reason: "wrong_type", params: { expected: ["number", "null"] } });
    assert.deepEqual(problemOf({ ...good, fluid: "water" }), { field: "body.fluid", reason: "not_one_of", params: { allowed: ["oil", "gas"] } });
    assert.deepEqual(problemOf({ ...good, at: "0001-06-01" }), { field: "body.at", reason: "year_out_of_range", params: { min: 1900, max: 2200 } });
    assert.deepEqual(problemOf({ ...good, at: "9999-12-31T23:59:60Z" }), { field: "body.at", reason: "leap_second" });
    assert.deepEqual(problemOf({ ...good, at: "soon" }), { field: "body.at", reason: "not_a_date_time" });
  });

  it("applies the input policy first", () => {
    assert.deepEqual(problemOf({ ...good, notes: "a\u0000b" }), { field: "body.notes", reason: "nul_character" });
    assert.deepEqual(problemOf({ ...good, levelM: Number.POSITIVE_INFINITY }), { field: "body.levelM", reason: "not_finite" });
  });
});

describe("the one validator: text parsed by its schema", () => {
  const Query = Type.Object(
    {
      limit: Type.Integer({ minimum: 1, default: 50 }),
      open: Type.Optional(Type.Boolean()),
      search: Type.Optional(Type.String()),
      ratio: Type.Optional(Type.Number()),
    },
    { additionalProperties: false },
  );
  const parse = (fields: Record<string, unknown>) => {
    const parsed = parseText(Query, fields, "query");
    return "problem" in parsed ? [parsed.problem.field, parsed.problem.reason] : parsed.value;
  };

  it("types numbers and booleans where the schema says so, and leaves text as text", () => {
    assert.deepEqual(parse({ limit: "10", open: "false", search: "10", ratio: "-2.5e3" }), { limit: 10, open: false, search: "10", ratio: -2500 });
    assert.deepEqual(parse({}), { limit: 50 });
  });

  it("refuses anything but a plain decimal for a number and true/false for a boolean", () => {
    for (const limit of ["abc", " 10", "10 ", "0x10", "1.5", "", "Infinity", "NaN"]) assert.deepEqual((parse({ limit }) as unknown[])[0], "query.limit", limit);
    assert.deepEqual(parse({ limit: "1e400" }), ["query.limit", "not_finite"]);
    assert.deepEqual(parse({ open: "1" }), ["query.open", "wrong_type"]);
    assert.deepEqual(parse({ limit: ["1", "2"] }), ["query.limit", "repeated"]);
    assert.deepEqual(parse({ search: "a\u0000" }), ["query.search", "nul_character"]);
  });
});
