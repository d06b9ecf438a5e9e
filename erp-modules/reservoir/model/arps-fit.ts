import type { DcaModel } from "../dca-schema.js";
import type { ArpsCurve } from "./arps.js";
import { log1pOver } from "./numerics.js";

/*
 * Least-squares fit of an Arps curve to rates (pure). docs/reservoir-dca.md
 * "Fitting".
 *
 * The misfit is measured on ln(q): decline data scatter multiplicatively, and
 * a late low rate then weighs as much as an early high one. In log space
 *
 *   ln q(t) = ln qi + g(t; Di, b),   g = -ln(1 + b Di t) / b   (-Di t at b = 0)
 *
 * so ln qi enters linearly: for given (Di, b) its best value is the mean of
 * ln q - g, and the residual is the centred vector r = P (y - g) with
 * P = I - 1 1^T / n (variable projection, Golub & Pereyra 1973; with one
 * constant column the projected Jacobian -P dg/dtheta is exact). What is left
 * is a problem in at most two parameters, theta = (ln Di, b), solved by a
 * Levenberg-Marquardt iteration with analytic derivatives, projected onto the
 * box (b within its bounds, Di between DECLINE_BOUNDS_PER_DAY), from a few
 * starting values of b; the best end point wins.
 */

/** Bounds of a fitted initial decline, nominal per day (about 4e-6 to 36500 per year). */
export const DECLINE_BOUNDS_PER_DAY = { min: 1e-8, max: 100 } as const;
/** Cap on Levenberg-Marquardt iterations per start. */
export const MAX_ITERATIONS = 200;

export interface ArpsFitOptions {
  model: DcaModel;
  /** Bounds of b for hyperbolic and modifiedHyperbolic (ignored by the other models). */
  bMin: number;
  bMax: number;
  /** modifiedHyperbolic: the terminal decline, nominal per day (given, not fitted). */
  terminalDeclinePerDay?: number;
}

export interface ArpsFitOutcome {
  curve: ArpsCurve;
  /** Iterations of the winning start. */
  iterations: number;
  converged: boolean;
  /** Sum of squared log residuals at the end. */
  sumSquaresLog: number;
}

/** g(t), dg/d(ln Di) and dg/db of one point, written into `out` (no allocation in the inner loop). */
interface Shape {
  g: number;
  dU: number;
  dB: number;
}

/** The hyperbolic log-shape at (D, b, t). */
function hyperbolicShape(d: number, b: number, t: number, out: Shape): void {
  const x = d * t;
  const bx = b * x;
  out.g = -log1pOver(x, b);
  out.dU = -x / (1 + bx);
  // dg/db = ln(1 + b x) / b^2 - x / (b (1 + b x)); the series x^2/2 - 2/3 b x^3 + 3/4 b^2 x^4
  // where b x is small, since the exact form cancels there.
  if (Math.abs(bx) < 1e-3) out.dB = x * x * (0.5 - (2 / 3) * bx + 0.75 * bx * bx);
  else out.dB = Math.log1p(bx) / (b * b) - x / (b * (1 + bx));
}

/**
 * The log-shape of any model. Past the modified hyperbolic's switch time t*,
 * g = g_h(t*) - Dlim (t - t*); since dg_h/dt = -Dlim at t*, the derivatives
 * are those of g_h at t* (the terms through d(t*)/d(theta) cancel).
 */
function shape(d: number, b: number, dLim: number | undefined, t: number, out: Shape): void {
  if (dLim !== undefined && b > 0 && dLim < d) {
    const tSwitch = (1 / dLim - 1 / d) / b;
    if (t > tSwitch) {
      hyperbolicShape(d, b, tSwitch, out);
      out.g -= dLim * (t - tSwitch);
      return;
    }
  }
  hyperbolicShape(d, b, t, out);
}

interface Problem {
  times: ArrayLike<number>;
  logRates: Float64Array;
  dLim: number | undefined;
  /** Whether b is a free parameter. */
  fitB: boolean;
  uMin: number;
  uMax: number;
  bMin: number;
  bMax: number;
}

