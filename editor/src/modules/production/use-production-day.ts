import { useMemo } from 'react';
import { useUnitSystem } from '../../shell/unit-system';
import { siteDayClock, type ProductionDayClock } from './dates';

/** The site's production day clock, from the site query the unit system already holds (UTC days until it answers). */
export function useProductionDayClock(): ProductionDayClock {
  const { site } = useUnitSystem();
  const timeZone = site?.timeZone;
  const productionDayStartHour = site?.productionDayStartHour;
  return useMemo(() => siteDayClock({ timeZone, productionDayStartHour }), [timeZone, productionDayStartHour]);
}
