/**
 * Gas-lift performance curves, pure: evaluation, concavity, the upper concave
 * envelope, and the fit of well tests to the curve model
 *
 *   q(g) = a + b·ln(1 + g/c) − d·g        (g lift gas Sm3/d, q m3/d; b, c, d ≥ 0)
 *
 * a is the rate without lift gas; b·ln(1 + g/c) the diminishing gain of
 * lightening the column; d·g the friction and slippage that extra gas costs,
 * which gives the curve a maximum at g_opt = b/d − c (when b/d > c). It is the
 * logarithmic model of Alarcón, Torres and Gómez (J. Energy Resour. Technol.
 * 124(4), 2002, q = c1 + c2·g + c3·g² + c4·ln(g + 1)) without the quadratic term
 * and with a scale c, so that it is concave for every fitted b, d ≥ 0: the
 * shape field curves have past their unloading point. Oil and water are fitted
 * separately with the same form.
 */

export interface GasLiftPoint {
  injectionSm3PerDay: number;
  oilM3PerDay: number;
  waterM3PerDay: number;
}

/** A well test seen as one point of the curve. */
export type GasLiftTestPoint = GasLiftPoint;

/** Linear interpolation of `value` along the curve; outside it, the nearest end. */
export function curveValueAt<P extends { injectionSm3PerDay: number }>(curve: readonly P[], injectionSm3PerDay: number, value: (point: P) => number): number {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!first || !last) return 0;
  if (injectionSm3PerDay <= first.injectionSm3PerDay) return value(first);
  if (injectionSm3PerDay >= last.injectionSm3PerDay) return value(last);
  let low = 0;
  let high = curve.length - 1;
  // Binary search: curves are small, but the benchmark evaluates thousands of them.
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((curve[middle]).injectionSm3PerDay <= injectionSm3PerDay) low = middle;
    else high = middle;
  }
  const left = curve[low];
  const right = curve[high];
  const fraction = (injectionSm3PerDay - left.injectionSm3PerDay) / (right.injectionSm3PerDay - left.injectionSm3PerDay);
  return value(left) + fraction * (value(right) - value(left));
}

/** Rates at an injection, linear between points. */
export function curveAt(curve: readonly GasLiftPoint[], injectionSm3PerDay: number): GasLiftPoint {
  return {
    injectionSm3PerDay,
    oilM3PerDay: curveValueAt(curve, injectionSm3PerDay, (point) => point.oilM3PerDay),
    waterM3PerDay: curveValueAt(curve, injectionSm3PerDay, (point) => point.waterM3PerDay),
  };
}

/**
 * Whether the piecewise-linear curve of `value` is concave: each segment's
 * slope no steeper than the one before, up to a relative tolerance (resampled
 * fitted curves carry rounding noise).
 */
export function isConcaveCurve<P extends { injectionSm3PerDay: number }>(curve: readonly P[], value: (point: P, index: number) => number, relativeTolerance = 1e-9): boolean {
  const slopes = segmentSlopes(curve, value);
  const scale = Math.max(1e-12, ...slopes.map(Math.abs));
  for (let index = 1; index < slopes.length; index++) {
    if ((slopes[index]) > (slopes[index - 1]) + relativeTolerance * scale) return false;
  }
  return true;
}

export function segmentSlopes<P extends { injectionSm3PerDay: number }>(curve: readonly P[], value: (point: P, index: number) => number): number[] {
  const slopes: number[] = [];
  for (let index = 1; index < curve.length; index++) {
    const left = curve[index - 1];
    const right = curve[index];
    slopes.push((value(right, index) - value(left, index - 1)) / (right.injectionSm3PerDay - left.injectionSm3PerDay));
  }
  return slopes;
}

/**
 * Indices of the points on the upper concave envelope (the smallest concave
 * function above every point), first and last always included. Andrew's
 * monotone chain, upper half: O(n) on points sorted by injection.
 */
