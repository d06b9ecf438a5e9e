import type { DcaFitResult, RatePoint, RateSeries } from '../../api/reservoir';
import { pointTimeDays } from '../../../../erp-modules/reservoir/model/forecast-check';

/*
 * From a well's rate series to what the decline engine takes and back: the
 * points on a time axis in days since the series' first date (a month at its
 * middle, as the server measures a stored forecast), the flags the fit must
 * skip, and the calendar day of a fitted curve's t = 0. Pure.
 */

const DAY_MS = 86_400_000;

export interface FitInput {
  /** Day 0 of the time axis: the first point's date. */
  origin: string;
  points: { timeDays: number; ratePerDay: number; flag?: 'shutIn' | 'test' }[];
  /** The rate point behind each fit point, by position. */
  sources: RatePoint[];
}

/** The series as fit points: shut-in points at rate 0 flagged, test days flagged, points without a volume left out. */
export function fitInput(series: Pick<RateSeries, 'points'>): FitInput | null {
  const first = series.points[0];
  if (first === undefined) return null;
  const origin = first.date;
  const points: FitInput['points'] = [];
  const sources: RatePoint[] = [];
  for (const point of series.points) {
    if (point.flags.includes('noVolume')) continue;
    const timeDays = pointTimeDays(point, origin);
    if (point.flags.includes('shutIn')) points.push({ timeDays, ratePerDay: 0, flag: 'shutIn' });
    else if (point.rate === null) continue;
    else if (point.flags.includes('test')) points.push({ timeDays, ratePerDay: point.rate, flag: 'test' });
    else points.push({ timeDays, ratePerDay: point.rate });
    sources.push(point);
  }
  return { origin, points, sources };
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + Math.round(days) * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

export function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The points a fit dropped as outliers, by date, for the stored forecast's record. */
export function outlierDates(fit: Pick<DcaFitResult, 'excluded'>, input: FitInput): { date: string; reason: 'outlier' }[] {
  return fit.excluded.flatMap((excluded) => {
    const source = input.sources[excluded.index];
    return excluded.reason === 'outlier' && source !== undefined ? [{ date: source.date, reason: 'outlier' as const }] : [];
  });
}

/** Why a point is out of a fit: the series' flags and the engine's reasons. */
export type Exclusion = RatePoint['flags'][number] | DcaFitResult['excluded'][number]['reason'];

/** Why each point is out of the fit, by date: the series' flags and the fit's own reasons. */
export function exclusionsByDate(series: Pick<RateSeries, 'points'>, fit: Pick<DcaFitResult, 'excluded'> | null, input: FitInput | null): Map<string, Exclusion> {
  const reasons = new Map<string, Exclusion>();
  for (const point of series.points) if (point.flags.length > 0) reasons.set(point.date, point.flags[0]);
  if (fit && input) {
    for (const excluded of fit.excluded) {
      const source = input.sources[excluded.index];
      if (source !== undefined && !reasons.has(source.date)) reasons.set(source.date, excluded.reason);
    }
  }
  return reasons;
}
