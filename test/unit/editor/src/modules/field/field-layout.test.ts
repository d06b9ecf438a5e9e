import assert from "node:assert/strict";
import type { Asset, AssetPoint, Field } from "../../../../../../editor/src/api/field";
import type { LiveValue } from "../../../../../../editor/src/live/live-protocol";
import { groupId, layoutField, NODE_WIDTH, type LayoutNode } from "../../../../../../editor/src/modules/field/field-layout";
import { assetState, keyPointsOf, worstQuality } from "../../../../../../editor/src/modules/field/key-points";

const point = (name: string, unit: string, writable = false): AssetPoint => ({ point: name, unit, description: name, writable });
const wellPoints = [
  point("THP", "kPa"),
  point("CHP", "kPa"),
  point("WATER_RATE", "m3/d"),
  point("OIL_RATE", "m3/d"),
  point("RUNNING", "bool"),
  point("TRIPPED", "bool"),
  point("SHUT_IN", "bool"),
  point("CHOKE_SP", "%", true),
];
const well = (id: string, liftType: Asset["liftType"]): Asset => ({ id, kind: "well", liftType, description: id, points: wellPoints });

const field: Field = {
  siteId: "SITE1",
  assets: [
    { id: "TK-02", kind: "tank", description: "Oil tank 2", points: [point("LEVEL", "m"), point("VOLUME", "m3")] },
    { id: "TK-01", kind: "tank", description: "Oil tank 1", points: [point("LEVEL", "m")] },
    well("WELL-201", "gas-lift"),
    well("WELL-101", "esp"),
    well("WELL-301", "rod-pump"),
    well("WELL-202", "gas-lift"),
    { id: "SEP-PROD", kind: "production-separator", description: "", points: [point("PRESSURE", "kPa"), point("OIL_LEVEL", "%"), point("WATER_LEVEL", "%"), point("TEMP", "degC")] },
    { id: "SEP-TEST", kind: "test-separator", description: "", points: [point("P", "kPa"), point("LEVEL", "%")] },
    { id: "MAN-01", kind: "manifold", description: "", points: [point("HEADER_PRESS", "kPa")] },
    { id: "COMP-01", kind: "compressor", description: "", points: [point("SUCTION_P", "kPa"), point("DISCHARGE_P", "kPa"), point("GAS_FLOW", "Sm3/d"), point("RUNNING", "bool")] },
  ],
  links: [
    { from: "WELL-101", to: "MAN-01" },
    { from: "WELL-201", to: "MAN-01" },
    { from: "MAN-01", to: "SEP-TEST" },
    { from: "MAN-01", to: "SEP-PROD" },
    { from: "SEP-PROD", to: "TK-01" },
    { from: "COMP-01", to: "WELL-201" },
    { from: "COMP-01", to: "WELL-202" },
    { from: "COMP-01", to: "WELL-202" },
    { from: "MAN-01", to: "GHOST" },
  ],
};

function absolute(nodes: readonly LayoutNode[], id: string): { x: number; y: number; height: number } {
  const node = nodes.find((candidate) => candidate.id === id);
  assert.ok(node, `no node ${id}`);
  const parent = node.parentId === undefined ? undefined : nodes.find((candidate) => candidate.id === node.parentId);
  return { x: node.position.x + (parent?.position.x ?? 0), y: node.position.y + (parent?.position.y ?? 0), height: node.height };
}

