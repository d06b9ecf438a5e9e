import type { FieldAsset } from '../../api/field';
import type { TrendPen } from '../../api/trend-views';
import { FLAG_UNITS, keyPointsOf } from '../field/key-points';
import { trendStateToParams } from './trend-state';

/** A faceplate has room for this many pens before they cannot be told apart at its size. */
const MAX_WELL_PENS = 3;

/**
 * The pens of a well's faceplate trend: its numeric key points (oil rate,
 * tubing head pressure: what the detail page and the field overview lead
 * with), each on its own axis; flags (running, tripped) are left to the
 * state badge. A well without numeric key points trends its first numeric ones.
 */
export function wellTrendPens(well: FieldAsset): TrendPen[] {
  const numeric = (unit: string) => !FLAG_UNITS.includes(unit);
  const key = keyPointsOf(well).filter((point) => numeric(point.unit)).map((point) => point.point);
  const points = key.length > 0 ? key : well.points.filter((point) => numeric(point.unit)).map((point) => point.point);
  const pathOf = new Map(well.points.map((point) => [point.point, point.tagPath]));
  return points.slice(0, MAX_WELL_PENS).map((point, axis) => ({ path: pathOf.get(point) ?? point, axis }));
}

/** The Trends screen's URL for these pens over the last 24 hours. */
export function trendsLink(pens: readonly TrendPen[]): string {
  return `/trends?${trendStateToParams({ pens: [...pens], range: { kind: 'preset', preset: '24h' }, live: false, viewId: null }).toString()}`;
}
