import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { IprService } from "./ipr-service.js";

/** The modules reservoir reads through (never their tables). */
export interface ReservoirDependencies {
  assets: AssetLookup;
  production: ProductionService;
}

/**
 * The reservoir module's service: one sub-service per area (added beside this
 * file), like ProductionService.
 */
export class ReservoirService {
  /** Inflow performance: pressure surveys, multi-rate tests, IPR curves. */
  readonly ipr: IprService;

  constructor(
    readonly context: ErpContext,
    readonly dependencies: ReservoirDependencies,
  ) {
    this.ipr = new IprService(context, dependencies.assets, dependencies.production);
  }
}
