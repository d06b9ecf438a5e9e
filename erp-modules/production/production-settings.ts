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

/** A setting's schema default, typed as the setting (TypeBox leaves `default` untyped). */
function fallback<K extends keyof Settings>(key: K): Settings[K] {
  return (DEFAULTS[key] as { default: Settings[K] }).default;
}

export function productionSettings(context: Pick<ErpContext, "settings">): ProductionSettings {
  const settings = context.settings ?? {};
  return {
    siteLanguage: settings.siteLanguage ?? fallback("siteLanguage"),
    unitSystem: settings.unitSystem ?? fallback("unitSystem"),
    standardConditions: settings.standardConditions ?? fallback("standardConditions"),
    limits: {
      allocationFactorMin: settings.allocationFactorMin ?? fallback("allocationFactorMin"),
      allocationFactorMax: settings.allocationFactorMax ?? fallback("allocationFactorMax"),
      checkMeterTolerancePercent: settings.checkMeterTolerancePercent ?? fallback("checkMeterTolerancePercent"),
      wellTestValidityDays: settings.wellTestValidityDays ?? fallback("wellTestValidityDays"),
    },
  };
}
