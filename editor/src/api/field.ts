import { apiRequest } from './client';
import type { Field, FieldAsset, FieldConnection, FieldPoint } from '../../../runtime/field/field-schema';

// The server's wire contract (type-only: no schema code reaches the bundle). The
// plant is the asset register's: assets keyed by code, tags from asset_tags.
export type { Field, FieldAsset, FieldConnection, FieldPoint } from '../../../runtime/field/field-schema';
export type FieldStream = FieldConnection['stream'];

export const fieldKey = ['field'] as const;

export async function fetchField(): Promise<Field> {
  return (await apiRequest('/api/v1/field')) as Field;
}

/** The live-feed path of one of the asset's points, or null when the asset has no such point. */
export function pointPath(asset: FieldAsset, point: string): string | null {
  return asset.points.find((candidate: FieldPoint) => candidate.point === point)?.tagPath ?? null;
}
