import assert from "node:assert/strict";
import {
  absoluteRange,
  bucketMsFor,
  MIN_WINDOW_MS,
  panWindow,
  pointsForWidth,
  selectedWindow,
  trendStateFromParams,
  trendStateToParams,
  windowOf,
  withAxes,
  zoomWindow,
  type TrendState,
} from "../../../../../../editor/src/modules/trends/trend-state";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-12-07T12:00:00.000Z");

describe("web app: trend state (range, points, URL)", () => {
  it("asks for about one point per pixel, within the API's limits and a readable floor", () => {
    assert.equal(pointsForWidth(1234.4), 1250);
    assert.equal(pointsForWidth(1224), 1200, "a scrollbar's width either way asks for the same");
    assert.equal(pointsForWidth(40), 100);
    assert.equal(pointsForWidth(50_000), 10_000);
    assert.equal(pointsForWidth(0), 200);
    assert.equal(pointsForWidth(Number.NaN), 200);
  });

  it("so a week on a 1000-pixel chart comes in buckets of about ten minutes (rollups), an hour in seconds", () => {
    const week = windowOf({ kind: "preset", preset: "7d" }, NOW);
    assert.equal(week.toMs - week.fromMs, 7 * 24 * HOUR);
    assert.equal(bucketMsFor(week, pointsForWidth(1000)), 605_000);
    const hour = { fromMs: NOW - HOUR, toMs: NOW };
    assert.equal(bucketMsFor(hour, pointsForWidth(1000)), 4000);
    assert.equal(bucketMsFor({ fromMs: NOW - 60_000, toMs: NOW }, 1000), 1000, "never under the API's 1 s minimum");
  });

  it("pans by a fraction of the window and zooms around its centre, never narrower than a minute", () => {
    const window = { fromMs: NOW - 8 * HOUR, toMs: NOW };
    assert.deepEqual(panWindow(window, -0.5), { fromMs: NOW - 12 * HOUR, toMs: NOW - 4 * HOUR });
    assert.deepEqual(zoomWindow(window, 2), { fromMs: NOW - 12 * HOUR, toMs: NOW + 4 * HOUR });
    const tiny = zoomWindow({ fromMs: NOW, toMs: NOW + 1000 }, 0.5);
    assert.equal(tiny.toMs - tiny.fromMs, MIN_WINDOW_MS);
  });

  it("takes a drag in either direction, and widens a click-sized one to a minute", () => {
    assert.deepEqual(selectedWindow(NOW, NOW - HOUR), { fromMs: NOW - HOUR, toMs: NOW });
    const small = selectedWindow(NOW, NOW + 10);
    assert.equal(small.toMs - small.fromMs, MIN_WINDOW_MS);
  });

  it("round-trips a trend through the URL", () => {
    const states: TrendState[] = [
      { pens: [{ path: "SITE1/WELL-101/THP", axis: 0 }, { path: "SITE1/WELL-101/OIL_RATE", axis: 1 }], range: { kind: "preset", preset: "7d" }, live: true, viewId: null },
      { pens: [{ path: "SITE1/TK-01/LEVEL", axis: 0 }], range: absoluteRange({ fromMs: NOW - HOUR, toMs: NOW }), live: false, viewId: "0190a8d2-0000-7000-8000-000000000000" },
    ];
    for (const state of states) assert.deepEqual(trendStateFromParams(trendStateToParams(state)), state);
    assert.equal(trendStateToParams(states[0]).toString(), "pen=SITE1%2FWELL-101%2FTHP%7E0&pen=SITE1%2FWELL-101%2FOIL_RATE%7E1&range=7d&live=1");
    assert.equal(trendStateToParams(states[1]).get("from"), "2026-12-07T11:00:00.000Z");
  });

  it("turns a hand-edited URL into something showable", () => {
    const state = trendStateFromParams(new URLSearchParams("pen=SITE1/A/P~9&pen=SITE1/A/Q&pen=SITE1/A/Q~1&pen=~0&pen=SITE1/A/R~x&from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z&live=1&view="));
    assert.deepEqual(state.pens, [{ path: "SITE1/A/Q", axis: 0 }], "bad axes, repeats and empty paths are dropped");
    assert.deepEqual(state.range, { kind: "preset", preset: "24h" }, "an end before the start is the default range");
    assert.equal(state.live, true);
    assert.equal(state.viewId, null);
    const zoomed = trendStateFromParams(new URLSearchParams("pen=SITE1/A/Q&from=2026-12-07T09:00:00Z&to=2026-12-07T10:00:00Z&live=1"));
    assert.equal(zoomed.live, false, "a live tail slides a window ending now: not a fixed range");
  });

  it("puts pens on one shared axis or one axis each", () => {
    const pens = [{ path: "SITE1/A/P", axis: 0 }, { path: "SITE1/A/Q", axis: 0 }, { path: "SITE1/A/R", axis: 0 }];
    assert.deepEqual(withAxes(pens, true).map((pen) => pen.axis), [0, 1, 2]);
    assert.deepEqual(withAxes(withAxes(pens, true), false).map((pen) => pen.axis), [0, 0, 0]);
  });
});
