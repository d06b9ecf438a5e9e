/*
 * Forms of the Arps expressions that keep their precision for any b >= 0,
 * including b so small that b x underflows (pure). Each has a removable
 * singularity at 0, taken by its two-term series where the argument is tiny.
 */

/** ln(1 + b x) / b, tending to x as b x -> 0. */
export function log1pOver(x: number, b: number): number {
  const bx = b * x;
  if (Math.abs(bx) < 1e-8) return x * (1 - bx / 2);
  return Math.log1p(bx) / b;
}

/** (exp(b y) - 1) / b, tending to y as b y -> 0. */
export function expm1Over(y: number, b: number): number {
  const by = b * y;
  if (Math.abs(by) < 1e-8) return y * (1 + by / 2);
  return Math.expm1(by) / b;
}

/** (1 - exp(-c L)) / c, tending to L as c L -> 0 (c of either sign). */
export function oneMinusExpOver(c: number, logTerm: number): number {
  const x = c * logTerm;
  if (Math.abs(x) < 1e-8) return logTerm * (1 - x / 2);
  return -Math.expm1(-x) / c;
}
