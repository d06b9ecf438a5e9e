import type { UnitSystem } from '../units/units';
import { apiRequest } from './client';

export interface Site {
  siteId: string;
  name: string;
  unitSystem: UnitSystem;
  /** The production day: IANA zone and local start hour (absent from older servers: UTC days). */
  timeZone?: string;
  productionDayStartHour?: number;
  /** The site currency (ISO 4217) approval limits are in (PETROFLOW_SITE_CURRENCY). */
  currency?: string;
  /** cloud: the corporate installation (corporate screens); absent from older servers: edge. */
  role?: 'edge' | 'cloud';
}

export const siteKey = ['site'] as const;

export async function fetchSite(): Promise<Site> {
  return (await apiRequest('/api/v1/site')) as Site;
}
