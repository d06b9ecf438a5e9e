import type { ModuleEvent } from "../../runtime/events/event-bus.js";
import type { ProductionService } from "../production/service.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { DcaService } from "./dca-service.js";
import { ForecastService } from "./forecast-service.js";
import { HistoryService } from "./history-service.js";
import { IprService } from "./ipr-service.js";
import { RateService } from "./rate-service.js";
import { ShortfallService } from "./shortfall-service.js";

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
  /** Imported production history (history-service.ts). */
  readonly history: HistoryService;
  /** A well's rate series from allocation, history or a tag (rate-service.ts). */
  readonly rates: RateService;
  /** Stored, versioned decline forecasts (forecast-service.ts). */
  readonly forecasts: ForecastService;
  /** Production against the current forecast after each allocation run (shortfall-service.ts). */
  readonly shortfall: ShortfallService;
  /** Inflow performance: pressure surveys, multi-rate tests, IPR curves (ipr-service.ts). */
  readonly ipr: IprService;
  /** Shortfall checks still running (an allocation run's event starts one). */
  private readonly checks = new Set<Promise<void>>();

  constructor(
    readonly context: ErpContext,
    readonly dependencies: ReservoirDependencies,
  ) {
    this.dca = new DcaService();
    this.history = new HistoryService(context, dependencies.assets);
    this.rates = new RateService(context, dependencies.assets, dependencies.production, this.history);
    this.forecasts = new ForecastService(context, dependencies.assets, this.rates, this.dca);
    this.shortfall = new ShortfallService(context, dependencies.assets, this.rates, this.forecasts);
    this.ipr = new IprService(context, dependencies.assets, dependencies.production);
    context.events.subscribe("production.allocation.completed", (event) => this.afterAllocation(event));
  }

  /** Resolves once every shortfall check started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.checks.size > 0) await Promise.all([...this.checks]);
  }

  private afterAllocation(event: ModuleEvent): void {
    const { siteAssetId, periodStart, periodEnd } = event.payload;
    if (typeof siteAssetId !== "string" || typeof periodStart !== "string" || typeof periodEnd !== "string") return;
    // The event arrives after the run committed; the check reads it on its own, and a failure is logged, never thrown at the emitter.
    const check: Promise<void> = this.shortfall
      .check(siteAssetId, periodStart, periodEnd)
      .then(() => undefined)
      .catch((error: unknown) => this.context.logger.warn({ err: error, siteAssetId, periodStart, periodEnd }, "the forecast shortfall check failed"))
      .finally(() => this.checks.delete(check));
    this.checks.add(check);
  }
}