/** Workspace of one evaluation: centred residuals and Jacobian columns. */
interface Evaluation {
  sumSquares: number;
  logQi: number;
  residual: Float64Array;
  jacobianU: Float64Array;
  jacobianB: Float64Array;
}

function newEvaluation(n: number): Evaluation {
  return { sumSquares: 0, logQi: 0, residual: new Float64Array(n), jacobianU: new Float64Array(n), jacobianB: new Float64Array(n) };
}

const scratch: Shape = { g: 0, dU: 0, dB: 0 };

function evaluate(problem: Problem, u: number, b: number, into: Evaluation): void {
  const { times, logRates, dLim } = problem;
  const n = logRates.length;
  const d = Math.exp(u);
  let meanResidual = 0;
  let meanU = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    shape(d, b, dLim, times[i] ?? 0, scratch);
    const raw = (logRates[i] ?? 0) - scratch.g;
    into.residual[i] = raw;
    into.jacobianU[i] = scratch.dU;
    into.jacobianB[i] = scratch.dB;
    meanResidual += raw;
    meanU += scratch.dU;
    meanB += scratch.dB;
  }
  meanResidual /= n;
  meanU /= n;
  meanB /= n;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const r = (into.residual[i] ?? 0) - meanResidual;
    into.residual[i] = r;
    sumSquares += r * r;
    into.jacobianU[i] = (into.jacobianU[i] ?? 0) - meanU;
    into.jacobianB[i] = (into.jacobianB[i] ?? 0) - meanB;
  }
  into.sumSquares = sumSquares;
  into.logQi = meanResidual;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

interface Run {
  u: number;
  b: number;
  logQi: number;
  sumSquares: number;
  iterations: number;
  converged: boolean;
}

/** Projected Levenberg-Marquardt from (u0, b0). */
function levenbergMarquardt(problem: Problem, u0: number, b0: number, work: [Evaluation, Evaluation]): Run {
  let [current, trial] = work;
  let u = clamp(u0, problem.uMin, problem.uMax);
  let b = problem.fitB ? clamp(b0, problem.bMin, problem.bMax) : b0;
  evaluate(problem, u, b, current);
  let lambda = 1e-3;
  const n = problem.logRates.length;
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    // Normal equations of the centred problem: A = Gc^T Gc, step = (A + lambda diag A)^-1 Gc^T r.
    let auu = 0;
    let aub = 0;
    let abb = 0;
    let gu = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const ju = current.jacobianU[i] ?? 0;
      const jb = current.jacobianB[i] ?? 0;
      const r = current.residual[i] ?? 0;
      auu += ju * ju;
      aub += ju * jb;
      abb += jb * jb;
      gu += ju * r;
      gb += jb * r;
    }
    // A parameter on a bound whose descent direction points out of the box stays there (projection's active set).
    const freeU = !((u <= problem.uMin && gu < 0) || (u >= problem.uMax && gu > 0));
    const freeB = problem.fitB && !((b <= problem.bMin && gb < 0) || (b >= problem.bMax && gb > 0));
    if (!freeU && !freeB) return { u, b, logQi: current.logQi, sumSquares: current.sumSquares, iterations: iteration, converged: true };
    let improved = false;
    while (lambda <= 1e12) {
      const duu = auu * (1 + lambda) + 1e-300;
      const dbb = abb * (1 + lambda) + 1e-300;
      let stepU = 0;
      let stepB = 0;
      if (freeU && freeB) {
        const det = duu * dbb - aub * aub;
        stepU = (dbb * gu - aub * gb) / det;
        stepB = (duu * gb - aub * gu) / det;
      } else if (freeU) stepU = gu / duu;
      else stepB = gb / dbb;
      const uNext = clamp(u + stepU, problem.uMin, problem.uMax);
      const bNext = problem.fitB ? clamp(b + stepB, problem.bMin, problem.bMax) : b;
      evaluate(problem, uNext, bNext, trial);
      if (Number.isFinite(trial.sumSquares) && trial.sumSquares < current.sumSquares) {
        const decrease = current.sumSquares - trial.sumSquares;
        const moved = Math.abs(uNext - u) + Math.abs(bNext - b);
        [current, trial] = [trial, current];
        u = uNext;
        b = bNext;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (decrease <= 1e-12 * current.sumSquares || moved < 1e-12 || current.sumSquares < 1e-28) {
          return { u, b, logQi: current.logQi, sumSquares: current.sumSquares, iterations: iteration, converged: true };
        }
        break;
      }
      lambda *= 10;
    }
    // No step, however short, lowers the misfit: a minimum (up to rounding).
    if (!improved) return { u, b, logQi: current.logQi, sumSquares: current.sumSquares, iterations: iteration, converged: true };
  }
  return { u, b, logQi: current.logQi, sumSquares: current.sumSquares, iterations: MAX_ITERATIONS, converged: false };
}

