import assert from "node:assert/strict";
import { buildDiffGraph } from "../../../../../../editor/src/modules/flows/diff-graph";

describe("web app: diff graph layout", () => {
  const to = [
    { id: "tab-wells", type: "tab", label: "Wells" },
    { id: "inject-poll", type: "inject", z: "tab-wells", x: 100, y: 50, wires: [["debug-out", "ghost"]] },
    { id: "debug-out", type: "debug", z: "tab-wells", name: "dbg", x: 300, y: 50, wires: [] },
    { id: "debug-unplaced", type: "debug", z: "tab-wells", wires: [] },
    { id: "broker-config", type: "mqtt-broker" },
  ];
  const graph = buildDiffGraph(
    {
      from: 1,
      to: 2,
      added: [to[2]],
      removed: [
        { id: "debug-old", type: "debug", z: "tab-wells", x: 500, y: 50, wires: [] },
        { id: "tab-gone", type: "tab", label: "Gone" },
        { id: "function-gone", type: "function", z: "tab-gone", x: 1, y: 2, wires: [] },
      ],
      changed: [{ id: "broker-config", type: "mqtt-broker", name: "", properties: { broker: { from: "a", to: "b" } } }],
      rewired: [{ id: "inject-poll", type: "inject", name: "", from: [["debug-old"]], to: [["debug-out", "ghost"]] }],
    },
    to,
  );

  it("groups nodes by tab, with config nodes apart and removed tabs kept", () => {
    assert.deepEqual(
      graph.containers.map((container) => [container.id, container.kind, container.status, container.changes]),
      [
        ["tab-wells", "tab", "unchanged", 3],
        ["tab-gone", "tab", "removed", 1],
        ["__config__", "config", "unchanged", 1],
      ],
    );
  });

  it("colours each node by what happened to it", () => {
    const wells = graph.containers[0];
    assert.deepEqual(Object.fromEntries(wells.nodes.map((node) => [node.id, node.data.status])), {
      "inject-poll": "changed",
      "debug-out": "added",
      "debug-unplaced": "unchanged",
      "debug-old": "removed",
    });
    assert.deepEqual(wells.nodes.find((node) => node.id === "debug-unplaced")!.position, { x: 120, y: 170 });
  });

  it("draws new wires and dropped wires, and skips wires to missing nodes", () => {
    const wells = graph.containers[0];
    assert.deepEqual(wells.edges.map((edge) => edge.id).sort(), ["inject-poll:0>debug-old:removed", "inject-poll:0>debug-out:rewired"]);
    assert.deepEqual(graph.counts, { added: 1, removed: 3, changed: 1, rewired: 1 });
  });
});
