import assert from "node:assert/strict";
import { validateFlows } from "../../../../runtime/flows/flow-validation.js";

const known = new Set(["inject", "debug", "function", "http in", "http response", "change"]);
const options = { maxBytes: 10_000, isKnownType: (type: string) => known.has(type) };

const tab = { id: "tab-main", type: "tab", label: "Main" };
const inject = { id: "inject-tick", type: "inject", z: "tab-main", wires: [["debug-out"]] };
const debug = { id: "debug-out", type: "debug", z: "tab-main", wires: [] };

describe("validateFlows", () => {
  it("accepts a valid flow given as objects or as JSON text", () => {
    for (const input of [[tab, inject, debug], JSON.stringify([tab, inject, debug])]) {
      const result = validateFlows(input, options);
      assert.equal(result.ok, true);
    }
  });

  it("accepts subflow instances of subflows defined in the same flows", () => {
    const subflow = { id: "sf-scale", type: "subflow", name: "Scale" };
    const instance = { id: "sf-instance", type: "subflow:sf-scale", z: "tab-main", wires: [] };
    assert.equal(validateFlows([tab, subflow, instance], options).ok, true);
  });

  const cases: [string, unknown, string, RegExp][] = [
    ["bad JSON", "[{", "invalid_json", /not valid JSON/],
    ["an object instead of an array", { flows: [] }, "not_an_array", /array/],
    ["a node that is not an object", [tab, 42], "invalid_node", /flows\[1\]/],
    ["a node without id", [{ type: "inject" }], "invalid_node", /no string id/],
    ["a node without type", [{ id: "x" }], "invalid_node", /node x has no string type/],
    ["duplicate ids", [tab, inject, { ...debug, id: "inject-tick" }], "duplicate_id", /inject-tick/],
    ["unknown types, all named", [tab, { id: "a", type: "modbus-magic" }, { id: "b", type: "zz-unknown" }], "unknown_type", /modbus-magic, zz-unknown/],
    ["an instance of a missing subflow", [tab, { id: "i", type: "subflow:nope" }], "unknown_type", /subflow:nope/],
    ["a __proto__ key", `[{"id":"a","type":"inject","__proto__":{"polluted":true}}]`, "forbidden_key", /__proto__/],
    ["a nested __proto__ key", `[{"id":"a","type":"inject","props":[{"__proto__":{}}]}]`, "forbidden_key", /props\[0\]\.__proto__/],
    ["flows over the size limit", JSON.stringify([{ id: "a", type: "inject", payload: "x".repeat(20_000) }]), "too_large", /10000 bytes/],
  ];
  for (const [what, input, code, message] of cases) {
    it(`refuses ${what}`, () => {
      const result = validateFlows(input, options);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.code, code);
        assert.match(result.message, message);
      }
    });
  }

  it("refuses parsed flows over the size limit too", () => {
    const result = validateFlows([{ id: "a", type: "inject", payload: "x".repeat(20_000) }], options);
    assert.equal(result.ok ? "ok" : result.code, "too_large");
  });

  it("does not let a __proto__ key pollute Object.prototype while checking", () => {
    validateFlows(`[{"id":"a","type":"inject","__proto__":{"polluted":true}}]`, options);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
