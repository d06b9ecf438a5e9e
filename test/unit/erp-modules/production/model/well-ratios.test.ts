import assert from "node:assert/strict";
import { wellRatios } from "../../../../../erp-modules/production/model/well-ratios.js";

describe("production/model/well-ratios", () => {
  it("computes water cut, GOR and WOR by hand", () => {
    // oil 20 m3, water 80 m3, gas 1500 Sm3:
    // water cut = 80 / (20 + 80) = 0.8 → 80 %; GOR = 1500 / 20 = 75 Sm3/m3; WOR = 80 / 20 = 4.
    const ratios = wellRatios({ oilM3: 20, gasSm3: 1500, waterM3: 80 });
    assert.equal(ratios.waterCutPercent, 80);
    assert.equal(ratios.gorSm3PerM3, 75);
    assert.equal(ratios.worM3PerM3, 4);
  });

  it("is null where the denominator is 0, never NaN or Infinity", () => {
    // No oil: GOR and WOR have no denominator; water cut = 5 / (0 + 5) = 100 %.
    assert.deepEqual(wellRatios({ oilM3: 0, gasSm3: 300, waterM3: 5 }), { waterCutPercent: 100, gorSm3PerM3: null, worM3PerM3: null });
    // A shut-in well: nothing at all.
    assert.deepEqual(wellRatios({ oilM3: 0, gasSm3: 0, waterM3: 0 }), { waterCutPercent: null, gorSm3PerM3: null, worM3PerM3: null });
  });

  it("gives a dry well a water cut of 0 and a WOR of 0", () => {
    // oil 12.5, water 0, gas 250: cut 0 / 12.5 = 0 %, GOR 250 / 12.5 = 20, WOR 0.
    assert.deepEqual(wellRatios({ oilM3: 12.5, gasSm3: 250, waterM3: 0 }), { waterCutPercent: 0, gorSm3PerM3: 20, worM3PerM3: 0 });
  });
});
