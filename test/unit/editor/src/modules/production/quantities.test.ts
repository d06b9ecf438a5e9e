import { SM3_PER_MSCF } from "../../../../../../runtime/units/gas-volume";
import assert from "node:assert/strict";
import {
  fluidRateUnit,
  fluidVolumeUnit,
  formatHours,
  formatValue,
  parseDecimal,
  toCanonical,
} from "../../../../../../editor/src/modules/production/quantities";
import { displayUnitLabel, formatQuantity, toDisplay } from "../../../../../../editor/src/units/units";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe("web app: production quantities", () => {
  it("turns oilfield inputs back into SI with the display factors", () => {
    close(toCanonical(10, "m", "oilfield"), 3.048);
    close(toCanonical(100, "m3", "oilfield"), 15.8987294928);
    close(toCanonical(1, "Sm3", "oilfield"), SM3_PER_MSCF);
    close(toCanonical(629, "m3/d", "oilfield"), 629 * 0.158987294928);
    close(toCanonical(1, "Sm3/d", "oilfield"), SM3_PER_MSCF);
    close(toCanonical(100, "kPa", "oilfield"), 689.4757293168, 1e-9);
    // Temperatures have an offset, not only a factor.
    close(toCanonical(212, "degC", "oilfield"), 100);
    close(toCanonical(-40, "degC", "oilfield"), -40);
    close(toCanonical(32, "degC", "oilfield"), 0);
  });

  it("leaves metric inputs as typed", () => {
    for (const unit of ["m", "m3", "Sm3", "m3/d", "Sm3/d", "kPa", "degC"] as const) {
      assert.equal(toCanonical(12.5, unit, "metric"), 12.5);
    }
  });

  it("is the inverse of what is shown, in both systems", () => {
    for (const system of ["metric", "oilfield"] as const) {
      for (const unit of ["m", "m3", "Sm3", "m3/d", "Sm3/d", "kPa", "degC"] as const) {
        close(toDisplay(toCanonical(37.25, unit, system), unit, system).value, 37.25, 1e-9);
      }
    }
  });

  it("shows gas volumes as standard volumes (Sm³ / Mscf), liquids as m³ / bbl", () => {
    assert.equal(fluidVolumeUnit("gas"), "Sm3");
    assert.equal(fluidVolumeUnit("oil"), "m3");
    assert.equal(fluidVolumeUnit("water"), "m3");
    assert.equal(fluidRateUnit("gas"), "Sm3/d");
    assert.equal(fluidRateUnit("water"), "m3/d");
    assert.equal(formatQuantity(SM3_PER_MSCF * 12.5, "Sm3", "oilfield", "en"), "12.5 Mscf");
    assert.equal(formatQuantity(1000, "Sm3", "metric", "es"), "1000 Sm³");
    assert.equal(displayUnitLabel("Sm3", "oilfield"), "Mscf");
  });

  it("reads a decimal comma and refuses what is not a number", () => {
    assert.equal(parseDecimal(" 12,5 "), 12.5);
    assert.equal(parseDecimal("7"), 7);
    assert.equal(parseDecimal(""), null);
    assert.equal(parseDecimal("abc"), null);
    assert.equal(parseDecimal("1e400"), null);
  });

  it("prints table numbers without their unit (the header has it), a missing value as a dash", () => {
    assert.equal(formatValue(1000 * 0.158987294928, "m3", "oilfield", "en"), "1,000");
    assert.equal(formatValue(12.345, "m3", "metric", "es"), "12,3");
    assert.equal(formatValue(null, "m3", "oilfield", "en"), "—");
  });

  it("prints hours with at most one decimal", () => {
    assert.equal(formatHours(21.5, "es"), "21,5 h");
    assert.equal(formatHours(24, "en"), "24 h");
    assert.equal(formatHours(2.04, "en"), "2 h");
  });
});
