import assert from "node:assert/strict";
import { engineeringRange } from "../../../simulator/engineering-ranges.js";
import { createOilfield } from "../../../simulator/model/oilfield.js";

describe("simulator EURanges", () => {
  const model = createOilfield({ seed: 1, startTime: Date.UTC(2026, 0, 1), declineTimeFactor: 365, eventsPerDay: 0 });
  const assetOf = (id: string) => {
    const asset = model.assets.find((candidate) => candidate.id === id);
    if (!asset) throw new Error(`no asset ${id}`);
    return asset;
  };

  it("gives every float point of the oilfield a span, and none to counts, well numbers and booleans", () => {
    for (const point of model.points) {
      const range = engineeringRange(assetOf(point.asset), point);
      const path = `${point.asset}/${point.point}`;
      if (point.dataType !== "float") {
        assert.equal(range, undefined, path);
        continue;
      }
      assert.ok(range && range.low < range.high, `${path}: ${JSON.stringify(range)}`);
      if (point.writable) assert.deepEqual(range, { low: point.min, high: point.max }, `${path} is a setpoint: its write range`);
      if (point.unit === "%") assert.deepEqual(range, { low: 0, high: 100 }, path);
    }
    assert.deepEqual(engineeringRange(assetOf("TK-W1"), { asset: "TK-W1", point: "LEVEL", dataType: "float", unit: "m", description: "", writable: false }), { low: 0, high: 6 });
    assert.deepEqual(engineeringRange(assetOf("SEP-TEST"), { asset: "SEP-TEST", point: "OIL_OUT", dataType: "float", unit: "m3/d", description: "", writable: false }), { low: 0, high: 1000 });
  });

  it("holds what the seeded field produces over three simulated days", () => {
    for (let minute = 0; minute < 3 * 24 * 60; minute++) {
      model.step(60);
      if (minute % 30 !== 0) continue;
      for (const point of model.points) {
        const range = engineeringRange(assetOf(point.asset), point);
        const value = model.read(point.asset, point.point);
        if (!range || typeof value !== "number") continue;
        assert.ok(value >= range.low && value <= range.high, `${point.asset}/${point.point} = ${value} outside ${range.low}–${range.high}`);
      }
    }
  });
});
