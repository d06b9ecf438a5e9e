import assert from "node:assert/strict";
import type { FieldAsset, FieldPoint } from "../../../../../../editor/src/api/field";
import { trendStateFromParams } from "../../../../../../editor/src/modules/trends/trend-state";
import { trendsLink, wellTrendPens } from "../../../../../../editor/src/modules/trends/well-trends";

const point = (asset: string, name: string, unit: string): FieldPoint => ({
  role: name.toLowerCase(),
  tagPath: `SITE1/${asset}/${name}`,
  point: name,
  unit,
  description: "",
  writable: false,
});
const well = (code: string, points: FieldPoint[]): FieldAsset => ({
  assetId: "00000000-0000-4000-8000-000000000001",
  code,
  name: code,
  kind: "well",
  parentCode: null,
  points,
});

describe("web app: a well's faceplate trend", () => {
  it("trends the well's numeric key tags on their own axes, leaving its flags to the state badge", () => {
    const w = "WELL-101";
    const pens = wellTrendPens(well(w, [point(w, "RUNNING", "bool"), point(w, "MOTOR_AMPS", "A"), point(w, "THP", "kPa"), point(w, "OIL_RATE", "m3/d")]));
    assert.deepEqual(pens, [
      { path: "SITE1/WELL-101/OIL_RATE", axis: 0 },
      { path: "SITE1/WELL-101/THP", axis: 1 },
    ]);
  });

  it("falls back to the first numeric points of a well without numeric key tags", () => {
    const w = "W-9";
    const points = [point(w, "RUNNING", "bool"), point(w, "AMPS", "A"), point(w, "HZ", "Hz"), point(w, "VIB", "mm/s"), point(w, "T", "degC")];
    assert.deepEqual(wellTrendPens(well(w, points)).map((pen) => pen.path), ["SITE1/W-9/AMPS", "SITE1/W-9/HZ", "SITE1/W-9/VIB"]);
  });

  it("links to the Trends screen with the same pens over the last 24 hours", () => {
    const pens = [{ path: "SITE1/WELL-101/OIL_RATE", axis: 0 }, { path: "SITE1/WELL-101/THP", axis: 1 }];
    const link = trendsLink(pens);
    assert.ok(link.startsWith("/trends?"));
    const state = trendStateFromParams(new URLSearchParams(link.slice("/trends?".length)));
    assert.deepEqual(state, { pens, range: { kind: "preset", preset: "24h" }, live: false, viewId: null });
  });
});
