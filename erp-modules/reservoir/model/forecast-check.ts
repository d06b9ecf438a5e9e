/**
 * How a stored decline curve stands against measured rates: its goodness of
 * fit over a window (for the stored forecast's record) and the shortfall of
 * actual production against it (for the alert). Pure; the curve's rate at a
 * time comes in as a function (the DCA engine's rateAt).
 */
import { daysFrom, type RatePoint } from "./rate-series.js";

/**
 * The time a point stands for on a curve whose t = 0 is `referenceDate`: a
 * day at its start, a longer period at its middle (its average rate is
 * nearest the curve there).
 */
export function pointTimeDays(point: Pick<RatePoint, "date" | "periodDays">, referenceDate: string): number {
  return daysFrom(referenceDate, point.date) + (point.periodDays > 1 ? point.periodDays / 2 : 0);
}

export interface Goodness {
  pointsUsed: number;
  rSquaredRate: number;
  rmseRatePerDay: number;
  rSquaredLog: number;
  rmseLog: number;
}

/** R² = 1 − SSres / SStot (0 when every observation is the same) and RMSE = √(SSres / n). */
function rSquaredAndRmse(observed: readonly number[], predicted: readonly number[]): { rSquared: number; rmse: number } {
  const n = observed.length;
  const mean = observed.reduce((sum, value) => sum + value, 0) / n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (observed[i] - predicted[i]) ** 2;
    total += (observed[i] - mean) ** 2;
  }
  return { rSquared: total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0, rmse: Math.sqrt(residual / n) };
}

/** Goodness of a curve over points (all of which count: the caller has left the excluded ones out); null without a point. */
export function goodnessOver(points: readonly RatePoint[], referenceDate: string, rateAt: (timeDays: number) => number): Goodness | null {
  const used = points.filter((point) => point.rate !== null && point.rate > 0 && pointTimeDays(point, referenceDate) >= 0);
  if (used.length === 0) return null;
  const observed = used.map((point) => point.rate ?? 0);
  const predicted = used.map((point) => rateAt(pointTimeDays(point, referenceDate)));
  const rate = rSquaredAndRmse(observed, predicted);
  const log = rSquaredAndRmse(
    observed.map((value) => Math.log(value)),
    predicted.map((value) => Math.log(Math.max(value, Number.MIN_VALUE))),
  );
  return { pointsUsed: used.length, rSquaredRate: rate.rSquared, rmseRatePerDay: rate.rmse, rSquaredLog: log.rSquared, rmseLog: log.rmse };
}

export interface Shortfall {
  /** Points that counted (producing, not tests). */
  pointsUsed: number;
  actualRatePerDay: number;
  forecastRatePerDay: number;
  /** How far actual is below forecast, percent of forecast (negative when above). */
  shortfallPercent: number;
  /** shortfallPercent reached the threshold. */
  alert: boolean;
}

/**
 * Actual against forecast over the producing days of a period: the averages
 * of the actual and of the curve's rates on the same days. Shut-in and
 * test days do not count (a shut-in is downtime, not a reservoir shortfall).
 * Null when no day counts or the curve has not started.
 */
export function shortfallOver(
  points: readonly RatePoint[],
  referenceDate: string,
  rateAt: (timeDays: number) => number,
  thresholdPercent: number,
): Shortfall | null {
  const used = points.filter((point) => !point.excluded && point.rate !== null && pointTimeDays(point, referenceDate) >= 0);
  if (used.length === 0) return null;
  const actual = used.reduce((sum, point) => sum + (point.rate ?? 0), 0) / used.length;
  const forecast = used.reduce((sum, point) => sum + rateAt(pointTimeDays(point, referenceDate)), 0) / used.length;
  if (!(forecast > 0)) return null;
  const shortfallPercent = ((forecast - actual) / forecast) * 100;
  return { pointsUsed: used.length, actualRatePerDay: actual, forecastRatePerDay: forecast, shortfallPercent, alert: shortfallPercent >= thresholdPercent };
}
