import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";

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
  constructor(
    readonly context: ErpContext,
    readonly dependencies: OptimizationDependencies,
  ) {}
}