export function upperEnvelopeIndices(xs: readonly number[], ys: readonly number[]): number[] {
  const hull: number[] = [];
  for (let index = 0; index < xs.length; index++) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // Drop b when it lies on or below the chord from a to the new point.
      const cross = ((xs[b]) - (xs[a])) * ((ys[index]) - (ys[a])) - ((ys[b]) - (ys[a])) * ((xs[index]) - (xs[a]));
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(index);
  }
  return hull;
}

// ---- fitting ------------------------------------------------------------------

export interface CurveFit {
  aM3PerDay: number;
  bM3PerDay: number;
  cSm3PerDay: number;
  dM3PerSm3: number;
  rmsM3PerDay: number;
}

export interface GasLiftFit {
  oil: CurveFit;
  water: CurveFit;
  /** The largest tested injection: the fitted curve is trusted up to it, not beyond. */
  maxTestedInjectionSm3PerDay: number;
}

/** Fewer distinct injections than this cannot tell a curve's bend from its slope. */
export const MIN_DISTINCT_INJECTIONS = 3;

export function fittedRate(fit: CurveFit, injectionSm3PerDay: number): number {
  return fit.aM3PerDay + fit.bM3PerDay * Math.log1p(injectionSm3PerDay / fit.cSm3PerDay) - fit.dM3PerSm3 * injectionSm3PerDay;
}

/**
 * Least-squares fit of oil and water to q = a + b·ln(1 + g/c) − d·g. For a
 * given c the model is linear in a, b, d (solved by normal equations, with b
 * or d held at 0 when the free solution would make them negative, i.e. a
 * convex or ever-rising-faster curve); c is searched on a logarithmic grid
 * from 1/50 to 20 times the largest injection, and refined by golden-section
 * between the grid neighbours of the best. Oil picks c; water reuses it
 * (its bend comes from the same lift). With exactly 3 distinct injections
 * the 4-parameter model fits any c exactly, so c is held at the mean tested
 * injection. Null with fewer than 3 distinct injections or none above 0.
 */
export function fitGasLiftCurve(tests: readonly GasLiftTestPoint[]): GasLiftFit | null {
  const distinct = new Set(tests.map((test) => test.injectionSm3PerDay));
  const maxInjection = Math.max(0, ...distinct);
  if (distinct.size < MIN_DISTINCT_INJECTIONS || maxInjection <= 0) return null;
  const gs = tests.map((test) => test.injectionSm3PerDay);
  const oil = tests.map((test) => test.oilM3PerDay);
  const water = tests.map((test) => test.waterM3PerDay);
  let c: number;
  if (distinct.size === MIN_DISTINCT_INJECTIONS) {
    c = [...distinct].reduce((sum, g) => sum + g, 0) / distinct.size;
  } else {
    const sse = (scale: number): number => fitForScale(gs, oil, scale).sse;
    const grid: number[] = [];
    for (let step = 0; step <= 40; step++) grid.push(maxInjection * (1 / 50) * Math.pow(1000, step / 40));
    let best = 0;
    for (let index = 1; index < grid.length; index++) if (sse(grid[index]) < sse(grid[best])) best = index;
    c = goldenSection(Math.log(grid[Math.max(0, best - 1)]), Math.log(grid[Math.min(grid.length - 1, best + 1)]), (logC) => sse(Math.exp(logC)));
    c = Math.exp(c);
  }
  const oilFit = fitForScale(gs, oil, c);
  const waterFit = fitForScale(gs, water, c);
  return { oil: toCurveFit(oilFit, c, tests.length), water: toCurveFit(waterFit, c, tests.length), maxTestedInjectionSm3PerDay: maxInjection };
}

/** The fitted curve at `points` injections evenly from 0 to the largest tested, rates never below 0. */
export function resampleFittedCurve(fit: GasLiftFit, points: number): GasLiftPoint[] {
  const curve: GasLiftPoint[] = [];
  for (let index = 0; index < points; index++) {
    const g = (fit.maxTestedInjectionSm3PerDay * index) / (points - 1);
    curve.push({ injectionSm3PerDay: g, oilM3PerDay: Math.max(0, fittedRate(fit.oil, g)), waterM3PerDay: Math.max(0, fittedRate(fit.water, g)) });
  }
  return curve;
}