describe("web app: field key points", () => {
  it("picks a well's oil rate, THP and status flags by name, skipping other rates", () => {
    assert.deepEqual(
      keyPointsOf(well("W", "esp")).map((keyPoint) => `${keyPoint.role}:${keyPoint.point}`),
      ["oilRate:OIL_RATE", "thp:THP", "running:RUNNING", "tripped:TRIPPED", "shutIn:SHUT_IN"],
    );
  });

  it("picks a separator's pressure and up to two levels", () => {
    const separator = field.assets.find((asset) => asset.id === "SEP-PROD")!;
    assert.deepEqual(keyPointsOf(separator).map((keyPoint) => keyPoint.point), ["PRESSURE", "OIL_LEVEL", "WATER_LEVEL"]);
  });

  it("recognises the simulator's point names (simulator/model/oilfield.ts)", () => {
    const esp: Asset = {
      id: "WELL-101",
      kind: "well",
      liftType: "esp",
      description: "",
      points: [point("THP", "kPa"), point("CHP", "kPa"), point("OIL_RATE", "m3/d"), point("WATER_RATE", "m3/d"), point("RUNNING", "bool"), point("SHUT_IN_CMD", "bool", true), point("ESP_TRIPPED", "bool")],
    };
    assert.deepEqual(keyPointsOf(esp).map((keyPoint) => `${keyPoint.role}:${keyPoint.point}`), [
      "oilRate:OIL_RATE",
      "thp:THP",
      "running:RUNNING",
      "tripped:ESP_TRIPPED",
      "shutIn:SHUT_IN_CMD",
    ]);
    const separator: Asset = { id: "SEP-PROD", kind: "production-separator", description: "", points: [point("PRESSURE", "kPa"), point("LEVEL_OIL", "%"), point("LEVEL_WATER", "%"), point("OIL_OUT", "m3/d")] };
    assert.deepEqual(keyPointsOf(separator).map((keyPoint) => keyPoint.qualifier ?? keyPoint.point), ["PRESSURE", "OIL", "WATER"]);
    const compressor: Asset = { id: "COMP-01", kind: "compressor", description: "", points: [point("SUCTION_P", "kPa"), point("DISCHARGE_P", "kPa"), point("FLOW", "Sm3/d"), point("RUNNING", "bool")] };
    assert.deepEqual(keyPointsOf(compressor).map((keyPoint) => keyPoint.point), ["FLOW", "DISCHARGE_P", "RUNNING"]);
  });

  it("qualifies points that share a role, and only those", () => {
    const separator = field.assets.find((asset) => asset.id === "SEP-PROD")!;
    assert.deepEqual(keyPointsOf(separator).map((keyPoint) => keyPoint.qualifier), [null, "OIL", "WATER"]);
    const levels: Asset = { id: "S", kind: "test-separator", description: "", points: [point("LT-101", "%"), point("LEVEL", "m")] };
    assert.deepEqual(keyPointsOf(levels).map((keyPoint) => keyPoint.qualifier), ["101", "LEVEL"]);
  });

  it("falls back to the first point of the unit when no name says more", () => {
    const compressor: Asset = { id: "C", kind: "compressor", description: "", points: [point("Q1", "Sm3/d"), point("P2", "kPa")] };
    assert.deepEqual(keyPointsOf(compressor).map((keyPoint) => keyPoint.point), ["Q1", "P2"]);
    const named = field.assets.find((asset) => asset.id === "COMP-01")!;
    assert.deepEqual(keyPointsOf(named).map((keyPoint) => keyPoint.point), ["GAS_FLOW", "DISCHARGE_P", "RUNNING"]);
  });
});

describe("web app: field asset state", () => {
  const keyPoints = keyPointsOf(well("W", "esp"));
  const reading = (values: Record<string, LiveValue["v"]>, q: LiveValue["q"] = "good") => (name: string): LiveValue | undefined =>
    name in values ? { v: values[name]!, q, t: 1 } : undefined;

  it("reads running, stopped, tripped and shut in from the flags", () => {
    assert.equal(assetState(keyPoints, reading({ RUNNING: true, TRIPPED: false, SHUT_IN: false })), "running");
    assert.equal(assetState(keyPoints, reading({ RUNNING: false, TRIPPED: false, SHUT_IN: false })), "stopped");
    assert.equal(assetState(keyPoints, reading({ RUNNING: false, TRIPPED: true, SHUT_IN: false })), "tripped");
    assert.equal(assetState(keyPoints, reading({ RUNNING: false, TRIPPED: false, SHUT_IN: true })), "shut-in");
  });

  it("does not trust flags of bad quality or that have not arrived", () => {
    assert.equal(assetState(keyPoints, reading({ RUNNING: true }, "bad")), "unknown");
    assert.equal(assetState(keyPoints, reading({})), "unknown");
  });

  it("has no state for assets without flags, and runs a flagless-but-untripped one", () => {
    assert.equal(assetState(keyPointsOf(field.assets[0]), reading({})), "none");
    const tripOnly = keyPointsOf({ id: "C", kind: "compressor", description: "", points: [point("TRIPPED", "bool")] });
    assert.equal(assetState(tripOnly, reading({ TRIPPED: false })), "running");
  });

  it("reports the worst quality present", () => {
    const value = (q: LiveValue["q"]): LiveValue => ({ v: 1, q, t: 1 });
    assert.equal(worstQuality([undefined]), null);
    assert.equal(worstQuality([value("good"), undefined]), "good");
    assert.equal(worstQuality([value("good"), value("uncertain")]), "uncertain");
    assert.equal(worstQuality([value("uncertain"), value("bad"), value("good")]), "bad");
  });
});

