import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import type { GasLiftPlanner } from "./gas-lift-planner.js";
import { GasLiftRunService } from "./gas-lift-run-service.js";

/** The modules optimization reads through (never their tables). */
export interface OptimizationDependencies {
  assets: AssetLookup;
  production: ProductionService;
}

/**
 * The optimization module's service: one sub-service per area (added beside this
 * file), like ProductionService.
 */
export class OptimizationService {
  /** The gas-lift closed loop: limits, runs, approval, the flow's writes. */
  readonly gasLiftRuns: GasLiftRunService;

  constructor(
    readonly context: ErpContext,
    readonly dependencies: OptimizationDependencies,
  ) {
    this.gasLiftRuns = new GasLiftRunService(context, dependencies.assets, this.gasLiftPlanner());
  }

  private gasLiftPlanner(): GasLiftPlanner {
    // Replaced by the gas-lift optimiser's planner when h/gaslift-opt lands.
    return {
      plan: () => Promise.reject(new Error("the gas-lift optimiser is not available in this build")),
    };
  }
}
