import assert from "node:assert/strict";
import type { HistorySeries } from "../../../../../../editor/src/api/history";
import { alignPens, appendLiveValues, csvFileName, penDataOf, plottable, trendCsv, withLivePoints } from "../../../../../../editor/src/modules/trends/trend-data";

const T0 = Date.parse("2026-12-07T00:00:00.000Z");
const MIN = 60_000;
const KPA_PER_PSI = 6.894757293168;

function bucket(t: number, min: number, avg: number, max: number, count = 60) {
  return { t, count, min, max, avg, twa: avg, first: min, last: max };
}

const THP: HistorySeries = {
  path: "SITE1/WELL-101/THP",
  unit: "kPa",
  dataType: "float",
  source: "rollup_1m",
  truncated: false,
  bucketMs: MIN,
  buckets: [bucket(T0, 1000, 1100, 1200), { t: T0 + MIN, count: 0, min: null, max: null, avg: null, twa: null, first: null, last: null }, bucket(T0 + 2 * MIN, 2000, 2068.4271879504, 2100)],
};

const TEMPERATURE: HistorySeries = {
  path: "SITE1/WELL-101/TEMP",
  unit: "degC",
  dataType: "float",
  source: "raw",
  truncated: false,
  points: [
    { t: T0 + 30_000, v: 100, q: "good" },
    { t: T0 + MIN, v: 50, q: "bad" },
    { t: T0 + 2 * MIN, v: 0, q: "uncertain" },
  ],
};

describe("web app: trend data (units, alignment, live tail, CSV)", () => {
  it("converts bucket averages and their min/max band to the site's units, empty buckets as gaps", () => {
    const metric = penDataOf(THP, { system: "metric" });
    assert.equal(metric.unitLabel, "kPa");
    assert.deepEqual(metric.values, [1100, null, 2068.4271879504]);
    const oilfield = penDataOf(THP, { system: "oilfield" });
    assert.equal(oilfield.unitLabel, "psi");
    assert.ok(Math.abs((oilfield.values[2] ?? 0) - 2068.4271879504 / KPA_PER_PSI) < 1e-9);
    assert.ok(Math.abs((oilfield.mins?.[0] ?? 0) - 1000 / KPA_PER_PSI) < 1e-9);
    assert.ok(Math.abs((oilfield.maxs?.[0] ?? 0) - 1200 / KPA_PER_PSI) < 1e-9);
    assert.deepEqual(oilfield.mins?.[1], null);
  });

  it("prefers the tag's own display unit over the unit system", () => {
    const bar = penDataOf(THP, { system: "oilfield", displayUnit: "bar" });
    assert.equal(bar.unitLabel, "bar");
    assert.ok(Math.abs((bar.values[0] ?? 0) - 11) < 1e-9);
  });

  it("plots raw values in display units, bad quality as a gap, flags as 0/1 and text not at all", () => {
    const fahrenheit = penDataOf(TEMPERATURE, { system: "oilfield" });
    assert.equal(fahrenheit.unitLabel, "°F");
    assert.deepEqual(fahrenheit.values, [212, null, 32]);
    assert.equal(fahrenheit.mins, null);
    assert.equal(plottable(true, "good"), 1);
    assert.equal(plottable(false, "uncertain"), 0);
    assert.equal(plottable("open", "good"), null);
    assert.equal(plottable(Number.NaN, "good"), null);
  });

  it("puts every pen on one time column, null where a pen has no value", () => {
    const aligned = alignPens([penDataOf(THP, { system: "metric" }), penDataOf(TEMPERATURE, { system: "metric" })]);
    assert.deepEqual(aligned.times, [T0, T0 + 30_000, T0 + MIN, T0 + 2 * MIN]);
    assert.deepEqual(aligned.pens[0]?.values, [1100, null, null, 2068.4271879504]);
    assert.deepEqual(aligned.pens[1]?.values, [null, 100, null, 0]);
    assert.deepEqual(aligned.pens[0]?.maxs, [1200, null, null, 2100]);
  });

  it("appends live values newer than the history, converted, the band ending where they start", () => {
    const stored = penDataOf(THP, { system: "metric" });
    const tail = withLivePoints(stored, [{ t: T0 + 3 * MIN, v: 3000, q: "good" }, { t: T0, v: 1, q: "good" }], "kPa", { system: "oilfield" });
    assert.deepEqual(tail.times, [T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    assert.ok(Math.abs((tail.values[3] ?? 0) - 3000 / KPA_PER_PSI) < 1e-9);
    assert.equal(tail.mins?.[3], null);
    assert.equal(withLivePoints(stored, [], "kPa", { system: "metric" }), stored);
  });

  it("keeps the live feed's values as they change, dropping those slid out of the window", () => {
    const path = "SITE1/WELL-101/THP";
    let buffer = appendLiveValues(new Map(), new Map([[path, { v: 1, q: "good" as const, t: T0 }]]), [path], T0 - MIN);
    buffer = appendLiveValues(buffer, new Map([[path, { v: 1, q: "good" as const, t: T0, u: T0 + MIN }]]), [path], T0 - MIN);
    const same = appendLiveValues(buffer, new Map([[path, { v: 1, q: "good" as const, t: T0, u: T0 + MIN }]]), [path], T0 - MIN);
    assert.equal(same, buffer, "an unchanged feed leaves the buffer as it is (no re-render)");
    assert.deepEqual(buffer.get(path)?.map((point) => point.t), [T0, T0 + MIN]);
    const slid = appendLiveValues(buffer, new Map(), [path], T0 + 30_000);
    assert.deepEqual(slid.get(path)?.map((point) => point.t), [T0 + MIN]);
  });

  it("exports what is shown as CSV: ISO times, display units in the headers, band columns, rows in the window", () => {
    const pens = [penDataOf(THP, { system: "oilfield" }), penDataOf(TEMPERATURE, { system: "oilfield" })];
    const csv = trendCsv(alignPens(pens), pens, { fromMs: T0 + 1, toMs: T0 + 2 * MIN });
    assert.equal(
      csv,
      [
        "time,SITE1/WELL-101/THP (psi),SITE1/WELL-101/THP min (psi),SITE1/WELL-101/THP max (psi),SITE1/WELL-101/TEMP (°F)",
        "2026-12-07T00:00:30.000Z,,,,212",
        "2026-12-07T00:02:00.000Z,300,290.07547546,304.579249233,32",
        "",
      ].join("\r\n"),
    );
    assert.equal(csvFileName({ fromMs: T0, toMs: T0 + 2 * MIN }), "trend-20261207T0000-20261207T0002.csv");
  });

  it("quotes a header that holds a comma", () => {
    const pen = { ...penDataOf(TEMPERATURE, { system: "metric" }), path: "SITE1/A,B/T" };
    assert.ok(trendCsv(alignPens([pen]), [pen], { fromMs: T0, toMs: T0 + MIN }).startsWith('time,"SITE1/A,B/T (°C)"\r\n'));
  });
});
