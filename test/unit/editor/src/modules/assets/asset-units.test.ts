import assert from "node:assert/strict";
import { fromInputText, parseDecimal, toInputText, unitLabel } from "../../../../../../editor/src/modules/assets/asset-units";
import { formatQuantity } from "../../../../../../editor/src/units/units";

describe("web app: asset quantities in the site's units", () => {
  it("labels depths, diameters and volumes per unit system", () => {
    const units = ["m", "mm", "m3"] as const;
    assert.deepEqual(units.map((unit) => unitLabel(unit, "metric")), ["m", "mm", "m³"]);
    assert.deepEqual(units.map((unit) => unitLabel(unit, "oilfield")), ["ft", "in", "bbl"]);
  });

  it("shows SI values in the inputs with one decimal more than the screens", () => {
    assert.equal(toInputText(2500, "m", "metric"), "2500");
    assert.equal(toInputText(2500, "m", "oilfield"), "8202.1");
    assert.equal(toInputText(73.025, "mm", "oilfield"), "2.875");
    assert.equal(toInputText(139.7, "mm", "oilfield"), "5.5");
    assert.equal(toInputText(1000, "m3", "oilfield"), "6289.8");
    assert.equal(toInputText(null, "m", "oilfield"), "");
    assert.equal(toInputText(undefined, "m3", "metric"), "");
  });

  it("converts typed values back to SI", () => {
    assert.deepEqual(fromInputText("8202.1", "m", "oilfield"), { value: 2500.00008 });
    assert.deepEqual(fromInputText("2.875", "mm", "oilfield"), { value: 73.025 });
    assert.deepEqual(fromInputText("1", "m3", "oilfield"), { value: 0.158987 });
    assert.deepEqual(fromInputText("100", "m", "metric"), { value: 100 });
    assert.deepEqual(fromInputText("0,5", "m", "metric"), { value: 0.5 });
    assert.deepEqual(fromInputText("  ", "m", "oilfield"), { value: null });
    assert.deepEqual(fromInputText("12 ft", "m", "oilfield"), { invalid: true });
  });

  it("keeps an untouched value exact, not moved by the rounding of its feet", () => {
    for (const depthM of [2500, 1234.5678, 0.001]) {
      const text = toInputText(depthM, "m", "oilfield");
      assert.deepEqual(fromInputText(text, "m", "oilfield", depthM), { value: depthM });
    }
    assert.deepEqual(fromInputText("8202.2", "m", "oilfield", 2500), { value: 2500.03056 });
  });

  it("prints diameters in millimetres or thousandths of an inch", () => {
    assert.equal(formatQuantity(73.025, "mm", "metric", "en"), "73.0 mm");
    assert.equal(formatQuantity(73.025, "mm", "oilfield", "es"), "2,875 in");
  });

  it("reads numbers as people type them and nothing else", () => {
    assert.deepEqual(parseDecimal("-12.5"), { value: -12.5 });
    assert.deepEqual(parseDecimal("3,25"), { value: 3.25 });
    assert.deepEqual(parseDecimal(".5"), { value: 0.5 });
    assert.deepEqual(parseDecimal(""), { value: null });
    for (const text of ["1e3", "0x10", "1.2.3", "-", "abc", "1 000"]) assert.deepEqual(parseDecimal(text), { invalid: true }, text);
  });
});
