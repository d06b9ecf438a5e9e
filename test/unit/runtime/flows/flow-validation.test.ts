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
    assert.equal(result.code, "disabled_node_type");
    assert.match(result.message, /exec-shell \(exec\)/);
    assert.match(result.message, /read-secret \(file in\)/);
    assert.match(result.message, /PETROFLOW_ALLOW_HOST_NODES/);
    assert.deepEqual(result.details, {
      nodes: [
        { id: "exec-shell", type: "exec" },
        { id: "read-secret", type: "file in" },
      ],
      settings: ["PETROFLOW_ALLOW_HOST_NODES"],
    });
  });

  it("says a disabled type is disabled, not unknown, even where the runtime does not load it", () => {
    const result = validateFlows([tab, exec], { ...guarded, isKnownType: (type: string) => known.has(type) });
    assert.equal(result.ok ? "ok" : result.code, "disabled_node_type");
  });

  it("refuses a function node that loads external modules, naming the node and the modules", () => {
    const fn = { id: "fn-shell", type: "function", z: "tab-main", func: "return msg;", libs: [{ var: "cp", module: "child_process" }], wires: [[]] };
    const result = validateFlows([tab, fn], guarded);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, "function_modules_disabled");
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
