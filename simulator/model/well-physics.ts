/**
 * Pure production-engineering relations the oilfield model is built from.
 * Deliberately simple (no multiphase flow correlations): the aim is signals
 * that move the way an operator expects, with the right signs and magnitudes.
 */

const SECONDS_PER_YEAR = 365.25 * 86400;

/**
 * Arps decline: rate fraction of the initial rate after `elapsedSeconds`.
 * b = 0 is exponential decline; 0 < b < 1 hyperbolic. `nominalDeclinePerYear`
 * is the initial nominal decline rate Di.
 */
export function arpsDeclineFraction(elapsedSeconds: number, nominalDeclinePerYear: number, b: number): number {
  const years = Math.max(0, elapsedSeconds) / SECONDS_PER_YEAR;
  if (b <= 1e-6) return Math.exp(-nominalDeclinePerYear * years);
  return Math.pow(1 + b * nominalDeclinePerYear * years, -1 / b);
}

/**
 * Fraction of the unrestricted rate a choke lets through, 0 at 0 % and 1 at
 * 100 %. Saturating, because near full open the choke stops being the
 * restriction and the well's inflow limits the rate instead.
 */
export function chokeFlowFraction(chokePercent: number): number {
  const opening = Math.min(1, Math.max(0, chokePercent / 100));
  return (1.6 * opening) / (1 + 0.6 * opening);
}

/** ESP affinity law: flow scales with speed, relative to the 60 Hz design point. */
export function espFlowFraction(frequencyHz: number): number {
  return Math.max(0, frequencyHz) / 60;
}

/**
 * Gas-lift performance curve: lift factor applied to the well's potential,
 *
 *   f(g) = f0 + A · [ln(1 + g/c) − g/(c + g_opt)],   A = (1 − f0) / [ln(1 + g_opt/c) − g_opt/(c + g_opt)]
 *
 * Natural flow f0 without gas; rising with diminishing returns (each extra
 * Sm3/d of gas lightens the column less) to a maximum of 1 at the well's
 * optimum injection g_opt; beyond it over-injection costs liquid (friction and
 * gas slippage grow faster than the column lightens), as field curves do.
 * The logarithmic-minus-linear shape is that of Alarcón, Torres and Gómez
 * (J. Energy Resour. Technol. 124(4), 2002); it is concave everywhere
 * (f'' = −A/(c + g)²), and never below 0. Needs g_opt > 0 and c > 0.
 */
export function gasLiftFactor(injectionSm3PerDay: number, curve: GasLiftCurveParameters): number {
  const { naturalFlowFraction, injectionScaleSm3PerDay: c, optimumInjectionSm3PerDay: optimum } = curve;
  const shape = (g: number): number => Math.log1p(g / c) - g / (c + optimum);
  const amplitude = (1 - naturalFlowFraction) / shape(optimum);
  return Math.max(0, naturalFlowFraction + amplitude * shape(Math.max(0, injectionSm3PerDay)));
}

/** A gas-lift well's curve parameters (see gasLiftFactor). */
export interface GasLiftCurveParameters {
  /** f0: the fraction of its potential the well makes without lift gas. */
  naturalFlowFraction: number;
  /** c: how fast the first gas helps (smaller, faster). */
  injectionScaleSm3PerDay: number;
  /** g_opt: the injection of the curve's maximum. */
  optimumInjectionSm3PerDay: number;
}

/**
 * First-order lag solved exactly over the step, so it is stable for any
 * step size (a demo running 1000x faster takes large steps).
 */
export function firstOrderLag(current: number, target: number, dtSeconds: number, timeConstantSeconds: number): number {
  if (timeConstantSeconds <= 0) return target;
  return target + (current - target) * Math.exp(-dtSeconds / timeConstantSeconds);
}

/** Moves `current` toward `target` by at most `ratePerSecond * dtSeconds` (a ramp, as a VFD does). */
export function ramp(current: number, target: number, dtSeconds: number, ratePerSecond: number): number {
  const maxChange = ratePerSecond * dtSeconds;
  if (Math.abs(target - current) <= maxChange) return target;
  return current + Math.sign(target - current) * maxChange;
}
