import { isUnitSystem, type UnitSystem } from './units';

export const UNITS_STORAGE_KEY = 'petroflow.units';

/**
 * The user's own choice wins, then the site's; canonical (metric) is what the
 * server sends, so it is the honest fallback while the site is unknown.
 */
export function resolveUnitSystem(stored: string | null, site: UnitSystem | undefined): UnitSystem {
  if (isUnitSystem(stored)) return stored;
  return site ?? 'metric';
}

/**
 * What to keep in storage after the user picks `choice`: nothing when it is the
 * site's own system, so the user follows the site if the site changes later.
 */
export function overrideFor(choice: UnitSystem, site: UnitSystem | undefined): UnitSystem | null {
  return site !== undefined && choice === site ? null : choice;
}
