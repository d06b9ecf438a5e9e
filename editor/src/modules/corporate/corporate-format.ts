import type { Freshness } from '../../api/corporate';

/** An age as a short count and unit: minutes under 90 min, hours under 48 h, then days (pure). */
export function ageParts(seconds: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (seconds < 90 * 60) return { unit: 'minutes', count: Math.max(0, Math.round(seconds / 60)) };
  if (seconds < 48 * 3600) return { unit: 'hours', count: Math.round(seconds / 3600) };
  return { unit: 'days', count: Math.round(seconds / 86_400) };
}

/** How stale synced data looks: fresh under an hour, stale under a day, old after. */
export function ageLevel(freshness: Freshness): 'never' | 'fresh' | 'stale' | 'old' {
  if (freshness.ageSeconds === null) return 'never';
  if (freshness.ageSeconds < 3600) return 'fresh';
  return freshness.ageSeconds < 86_400 ? 'stale' : 'old';
}

/** YYYY-MM of a date, `back` months earlier (UTC). */
export function monthOf(date: Date, back = 0): string {
  const shifted = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - back, 1));
  return shifted.toISOString().slice(0, 7);
}

export const isMonth = (value: string | null): value is string => value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
export const isDay = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);
