import type {
  ConsolidatedProduction,
  CorporateAlarmKpis,
  Freshness,
  MonthlyProductionRow,
  RemoteDailyProduction,
  RemoteWells,
  SiteList,
  SiteSyncHealth,
} from '../../../erp-modules/corporate/schema';
import { apiRequest } from './client';

/* The corporate API of the cloud role (docs/corporate.md): read only; volumes in m3 and Sm3. One wire contract: the server's schema. */

const BASE = '/api/v1/corporate';

export type { ConsolidatedProduction, CorporateAlarmKpis, Freshness, MonthlyProductionRow, RemoteDailyProduction, RemoteWells, SiteSyncHealth };
export type SiteAlarmKpis = CorporateAlarmKpis['sites'][number];
export type AlarmActor = CorporateAlarmKpis['badActors'][number];

export const corporateKeys = {
  sites: ['corporate', 'sites'] as const,
  production: (fromMonth: string, toMonth: string) => ['corporate', 'production', fromMonth, toMonth] as const,
  alarms: (fromDay: string, toDay: string) => ['corporate', 'alarms', fromDay, toDay] as const,
  wells: (siteId: string) => ['corporate', 'wells', siteId] as const,
  daily: (siteId: string, month: string) => ['corporate', 'daily', siteId, month] as const,
};

const query = (values: Record<string, string>) => new URLSearchParams(values).toString();

export async function fetchSyncHealth(signal?: AbortSignal): Promise<SiteSyncHealth[]> {
  return ((await apiRequest(`${BASE}/sites`, { signal })) as SiteList).sites;
}

export function productionPath(fromMonth: string, toMonth: string, format: 'json' | 'pdf' | 'xlsx'): string {
  return `${BASE}/production${format === 'json' ? '' : `.${format}`}?${query({ fromMonth, toMonth })}`;
}

export function exportPath(fromMonth: string, toMonth: string): string {
  return `${BASE}/export.zip?${query({ fromMonth, toMonth })}`;
}

export async function fetchProduction(fromMonth: string, toMonth: string, signal?: AbortSignal): Promise<ConsolidatedProduction> {
  return (await apiRequest(productionPath(fromMonth, toMonth, 'json'), { signal })) as ConsolidatedProduction;
}

export async function fetchAlarmKpis(fromDay: string, toDay: string, signal?: AbortSignal): Promise<CorporateAlarmKpis> {
  return (await apiRequest(`${BASE}/alarm-kpis?${query({ fromDay, toDay })}`, { signal })) as CorporateAlarmKpis;
}

export async function fetchRemoteWells(siteId: string, signal?: AbortSignal): Promise<RemoteWells> {
  return (await apiRequest(`${BASE}/sites/${encodeURIComponent(siteId)}/wells`, { signal })) as RemoteWells;
}

export async function fetchRemoteDaily(siteId: string, month: string, signal?: AbortSignal): Promise<RemoteDailyProduction> {
  return (await apiRequest(`${BASE}/sites/${encodeURIComponent(siteId)}/daily-production?${query({ month })}`, { signal })) as RemoteDailyProduction;
}
