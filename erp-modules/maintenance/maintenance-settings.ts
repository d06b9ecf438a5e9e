import { SettingsSchema, type Settings } from "../../settings.js";
import type { ErpContext } from "../shared/module-context.js";

export interface MaintenanceSettings {
  checkIntervalMs: number;
  meterMaxHoldMs: number;
  alarmDelayMinutes: number;
}

const DEFAULTS = SettingsSchema.properties;

function fallback<K extends keyof Settings>(key: K): Settings[K] {
  return (DEFAULTS[key] as { default: Settings[K] }).default;
}

/** The maintenance settings, with settings.ts defaults where the context has none. */
export function maintenanceSettings(context: Pick<ErpContext, "settings">): MaintenanceSettings {
  const settings = context.settings ?? {};
  return {
    checkIntervalMs: (settings.maintenanceCheckIntervalSeconds ?? fallback("maintenanceCheckIntervalSeconds")) * 1000,
    meterMaxHoldMs: (settings.maintenanceMeterMaxHoldMinutes ?? fallback("maintenanceMeterMaxHoldMinutes")) * 60_000,
    alarmDelayMinutes: settings.maintenanceAlarmDelayMinutes ?? fallback("maintenanceAlarmDelayMinutes"),
  };
}
