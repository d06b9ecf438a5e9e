import assert from "node:assert/strict";
import type { Asset } from "../../../../../../editor/src/api/field";
import { trendStateFromParams } from "../../../../../../editor/src/modules/trends/trend-state";
import { trendsLink, wellTrendPens } from "../../../../../../editor/src/modules/trends/well-trends";

const point = (name: string, unit: string) => ({ point: name, unit, description: "", writable: false });

describe("web app: a well's faceplate trend", () => {
  it("trends the well's numeric key tags on their own axes, leaving its flags to the state badge", () => {
    const well: Asset = { id: "WELL-101", kind: "well", description: "", points: [point("RUNNING", "bool"), point("MOTOR_AMPS", "A"), point("THP", "kPa"), point("OIL_RATE", "m3/d")] };
    assert.deepEqual(wellTrendPens("SITE1", well), [
      { path: "SITE1/WELL-101/OIL_RATE", axis: 0 },
      { path: "SITE1/WELL-101/THP", axis: 1 },
    ]);
  });

  it("falls back to the first numeric points of a well without numeric key tags", () => {
    const well: Asset = { id: "W-9", kind: "well", description: "", points: [point("RUNNING", "bool"), point("AMPS", "A"), point("HZ", "Hz"), point("VIB", "mm/s"), point("T", "degC")] };
    assert.deepEqual(wellTrendPens("S", well).map((pen) => pen.path), ["S/W-9/AMPS", "S/W-9/HZ", "S/W-9/VIB"]);
  });

  it("links to the Trends screen with the same pens over the last 24 hours", () => {
    const pens = [{ path: "SITE1/WELL-101/OIL_RATE", axis: 0 }, { path: "SITE1/WELL-101/THP", axis: 1 }];
    const link = trendsLink(pens);
    assert.ok(link.startsWith("/trends?"));
    const state = trendStateFromParams(new URLSearchParams(link.slice("/trends?".length)));
    assert.deepEqual(state, { pens, range: { kind: "preset", preset: "24h" }, live: false, viewId: null });
  });
});
