import type { DcaTypeCurveBin, DcaTypeCurveWell, DcaTypeCurveWellSummary } from "../dca-schema.js";
import { splitWindow } from "./decline-fit.js";

/*
 * Type curves of a group of wells (pure). docs/reservoir-dca.md "Type curves".
 *
 * Each well's usable points (no flag, positive rate) from its peak on are
 * normalised: rate / peak rate against time since the peak. Time since peak is
 * cut into bins of binDays; a well's points in one bin are averaged, so a
 * well counts once per bin whatever its sampling. Per bin, P10/P50/P90 of the
 * wells' values, with P10 the HIGH case (exceeded by 10 % of the wells: the
 * 90th percentile), as in SPE-PRMS.
 */

export interface TypeCurveOptions {
  binDays: number;
  maxTimeSincePeakDays?: number;
  minWellsPerBin: number;
}

export interface TypeCurve {
  bins: DcaTypeCurveBin[];
  wells: DcaTypeCurveWellSummary[];
}

/**
 * The p-th quantile (0..1) of ascending values, interpolating linearly between
 * order statistics: Hyndman & Fan (1996) type 7, the default of R and NumPy.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower] ?? 0;
  return low + (position - lower) * ((sorted[upper] ?? 0) - low);
}

/** Builds the type curve; every well needs at least one usable point (its peak). */
export function buildTypeCurve(wells: readonly DcaTypeCurveWell[], options: TypeCurveOptions): TypeCurve {
  const summaries: DcaTypeCurveWellSummary[] = [];
  // Per well: bin index -> [sum of normalised rates, count].
  const perWell: Map<number, [number, number]>[] = [];
  let lastBin = -1;
  const binLimit = options.maxTimeSincePeakDays === undefined ? Infinity : Math.ceil(options.maxTimeSincePeakDays / options.binDays);
  for (const well of wells) {
    const { used, excluded } = splitWindow(well.points, undefined);
    const peak = well.points[used[0] ?? -1];
    const bins = new Map<number, [number, number]>();
    if (peak) {
      for (const index of used) {
        const point = well.points[index];
        if (!point) continue;
        const bin = Math.floor((point.timeDays - peak.timeDays) / options.binDays);
        if (bin >= binLimit) continue;
        const cell = bins.get(bin) ?? [0, 0];
        cell[0] += point.ratePerDay / peak.ratePerDay;
        cell[1] += 1;
        bins.set(bin, cell);
        lastBin = Math.max(lastBin, bin);
      }
    }
    perWell.push(bins);
    summaries.push({
      label: well.label,
      peakRatePerDay: peak?.ratePerDay ?? 0,
      peakTimeDays: peak?.timeDays ?? 0,
      pointsUsed: used.length,
      excluded,
    });
  }

  const bins: DcaTypeCurveBin[] = [];
  for (let bin = 0; bin <= lastBin; bin++) {
    const values: number[] = [];
    for (const wellBins of perWell) {
      const cell = wellBins.get(bin);
      if (cell) values.push(cell[0] / cell[1]);
    }
    values.sort((a, b) => a - b);
    const enough = values.length >= options.minWellsPerBin && values.length > 0;
    bins.push({
      timeSincePeakStartDays: bin * options.binDays,
      timeSincePeakDays: (bin + 0.5) * options.binDays,
      wellCount: values.length,
      p10NormalisedRate: enough ? quantileSorted(values, 0.9) : null,
      p50NormalisedRate: enough ? quantileSorted(values, 0.5) : null,
      p90NormalisedRate: enough ? quantileSorted(values, 0.1) : null,
      meanNormalisedRate: enough ? values.reduce((sum, v) => sum + v, 0) / values.length : null,
    });
  }
  return { bins, wells: summaries };
}
