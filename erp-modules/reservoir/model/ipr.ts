/*
 * Inflow performance (IPR): the rate a well's reservoir delivers against a
 * bottomhole flowing pressure (Pwf), from a well test. Pure math, no I/O.
 *
 * Pressure scale: every pressure here is ABSOLUTE (kPa abs). Fetkovich's
 * back-pressure equation works on squared pressures, which only mean
 * something on the absolute scale; Vogel's and the composite curve use
 * pressure ratios, also taken on the absolute scale. The service converts the
 * gauge readings Petroflow stores (production: kPa above the atmosphere) to
 * absolute before calling this module (docs/reservoir-ipr.md).
 *
 * The equations are homogeneous in pressure and rate: a consistent set of
 * other units (psia, STB/d) goes through unchanged, and only Fetkovich's C
 * carries the units (rate / pressure^(2n)).
 *
 *   Vogel (1968):      q = qmax [1 − 0.2 (Pwf/Pr) − 0.8 (Pwf/Pr)²]
 *   Fetkovich (1973):  q = C (Pr² − Pwf²)^n, C and n fitted by least squares
 *                      of log q against log(Pr² − Pwf²) over a multi-rate test
 *   Composite:         q = J (Pr − Pwf)                         for Pwf ≥ Pb
 *                      q = qb + (J Pb / 1.8) [1 − 0.2 (Pwf/Pb) − 0.8 (Pwf/Pb)²]
 *                                                               for Pwf < Pb
 *                      with qb = J (Pr − Pb) (straight-line productivity index
 *                      above the bubble point, Vogel below; Brown 1984).
 */

export type IprMethod = "vogel" | "fetkovich" | "composite";

/** A test point: a stabilised rate at a bottomhole flowing pressure (absolute). */
export interface IprTestPoint {
  rateM3PerDay: number;
  flowingPressureKpa: number;
}

export interface VogelModel {
  method: "vogel";
  reservoirPressureKpa: number;
  /** Vogel's qmax: the rate at Pwf = 0 (absolute). */
  qmaxM3PerDay: number;
}

export interface FetkovichModel {
  method: "fetkovich";
  reservoirPressureKpa: number;
  /** C in m3/d per kPa^(2n). */
  c: number;
  n: number;
  /** Coefficient of determination of the log-log fit (1 with two points). */
  rSquared: number;
}

export interface CompositeModel {
  method: "composite";
  reservoirPressureKpa: number;
  /** At or above the reservoir pressure the curve is Vogel's from Pr (saturated reservoir). */
  bubblePointKpa: number;
  /** The straight-line productivity index above the bubble point, m3/d per kPa. */
  productivityIndexM3PerDayPerKpa: number;
  /** The rate at Pwf = Pb: J (Pr − Pb). */
  bubblePointRateM3PerDay: number;
  /** The rate at Pwf = 0. */
  qmaxM3PerDay: number;
}

export type IprModel = VogelModel | FetkovichModel | CompositeModel;

/** An input the equations cannot take: the field it came from and why (the service turns it into a 400). */
export class IprInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: "not_above" | "not_below" | "above_maximum" | "below_minimum" | "too_few_items" | "points_not_distinct",
    readonly params: Readonly<Record<string, number>> = {},
    message?: string,
  ) {
    super(message ?? `${field}: ${reason}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`);
    this.name = "IprInputError";
  }
}

function assertPositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new IprInputError(field, "not_above", { limit: 0 });
}

/** The test's Pwf must lie in [0, Pr) and its rate above 0: at Pwf = Pr no rate tells anything of the curve. */
function assertTestPoint(point: IprTestPoint, reservoirPressureKpa: number, field: string): void {
  assertPositive(`${field}.rateM3PerDay`, point.rateM3PerDay);
  if (!Number.isFinite(point.flowingPressureKpa) || point.flowingPressureKpa < 0) {
    throw new IprInputError(`${field}.flowingPressureKpa`, "below_minimum", { limit: 0 });
  }
  if (point.flowingPressureKpa >= reservoirPressureKpa) {
    throw new IprInputError(`${field}.flowingPressureKpa`, "not_below", { limit: reservoirPressureKpa });
  }
}

