import type { ErrorParams, Reason } from "../../../runtime/error-contract.js";
import { MIN_FIT_POINTS, type DcaExcludedPoint, type DcaFlag, type DcaGoodnessOfFit, type DcaModel, type DcaRatePoint } from "../dca-schema.js";
import { rateAt, type ArpsCurve } from "./arps.js";
import { fitArps } from "./arps-fit.js";

/*
 * A decline fit of a rate history (pure): which points take part (flags,
 * window, robust outlier rule), the fit, its goodness. docs/reservoir-dca.md
 * "Fitting" and "Outliers".
 */

/** An input the engine cannot work with, naming the field relative to the request (`points.4.timeDays`). */
export class DcaInputProblem extends Error {
  constructor(
    readonly field: string,
    readonly reason: Reason,
    readonly params?: ErrorParams,
    message?: string,
  ) {
    super(message ?? `${field} ${reason}`);
    this.name = "DcaInputProblem";
  }
}

export interface DeclineFitOptions {
  model: DcaModel;
  bMin: number;
  bMax: number;
  /** modifiedHyperbolic: nominal per day. */
  terminalDeclinePerDay?: number;
  /** Start of the window on the points' time axis; undefined: the last peak. */
  windowStartDays?: number;
  rejectOutliers: boolean;
  /** |modified z| above this is an outlier. */
  outlierThreshold: number;
}

export interface DeclineFit {
  curve: ArpsCurve;
  /** The curve's t = 0 on the points' time axis: the first point of the window. */
  referenceTimeDays: number;
  goodness: DcaGoodnessOfFit;
  /** In the order of the points. */
  excluded: DcaExcludedPoint[];
  flags: DcaFlag[];
  iterations: number;
}

/** Rounds of fit-and-reject at most; the set of outliers settles in two or three. */
const MAX_OUTLIER_ROUNDS = 10;
/** Smallest MAD of log residuals the rule scales by (a 0.0001 % scatter). */
const MIN_MAD_LOG = 1e-6;
/** MAD of a normal sample is 0.6745 sigma: the scale that makes the modified z a z-score (Iglewicz & Hoaglin 1993). */
const MAD_TO_SIGMA = 0.6745;

/** Refuses a series whose times do not strictly increase, naming the first offending point. */
export function assertIncreasingTimes(points: readonly DcaRatePoint[], root: string): void {
  for (let i = 1; i < points.length; i++) {
    if (!((points[i]?.timeDays ?? 0) > (points[i - 1]?.timeDays ?? 0))) {
      throw new DcaInputProblem(`${root}.${i}.timeDays`, "not_after", { other: `${root}.${i - 1}.timeDays` });
    }
  }
}

export interface WindowSplit {
  /** Indices of the points in the window (usable: no flag, positive rate), in order. */
  used: number[];
  excluded: DcaExcludedPoint[];
}

/**
 * Points of the window. Flagged and zero-rate points are excluded with their
 * reason wherever they are; usable points before the window start are
 * excluded as beforeWindow. Without windowStartDays the window starts at the
 * last peak: the latest usable point with the highest rate.
 */
export function splitWindow(points: readonly DcaRatePoint[], windowStartDays: number | undefined): WindowSplit {
  let start = windowStartDays;
  if (start === undefined) {
    let peakRate = -Infinity;
    for (const point of points) {
      if (point.flag === undefined && point.ratePerDay > 0 && point.ratePerDay >= peakRate) {
        peakRate = point.ratePerDay;
        start = point.timeDays;
      }
    }
  }
  const used: number[] = [];
  const excluded: DcaExcludedPoint[] = [];
  points.forEach((point, index) => {
    const base = { index, timeDays: point.timeDays, ratePerDay: point.ratePerDay };
    if (point.flag !== undefined) excluded.push({ ...base, reason: point.flag });
    else if (!(point.ratePerDay > 0)) excluded.push({ ...base, reason: "nonPositiveRate" });
    else if (start === undefined || point.timeDays < start) excluded.push({ ...base, reason: "beforeWindow" });
    else used.push(index);
  });
  return { used, excluded };
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** R^2 and RMSE of predictions against observations. */
function goodnessOf(observed: ArrayLike<number>, predicted: ArrayLike<number>): { rSquared: number; rmse: number } {
  const n = observed.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += observed[i] ?? 0;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const o = observed[i] ?? 0;
    ssRes += (o - (predicted[i] ?? 0)) ** 2;
    ssTot += (o - mean) ** 2;
  }
  // A flat series (ssTot = 0) fitted exactly has R^2 = 1; fitted inexactly, 0.
  const rSquared = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return { rSquared, rmse: Math.sqrt(ssRes / n) };
}

function minPointsFor(model: DcaModel): number {
  return model === "exponential" || model === "harmonic" ? 2 : MIN_FIT_POINTS;
}

