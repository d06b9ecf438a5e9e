import assert from "node:assert/strict";
import type { AssetTreeNode } from "../../../../../../editor/src/api/assets";
import {
  ancestorIds,
  buildAssetTree,
  childKindsFor,
  countWells,
  parentCandidates,
  type AssetTreeItem,
} from "../../../../../../editor/src/modules/assets/asset-tree";

const field: AssetTreeNode = { id: "f1", parentId: null, kind: "field", code: "CAMPO-NORTE", name: "Campo Norte" };
const pad: AssetTreeNode = { id: "s1", parentId: "f1", kind: "site", code: "PAD-A", name: "Pad A", siteType: "pad" };
const battery: AssetTreeNode = { id: "s2", parentId: "f1", kind: "site", code: "BAT-1", name: "Batería 1", siteType: "battery" };
const well10: AssetTreeNode = { id: "w10", parentId: "s1", kind: "well", code: "WELL-10", name: "Well 10", status: "producing", liftType: "esp" };
const well9: AssetTreeNode = { id: "w9", parentId: "s1", kind: "well", code: "WELL-9", name: "Well 9", status: "shut_in", liftType: "rod_pump" };
const esp: AssetTreeNode = { id: "e1", parentId: "w10", kind: "equipment", code: "ESP-10", name: "ESP of well 10", equipmentType: "esp" };
const separator: AssetTreeNode = { id: "e2", parentId: "s1", kind: "equipment", code: "AAA-SEP", name: "Separator", equipmentType: "separator" };
const tank: AssetTreeNode = { id: "e3", parentId: "s2", kind: "equipment", code: "TK-01", name: "Tank 1", equipmentType: "tank" };

// The server answers ordered by code, children before their parents included.
const NODES = [tank, esp, separator, well10, well9, battery, pad, field];

/** The tree as indented "code" lines, to compare shapes at a glance. */
function outline(items: readonly AssetTreeItem[], depth = 0): string[] {
  return items.flatMap((item) => [`${"  ".repeat(depth)}${item.node.code}`, ...outline(item.children, depth + 1)]);
}

describe("web app: asset tree", () => {
  it("nests field, sites, wells and equipment from the flat list", () => {
    assert.deepEqual(outline(buildAssetTree(NODES)), [
      "CAMPO-NORTE",
      "  BAT-1",
      "    TK-01",
      "  PAD-A",
      "    WELL-9",
      "    WELL-10",
      "      ESP-10",
      "    AAA-SEP",
    ]);
  });

  it("orders codes as a person reads them (WELL-9 before WELL-10) and wells before a site's equipment", () => {
    const [root] = buildAssetTree(NODES);
    const padItem = root?.children.find((child) => child.node.id === "s1");
    assert.deepEqual(padItem?.children.map((child) => child.node.code), ["WELL-9", "WELL-10", "AAA-SEP"]);
  });

  it("shows an asset whose parent is missing at the top instead of dropping it", () => {
    const orphan: AssetTreeNode = { ...well9, id: "w99", parentId: "gone", code: "WELL-99" };
    const roots = buildAssetTree([field, orphan]);
    assert.deepEqual(roots.map((item) => item.node.code), ["CAMPO-NORTE", "WELL-99"]);
  });

  it("survives a parent loop without losing its members", () => {
    const a: AssetTreeNode = { ...pad, id: "a", parentId: "b", code: "A" };
    const b: AssetTreeNode = { ...pad, id: "b", parentId: "a", code: "B" };
    const self: AssetTreeNode = { ...pad, id: "c", parentId: "c", code: "C" };
    assert.deepEqual(outline(buildAssetTree([a, b, self])).sort(), ["  B", "A", "C"]);
  });

  it("gives the path from the root down to an asset's parent", () => {
    assert.deepEqual(ancestorIds(NODES, "e1"), ["f1", "s1", "w10"]);
    assert.deepEqual(ancestorIds(NODES, "f1"), []);
    assert.deepEqual(ancestorIds(NODES, "unknown"), []);
  });

  it("counts the wells under a field or site", () => {
    const [root] = buildAssetTree(NODES);
    assert.ok(root);
    assert.equal(countWells(root), 2);
    assert.equal(countWells(root.children[0]), 0);
  });

  it("offers only the parents the hierarchy allows, ordered by code", () => {
    assert.deepEqual(parentCandidates(NODES, "well").map((node) => node.code), ["BAT-1", "PAD-A"]);
    assert.deepEqual(parentCandidates(NODES, "equipment").map((node) => node.code), ["BAT-1", "PAD-A", "WELL-9", "WELL-10"]);
    assert.deepEqual(parentCandidates(NODES, "field"), []);
    assert.deepEqual(parentCandidates(NODES, "site").map((node) => node.code), ["CAMPO-NORTE"]);
    assert.deepEqual(childKindsFor("field"), ["site"]);
    assert.deepEqual(childKindsFor("site"), ["well", "equipment"]);
    assert.deepEqual(childKindsFor("well"), ["equipment"]);
    assert.deepEqual(childKindsFor("equipment"), []);
  });
});