/** Vogel's dimensionless rate q/qmax at x = Pwf/Pr. */
function vogelFraction(x: number): number {
  return 1 - 0.2 * x - 0.8 * x * x;
}

/** The x = Pwf/Pr in [0, 1] where Vogel's q/qmax equals fraction (the positive root of 0.8x² + 0.2x − (1 − f) = 0). */
function vogelInverse(fraction: number): number {
  const x = (-0.2 + Math.sqrt(0.04 + 3.2 * (1 - fraction))) / 1.6;
  return Math.min(1, Math.max(0, x));
}

/** Vogel's curve through one stabilised test below the bubble point. */
export function vogelFromTest(reservoirPressureKpa: number, test: IprTestPoint): VogelModel {
  assertPositive("reservoirPressureKpa", reservoirPressureKpa);
  assertTestPoint(test, reservoirPressureKpa, "test");
  return { method: "vogel", reservoirPressureKpa, qmaxM3PerDay: test.rateM3PerDay / vogelFraction(test.flowingPressureKpa / reservoirPressureKpa) };
}

/**
 * Fetkovich's C and n from a multi-rate (back-pressure) test: ordinary least
 * squares of log q on log(Pr² − Pwf²). Needs two points with different
 * drawdowns at least.
 */
export function fetkovichFit(reservoirPressureKpa: number, points: readonly IprTestPoint[]): FetkovichModel {
  assertPositive("reservoirPressureKpa", reservoirPressureKpa);
  if (points.length < 2) throw new IprInputError("points", "too_few_items", { limit: 2 });
  points.forEach((point, index) => assertTestPoint(point, reservoirPressureKpa, `points.${index}`));
  const xs = points.map((point) => Math.log(reservoirPressureKpa ** 2 - point.flowingPressureKpa ** 2));
  const ys = points.map((point) => Math.log(point.rateM3PerDay));
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += (xs[i] - meanX) ** 2;
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    syy += (ys[i] - meanY) ** 2;
  }
  // Relative to the spread of the logs themselves: equal drawdowns give no slope.
  if (sxx <= 1e-12 * Math.max(1, meanX * meanX)) throw new IprInputError("points", "points_not_distinct");
  const n = sxy / sxx;
  if (!(n > 0)) throw new IprInputError("points", "points_not_distinct", {}, "points: the rate must rise with the drawdown (fitted n is not positive)");
  const c = Math.exp(meanY - n * meanX);
  const rSquared = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { method: "fetkovich", reservoirPressureKpa, c, n, rSquared };
}

/**
 * The composite curve through one stabilised test, above or below the bubble
 * point: J from the test, a straight line above Pb and Vogel below. A bubble
 * point at or above Pr is a saturated reservoir: Vogel from Pr.
 */
export function compositeFromTest(reservoirPressureKpa: number, bubblePointKpa: number, test: IprTestPoint): CompositeModel {
  assertPositive("reservoirPressureKpa", reservoirPressureKpa);
  assertPositive("bubblePointKpa", bubblePointKpa);
  assertTestPoint(test, reservoirPressureKpa, "test");
  const pb = Math.min(bubblePointKpa, reservoirPressureKpa);
  const pwf = test.flowingPressureKpa;
  const denominator = pwf >= pb ? reservoirPressureKpa - pwf : reservoirPressureKpa - pb + (pb / 1.8) * vogelFraction(pwf / pb);
  const j = test.rateM3PerDay / denominator;
  const qb = j * (reservoirPressureKpa - pb);
  return {
    method: "composite",
    reservoirPressureKpa,
    bubblePointKpa,
    productivityIndexM3PerDayPerKpa: j,
    bubblePointRateM3PerDay: qb,
    qmaxM3PerDay: qb + (j * pb) / 1.8,
  };
}

