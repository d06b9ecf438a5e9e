import { expm1Over, log1pOver, oneMinusExpOver } from "./numerics.js";

/*
 * Arps decline curves (pure). Time in days, rates in any unit per day,
 * volumes in that unit x day, declines nominal per day.
 * docs/reservoir-dca.md "Models" has the formulas.
 *
 *   exponential  (b = 0): q = qi exp(-Di t)
 *   hyperbolic   (b > 0): q = qi (1 + b Di t)^(-1/b)      (harmonic: b = 1)
 *   modified hyperbolic: hyperbolic until its decline Di / (1 + b Di t) falls
 *     to the terminal decline Dlim at t* = (Di / Dlim - 1) / (b Di), then
 *     exponential at Dlim from q(t*).
 *
 * Closed forms are written with log1p/expm1 (numerics.ts) so that b near 0
 * or 1 and small Di t keep their precision (no catastrophic cancellation).
 */

/** One curve in internal units. terminalDeclinePerDay makes it a modified hyperbolic (needs b > 0 to switch). */
export interface ArpsCurve {
  initialRatePerDay: number;
  initialDeclinePerDay: number;
  b: number;
  terminalDeclinePerDay?: number;
}

function hyperbolicRate(qi: number, di: number, b: number, t: number): number {
  return qi * Math.exp(-log1pOver(di * t, b));
}

/**
 * Np = qi / ((1 - b) Di) [1 - (1 + b Di t)^((b - 1) / b)], written as
 * qi / Di * (1 - exp(-(1 - b) M)) / (1 - b) with M = ln(1 + b Di t) / b:
 * the same expression gives the exponential (b = 0, M = Di t) and the
 * harmonic (b = 1: qi / Di ln(1 + Di t)) without a special case.
 */
function hyperbolicCumulative(qi: number, di: number, b: number, t: number): number {
  return (qi / di) * oneMinusExpOver(1 - b, log1pOver(di * t, b));
}

/**
 * The modified hyperbolic's switch time t* in days, or null when it never
 * switches (no terminal decline, or b = 0 with Di above Dlim). A terminal
 * decline at or above Di switches at once (the decline is never below Dlim);
 * the service refuses such curves, this keeps the functions total.
 */
export function switchTimeDays(curve: ArpsCurve): number | null {
  const dLim = curve.terminalDeclinePerDay;
  if (dLim === undefined) return null;
  if (dLim >= curve.initialDeclinePerDay) return 0;
  const tSwitch = (1 / dLim - 1 / curve.initialDeclinePerDay) / curve.b;
  // b = 0 (or so small that t* overflows): the decline stays at Di, above Dlim, for ever.
  return Number.isFinite(tSwitch) ? tSwitch : null;
}

/** Rate at t (days since the curve's start). */
export function rateAt(curve: ArpsCurve, t: number): number {
  const { initialRatePerDay: qi, initialDeclinePerDay: di, b } = curve;
  const tSwitch = switchTimeDays(curve);
  if (tSwitch === null || t <= tSwitch) return hyperbolicRate(qi, di, b, t);
  return hyperbolicRate(qi, di, b, tSwitch) * Math.exp(-(curve.terminalDeclinePerDay ?? 0) * (t - tSwitch));
}

/** Nominal decline per day at t: Di / (1 + b Di t), or the terminal decline past the switch. */
export function declineAt(curve: ArpsCurve, t: number): number {
  const tSwitch = switchTimeDays(curve);
  if (tSwitch !== null && t > tSwitch) return curve.terminalDeclinePerDay ?? 0;
  return curve.initialDeclinePerDay / (1 + curve.b * curve.initialDeclinePerDay * t);
}

/** Cumulative volume from 0 to t. */
export function cumulativeAt(curve: ArpsCurve, t: number): number {
  const { initialRatePerDay: qi, initialDeclinePerDay: di, b } = curve;
  const tSwitch = switchTimeDays(curve);
  if (tSwitch === null || t <= tSwitch) return hyperbolicCumulative(qi, di, b, t);
  const dLim = curve.terminalDeclinePerDay ?? 0;
  const qSwitch = hyperbolicRate(qi, di, b, tSwitch);
  return hyperbolicCumulative(qi, di, b, tSwitch) + (qSwitch / dLim) * -Math.expm1(-dLim * (t - tSwitch));
}

/** Cumulative to infinity: finite for exponential, hyperbolic with b < 1 and every modified hyperbolic; else Infinity. */
export function cumulativeToInfinity(curve: ArpsCurve): number {
  const { initialRatePerDay: qi, initialDeclinePerDay: di, b } = curve;
  const tSwitch = switchTimeDays(curve);
  if (tSwitch !== null) {
    const dLim = curve.terminalDeclinePerDay ?? 0;
    return hyperbolicCumulative(qi, di, b, tSwitch) + hyperbolicRate(qi, di, b, tSwitch) / dLim;
  }
  if (b >= 1) return Infinity;
  return qi / ((1 - b) * di);
}

/** Time in days at which the rate falls to `rate`: 0 when the curve starts at or below it. */
export function timeToRateDays(curve: ArpsCurve, rate: number): number {
  const { initialRatePerDay: qi, initialDeclinePerDay: di, b } = curve;
  if (rate >= qi) return 0;
  const tSwitch = switchTimeDays(curve);
  if (tSwitch !== null) {
    const qSwitch = hyperbolicRate(qi, di, b, tSwitch);
    if (rate < qSwitch) return tSwitch + Math.log(qSwitch / rate) / (curve.terminalDeclinePerDay ?? 0);
  }
  // ((qi / q)^b - 1) / (b Di); ln(qi / q) / Di at b = 0.
  return expm1Over(Math.log(qi / rate), b) / di;
}

export interface EurLimits {
  economicLimitRatePerDay?: number;
  timeLimitDays?: number;
}

export interface Eur {
  /** Infinity when the curve has no finite cumulative and no limit stops it. */
  volume: number;
  /** The time the EUR is counted to; Infinity without a limit. */
  timeDays: number;
  limitedBy: "economicLimit" | "timeLimit" | "none";
  /** When the rate reaches the economic limit (Infinity without one). */
  timeToEconomicLimitDays: number;
}

/** Estimated ultimate recovery: the cumulative to the economic limit or the time limit, whichever comes first. */
export function estimatedUltimateRecovery(curve: ArpsCurve, limits: EurLimits): Eur {
  const tEconomic = limits.economicLimitRatePerDay === undefined ? Infinity : timeToRateDays(curve, limits.economicLimitRatePerDay);
  const tTime = limits.timeLimitDays ?? Infinity;
  if (tEconomic === Infinity && tTime === Infinity) {
    return { volume: cumulativeToInfinity(curve), timeDays: Infinity, limitedBy: "none", timeToEconomicLimitDays: Infinity };
  }
  const limitedBy = tEconomic <= tTime ? "economicLimit" : "timeLimit";
  const timeDays = Math.min(tEconomic, tTime);
  return { volume: cumulativeAt(curve, timeDays), timeDays, limitedBy, timeToEconomicLimitDays: tEconomic };
}

/** Remaining reserves at asOfDays: EUR minus the cumulative to then (0 once past the EUR's end). */
export function remainingReserves(curve: ArpsCurve, eur: Eur, asOfDays: number): number {
  if (asOfDays >= eur.timeDays) return 0;
  return eur.volume - cumulativeAt(curve, asOfDays);
}
