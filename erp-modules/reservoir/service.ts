import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { DcaService } from "./dca-service.js";

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
  /** Decline-curve analysis: stateless forecasts, fits and type curves (dca-service.ts). */
  readonly dca: DcaService;

  constructor(
    readonly context: ErpContext,
    readonly dependencies: ReservoirDependencies,
  ) {
    this.dca = new DcaService();
  }
}