function assertPressure(model: IprModel, flowingPressureKpa: number): void {
  if (!Number.isFinite(flowingPressureKpa) || flowingPressureKpa < 0) throw new IprInputError("flowingPressureKpa", "below_minimum", { limit: 0 });
  if (flowingPressureKpa > model.reservoirPressureKpa) {
    throw new IprInputError("flowingPressureKpa", "above_maximum", { limit: model.reservoirPressureKpa });
  }
}

/** The rate at a flowing pressure in [0, Pr]: 0 at Pr, the model's maximum at 0, decreasing between. */
export function rateAt(model: IprModel, flowingPressureKpa: number): number {
  assertPressure(model, flowingPressureKpa);
  const pr = model.reservoirPressureKpa;
  switch (model.method) {
    case "vogel":
      return model.qmaxM3PerDay * vogelFraction(flowingPressureKpa / pr);
    case "fetkovich":
      return model.c * (pr * pr - flowingPressureKpa * flowingPressureKpa) ** model.n;
    case "composite": {
      const pb = Math.min(model.bubblePointKpa, pr);
      const j = model.productivityIndexM3PerDayPerKpa;
      if (flowingPressureKpa >= pb) return j * (pr - flowingPressureKpa);
      return model.bubblePointRateM3PerDay + ((j * pb) / 1.8) * vogelFraction(flowingPressureKpa / pb);
    }
  }
}

/** The rate at Pwf = 0 (absolute): the most the reservoir can deliver on this curve. */
export function maxRate(model: IprModel): number {
  return rateAt(model, 0);
}

/** The flowing pressure that gives a rate in [0, maxRate], in closed form (the curves are monotone). */
export function pressureFor(model: IprModel, rateM3PerDay: number): number {
  const qmax = maxRate(model);
  if (!Number.isFinite(rateM3PerDay) || rateM3PerDay < 0) throw new IprInputError("rateM3PerDay", "below_minimum", { limit: 0 });
  if (rateM3PerDay > qmax) throw new IprInputError("rateM3PerDay", "above_maximum", { limit: qmax });
  const pr = model.reservoirPressureKpa;
  switch (model.method) {
    case "vogel":
      return pr * vogelInverse(rateM3PerDay / model.qmaxM3PerDay);
    case "fetkovich":
      return Math.sqrt(Math.max(0, pr * pr - (rateM3PerDay / model.c) ** (1 / model.n)));
    case "composite": {
      const pb = Math.min(model.bubblePointKpa, pr);
      if (rateM3PerDay <= model.bubblePointRateM3PerDay) return pr - rateM3PerDay / model.productivityIndexM3PerDayPerKpa;
      const vogelPart = model.qmaxM3PerDay - model.bubblePointRateM3PerDay;
      return pb * vogelInverse((rateM3PerDay - model.bubblePointRateM3PerDay) / vogelPart);
    }
  }
}

export interface IprCurvePoint {
  flowingPressureKpa: number;
  rateM3PerDay: number;
}

/**
 * The curve for plotting, from Pr down to a lowest pressure (0 unless given):
 * `steps` equal pressure steps, plus the bubble point of a composite curve
 * (where its slope changes). Ordered by falling pressure, rising rate.
 */
export function iprCurve(model: IprModel, steps = 40, lowestPressureKpa = 0): IprCurvePoint[] {
  const pr = model.reservoirPressureKpa;
  const low = Math.min(Math.max(0, lowestPressureKpa), pr);
  const pressures = new Set<number>();
  // The ends exactly: Pr (rate 0) and the lowest pressure asked for.
  for (let i = 0; i <= steps; i++) pressures.add(i === 0 ? pr : i === steps ? low : pr - ((pr - low) * i) / steps);
  if (model.method === "composite" && model.bubblePointKpa < pr && model.bubblePointKpa > low) pressures.add(model.bubblePointKpa);
  return [...pressures].sort((a, b) => b - a).map((flowingPressureKpa) => ({ flowingPressureKpa, rateM3PerDay: rateAt(model, flowingPressureKpa) }));
}