/**
 * Fits the model to the history. Points must be strictly increasing in time
 * (assertIncreasingTimes). Throws DcaInputProblem on `points` when fewer than
 * MIN_FIT_POINTS are usable.
 */
export function fitDecline(points: readonly DcaRatePoint[], options: DeclineFitOptions): DeclineFit {
  const window = splitWindow(points, options.windowStartDays);
  if (window.used.length < MIN_FIT_POINTS) {
    throw new DcaInputProblem(
      "points",
      "too_few_items",
      { limit: MIN_FIT_POINTS },
      `points must have at least ${MIN_FIT_POINTS} usable points in the fit window (${window.used.length} after excluding flagged, zero-rate and pre-window points)`,
    );
  }
  const firstIndex = window.used[0] ?? 0;
  const referenceTimeDays = points[firstIndex]?.timeDays ?? 0;
  const allTimes = Float64Array.from(window.used, (i) => (points[i]?.timeDays ?? 0) - referenceTimeDays);
  const allRates = Float64Array.from(window.used, (i) => points[i]?.ratePerDay ?? 0);
  const fitOptions = { model: options.model, bMin: options.bMin, bMax: options.bMax, terminalDeclinePerDay: options.terminalDeclinePerDay };

  let keep = new Uint8Array(allRates.length).fill(1);
  let robustZ = new Float64Array(allRates.length);
  let outcome = fitArps(allTimes, allRates, fitOptions);
  let iterations = outcome.iterations;
  if (options.rejectOutliers) {
    for (let round = 0; round < MAX_OUTLIER_ROUNDS; round++) {
      // Log residuals of every window point against the current fit; median and MAD over the kept ones.
      const residuals = Float64Array.from(allTimes, (t, i) => Math.log(allRates[i] ?? 0) - Math.log(rateAt(outcome.curve, t)));
      const keptResiduals = residuals.filter((_, i) => keep[i] === 1);
      const center = median(keptResiduals);
      // Floored: on a curve fitted to rounding error the MAD is ~1e-15 and every point would be an outlier.
      const mad = Math.max(median(keptResiduals.map((r) => Math.abs(r - center))), MIN_MAD_LOG);
      const z = residuals.map((r) => (MAD_TO_SIGMA * (r - center)) / mad);
      const nextKeep = Uint8Array.from(z, (value) => (Math.abs(value) > options.outlierThreshold ? 0 : 1));
      const keptCount = nextKeep.reduce((sum, k) => sum + k, 0);
      if (keptCount < minPointsFor(options.model) || nextKeep.every((k, i) => k === keep[i])) {
        robustZ = z;
        break;
      }
      keep = nextKeep;
      robustZ = z;
      const times = allTimes.filter((_, i) => keep[i] === 1);
      const rates = allRates.filter((_, i) => keep[i] === 1);
      // Times of kept points are relative to the window's first point, which may itself be an outlier: still a fine origin.
      outcome = fitArps(times, rates, fitOptions);
      iterations += outcome.iterations;
    }
  }

  const excluded = [...window.excluded];
  const observed: number[] = [];
  const predicted: number[] = [];
  window.used.forEach((pointIndex, i) => {
    const point = points[pointIndex];
    if (!point) return;
    if (keep[i] === 1) {
      observed.push(point.ratePerDay);
      predicted.push(rateAt(outcome.curve, allTimes[i] ?? 0));
    } else {
      excluded.push({ index: pointIndex, timeDays: point.timeDays, ratePerDay: point.ratePerDay, reason: "outlier", robustZ: robustZ[i] ?? 0 });
    }
  });
  excluded.sort((a, b) => a.index - b.index);
  const rate = goodnessOf(observed, predicted);
  const log = goodnessOf(
    observed.map((q) => Math.log(q)),
    predicted.map((q) => Math.log(q)),
  );

  const flags: DcaFlag[] = [];
  const { b } = outcome.curve;
  if (b > 1) flags.push("b_above_one");
  const bFitted = options.model === "hyperbolic" || options.model === "modifiedHyperbolic";
  if (bFitted && options.bMax > options.bMin && b <= options.bMin) flags.push("b_at_lower_bound");
  if (bFitted && options.bMax > options.bMin && b >= options.bMax) flags.push("b_at_upper_bound");
  if (!outcome.converged) flags.push("fit_not_converged");
  if (excluded.some((point) => point.reason === "outlier")) flags.push("outliers_excluded");

  return {
    curve: outcome.curve,
    referenceTimeDays,
    goodness: { pointsUsed: observed.length, rSquaredRate: rate.rSquared, rmseRatePerDay: rate.rmse, rSquaredLog: log.rSquared, rmseLog: log.rmse },
    excluded,
    flags,
    iterations,
  };
}
