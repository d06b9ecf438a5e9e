/**
 * Conversion from the canonical SI unit codes the server sends to what the
 * user reads. Values are stored and exchanged in SI; only the display changes.
 */
import { toDisplayUnit } from '../../../runtime/tags/display-units';
import { KPA_PER_PSI, SM3_PER_MSCF } from '../../../runtime/units/gas-volume';

export { displayUnitsFor } from '../../../runtime/tags/display-units';

export const UNIT_SYSTEMS = ['metric', 'oilfield'] as const;
export type UnitSystem = (typeof UNIT_SYSTEMS)[number];

export function isUnitSystem(value: unknown): value is UnitSystem {
  return UNIT_SYSTEMS.some((system) => system === value);
}

/** The canonical codes a tag or point may carry; '' is dimensionless. */
export const CANONICAL_UNITS = [
  'kPa',
  'degC',
  'm3/d',
  'Sm3/d',
  'A',
  'Hz',
  'mm/s',
  '%',
  'm',
  'm3',
  'kW',
  'kN',
  'rpm',
  'spm',
  'bool',
  '',
] as const;
export type CanonicalUnit = (typeof CANONICAL_UNITS)[number];

interface DisplayUnit {
  label: string;
  decimals: number;
  /** From the canonical value to this unit. */
  fromCanonical: (value: number) => number;
}

const M3_PER_BBL = 0.158987294928;
const M_PER_FT = 0.3048;
const KN_PER_LBF = 0.0044482216152605;
const KW_PER_HP = 0.745699871582;
const MM_PER_IN = 25.4;

const identity = (value: number): number => value;

function same(label: string, decimals: number): DisplayUnit {
  return { label, decimals, fromCanonical: identity };
}

// Decimals follow what a field instrument resolves and what an operator reads
// at a glance: whole kPa and barrels, tenths of psi and degrees.
const METRIC: Record<string, DisplayUnit> = {
  kPa: same('kPa', 0),
  degC: same('°C', 1),
  'm3/d': same('m³/d', 1),
  'Sm3/d': same('Sm³/d', 0),
  A: same('A', 1),
  Hz: same('Hz', 1),
  'mm/s': same('mm/s', 2),
  '%': same('%', 1),
  m: same('m', 2),
  m3: same('m³', 1),
  // Gas volume at standard conditions (production accounting).
  Sm3: same('Sm³', 0),
  kW: same('kW', 1),
  kN: same('kN', 1),
  rpm: same('rpm', 0),
  spm: same('spm', 1),
  // Pipe and casing diameters; not a tag unit, so absent from CANONICAL_UNITS.
  mm: same('mm', 1),
};

const OILFIELD: Record<string, DisplayUnit> = {
  ...METRIC,
  kPa: { label: 'psi', decimals: 1, fromCanonical: (v) => v / KPA_PER_PSI },
  degC: { label: '°F', decimals: 1, fromCanonical: (v) => (v * 9) / 5 + 32 },
  'm3/d': { label: 'bbl/d', decimals: 0, fromCanonical: (v) => v / M3_PER_BBL },
  'Sm3/d': { label: 'Mscf/d', decimals: 1, fromCanonical: (v) => v / SM3_PER_MSCF },
  m: { label: 'ft', decimals: 1, fromCanonical: (v) => v / M_PER_FT },
  m3: { label: 'bbl', decimals: 0, fromCanonical: (v) => v / M3_PER_BBL },
  Sm3: { label: 'Mscf', decimals: 1, fromCanonical: (v) => v / SM3_PER_MSCF },
  kN: { label: 'lbf', decimals: 0, fromCanonical: (v) => v / KN_PER_LBF },
  kW: { label: 'hp', decimals: 1, fromCanonical: (v) => v / KW_PER_HP },
  // Tubing 2 7/8" is 2.875 in: diameters need thousandths of an inch.
  mm: { label: 'in', decimals: 3, fromCanonical: (v) => v / MM_PER_IN },
};

const SYSTEMS: Record<UnitSystem, Record<string, DisplayUnit>> = { metric: METRIC, oilfield: OILFIELD };

/**
 * Units the server may add later, and plain numbers (counts), are shown as
 * sent with up to this many decimals and none when the value is whole.
 */
