import assert from "node:assert/strict";
import { validateFlowPart, validateFlows } from "../../../../runtime/flows/flow-validation.js";

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

describe("validateFlows: nodes this site turned off", () => {
  const hostKnown = new Set([...known, "exec", "file", "file in", "watch"]);
  const guarded = {
    maxBytes: 10_000,
    isKnownType: (type: string) => hostKnown.has(type),
    disabledTypes: new Map([
      ["exec", "PETROFLOW_ALLOW_HOST_NODES"],
      ["file in", "PETROFLOW_ALLOW_HOST_NODES"],
    ]),
    functionModulesSetting: "PETROFLOW_ALLOW_FUNCTION_MODULES",
  };
  const httpIn = { id: "http-run", type: "http in", z: "tab-main", url: "/run", method: "get", wires: [["exec-shell"]] };
  const exec = { id: "exec-shell", type: "exec", z: "tab-main", command: "cat", wires: [["http-out"], [], []] };
  const readFile = { id: "read-secret", type: "file in", z: "tab-main", filename: "secret.key", wires: [["http-out"]] };
  const httpOut = { id: "http-out", type: "http response", z: "tab-main", wires: [] };

  it("refuses a disabled node type, naming every such node, its type and the setting that turns it on", () => {
    const result = validateFlows([tab, httpIn, exec, readFile, httpOut], guarded);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.message, /exec-shell \(exec\)/);
    assert.match(result.message, /read-secret \(file in\)/);
    assert.match(result.message, /PETROFLOW_ALLOW_HOST_NODES/);
    assert.deepEqual(result.details, {
      field: "flows.2.type",
      reason: "disabled_node_type",
      params: { nodes: ["exec-shell (exec)", "read-secret (file in)"], setting: "PETROFLOW_ALLOW_HOST_NODES" },
    });
  });

  it("says a disabled type is disabled, not unknown, even where the runtime does not load it", () => {
    const result = validateFlows([tab, exec], { ...guarded, isKnownType: (type: string) => known.has(type) });
    assert.equal(result.ok ? "ok" : result.details.reason, "disabled_node_type");
  });

  it("refuses a function node that loads external modules, naming the node and the modules", () => {
    const fn = { id: "fn-shell", type: "function", z: "tab-main", func: "return msg;", libs: [{ var: "cp", module: "child_process" }], wires: [[]] };
    const result = validateFlows([tab, fn], guarded);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.details.reason, "function_modules_disabled");
    assert.equal(result.details.field, "flows.1.libs");
    assert.match(result.message, /fn-shell/);
    assert.match(result.message, /child_process/);
    assert.match(result.message, /PETROFLOW_ALLOW_FUNCTION_MODULES/);
    assert.equal(validateFlows([tab, { ...fn, libs: [] }], guarded).ok, true, "a function without modules is fine");
    assert.equal(validateFlows([tab, fn], { ...guarded, functionModulesSetting: undefined }).ok, true);
  });

  it("accepts host nodes and modules where the site turned them on", () => {
    assert.equal(validateFlows([tab, httpIn, exec, readFile, httpOut], { ...guarded, disabledTypes: new Map() }).ok, true);
  });
});
