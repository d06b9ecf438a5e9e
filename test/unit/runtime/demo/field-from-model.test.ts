import assert from "node:assert/strict";
import { tagDefinitionsFromModel, topologyFromModel } from "../../../../runtime/demo/field-from-model.js";
import { isTagPath } from "../../../../runtime/tags/tag-path.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";

describe("demo field from the simulator model", () => {
  const model = createOilfield({ seed: 7 });
  const topology = topologyFromModel(model);

  it("lists every asset with its points", () => {
    assert.equal(topology.assets.length, model.assets.length);
    const wells = topology.assets.filter((asset) => asset.kind === "well");
    assert.ok(wells.length >= 12);
    assert.deepEqual(new Set(wells.map((well) => well.liftType)), new Set(["esp", "gas-lift", "rod-pump"]));
    assert.ok(wells.every((well) => well.points.some((point) => point.point === "THP")));
  });

  it("links wells → manifold → separators → tanks, and compressor → gas-lift wells", () => {
    const has = (from: string, to: string, medium: string) =>
      topology.links.some((link) => link.from === from && link.to === to && link.medium === medium);
    assert.ok(has("WELL-101", "MAN-01", "production"));
    assert.ok(has("MAN-01", "SEP-TEST", "production"));
    assert.ok(has("MAN-01", "SEP-PROD", "production"));
    assert.ok(has("SEP-PROD", "TK-01", "oil"));
    assert.ok(has("SEP-PROD", "TK-W1", "water"));
    assert.ok(!has("SEP-PROD", "TK-W1", "oil"));
    assert.ok(has("COMP-01", "WELL-201", "gas"));
    assert.ok(!has("COMP-01", "WELL-101", "gas"), "ESP wells get no lift gas");
  });

  it("defines one valid tag per point, named <site>/<asset>/<point>", () => {
    const tags = tagDefinitionsFromModel(model);
    assert.equal(tags.length, model.points.length);
    assert.ok(tags.every((tag) => isTagPath(tag.path)));
    assert.equal(new Set(tags.map((tag) => tag.path)).size, tags.length);
    const thp = tags.find((tag) => tag.path === "SITE1/WELL-101/THP");
    assert.equal(thp?.unit, "kPa");
  });
});