const UNKNOWN_DECIMALS = 2;

function displayUnit(unit: string, system: UnitSystem): DisplayUnit | undefined {
  return Object.hasOwn(SYSTEMS[system], unit) ? SYSTEMS[system][unit] : undefined;
}

/** How a tag's own display unit (shared table with the server) is printed. */
const OVERRIDE_LABELS: Record<string, string> = {
  degC: '°C', degF: '°F', 'm3/d': 'm³/d', 'm3/h': 'm³/h', 'Sm3/d': 'Sm³/d', 'Sm3/h': 'Sm³/h', m3: 'm³',
};

function overrideLabel(unit: string): string {
  return OVERRIDE_LABELS[unit] ?? unit;
}

/**
 * The label to print next to a value of `unit` ('' for dimensionless and
 * boolean values); a tag's own display unit, when it has one, wins over the
 * unit system.
 */
export function displayUnitLabel(unit: string, system: UnitSystem, preferred?: string | null): string {
  if (unit === 'bool') return '';
  if (preferred && toDisplayUnit(0, unit, preferred)) return overrideLabel(preferred);
  return displayUnit(unit, system)?.label ?? unit;
}

export interface Quantity {
  value: number;
  unit: string;
  decimals: number;
  /** False when `decimals` is only an upper bound (a unit without a known resolution). */
  fixed: boolean;
}

/** A canonical value expressed in the tag's display unit or else the unit system, with the precision it deserves there. */
export function toDisplay(value: number, unit: string, system: UnitSystem, preferred?: string | null): Quantity {
  const chosen = preferred ? toDisplayUnit(value, unit, preferred) : undefined;
  if (preferred && chosen) return { value: chosen.value, unit: overrideLabel(preferred), decimals: chosen.decimals, fixed: true };
  const target = displayUnit(unit, system);
  if (target === undefined) return { value, unit: unit === 'bool' ? '' : unit, decimals: UNKNOWN_DECIMALS, fixed: false };
  return { value: target.fromCanonical(value), unit: target.label, decimals: target.decimals, fixed: true };
}

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, decimals: number, fixed: boolean): Intl.NumberFormat {
  const key = `${locale}|${decimals}|${fixed}`;
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: fixed ? decimals : 0,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, format);
  }
  return format;
}

/** The number alone, in the locale's digits and separators; `fixed` pads to `decimals`. */
export function formatNumber(value: number, decimals: number, locale: string, fixed = true): string {
  if (!Number.isFinite(value)) return String(value);
  const text = numberFormat(locale, decimals, fixed).format(value);
  // Rounding a small negative value to zero must not print "-0".
  return /^-0([.,]0*)?$/.test(text) ? text.slice(1) : text;
}

/** "1.234,5 psi" style text for a canonical numeric value. */
export function formatQuantity(value: number, unit: string, system: UnitSystem, locale: string, preferred?: string | null): string {
  const quantity = toDisplay(value, unit, system, preferred);
  const number = formatNumber(quantity.value, quantity.decimals, locale, quantity.fixed);
  // The SI brochure (and the RAE) put a space before every unit symbol, % included.
  return quantity.unit === '' ? number : `${number} ${quantity.unit}`;
}

export interface ScalarLabels {
  true: string;
  false: string;
  /** For a value the source could not produce (null). */
  none: string;
}

/** Any live value as text: numbers converted and formatted, flags and text as they are. */
export function formatScalar(
  value: number | boolean | string | null,
  unit: string,
  system: UnitSystem,
  locale: string,
  labels: ScalarLabels,
  preferred?: string | null,
): string {
  if (value === null) return labels.none;
  if (typeof value === 'boolean') return value ? labels.true : labels.false;
  if (typeof value === 'string') return value;
  return formatQuantity(value, unit, system, locale, preferred);
}

/**
 * The canonical value of a number the user typed in the unit toDisplay
 * shows (for a setpoint write): every conversion here is affine, so two
 * points of toDisplay invert it exactly.
 */
export function fromDisplay(value: number, unit: string, system: UnitSystem, preferred?: string | null): number {
  const at = (canonical: number) => toDisplay(canonical, unit, system, preferred).value;
  const offset = at(0);
  return (value - offset) / (at(1) - offset);
}