describe("web app: field layout", () => {
  const layout = layoutField(field);
  const { nodes } = layout;

  it("places the columns in flow order: compressor, wells, manifold, separators, tanks", () => {
    const x = (id: string) => absolute(nodes, id).x;
    assert.ok(x("COMP-01") < x("WELL-101"));
    assert.ok(x("WELL-101") < x("MAN-01"));
    assert.ok(x("MAN-01") < x("SEP-TEST"));
    assert.equal(x("SEP-TEST"), x("SEP-PROD"));
    assert.ok(x("SEP-PROD") < x("TK-01"));
  });

  it("groups the wells by lift type, ESP first, each parent before its children", () => {
    const groups = nodes.filter((node) => node.type === "liftGroup").map((node) => node.id);
    assert.deepEqual(groups, [groupId("esp"), groupId("gas-lift"), groupId("rod-pump")]);
    for (const node of nodes) {
      if (node.parentId === undefined) continue;
      assert.ok(nodes.findIndex((candidate) => candidate.id === node.parentId) < nodes.indexOf(node));
    }
    const gasLift = nodes.filter((node) => node.parentId === groupId("gas-lift")).map((node) => node.id);
    assert.deepEqual(gasLift, ["WELL-201", "WELL-202"]);
  });

  it("keeps the wells of a group inside it", () => {
    const group = nodes.find((node) => node.id === groupId("gas-lift"))!;
    for (const node of nodes.filter((candidate) => candidate.parentId === group.id)) {
      assert.ok(node.position.x >= 0 && node.position.x + node.width <= group.width);
      assert.ok(node.position.y > 0 && node.position.y + node.height <= group.height);
    }
  });

  it("puts the test separator above the production separator and orders tanks by id", () => {
    assert.ok(absolute(nodes, "SEP-TEST").y < absolute(nodes, "SEP-PROD").y);
    assert.ok(absolute(nodes, "TK-01").y < absolute(nodes, "TK-02").y);
  });

  it("sets the compressor level with the gas-lift wells it feeds", () => {
    const group = nodes.find((node) => node.id === groupId("gas-lift"))!;
    const compressor = absolute(nodes, "COMP-01");
    assert.equal(compressor.y + compressor.height / 2, group.position.y + group.height / 2);
  });

  it("never overlaps two nodes of one column", () => {
    const top = nodes.filter((node) => node.parentId === undefined);
    for (const a of top) {
      for (const b of top) {
        if (a === b || a.position.x !== b.position.x) continue;
        assert.ok(a.position.y + a.height <= b.position.y || b.position.y + b.height <= a.position.y, `${a.id} overlaps ${b.id}`);
      }
    }
  });

  it("sizes a node for at most four values", () => {
    const wellNode = nodes.find((node) => node.id === "WELL-101")!;
    const tank = nodes.find((node) => node.id === "TK-01")!;
    assert.equal(wellNode.width, NODE_WIDTH);
    assert.ok(wellNode.height > tank.height);
    assert.equal(wellNode.height - tank.height, 3 * 22);
  });

  it("draws lift gas lines dashed-ready, drops duplicates and links to unknown assets", () => {
    assert.deepEqual(
      layout.edges.map((edge) => `${edge.id}:${edge.medium}`),
      [
        "WELL-101->MAN-01:liquid",
        "WELL-201->MAN-01:liquid",
        "MAN-01->SEP-TEST:liquid",
        "MAN-01->SEP-PROD:liquid",
        "SEP-PROD->TK-01:liquid",
        "COMP-01->WELL-201:gas",
        "COMP-01->WELL-202:gas",
      ],
    );
  });

  it("closes up the column of a missing compressor", () => {
    const noCompressor = layoutField({ ...field, assets: field.assets.filter((asset) => asset.kind !== "compressor") });
    assert.equal(noCompressor.nodes[0]?.position.x, 0);
  });

  it("lays out an empty site as nothing", () => {
    assert.deepEqual(layoutField({ siteId: "S", assets: [], links: [] }), { nodes: [], edges: [] });
  });
});
