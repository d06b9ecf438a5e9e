import type { RunSetpoint, RunStatus } from '../../api/optimization';
import { toDisplay, type UnitSystem } from '../../units/units';

/*
 * What the gas-lift screen shows, computed from a run in canonical units
 * (Sm3/d of lift gas, m3/d of oil) and turned into the site's units. Pure.
 */

export const STATUS_COLORS: Record<RunStatus, string> = {
  proposed: 'blue',
  approved: 'teal',
  rejected: 'gray',
  writing: 'yellow',
  sent: 'green',
  partially_failed: 'orange',
  failed: 'red',
};

/** A run the engineer may still decide on. */
export function isDecidable(status: RunStatus): boolean {
  return status === 'proposed';
}

/** A run whose writes are still to come: the screen polls it. */
export function isInFlight(status: RunStatus): boolean {
  return status === 'approved' || status === 'writing';
}

/** Oil gained at the recommended injection over the current one, m3/d; null when the current rate is unknown. */
export function oilGainM3PerDay(setpoint: Pick<RunSetpoint, 'currentOilM3PerDay' | 'expectedOilM3PerDay'>): number | null {
  return setpoint.currentOilM3PerDay === null ? null : setpoint.expectedOilM3PerDay - setpoint.currentOilM3PerDay;
}

/**
 * The marginal value of lift gas (m3/d of oil per Sm3/d of gas) in the site's
 * units: oil per day per gas per day, e.g. bbl/d per Mscf/d. Both display
 * conversions are linear, so the ratio converts by their factors.
 */
export function marginalInDisplay(oilPerGas: number, system: UnitSystem): number {
  return (toDisplay(oilPerGas, 'm3/d', system).value / toDisplay(1, 'Sm3/d', system).value);
}

/** A well's curve and its current and recommended points, in display units, for the chart. */
export function curveInDisplay(setpoint: RunSetpoint, system: UnitSystem) {
  const gas = (value: number) => toDisplay(value, 'Sm3/d', system).value;
  const oil = (value: number) => toDisplay(value, 'm3/d', system).value;
  return {
    injection: setpoint.curve.map((point) => gas(point.injectionSm3PerDay)),
    oil: setpoint.curve.map((point) => oil(point.oilM3PerDay)),
    current:
      setpoint.currentInjectionSm3PerDay === null || setpoint.currentOilM3PerDay === null
        ? null
        : { injection: gas(setpoint.currentInjectionSm3PerDay), oil: oil(setpoint.currentOilM3PerDay) },
    recommended: { injection: gas(setpoint.recommendedInjectionSm3PerDay), oil: oil(setpoint.expectedOilM3PerDay) },
  };
}

/** Prices as the engineer types them: money per display volume (bbl and Mscf on an oilfield site). */
export interface DisplayedPrices {
  currency: string;
  oilPerVolume: number;
  liftGasPerVolume: number;
  waterPerVolume: number;
}

/**
 * The net-value prices in the API's units (money per m3 of oil or water, per
 * Sm3 of lift gas). A price per bbl is a price per m3 times the bbl in one m3.
 */
export function pricesToCanonical(prices: DisplayedPrices, system: UnitSystem) {
  const liquidPerM3 = toDisplay(1, 'm3', system).value;
  const gasPerSm3 = toDisplay(1, 'Sm3', system).value;
  return {
    currency: prices.currency,
    oilPricePerM3: prices.oilPerVolume * liquidPerM3,
    liftGasCostPerSm3: prices.liftGasPerVolume * gasPerSm3,
    waterHandlingCostPerM3: prices.waterPerVolume * liquidPerM3,
  };
}

/** Money per day per Sm3/d of lift gas in the site's gas unit: per Mscf/d on an oilfield site. */
export function moneyPerGasInDisplay(valuePerSm3: number, system: UnitSystem): number {
  return valuePerSm3 / toDisplay(1, 'Sm3', system).value;
}