interface ScaleFit {
  a: number;
  b: number;
  d: number;
  sse: number;
}

function toCurveFit(fit: ScaleFit, c: number, count: number): CurveFit {
  return { aM3PerDay: fit.a, bM3PerDay: fit.b, cSm3PerDay: c, dM3PerSm3: fit.d, rmsM3PerDay: Math.sqrt(fit.sse / count) };
}

/** Best a, b ≥ 0, d ≥ 0 for a fixed c (a tiny active-set search over which of b, d is held at 0). */
function fitForScale(gs: readonly number[], qs: readonly number[], c: number): ScaleFit {
  const basis = gs.map((g) => [1, Math.log1p(g / c), -g]);
  let best: ScaleFit | null = null;
  // Columns kept: all; without d; without b; the constant alone.
  for (const keep of [[0, 1, 2], [0, 1], [0, 2], [0]]) {
    const coefficients = leastSquares(
      basis.map((row) => keep.map((column) => row[column])),
      qs,
    );
    if (!coefficients) continue;
    const full = [0, 0, 0];
    keep.forEach((column, index) => (full[column] = coefficients[index]));
    if ((full[1]) < 0 || (full[2]) < 0) continue;
    let sse = 0;
    basis.forEach((row, index) => {
      const residual = (qs[index]) - row.reduce((sum, x, column) => sum + x * (full[column]), 0);
      sse += residual * residual;
    });
    if (!best || sse < best.sse - 1e-12 * Math.max(1, best.sse)) best = { a: full[0], b: full[1], d: full[2], sse };
  }
  // The constant alone always solves; the fallback only satisfies the type checker.
  return best ?? { a: 0, b: 0, d: 0, sse: Infinity };
}

/** Least squares by normal equations with column scaling (the columns differ by orders of magnitude). Null when singular. */
function leastSquares(rows: readonly (readonly number[])[], ys: readonly number[]): number[] | null {
  const n = rows[0]?.length ?? 0;
  const scale = Array.from({ length: n }, (_, column) => Math.max(1e-300, ...rows.map((row) => Math.abs(row[column]))));
  const matrix = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  rows.forEach((row, index) => {
    for (let i = 0; i < n; i++) {
      const xi = (row[i]) / (scale[i]);
      for (let j = 0; j < n; j++) (matrix[i])[j] = ((matrix[i])[j]) + xi * ((row[j]) / (scale[j]));
      (matrix[i])[n] = ((matrix[i])[n]) + xi * (ys[index]);
    }
  });
  const solution = gaussianSolve(matrix);
  return solution ? solution.map((value, column) => value / (scale[column])) : null;
}

/** Gauss–Jordan with partial pivoting on an augmented n×(n+1) matrix. */
function gaussianSolve(matrix: number[][]): number[] | null {
  const n = matrix.length;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs((matrix[row])[column]) > Math.abs((matrix[pivot])[column])) pivot = row;
    const pivotRow = matrix[pivot];
    if (Math.abs(pivotRow[column]) < 1e-12) return null;
    matrix[pivot] = matrix[column];
    matrix[column] = pivotRow;
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const target = matrix[row];
      const factor = (target[column]) / (pivotRow[column]);
      for (let k = column; k <= n; k++) target[k] = (target[k]) - factor * (pivotRow[k]);
    }
  }
  return matrix.map((row, index) => (row[n]) / (row[index]));
}

function goldenSection(low: number, high: number, f: (x: number) => number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = low;
  let b = high;
  for (let iteration = 0; iteration < 60 && b - a > 1e-6; iteration++) {
    const x1 = b - ratio * (b - a);
    const x2 = a + ratio * (b - a);
    if (f(x1) <= f(x2)) b = x2;
    else a = x1;
  }
  return (a + b) / 2;
}
