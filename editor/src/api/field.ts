import { apiRequest } from './client';

export type AssetKind = 'well' | 'test-separator' | 'production-separator' | 'tank' | 'compressor' | 'manifold';
export type LiftType = 'esp' | 'gas-lift' | 'rod-pump';

export interface AssetPoint {
  point: string;
  /** Canonical SI unit code. */
  unit: string;
  description: string;
  writable: boolean;
}

export interface Asset {
  id: string;
  kind: AssetKind;
  liftType?: LiftType;
  description: string;
  points: AssetPoint[];
}

export interface FieldLink {
  from: string;
  to: string;
}

export interface Field {
  siteId: string;
  assets: Asset[];
  links: FieldLink[];
}

export const fieldKey = ['field'] as const;

export async function fetchField(): Promise<Field> {
  return (await apiRequest('/api/v1/field')) as Field;
}

/** Tag paths are `<site>/<asset>/<point>`. */
export function tagPath(siteId: string, assetId: string, point: string): string {
  return `${siteId}/${assetId}/${point}`;
}
