import assert from "node:assert/strict";
import { validateFlowPart, validateFlows } from "../../../runtime/flows/flow-validation.js";

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

  const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const cases: [string, unknown, string, string, RegExp][] = [
    ["bad JSON", "[{", "flows", "not_json", /not valid JSON/],
    ["an object instead of an array", { flows: [] }, "flows", "not_an_array", /array/],
    ["a node that is not an object", [tab, 42], "flows.1", "invalid_node", /flows\.1/],
    ["a node without id", [{ type: "inject" }], "flows.0.id", "invalid_node", /no string id/],
    ["a node without type", [{ id: "x" }], "flows.0.type", "invalid_node", /node x has no string type/],
    ["duplicate ids", [tab, inject, { ...debug, id: "inject-tick" }], "flows.2.id", "duplicate_id", /inject-tick/],
    ["unknown types, all named", [tab, { id: "a", type: "modbus-magic" }, { id: "b", type: "zz-unknown" }], "flows", "unknown_type", /modbus-magic, zz-unknown/],
    ["an instance of a missing subflow", [tab, { id: "i", type: "subflow:nope" }], "flows", "unknown_type", /subflow:nope/],
    ["a __proto__ key", `[{"id":"a","type":"inject","__proto__":{"polluted":true}}]`, "flows.0.__proto__", "forbidden_key", /__proto__/],
    ["a nested __proto__ key", `[{"id":"a","type":"inject","props":[{"__proto__":{}}]}]`, "flows.0.props.0.__proto__", "forbidden_key", /props\.0\.__proto__/],
    ["flows over the size limit", JSON.stringify([{ id: "a", type: "inject", payload: "x".repeat(20_000) }]), "flows", "too_large", /10000 bytes/],
    ["wires that are a string", [tab, { ...inject, wires: "debug-out" }, debug], "flows.1.wires", "invalid_wires", /flows\.1\.wires must be an array of arrays of node ids/],
    ["wires with a number for an id", [tab, { ...inject, wires: [[7]] }, debug], "flows.1.wires", "invalid_wires", /wires/],
    ["wires with an output that is not an array", [tab, { ...inject, wires: [["debug-out"], "debug-out"] }, debug], "flows.1.wires", "invalid_wires", /wires/],
    ["a NUL character", [tab, { ...inject, name: "a\u0000b" }, debug], "flows.1.name", "nul_character", /NUL/],
    ["flows nested past the depth limit (text)", `[{"id":"a","type":"inject","x":${deep(1_000)}}]`, `flows.0.x${".0".repeat(62)}`, "too_deep", /deeper than 64/],
    ["flows nested past the depth limit (parsed)", [{ id: "a", type: "inject", x: JSON.parse(deep(100_000)) as unknown }], `flows.0.x${".0".repeat(62)}`, "too_deep", /deeper than 64/],
    ["a number that is not finite", `[{"id":"a","type":"inject","x":1e400}]`, "flows.0.x", "not_finite", /finite/],
  ];
  for (const [what, input, field, reason, message] of cases) {
    it(`refuses ${what}`, () => {
      const result = validateFlows(input, options);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.deepEqual([result.details.field, result.details.reason], [field, reason]);
        assert.match(result.message, message);
      }
    });
  }

  it("refuses parsed flows over the size limit too", () => {
    const result = validateFlows([{ id: "a", type: "inject", payload: "x".repeat(20_000) }], options);
    assert.equal(result.ok ? "ok" : result.details.reason, "too_large");
  });

  it("accepts nodes without wires and with empty outputs", () => {
    assert.equal(validateFlows([tab, { ...inject, wires: [[], ["debug-out"]] }, { ...debug, wires: undefined }], options).ok, true);
  });

  it("checks one flow for Node-RED's POST /flow and PUT /flow/:id: the input policy and the nodes' wires", () => {
    const part = (nodes: unknown[]) => validateFlowPart({ id: "tab-x", label: "X", nodes });
    assert.equal(part([inject, debug]), null);
    const wires = part([{ ...inject, wires: [[3]] }]);
    assert.deepEqual(wires && !wires.ok ? [wires.details.field, wires.details.reason] : null, ["body.nodes.0.wires", "invalid_wires"]);
    const deep = part([{ ...inject, x: JSON.parse("[".repeat(10_000) + "]".repeat(10_000)) as unknown }]);
    assert.equal(deep && !deep.ok ? deep.details.reason : null, "too_deep");
    const nul = part([{ ...inject, name: "a\u0000" }]);
    assert.equal(nul && !nul.ok ? nul.details.reason : null, "nul_character");
  });

  it("does not let a __proto__ key pollute Object.prototype while checking", () => {
    validateFlows(`[{"id":"a","type":"inject","__proto__":{"polluted":true}}]`, options);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
