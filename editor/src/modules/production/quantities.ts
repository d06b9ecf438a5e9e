import type { Fluid } from '../../api/production';
import { formatNumber, toDisplay, type UnitSystem } from '../../units/units';

/** Canonical units of production accounting: gas volumes are at standard conditions. */
export type ProductionUnit = 'm' | 'm3' | 'Sm3' | 'm3/d' | 'Sm3/d' | 'kPa' | 'degC';

export function fluidVolumeUnit(fluid: Fluid): 'm3' | 'Sm3' {
  return fluid === 'gas' ? 'Sm3' : 'm3';
}

export function fluidRateUnit(fluid: Fluid): 'm3/d' | 'Sm3/d' {
  return fluid === 'gas' ? 'Sm3/d' : 'm3/d';
}

/**
 * A value typed in the unit system's display unit, back in the canonical SI
 * unit. Every display unit is affine in its canonical unit (a factor, and an
 * offset for temperatures), so two points of the display conversion give the
 * inverse without a second table of constants.
 */
export function toCanonical(displayed: number, unit: ProductionUnit, system: UnitSystem): number {
  const offset = toDisplay(0, unit, system).value;
  const factor = toDisplay(1, unit, system).value - offset;
  return (displayed - offset) / factor;
}

/** A typed number: a decimal comma is accepted (Spanish keyboards); null when not a finite number. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/**
 * The number alone in the unit system's display unit, for tables that name
 * the unit in their header; a dash when the server has no value (no
 * allocation run yet, nothing measured).
 */
export function formatValue(value: number | null, unit: ProductionUnit, system: UnitSystem, locale: string): string {
  if (value === null) return '—';
  const shown = toDisplay(value, unit, system);
  return formatNumber(shown.value, shown.decimals, locale, shown.fixed);
}

const hourFormats = new Map<string, Intl.NumberFormat>();

/** Uptime and downtime hours: one decimal, whole hours without it. */
export function formatHours(hours: number, locale: string): string {
  let format = hourFormats.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    hourFormats.set(locale, format);
  }
  return `${format.format(hours)} h`;
}
