import { expm1Over, log1pOver } from "./numerics.js";

/*
 * Decline conventions (pure). docs/reservoir-dca.md "Decline conventions".
 *
 * - Nominal (instantaneous) decline D = -(dq/dt)/q, a rate per unit time: it
 *   scales with the time unit (per year = per day x days per year).
 * - Tangent effective decline De = 1 - exp(-D): the drop over one period of a
 *   line tangent, in log-rate, to the curve at that instant (SPEE REP 6). It
 *   does not depend on b.
 * - Secant effective decline Des = (q(0) - q(1 period)) / q(0) on the curve
 *   itself: 1 - (1 + b D)^(-1/b), or 1 - exp(-D) at b = 0 (SPEE REP 6).
 *
 * Effective declines are fractions of one period (a year here) and do not
 * scale with the time unit: convert the nominal decline first.
 */

/** Nominal per day from nominal per year. */
export function nominalPerDay(nominalPerYear: number, daysPerYear: number): number {
  return nominalPerYear / daysPerYear;
}

/** Nominal per year from nominal per day. */
export function nominalPerYear(nominalPerDay: number, daysPerYear: number): number {
  return nominalPerDay * daysPerYear;
}

/** De = 1 - exp(-D). */
export function tangentEffectiveFromNominal(nominal: number): number {
  return -Math.expm1(-nominal);
}

/** D = -ln(1 - De), for 0 <= De < 1. */
export function nominalFromTangentEffective(tangentEffective: number): number {
  return -Math.log1p(-tangentEffective);
}

/** Des = 1 - (1 + b D)^(-1/b); the exponential limit 1 - exp(-D) at b = 0. */
export function secantEffectiveFromNominal(nominal: number, b: number): number {
  return -Math.expm1(-log1pOver(nominal, b));
}

/** D = ((1 - Des)^(-b) - 1) / b; -ln(1 - Des) at b = 0. For 0 <= Des < 1. */
export function nominalFromSecantEffective(secantEffective: number, b: number): number {
  return expm1Over(-Math.log1p(-secantEffective), b);
}
