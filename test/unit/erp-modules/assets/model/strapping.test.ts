import assert from "node:assert/strict";
import {
  StrappingError,
  strappingTableProblem,
  verticalCylinderTable,
  volumeAtLevelM3,
  type StrappingPoint,
} from "../../../../../erp-modules/assets/model/strapping.js";

/** A tank whose cross-section narrows above 2 m: 50 m3 per metre below, 30 above. */
const TWO_SLOPES: StrappingPoint[] = [
  { levelM: 0, volumeM3: 0 },
  { levelM: 2, volumeM3: 100 },
  { levelM: 4, volumeM3: 160 },
];

describe("strapping tables", () => {
  it("interpolates linearly between the surrounding points", () => {
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 1), 50);
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 3), 130);
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 2.5), 115);
  });

  it("returns the table's own volume at a point, including both ends", () => {
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 0), 0);
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 2), 100);
    assert.equal(volumeAtLevelM3(TWO_SLOPES, 4), 160);
  });

  it("refuses a level outside the table instead of extrapolating", () => {
    assert.throws(() => volumeAtLevelM3(TWO_SLOPES, 4.01), (error: unknown) => error instanceof StrappingError && /outside the strapping table \(0–4 m\)/.test(error.message));
    assert.throws(() => volumeAtLevelM3(TWO_SLOPES, -0.1), StrappingError);
    assert.throws(() => volumeAtLevelM3(TWO_SLOPES, Number.NaN), StrappingError);
    const raised = [{ levelM: 0.5, volumeM3: 10 }, { levelM: 1, volumeM3: 20 }];
    assert.throws(() => volumeAtLevelM3(raised, 0.2), StrappingError, "a table that starts above 0 m says nothing below its first point");
  });

  it("names what is wrong with a bad table, and the point at fault", () => {
    assert.match(strappingTableProblem([{ levelM: 0, volumeM3: 0 }])?.message ?? "", /at least 2 points, got 1/);
    assert.match(strappingTableProblem([])?.message ?? "", /at least 2 points, got 0/);
    const flatLevel = strappingTableProblem([{ levelM: 0, volumeM3: 0 }, { levelM: 1, volumeM3: 5 }, { levelM: 1, volumeM3: 6 }]);
    assert.equal(flatLevel?.index, 2);
    assert.match(flatLevel?.message ?? "", /levelM 1 must be above the previous 1/);
    const shrinking = strappingTableProblem([{ levelM: 0, volumeM3: 10 }, { levelM: 1, volumeM3: 9 }]);
    assert.equal(shrinking?.index, 1);
    assert.match(shrinking?.message ?? "", /volumeM3 9 is below the previous 10/);
    assert.equal(strappingTableProblem([{ levelM: -1, volumeM3: 0 }, { levelM: 1, volumeM3: 1 }])?.index, 0);
    assert.equal(strappingTableProblem([{ levelM: 0, volumeM3: 0 }, { levelM: Infinity, volumeM3: 1 }])?.index, 1);
    assert.equal(strappingTableProblem(TWO_SLOPES), null);
    assert.equal(strappingTableProblem([{ levelM: 0, volumeM3: 5 }, { levelM: 1, volumeM3: 5 }]), null, "a flat stretch (a level with no volume change) is allowed");
  });

  it("will not read a volume off a bad table", () => {
    assert.throws(() => volumeAtLevelM3([{ levelM: 0, volumeM3: 10 }, { levelM: 1, volumeM3: 9 }], 0.5), /below the previous/);
  });

  it("builds a vertical cylinder's table: area times level at even steps", () => {
    const table = verticalCylinderTable(10, 8, 5);
    assert.deepEqual(
      table.map((point) => point.levelM),
      [0, 2, 4, 6, 8],
    );
    const areaM2 = (Math.PI * 10 * 10) / 4;
    assert.ok(Math.abs((table[4]?.volumeM3 ?? 0) - areaM2 * 8) < 0.001);
    assert.ok(Math.abs(volumeAtLevelM3(table, 3) - areaM2 * 3) < 0.001, "linear interpolation is exact for a cylinder");
    assert.throws(() => verticalCylinderTable(10, 8, 1), StrappingError);
    assert.throws(() => verticalCylinderTable(0, 8, 5), StrappingError);
  });
});
