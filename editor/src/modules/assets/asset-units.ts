/**
 * Asset master data quantities (depths, diameters, tank volumes) between the
 * SI the API speaks and the text of a form input in the site's unit system.
 */
import { displayUnitLabel, toDisplay, type UnitSystem } from '../../units/units';

/** The SI units asset data carries. Each converts by a factor alone (no offset, unlike °C). */
export type AssetUnit = 'm' | 'mm' | 'm3';

/**
 * What survives a trip through a form: a micrometre, a thousandth of a
 * millimetre, a millilitre. Rounding there drops the float noise of the
 * factor (0.3048 × 8202.1 = 2500.00008) without losing anything measured.
 */
const SI_DECIMALS: Record<AssetUnit, number> = { m: 6, mm: 3, m3: 6 };

/** Inputs show one decimal more than the read-only screens, trailing zeros dropped. */
const EXTRA_INPUT_DECIMALS = 1;

export type ParsedNumber = { value: number | null } | { invalid: true };

/** Blank is null; a decimal comma is accepted, as Spanish keyboards type it. */
export function parseDecimal(text: string): ParsedNumber {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  // Number('') and Number(' ') are 0; the blank case is handled above, and "1e3" or "0x10" are not what a person types.
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return { invalid: true };
  return { value: Number(trimmed.replace(',', '.')) };
}

export function unitLabel(unit: AssetUnit, system: UnitSystem): string {
  return displayUnitLabel(unit, system);
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The input text for an SI value ('' for none), in the unit system's unit. */
export function toInputText(valueSi: number | null | undefined, unit: AssetUnit, system: UnitSystem): string {
  if (valueSi === null || valueSi === undefined) return '';
  const shown = toDisplay(valueSi, unit, system);
  return String(roundTo(shown.value, shown.decimals + EXTRA_INPUT_DECIMALS));
}

/** Display units per SI unit (1/0.3048 for ft per m); the conversion is linear through zero. */
function displayPerSi(unit: AssetUnit, system: UnitSystem): number {
  return toDisplay(1, unit, system).value;
}

/**
 * The SI value of an input's text. When the text is still what `original`
 * was shown as, `original` comes back exactly: opening and saving a form
 * must not move a depth by the rounding of its feet.
 */
export function fromInputText(text: string, unit: AssetUnit, system: UnitSystem, original?: number | null): ParsedNumber {
  if (original !== undefined && original !== null && text.trim() === toInputText(original, unit, system)) {
    return { value: original };
  }
  const parsed = parseDecimal(text);
  if ('invalid' in parsed || parsed.value === null) return parsed;
  return { value: roundTo(parsed.value / displayPerSi(unit, system), SI_DECIMALS[unit]) };
}