/** Nominal decline per day of the least-squares line through (t, ln q); floored at a small positive decline. */
function exponentialDeclineGuess(times: ArrayLike<number>, logRates: Float64Array): number {
  const n = logRates.length;
  let meanT = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanT += times[i] ?? 0;
    meanY += logRates[i] ?? 0;
  }
  meanT /= n;
  meanY /= n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    const dt = (times[i] ?? 0) - meanT;
    stt += dt * dt;
    sty += dt * ((logRates[i] ?? 0) - meanY);
  }
  const span = (times[n - 1] ?? 0) - (times[0] ?? 0);
  const slope = stt > 0 ? sty / stt : 0;
  return Math.max(-slope, 1e-3 / Math.max(span, 1));
}

/** Starting values of b: fractions of the bound interval, so bounds like [0.5, 1.2] are respected. */
const B_START_FRACTIONS = [0.15, 0.5, 0.85] as const;

/**
 * Fits one Arps model to (t, q). Times are days from the curve's t = 0 (the
 * caller's reference), rates positive; at least 3 points (2 for the
 * one-parameter models). The rates' unit carries through to the curve.
 */
export function fitArps(times: ArrayLike<number>, rates: ArrayLike<number>, options: ArpsFitOptions): ArpsFitOutcome {
  const n = rates.length;
  const logRates = new Float64Array(n);
  for (let i = 0; i < n; i++) logRates[i] = Math.log(rates[i] ?? 0);
  const dLim = options.model === "modifiedHyperbolic" ? options.terminalDeclinePerDay : undefined;
  const fixedB = options.model === "exponential" ? 0 : options.model === "harmonic" ? 1 : null;
  const fitB = fixedB === null && options.bMax > options.bMin;
  const problem: Problem = {
    times,
    logRates,
    dLim,
    fitB,
    // The modified hyperbolic's Di stays above its terminal decline.
    uMin: Math.log(Math.max(DECLINE_BOUNDS_PER_DAY.min, dLim === undefined ? 0 : dLim * (1 + 1e-9))),
    uMax: Math.log(DECLINE_BOUNDS_PER_DAY.max),
    bMin: options.bMin,
    bMax: options.bMax,
  };
  const work: [Evaluation, Evaluation] = [newEvaluation(n), newEvaluation(n)];
  const span = (times[n - 1] ?? 0) - (times[0] ?? 0);
  const dExponential = exponentialDeclineGuess(times, logRates);
  const bStarts = fixedB !== null ? [fixedB] : fitB ? B_START_FRACTIONS.map((f) => options.bMin + f * (options.bMax - options.bMin)) : [options.bMin];
  let best: Run | null = null;
  for (const bStart of bStarts) {
    // A hyperbolic's initial decline exceeds its average one; (1 + b D T / 2) scales the exponential slope up.
    const dStart = dExponential * (1 + (bStart * dExponential * span) / 2);
    const run = levenbergMarquardt(problem, Math.log(dStart), bStart, work);
    if (best === null || run.sumSquares < best.sumSquares) best = run;
  }
  // bStarts is never empty, so best is set; the check keeps the type honest.
  if (best === null) throw new Error("fitArps: no starting point");
  const curve: ArpsCurve = { initialRatePerDay: Math.exp(best.logQi), initialDeclinePerDay: Math.exp(best.u), b: best.b };
  if (dLim !== undefined) curve.terminalDeclinePerDay = dLim;
  return { curve, iterations: best.iterations, converged: best.converged, sumSquaresLog: best.sumSquares };
}
