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
 * Closed forms are written with log1p/expm1 so that b near 0 or 1 and small
 * Di t keep their precision (no catastrophic cancellation).
 */

/** One curve in internal units. terminalDeclinePerDay makes it a modified hyperbolic (needs b > 0 to switch). */
export interface ArpsCurve {
  initialRatePerDay: number;
  initialDeclinePerDay: number;
  b: number;
  terminalDeclinePerDay?: number;
}

/** (1 - exp(-c L)) / c, tending to L as c -> 0 (c of either sign). */
function oneMinusExpOver(c: number, logTerm: number): number {
  const x = c * logTerm;
  if (Math.abs(x) < 1e-8) return logTerm * (1 - x / 2);
  return -Math.expm1(-x) / c;
}

function hyperbolicRate(qi: number, di: number, b: number, t: number): number {
  if (b === 0) return qi * Math.exp(-di * t);
  return qi * Math.exp(-Math.log1p(b * di * t) / b);
}

function hyperbolicCumulative(qi: number, di: number, b: number, t: number): number {
  if (b === 0) return (qi / di) * -Math.expm1(-di * t);
  // Np = qi / ((1 - b) Di) [1 - (1 + b Di t)^((b - 1) / b)] = qi / (b Di) * (1 - exp(-c L)) / c,
  // c = (1 - b) / b, L = ln(1 + b Di t); at b = 1 (harmonic) it is qi / Di * L.
  const logTerm = Math.log1p(b * di * t);
  return (qi / (b * di)) * oneMinusExpOver((1 - b) / b, logTerm);
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
  if (curve.b === 0) return null;
  return (1 / dLim - 1 / curve.initialDeclinePerDay) / curve.b;
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
  const logRatio = Math.log(qi / rate);
  if (b === 0) return logRatio / di;
  // ((qi / q)^b - 1) / (b Di)
  return Math.expm1(b * logRatio) / (b * di);
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
