import assert from "node:assert/strict";
import type { DcaTypeCurveWell } from "../../../../../erp-modules/reservoir/dca-schema.js";
import { buildTypeCurve, quantileSorted } from "../../../../../erp-modules/reservoir/model/type-curve.js";

describe("type curves", () => {
  it("quantiles interpolate between order statistics (Hyndman & Fan type 7): 1..5 gives P(0.9) = 4.6, P(0.5) = 3, P(0.1) = 1.4", () => {
    const sorted = [1, 2, 3, 4, 5];
    assert.ok(Math.abs(quantileSorted(sorted, 0.9) - 4.6) < 1e-12);
    assert.equal(quantileSorted(sorted, 0.5), 3);
    assert.ok(Math.abs(quantileSorted(sorted, 0.1) - 1.4) < 1e-12);
    assert.equal(quantileSorted([7], 0.9), 7);
  });

  // Five wells, each flat at a fraction of its peak after the peak month: normalised values 0.5 ... 0.9.
  function well(label: string, peak: number, fraction: number, startDay: number, extra: Partial<DcaTypeCurveWell> = {}): DcaTypeCurveWell {
    return {
      label,
      points: [
        { timeDays: startDay - 30, ratePerDay: peak / 2 },
        { timeDays: startDay, ratePerDay: peak },
        { timeDays: startDay + 30, ratePerDay: peak * fraction },
        { timeDays: startDay + 40, ratePerDay: peak * fraction },
        { timeDays: startDay + 60, ratePerDay: peak * fraction * fraction },
      ],
      ...extra,
    };
  }

  const wells = [well("A", 100, 0.5, 0), well("B", 2000, 0.6, 400), well("C", 50, 0.7, 90), well("D", 10, 0.8, 1000), well("E", 300, 0.9, 33)];

  it("normalises by peak rate and time since peak; P10 is the high case (90th percentile), P90 the low one", () => {
    const curve = buildTypeCurve(wells, { binDays: 30, minWellsPerBin: 3 });
    assert.equal(curve.bins.length, 3);
    const [first, second, third] = curve.bins;
    // Bin 0 holds only each peak: 1 for every well.
    assert.deepEqual([first?.wellCount, first?.p50NormalisedRate, first?.p10NormalisedRate], [5, 1, 1]);
    // Bin 1 (30..60 d): two points per well at the same fraction, averaged once per well.
    assert.equal(second?.wellCount, 5);
    assert.ok(Math.abs((second?.p10NormalisedRate ?? 0) - 0.86) < 1e-12, `P10 ${second?.p10NormalisedRate}`);
    assert.ok(Math.abs((second?.p50NormalisedRate ?? 0) - 0.7) < 1e-12);
    assert.ok(Math.abs((second?.p90NormalisedRate ?? 0) - 0.54) < 1e-12);
    assert.ok(Math.abs((second?.meanNormalisedRate ?? 0) - 0.7) < 1e-12);
    assert.equal(third?.timeSincePeakDays, 75);
    assert.ok((third?.p10NormalisedRate ?? 0) >= (third?.p50NormalisedRate ?? 0) && (third?.p50NormalisedRate ?? 0) >= (third?.p90NormalisedRate ?? 0));
    assert.deepEqual(
      curve.wells.map((w) => [w.label, w.peakRatePerDay, w.pointsUsed, w.excluded.length]),
      [
        ["A", 100, 4, 1],
        ["B", 2000, 4, 1],
        ["C", 50, 4, 1],
        ["D", 10, 4, 1],
        ["E", 300, 4, 1],
      ],
    );
  });

  it("a bin with fewer wells than the minimum gets no percentiles; maxTimeSincePeakDays cuts the bins", () => {
    const curve = buildTypeCurve([...wells.slice(0, 2), well("F", 80, 0.5, 0, {})], { binDays: 30, minWellsPerBin: 4 });
    assert.ok(curve.bins.every((bin) => bin.p50NormalisedRate === null && bin.wellCount === 3));
    const cut = buildTypeCurve(wells, { binDays: 30, minWellsPerBin: 1, maxTimeSincePeakDays: 45 });
    assert.equal(cut.bins.length, 2);
  });

  it("flagged and zero-rate points are excluded and reported per well", () => {
    const flagged = well("G", 100, 0.5, 0);
    const third = flagged.points[3];
    if (third) third.flag = "shutIn";
    const fourth = flagged.points[4];
    if (fourth) fourth.ratePerDay = 0;
    const curve = buildTypeCurve([flagged], { binDays: 30, minWellsPerBin: 1 });
    assert.deepEqual(
      curve.wells[0]?.excluded.map((p) => p.reason),
      ["beforeWindow", "shutIn", "nonPositiveRate"],
    );
  });
});
