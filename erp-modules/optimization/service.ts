import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { GasLiftService } from "./gas-lift-service.js";

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
  /** Gas-lift allocation: the stateless optimiser and the site's curves (docs/optimization-gas-lift.md). */
  readonly gasLift: GasLiftService;

  constructor(
    readonly context: ErpContext,
    readonly dependencies: OptimizationDependencies,
  ) {
    this.gasLift = new GasLiftService(context, dependencies);
  }
}
