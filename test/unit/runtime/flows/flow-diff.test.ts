import assert from "node:assert/strict";
import { diffFlows } from "../../../../runtime/flows/flow-diff.js";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";

const before: FlowNode[] = [
  { id: "tab-main", type: "tab", label: "Main" },
  { id: "inject-tick", type: "inject", z: "tab-main", name: "Tick", repeat: "5", x: 100, y: 80, wires: [["debug-out"]] },
  { id: "function-scale", type: "function", z: "tab-main", name: "Scale", func: "return msg;", wires: [["debug-out"]] },
  { id: "debug-out", type: "debug", z: "tab-main", wires: [] },
];

const after: FlowNode[] = [
  { id: "tab-main", type: "tab", label: "Main" },
  // repeat changed, moved, rewired to the new node
  { id: "inject-tick", type: "inject", z: "tab-main", name: "Tick", repeat: "10", x: 140, y: 80, wires: [["change-units"]] },
  { id: "debug-out", type: "debug", z: "tab-main", wires: [] },
  { id: "change-units", type: "change", z: "tab-main", name: "Units", wires: [["debug-out"]] },
];

describe("diffFlows", () => {
  const diff = diffFlows(before, after);

  it("lists added and removed nodes whole", () => {
    assert.deepEqual(
      diff.added.map((node) => node.id),
      ["change-units"],
    );
    assert.deepEqual(
      diff.removed.map((node) => node.id),
      ["function-scale"],
    );
    assert.equal(diff.removed[0]?.func, "return msg;");
  });

  it("lists changed properties with from and to, wiring apart", () => {
    assert.deepEqual(diff.changed, [
      {
        id: "inject-tick",
        type: "inject",
        name: "Tick",
        properties: { repeat: { from: "5", to: "10" }, x: { from: 100, to: 140 } },
      },
    ]);
  });

  it("lists rewired nodes with their old and new wires", () => {
    assert.deepEqual(diff.rewired, [
      { id: "inject-tick", type: "inject", name: "Tick", from: [["debug-out"]], to: [["change-units"]] },
    ]);
  });

  it("shows a property that appears or disappears as null on the missing side", () => {
    const result = diffFlows([{ id: "a", type: "debug", wires: [] }], [{ id: "a", type: "debug", name: "Out", wires: [] }]);
    assert.deepEqual(result.changed[0]?.properties, { name: { from: null, to: "Out" } });
  });

  it("ignores key order", () => {
    const reordered = after.map((node) => Object.fromEntries(Object.entries(node).reverse()) as FlowNode);
    const result = diffFlows(after, reordered);
    assert.deepEqual(result, { added: [], removed: [], changed: [], rewired: [] });
  });
});
