import { SM3_PER_MSCF } from "../../../../../runtime/units/gas-volume";
import assert from "node:assert/strict";
import { formatTimestamp } from "../../../../../editor/src/units/format-time";
import { overrideFor, resolveUnitSystem } from "../../../../../editor/src/units/unit-preference";
import { displayUnitLabel, formatNumber, formatQuantity, formatScalar, fromDisplay, toDisplay } from "../../../../../editor/src/units/units";

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe("web app: unit conversion", () => {
  it("leaves every unit as sent in the metric system", () => {
    for (const unit of ["kPa", "degC", "m3/d", "Sm3/d", "m", "m3", "kN", "kW", "rpm"]) {
      assert.equal(toDisplay(123.4, unit, "metric").value, 123.4);
    }
    assert.equal(displayUnitLabel("m3/d", "metric"), "m³/d");
    assert.equal(displayUnitLabel("degC", "metric"), "°C");
  });

  it("converts to oilfield units with the contract's factors", () => {
    close(toDisplay(689.4757, "kPa", "oilfield").value, 100, 1e-4);
    assert.equal(toDisplay(100, "degC", "oilfield").value, 212);
    assert.equal(toDisplay(-40, "degC", "oilfield").value, -40);
    close(toDisplay(158.987294928, "m3/d", "oilfield").value, 1000);
    close(toDisplay(SM3_PER_MSCF, "Sm3/d", "oilfield").value, 1);
    close(toDisplay(0.3048, "m", "oilfield").value, 1);
    close(toDisplay(0.158987294928, "m3", "oilfield").value, 1);
    close(toDisplay(4.4482216152605, "kN", "oilfield").value, 1000);
    close(toDisplay(0.745699871582, "kW", "oilfield").value, 1);
    assert.deepEqual(
      ["kPa", "degC", "m3/d", "Sm3/d", "m", "m3", "kN", "kW"].map((unit) => displayUnitLabel(unit, "oilfield")),
      ["psi", "°F", "bbl/d", "Mscf/d", "ft", "bbl", "lbf", "hp"],
    );
  });

  it("leaves the units oilfield practice shares with SI unchanged", () => {
    for (const unit of ["A", "Hz", "mm/s", "%", "rpm", "spm"]) {
      const shown = toDisplay(42.5, unit, "oilfield");
      assert.equal(shown.value, 42.5);
      assert.equal(shown.unit, unit);
    }
  });

  it("shows an unknown unit as sent, and no unit for flags and plain numbers", () => {
    assert.deepEqual(toDisplay(3, "ppm", "oilfield"), { value: 3, unit: "ppm", decimals: 2, fixed: false });
    assert.equal(displayUnitLabel("bool", "oilfield"), "");
    assert.equal(displayUnitLabel("", "metric"), "");
    assert.equal(displayUnitLabel("toString", "metric"), "toString");
  });
});

describe("web app: typed values back to canonical units (setpoint writes)", () => {
  it("inverts every display conversion: psi, °F, bbl/d, a tag's own display unit, and plain units", () => {
    for (const [unit, system, preferred] of [["kPa", "oilfield", null], ["degC", "oilfield", null], ["m3/d", "oilfield", null], ["kPa", "metric", "bar"], ["%", "oilfield", null]] as const) {
      for (const canonical of [0, 37.5, 1234.5]) {
        const shown = toDisplay(canonical, unit, system, preferred).value;
        assert.ok(Math.abs(fromDisplay(shown, unit, system, preferred) - canonical) < 1e-9, `${canonical} ${unit} (${system}, ${preferred ?? "system"})`);
      }
    }
    assert.ok(Math.abs(fromDisplay(212, "degC", "oilfield") - 100) < 1e-9);
  });
});

describe("web app: number formatting", () => {
  it("uses the locale's separators and the unit's decimals", () => {
    assert.equal(formatQuantity(1234.56, "kPa", "metric", "en"), "1,235 kPa");
    assert.equal(formatQuantity(1234.56, "kPa", "oilfield", "en"), "179.1 psi");
    assert.equal(formatQuantity(12345.6, "m3/d", "metric", "es"), "12.345,6 m³/d");
    assert.equal(formatQuantity(45.25, "%", "metric", "es"), "45,3 %");
    assert.equal(formatQuantity(100, "m3/d", "oilfield", "en"), "629 bbl/d");
  });

  it("never prints a negative zero", () => {
    assert.equal(formatNumber(-0.01, 1, "en"), "0.0");
    assert.equal(formatNumber(-0.4, 0, "es"), "0");
    assert.equal(formatNumber(-0.6, 0, "es"), "-1");
  });

  it("formats flags, text and missing values with the given words", () => {
    const labels = { true: "Sí", false: "No", none: "—" };
    assert.equal(formatScalar(true, "bool", "metric", "es", labels), "Sí");
    assert.equal(formatScalar(false, "bool", "metric", "es", labels), "No");
    assert.equal(formatScalar(null, "kPa", "metric", "es", labels), "—");
    assert.equal(formatScalar("AUTO", "", "metric", "es", labels), "AUTO");
    assert.equal(formatScalar(7, "", "metric", "en", labels), "7");
    assert.equal(formatScalar(3.14159, "1/min", "metric", "es", labels), "3,14 1/min");
  });

  it("shows the date only for readings from another day", () => {
    const now = new Date(2026, 5, 15, 12, 0, 0).getTime();
    assert.equal(formatTimestamp(new Date(2026, 5, 15, 8, 5, 9).getTime(), "en-GB", now), "08:05:09");
    assert.match(formatTimestamp(new Date(2026, 5, 14, 8, 5, 9).getTime(), "es", now), /14\/06\/2026.*08:05:09/);
  });
});

describe("web app: unit system preference", () => {
  it("prefers the user's stored choice, then the site's, then metric", () => {
    assert.equal(resolveUnitSystem("oilfield", "metric"), "oilfield");
    assert.equal(resolveUnitSystem(null, "oilfield"), "oilfield");
    assert.equal(resolveUnitSystem("imperial", undefined), "metric");
  });

  it("stores nothing when the user picks the site's own system", () => {
    assert.equal(overrideFor("metric", "metric"), null);
    assert.equal(overrideFor("oilfield", "metric"), "oilfield");
    assert.equal(overrideFor("metric", undefined), "metric");
  });
});

describe("web app: a tag's own display unit", () => {
  it("wins over the unit system when it fits the tag's unit", () => {
    assert.equal(formatQuantity(1500, "kPa", "oilfield", "en", "bar"), "15.00 bar");
    assert.equal(displayUnitLabel("kPa", "metric", "psi"), "psi");
    assert.equal(displayUnitLabel("degC", "metric", "degF"), "°F");
    // A display unit that does not fit is ignored: the unit system decides.
    assert.equal(displayUnitLabel("kPa", "oilfield", "degF"), "psi");
  });
});
