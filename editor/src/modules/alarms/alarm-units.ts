import { useQueries } from '@tanstack/react-query';
import { fetchTags } from '../../api/tags';
import { formatQuantity, formatScalar, toDisplay, type ScalarLabels, type UnitSystem } from '../../units/units';

/** A tag's unit and its own display unit, when it has one. */
export interface TagUnit {
  unit: string;
  displayUnit: string | null;
}

/**
 * A value typed in display units back to the canonical SI value the server
 * stores. Every display conversion is affine (°F has an offset, the others
 * only a factor), so two points of the forward conversion give its inverse.
 * `difference`: a deadband, a rate or a deviation, which has no offset.
 */
export function canonicalFromDisplay(displayed: number, tag: TagUnit, system: UnitSystem, difference = false): number {
  const at0 = toDisplay(0, tag.unit, system, tag.displayUnit).value;
  const at1 = toDisplay(1, tag.unit, system, tag.displayUnit).value;
  const factor = at1 - at0;
  if (factor === 0) return displayed;
  return difference ? displayed / factor : (displayed - at0) / factor;
}

/** A canonical value in display units, as a number for a form field. */
export function displayFromCanonical(value: number, tag: TagUnit, system: UnitSystem, difference = false): number {
  const quantity = toDisplay(value, tag.unit, system, tag.displayUnit);
  if (!difference) return roundTo(quantity.value, quantity.decimals + 2);
  const at0 = toDisplay(0, tag.unit, system, tag.displayUnit).value;
  return roundTo(quantity.value - at0, quantity.decimals + 2);
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** An alarm's value or limit as text in the site's units; the tag's unit is unknown until its tag is read. */
export function formatAlarmValue(
  value: number | boolean | string | null,
  tag: TagUnit | undefined,
  system: UnitSystem,
  locale: string,
  labels: ScalarLabels,
): string {
  if (tag === undefined) return formatScalar(value, '', system, locale, labels);
  if (typeof value === 'number') return formatQuantity(value, tag.unit, system, locale, tag.displayUnit);
  return formatScalar(value, tag.unit, system, locale, labels, tag.displayUnit);
}

/**
 * The units of the tags on screen (one page of alarms at most), read once
 * each and cached: an alarm carries its value in SI without the unit.
 */
export function useTagUnits(paths: readonly string[]): Map<string, TagUnit> {
  const unique = [...new Set(paths)];
  const results = useQueries({
    queries: unique.map((path) => ({
      queryKey: ['tags', 'unit', path] as const,
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        const page = await fetchTags({ search: path, limit: 5, offset: 0 }, signal);
        const tag = page.tags.find((candidate) => candidate.path === path);
        return tag === undefined ? null : { unit: tag.unit, displayUnit: tag.displayUnit };
      },
      staleTime: 5 * 60_000,
    })),
  });
  const units = new Map<string, TagUnit>();
  unique.forEach((path, index) => {
    const unit = results[index]?.data;
    if (unit) units.set(path, unit);
  });
  return units;
}
