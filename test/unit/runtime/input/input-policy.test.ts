import assert from "node:assert/strict";
import { checkedCopy, dayProblem, epochMsInRange, inputProblem, instantProblem, monthProblem } from "../../../../runtime/input/input-policy.js";

describe("input policy: the walk over a value", () => {
  it("refuses a NUL character in a string or a key, naming its path", () => {
    assert.deepEqual(inputProblem({ a: [{ b: "x\u0000" }] }, "body"), { field: "body.a.0.b", reason: "nul_character" });
    assert.deepEqual(inputProblem({ "k\u0000": 1 }, "body"), { field: "body.k\\u0000", reason: "nul_character" });
    assert.deepEqual(inputProblem("\u0000", ""), { field: "input", reason: "nul_character" });
  });

  it("refuses a lone surrogate (PostgreSQL's json cannot hold one), and takes a pair", () => {
    assert.deepEqual(inputProblem({ name: "\udfff\ud800" }, "body"), { field: "body.name", reason: "lone_surrogate" });
    assert.deepEqual(inputProblem({ ["k\ud800"]: 1 }, "body")?.reason, "lone_surrogate");
    assert.equal(inputProblem({ name: "pozo 😀 ñ" }, "body"), null);
  });

  it("refuses numbers that are not finite", () => {
    assert.deepEqual(inputProblem({ levelM: JSON.parse("1e400") as number }, "body"), { field: "body.levelM", reason: "not_finite" });
    assert.deepEqual(inputProblem([Number.NaN], "flows"), { field: "flows.0", reason: "not_finite" });
  });

  it("refuses nesting past 64 levels without recursing, however deep", () => {
    const deep = JSON.parse("[".repeat(1_000_000) + "]".repeat(1_000_000)) as unknown;
    const problem = inputProblem(deep, "body");
    assert.equal(problem?.reason, "too_deep");
    assert.deepEqual(problem?.params, { limit: 64 });
    assert.equal(problem?.field, `body${".0".repeat(64)}`);
    let sixtyFour: unknown = 1;
    for (let level = 0; level < 64; level++) sixtyFour = [sixtyFour];
    assert.equal(inputProblem(sixtyFour, "body"), null, "64 levels are fine");
  });

  it("copies plain objects and arrays (a caller may fill defaults in the copy), keeping __proto__ a plain key", () => {
    const original = JSON.parse('{"a":{"b":[1,2]},"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copied = checkedCopy(original, "body");
    assert.ok("value" in copied);
    const value = copied.value as Record<string, unknown>;
    assert.deepEqual(value.a, { b: [1, 2] });
    assert.notEqual(value.a, original.a);
    assert.ok(Object.hasOwn(value, "__proto__"));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const when = new Date();
    assert.equal((checkedCopy({ when }, "") as { value: { when: Date } }).value.when, when, "other objects are the schema's to judge");
  });
});

describe("input policy: dates and timestamps", () => {
  it("takes RFC 3339 timestamps with an offset inside 1900-2200", () => {
    for (const text of ["2026-03-01T06:00:00Z", "2026-03-01T06:00:00.123456+05:30", "1900-01-01T00:00:00Z", "2200-12-31T23:59:59Z", "2024-02-29t10:00:00z", "2026-03-01 06:00:00-03:00"]) {
      assert.equal(instantProblem(text), null, text);
    }
  });

  it("says why a timestamp is refused", () => {
    const cases: [string, string][] = [
      ["9999-12-31T23:59:60Z", "leap_second"],
      ["2016-12-31T23:59:60Z", "leap_second"],
      ["0001-06-01T00:00:00Z", "year_out_of_range"],
      ["2201-01-01T00:00:00Z", "year_out_of_range"],
      ["1900-01-01T00:30:00+01:00", "year_out_of_range"],
      ["2200-12-31T23:30:00-05:00", "year_out_of_range"],
      ["2026-02-29T00:00:00Z", "not_a_date_time"],
      ["2026-13-01T00:00:00Z", "not_a_date_time"],
      ["2026-03-01T24:00:00Z", "not_a_date_time"],
      ["2026-03-01T06:00:00", "not_a_date_time"],
      ["2026-03-01T06:00:00+05", "not_a_date_time"],
      ["2026-03-01", "not_a_date_time"],
      ["yesterday", "not_a_date_time"],
    ];
    for (const [text, reason] of cases) assert.equal(instantProblem(text), reason, text);
  });

  it("checks days and months the same way", () => {
    assert.equal(dayProblem("2024-02-29"), null);
    assert.equal(dayProblem("2026-02-29"), "not_a_date");
    assert.equal(dayProblem("0001-06-01"), "year_out_of_range");
    assert.equal(dayProblem("2026-6-1"), "not_a_date");
    assert.equal(monthProblem("2026-06"), null);
    assert.equal(monthProblem("0000-01"), "year_out_of_range");
    assert.equal(monthProblem("2026-13"), "not_a_month");
    assert.equal(epochMsInRange(Date.parse("2026-01-01T00:00:00Z")), true);
    assert.equal(epochMsInRange(1e17), false);
    assert.equal(epochMsInRange(Number.NaN), false);
  });
});
