import assert from "node:assert/strict";
import {
  convertStandardGasVolume,
  M3_PER_FT3,
  SM3_PER_MSCF,
  standardConditionsValues,
} from "../../../../runtime/units/gas-volume.js";

describe("standard gas volume", () => {
  it("has the exact ft³ factor: 0.3048³ m³", () => {
    // 0.3048 × 0.3048 × 0.3048 = 0.028316846592
    assert.ok(Math.abs(M3_PER_FT3 - 0.3048 ** 3) < 1e-17, "within a double rounding of 0.3048³");
    assert.ok(Math.abs(SM3_PER_MSCF - 28.316846592) < 1e-12);
  });

  it("names the conditions of each setting", () => {
    assert.deepEqual(standardConditionsValues("15C_101.325kPa"), { id: "15C_101.325kPa", temperatureDegC: 15, pressureKpaAbs: 101.325 });
    const imperial = standardConditionsValues("60F_14.696psia");
    // (60 − 32) / 1.8 = 15.5556 °C; 14.696 × 6.894757293168 = 101.32535 kPa
    assert.ok(Math.abs(imperial.temperatureDegC - 15.555556) < 1e-6);
    assert.ok(Math.abs(imperial.pressureKpaAbs - 101.32535) < 1e-5);
  });

  it("converts between bases by the ideal-gas ratio of absolute temperature and pressure", () => {
    // 1000 Sm³ at 288.15 K, 101.325 kPa → at 288.705556 K, 101.325353 kPa:
    // 1000 × (288.705556 / 288.15) × (101.325 / 101.325353) = 1000 × 1.0019280 × 0.9999965 = 1001.9245
    const at60F = convertStandardGasVolume(1000, "15C_101.325kPa", "60F_14.696psia");
    assert.ok(Math.abs(at60F - 1001.9245) < 1e-3, `${at60F}`);
    assert.ok(Math.abs(convertStandardGasVolume(at60F, "60F_14.696psia", "15C_101.325kPa") - 1000) < 1e-9);
    assert.equal(convertStandardGasVolume(1234, "15C_101.325kPa", "15C_101.325kPa"), 1234);
  });
});
