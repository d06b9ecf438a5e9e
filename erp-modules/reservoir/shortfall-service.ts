import { SettingsSchema } from "../../settings.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { curveOf, type ForecastService } from "./forecast-service.js";
import { rateAt } from "./model/arps.js";
import { shortfallOver, type Shortfall } from "./model/forecast-check.js";
import type { RateService } from "./rate-service.js";
import type { ReservoirFluid } from "./rate-schema.js";

/*
 * The shortfall alert (docs/reservoir-data.md "Shortfall alert"): after an
 * allocation run, each well of the run's site with a current oil or gas
 * forecast is compared over the run's producing days; production a set
 * percentage (setting reservoirShortfallPercent) below the forecast emits
 * the module event reservoir.forecast.shortfall, which the shipped demo flow
 * turns into an operator alert.
 */

export const SHORTFALL_EVENT = "reservoir.forecast.shortfall";
const CHECKED_FLUIDS: readonly ReservoirFluid[] = ["oil", "gas"];

export interface WellShortfall extends Shortfall {
  wellId: string;
  wellCode: string;
  fluid: ReservoirFluid;
  forecastId: string;
  forecastVersion: number;
  periodStart: string;
  periodEnd: string;
  thresholdPercent: number;
  unit: string;
}

export function shortfallThresholdPercent(context: Pick<ErpContext, "settings">): number {
  return context.settings?.reservoirShortfallPercent ?? (SettingsSchema.properties.reservoirShortfallPercent as { default: number }).default;
}

export class ShortfallService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly rates: RateService,
    private readonly forecasts: ForecastService,
  ) {}

  /** Compares the site's wells over the period; emits one event per well and fluid in shortfall and answers them. */
  async check(siteAssetId: string, periodStart: string, periodEnd: string): Promise<WellShortfall[]> {
    const thresholdPercent = shortfallThresholdPercent(this.context);
    const found: WellShortfall[] = [];
    for (const well of await this.assets.wellsUnder(siteAssetId)) {
      for (const fluid of CHECKED_FLUIDS) {
        const forecast = await this.forecasts.current(well.id, fluid);
        if (!forecast) continue;
        const curve = curveOf(forecast);
        const points = await this.rates.allocated(well, fluid, periodStart, periodEnd);
        const result = shortfallOver(points, forecast.referenceDate, (t) => rateAt(curve, t), thresholdPercent);
        if (!result?.alert) continue;
        found.push({
          ...result,
          wellId: well.id,
          wellCode: well.code,
          fluid,
          forecastId: forecast.id,
          forecastVersion: forecast.version,
          periodStart,
          periodEnd,
          thresholdPercent,
          unit: fluid === "gas" ? "Sm3/d" : "m3/d",
        });
      }
    }
    for (const shortfall of found) this.context.events.emit(SHORTFALL_EVENT, { ...shortfall });
    return found;
  }
}
