import type { Highs } from "highs";
import { performance } from "node:perf_hooks";
import { buildGasLiftModel, equalSlopeBasis, gasLiftResult, injectionsFromSolution, MODEL_GAS_UNIT_SM3_PER_DAY, planGasLift, type GasLiftPlan, type LinearModel } from "./model/gas-lift-formulation.js";
import type { GasLiftOptimizationRequest, GasLiftOptimizationResult } from "./gas-lift-schema.js";
import { DEFAULT_TIME_LIMIT_SECONDS } from "./gas-lift-solver.js";

/*
 * One gas-lift request solved with a loaded HiGHS, synchronously: planning,
 * model building, HiGHS (and the MILP's marginal re-solve), reading the
 * solution. The worker thread (gas-lift-worker.ts) runs it; the benchmark
 * also runs it on the main thread, as the baseline of what the worker avoids.
 */

const DEFAULT_MIP_GAP = 1e-4;
const DEFAULT_MARGINAL_DELTA_SM3_PER_DAY = 1000;

interface RunOutcome {
  modelStatus: number;
  statusText: string;
  objective: number;
  colValue: Float64Array;
  rowDual: Float64Array;
  mipGap: number | null;
  hasSolution: boolean;
}

/** HiGHS's own wording of its model status codes (as its legacy API and logs say them), by code. */
const STATUS_TEXT: readonly string[] = [
  "Not Set",
  "Load error",
  "Model error",
  "Presolve error",
  "Solve error",
  "Postsolve error",
  "Empty",
  "Optimal",
  "Infeasible",
  "Primal infeasible or unbounded",
  "Unbounded",
  "Bound on objective reached",
  "Target for objective reached",
  "Time limit reached",
  "Iteration limit reached",
  "Unknown",
  "Solution limit reached",
  "Interrupted by user",
];

function statusName(code: number): string {
  return STATUS_TEXT[code] ?? `HiGHS status ${code}`;
}

function run(highs: Highs, linear: LinearModel, timeLimitSeconds: number, mipGap: number): RunOutcome {
  if (linear.numCols === 0) {
    // Every well pinned at one injection (min = max): nothing to choose, and HiGHS would call the model empty.
    const feasible = linear.rowUpper.every((upper) => upper >= -1e-9);
    const { optimal, infeasible } = highs.constants.modelStatus;
    return {
      modelStatus: feasible ? optimal : infeasible,
      statusText: statusName(feasible ? optimal : infeasible),
      objective: linear.offset,
      colValue: new Float64Array(0),
      rowDual: new Float64Array(linear.numRows),
      mipGap: null,
      hasSolution: feasible,
    };
  }
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: mipGap, random_seed: 0 });
    const isMip = linear.integrality.some((type) => type === 1);
    model.passModel({
      numCols: linear.numCols,
      numRows: linear.numRows,
      sense: highs.constants.objectiveSense.maximize,
      offset: linear.offset,
      colCost: linear.colCost,
      colLower: linear.colLower,
      colUpper: linear.colUpper,
      rowLower: linear.rowLower.map((value) => (value === -Infinity ? -highs.infinity : value)),
      rowUpper: linear.rowUpper.map((value) => (value === Infinity ? highs.infinity : value)),
      matrix: { format: "csr", numRows: linear.numRows, numCols: linear.numCols, starts: linear.starts, indices: linear.indices, values: linear.values },
      ...(isMip ? { integrality: linear.integrality } : {}),
    });
    const basis = equalSlopeBasis(linear);
    if (basis) model.setBasis(basis);
    model.run();
    const modelStatus = model.getModelStatus();
    const primalStatus = Number(model.info.get("primal_solution_status"));
    // 2 = feasible solution (HiGHS kSolutionStatusFeasible).
    const hasSolution = primalStatus === 2;
    const solution = hasSolution ? model.getSolution() : null;
    return {
      modelStatus,
      statusText: statusName(modelStatus),
      objective: hasSolution ? model.getObjectiveValue() : NaN,
      colValue: solution?.colValue ?? new Float64Array(0),
      rowDual: solution?.rowDual ?? new Float64Array(0),
      mipGap: isMip ? Number(model.info.get("mip_gap")) : null,
      hasSolution,
    };
  } finally {
    model.dispose();
  }
}

