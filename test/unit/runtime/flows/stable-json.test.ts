import assert from "node:assert/strict";
import { exportText, flowsSha256, stableStringify } from "../../../../runtime/flows/stable-json.js";

describe("stable JSON", () => {
  it("sorts keys at every level", () => {
    assert.equal(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } }), '{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it("exports with two-space indent and a final newline", () => {
    assert.equal(exportText([{ type: "tab", id: "t" }]), '[\n  {\n    "id": "t",\n    "type": "tab"\n  }\n]\n');
  });

  it("hashes flows independently of key order but not of content", () => {
    const a = [{ id: "n1", type: "inject", wires: [["n2"]] }];
    const b = [{ wires: [["n2"]], type: "inject", id: "n1" }];
    assert.equal(flowsSha256(a), flowsSha256(b));
    assert.notEqual(flowsSha256(a), flowsSha256([{ id: "n1", type: "inject", wires: [] }]));
    assert.match(flowsSha256(a), /^[0-9a-f]{64}$/);
  });
});
