import { SettingsSchema, type Settings } from "../../settings.js";
import type { ErpContext } from "../shared/module-context.js";
import type { FlagLimits } from "./model/flags.js";

/** The settings reports and flags follow, with settings.ts defaults where the context has none. */
export interface ProductionSettings {
  siteLanguage: Settings["siteLanguage"];
  unitSystem: Settings["unitSystem"];
  standardConditions: Settings["standardConditions"];
  limits: FlagLimits;
}

const DEFAULTS = SettingsSchema.properties;

export function productionSettings(context: Pick<ErpContext, "settings">): ProductionSettings {
  const settings = context.settings ?? {};
  return {
    siteLanguage: settings.siteLanguage ?? DEFAULTS.siteLanguage.default,
    unitSystem: settings.unitSystem ?? DEFAULTS.unitSystem.default,
    standardConditions: settings.standardConditions ?? DEFAULTS.standardConditions.default,
    limits: {
      allocationFactorMin: settings.allocationFactorMin ?? DEFAULTS.allocationFactorMin.default,
      allocationFactorMax: settings.allocationFactorMax ?? DEFAULTS.allocationFactorMax.default,
      checkMeterTolerancePercent: settings.checkMeterTolerancePercent ?? DEFAULTS.checkMeterTolerancePercent.default,
      wellTestValidityDays: settings.wellTestValidityDays ?? DEFAULTS.wellTestValidityDays.default,
    },
  };
}
