import { apiRequest } from './client';

/* The corporate API of the cloud role (docs/corporate.md): read only; volumes in m3 and Sm3. */

const BASE = '/api/v1/corporate';

export interface Freshness {
  asOf: string | null;
  ageSeconds: number | null;
}

export interface SiteSyncHealth {
  siteId: string;
  name: string;
  disabled: boolean;
  lastContactAt: string | null;
  lastSequence: number;
  outboxPending: number | null;
  oldestPendingAt: string | null;
  outboxLagSeconds: number | null;
  spoolBytes: number | null;
  appVersion: string | null;
  freshness: Freshness;
}

export interface MonthlyProductionRow {
  siteId: string;
  siteName: string;
  fieldCode: string | null;
  fieldName: string | null;
  month: string;
  oilM3: number;
  gasSm3: number;
  waterM3: number;
  wells: number;
  days: number;
}

export interface ConsolidatedProduction {
  fromMonth: string;
  toMonth: string;
  rows: MonthlyProductionRow[];
  siteTotals: { siteId: string; siteName: string; oilM3: number; gasSm3: number; waterM3: number; freshness: Freshness }[];
  runsWithoutVolumes: number;
}

interface AlarmRef {
  alarmId: string;
  tagPath: string | null;
  message: string;
}

export interface AlarmActor extends AlarmRef {
  siteId: string;
  activations: number;
  percentOfTotal: number;
}

export interface SiteAlarmKpis {
  siteId: string;
  siteName: string;
  daysReported: number;
  activations: number;
  perDay: number;
  perOperatorHour: number;
  floods: number;
  standing: (AlarmRef & { activeSince: string })[];
  chattering: (AlarmRef & { activationsInOneMinute: number; days: number })[];
  badActors: AlarmActor[];
  freshness: Freshness;
}

export interface CorporateAlarmKpis {
  fromDay: string;
  toDay: string;
  sites: SiteAlarmKpis[];
  badActors: AlarmActor[];
}

export interface RemoteWells {
  siteId: string;
  siteName: string;
  freshness: Freshness;
  wells: { id: string; code: string; name: string; status: string | null; liftType: string | null; siteAssetCode: string | null; fieldCode: string | null }[];
}

export interface RemoteDailyProduction {
  siteId: string;
  siteName: string;
  month: string;
  freshness: Freshness;
  days: { day: string; oilM3: number; gasSm3: number; waterM3: number; wells: number }[];
  wells: { wellId: string; wellCode: string; siteAssetCode: string; oilM3: number; gasSm3: number; waterM3: number; days: number; runVersion: number }[];
}

export const corporateKeys = {
  sites: ['corporate', 'sites'] as const,
  production: (fromMonth: string, toMonth: string) => ['corporate', 'production', fromMonth, toMonth] as const,
  alarms: (fromDay: string, toDay: string) => ['corporate', 'alarms', fromDay, toDay] as const,
  wells: (siteId: string) => ['corporate', 'wells', siteId] as const,
  daily: (siteId: string, month: string) => ['corporate', 'daily', siteId, month] as const,
};

const query = (values: Record<string, string>) => new URLSearchParams(values).toString();

export async function fetchSyncHealth(signal?: AbortSignal): Promise<SiteSyncHealth[]> {
  return ((await apiRequest(`${BASE}/sites`, { signal })) as { sites: SiteSyncHealth[] }).sites;
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
