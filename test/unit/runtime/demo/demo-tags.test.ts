import assert from "node:assert/strict";
import { tagDefinitionsFromModel } from "../../../../runtime/demo/demo-tags.js";
import { isTagPath } from "../../../../runtime/tags/tag-path.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";

describe("demo tags from the simulator model", () => {
  const model = createOilfield({ seed: 7 });

  it("defines one valid tag per point, named <site>/<asset>/<point>", () => {
    const tags = tagDefinitionsFromModel(model);
    assert.equal(tags.length, model.points.length);
    assert.ok(tags.every((tag) => isTagPath(tag.path)));
    assert.equal(new Set(tags.map((tag) => tag.path)).size, tags.length);
    const thp = tags.find((tag) => tag.path === "SITE1/WELL-101/THP");
    assert.equal(thp?.unit, "kPa");
    assert.equal(thp?.writable, false);
  });

  it("makes setpoints writable within the simulator's range", () => {
    const choke = tagDefinitionsFromModel(model).find((tag) => tag.path === "SITE1/WELL-101/CHOKE_SP");
    const point = model.points.find((candidate) => candidate.asset === "WELL-101" && candidate.point === "CHOKE_SP");
    assert.ok(point?.writable);
    assert.deepEqual([choke?.writable, choke?.writeMin, choke?.writeMax], [true, point.min, point.max]);
  });
});