/** Solves a validated request (GasLiftService.optimize validates). Throws when HiGHS ends without a usable allocation. */
export function solveGasLiftWithHighs(highs: Highs, request: GasLiftOptimizationRequest): GasLiftOptimizationResult {
  const started = performance.now();
  const plan: GasLiftPlan = planGasLift(request);
  const solver = `HiGHS ${highs.version.string}`;
  const elapsed = (): number => performance.now() - started;
  if (plan.hardMinimumSm3PerDay > plan.gasLimitSm3PerDay * (1 + 1e-12)) {
    return gasLiftResult(plan, { status: "infeasible", solverStatus: "Infeasible (minimums exceed the gas limit)", injections: null, marginalValue: null, solveTimeMs: elapsed(), mipGap: null, solver });
  }
  const timeLimit = request.solver?.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  const gap = request.solver?.mipRelativeGap ?? DEFAULT_MIP_GAP;
  const model = buildGasLiftModel(plan, plan.gasLimitSm3PerDay);
  const base = run(highs, model, timeLimit, gap);
  const { optimal, infeasible, timeLimit: timeLimitCode } = highs.constants.modelStatus;
  if (base.modelStatus === infeasible) {
    return gasLiftResult(plan, { status: "infeasible", solverStatus: base.statusText, injections: null, marginalValue: null, solveTimeMs: elapsed(), mipGap: null, solver });
  }
  if (!base.hasSolution && base.modelStatus === timeLimitCode) {
    // Stopped before any allocation was found (a MILP under a very short limit): say so, keep the current one.
    return gasLiftResult(plan, {
      status: "time_limit",
      solverStatus: `${base.statusText}: no allocation found within ${timeLimit} s`,
      injections: null,
      marginalValue: null,
      solveTimeMs: elapsed(),
      mipGap: null,
      solver,
    });
  }
  if (!base.hasSolution || (base.modelStatus !== optimal && base.modelStatus !== timeLimitCode)) {
    throw new Error(`HiGHS ended with ${base.statusText} and no usable allocation`);
  }
  const injections = injectionsFromSolution(plan, base.colValue);
  let marginalValue: GasLiftOptimizationResult["marginalValue"];
  if (plan.method === "lp") {
    // Maximisation: HiGHS's row dual is the objective's rate of change per unit of the row's bound, per kSm3/d here.
    const dual = Math.abs(base.rowDual[model.gasRow] ?? 0);
    const perSm3 = dual / MODEL_GAS_UNIT_SM3_PER_DAY;
    marginalValue = { perSm3PerDay: perSm3, per1000Sm3PerDay: perSm3 * 1000, method: "lp_dual", deltaSm3PerDay: null };
  } else {
    const delta = request.solver?.marginalDeltaSm3PerDay ?? DEFAULT_MARGINAL_DELTA_SM3_PER_DAY;
    const more = run(highs, buildGasLiftModel(plan, plan.gasLimitSm3PerDay + delta), timeLimit, gap);
    if (more.hasSolution) {
      // More gas can only help (the gas row is ≤); a negative difference is the two solves' gaps, not a price.
      const perSm3 = Math.max(0, more.objective - base.objective) / delta;
      marginalValue = { perSm3PerDay: perSm3, per1000Sm3PerDay: perSm3 * 1000, method: "milp_resolve", deltaSm3PerDay: delta };
    } else {
      // The re-solve found nothing within its limit: no figure rather than a made-up 0.
      marginalValue = null;
    }
  }
  return gasLiftResult(plan, {
    status: base.modelStatus === optimal ? "optimal" : "time_limit",
    solverStatus: base.statusText,
    injections,
    marginalValue,
    solveTimeMs: elapsed(),
    mipGap: base.mipGap,
    solver,
  });
}

