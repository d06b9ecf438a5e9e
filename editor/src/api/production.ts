import type {
  BottomholePressureSource,
  DowntimeInput,
  DowntimeReason,
  Fluid,
  GasDispositionInput,
  GasDispositionKind,
  MeterReadingInput,
  RunTicketInput,
  TankGaugeInput,
  WellTestInput,
} from '../../../erp-modules/production/entry-schemas';
import type {
  DowntimeEvent,
  EntryType,
  GasBalance,
  GasDisposition,
  MeterReading,
  Page,
  ProductionEntry,
  RunTicket,
  TankGauge,
  WellTest,
  WellTestStatus,
} from '../../../erp-modules/production/schema';
import type { AllocationRun, AllocationRunCreate, AllocationRunDetail } from '../../../erp-modules/production/allocation-schema';
import type { DailyReport, DailyWell, MonthlyReport, MonthlyWell } from '../../../erp-modules/production/report-schema';
import type { MonthState } from '../../../erp-modules/production/month-close-schema';
import type { Flag } from '../../../erp-modules/production/flag-schema';
import type { Asset } from '../../../erp-modules/assets/schema';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in, so the
// bundle carries none of the schema library.
export type {
  AllocationRun,
  BottomholePressureSource,
  AllocationRunCreate,
  Asset,
  DailyReport,
  DailyWell,
  DowntimeEvent,
  DowntimeReason,
  EntryType,
  Flag,
  Fluid,
  GasBalance,
  GasDisposition,
  GasDispositionKind,
  MeterReading,
  MonthState,
  MonthlyReport,
  MonthlyWell,
  Page,
  RunTicket,
  TankGauge,
  WellTest,
  WellTestStatus,
};

export const FLUIDS = ['oil', 'gas', 'water'] as const satisfies readonly Fluid[];
export const GAS_DISPOSITION_KINDS = ['sales', 'fuel', 'flare', 'vent', 'lift_recycle'] as const satisfies readonly GasDispositionKind[];
export const WELL_TEST_STATUSES = ['proposed', 'approved', 'rejected'] as const satisfies readonly WellTestStatus[];
export const BOTTOMHOLE_PRESSURE_SOURCES = ['measured', 'gauge', 'calculated'] as const satisfies readonly BottomholePressureSource[];

/** Inputs as the web app sends them: `source` is always manual, `notes` may be left out. */
type Manual<T extends { source: unknown; notes: unknown }> = Omit<T, 'source' | 'notes' | 'sourceKey'> & { notes?: string };
export type TankGaugeBody = Manual<TankGaugeInput>;
export type MeterReadingBody = Manual<MeterReadingInput>;
export type RunTicketBody = Manual<RunTicketInput>;
export type DowntimeBody = Manual<DowntimeInput>;
export type WellTestBody = Manual<WellTestInput>;
export type GasDispositionBody = Manual<GasDispositionInput>;

const BASE = '/api/v1/production';

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
}

export const productionKeys = {
  all: ['production'] as const,
  sites: ['production', 'sites'] as const,
  children: (siteId: string, kind: 'well' | 'equipment') => ['production', 'children', siteId, kind] as const,
  entries: (kind: EntryType, siteId: string, from: string, to: string) => ['production', 'entries', kind, siteId, from, to] as const,
  openDowntime: (siteId: string) => ['production', 'entries', 'open-downtime', siteId] as const,
  wellTests: (siteId: string, status: WellTestStatus | null) => ['production', 'well-tests', siteId, status] as const,
  runs: (siteId: string, date: string | null) => ['production', 'runs', siteId, date] as const,
  daily: (siteId: string, date: string, runId: string | null) => ['production', 'daily', siteId, date, runId] as const,
  monthly: (siteId: string, month: string) => ['production', 'monthly', siteId, month] as const,
};

/* ---------- assets the production screens pick from ---------- */

export async function fetchSites(signal?: AbortSignal): Promise<Asset[]> {
  const body = (await apiRequest(`/api/v1/assets?${query({ kind: 'site', limit: 500 })}`, { signal })) as { assets: Asset[] };
  return body.assets;
}

/** Direct children of a site of one kind (wells, or equipment such as tanks and meters). */
export async function fetchSiteAssets(siteId: string, kind: 'well' | 'equipment', signal?: AbortSignal): Promise<Asset[]> {
  const body = (await apiRequest(`/api/v1/assets?${query({ kind, parentId: siteId, limit: 500 })}`, { signal })) as {
    assets: Asset[];
  };
  return body.assets;
}

/* ---------- entries ---------- */

/** Production days (YYYY-MM-DD, whole UTC days), both inclusive. */
export interface EntryWindow {
  siteAssetId: string;
  from: string;
  to: string;
}

const ENTRY_PATHS = {
  tank_gauge: 'tank-gauges',
  meter_reading: 'meter-readings',
  run_ticket: 'run-tickets',
  downtime_event: 'downtime',
  gas_disposition: 'gas-dispositions',
} as const satisfies Record<EntryType, string>;

async function listEntries<T>(type: EntryType, params: Record<string, string | number | boolean | undefined>, signal?: AbortSignal) {
  return (await apiRequest(`${BASE}/${ENTRY_PATHS[type]}?${query({ limit: 500, ...params })}`, { signal })) as Page<T>;
}

export const fetchTankGauges = (range: EntryWindow, signal?: AbortSignal) => listEntries<TankGauge>('tank_gauge', { ...range }, signal);
export const fetchMeterReadings = (range: EntryWindow, signal?: AbortSignal) =>
  listEntries<MeterReading>('meter_reading', { ...range }, signal);
export const fetchRunTickets = (range: EntryWindow, signal?: AbortSignal) => listEntries<RunTicket>('run_ticket', { ...range }, signal);
/** Downtime that overlaps the window (an open event lasts until now). */
export const fetchDowntime = (range: EntryWindow, signal?: AbortSignal) =>
  listEntries<DowntimeEvent>('downtime_event', { ...range }, signal);
export const fetchGasDispositions = (range: EntryWindow, signal?: AbortSignal) =>
  listEntries<GasDisposition>('gas_disposition', { ...range }, signal);
export async function fetchGasBalance(siteAssetId: string, date: string, signal?: AbortSignal): Promise<GasBalance> {
  return (await apiRequest(`${BASE}/gas-balance?${query({ siteAssetId, date })}`, { signal })) as GasBalance;
}
export const fetchOpenDowntime = (siteAssetId: string, signal?: AbortSignal) =>
  listEntries<DowntimeEvent>('downtime_event', { siteAssetId, open: true }, signal);

async function post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<T> {
  return (await apiRequest(`${BASE}/${path}`, { method: 'POST', body, idempotencyKey })) as T;
}

export const recordTankGauge = (body: TankGaugeBody, idempotencyKey?: string) => post<TankGauge>('tank-gauges', body, idempotencyKey);
export const recordMeterReading = (body: MeterReadingBody, idempotencyKey?: string) =>
  post<MeterReading>('meter-readings', body, idempotencyKey);
export const recordRunTicket = (body: RunTicketBody, idempotencyKey?: string) => post<RunTicket>('run-tickets', body, idempotencyKey);
export const recordDowntime = (body: DowntimeBody, idempotencyKey?: string) => post<DowntimeEvent>('downtime', body, idempotencyKey);
export const recordGasDisposition = (body: GasDispositionBody, idempotencyKey?: string) =>
  post<GasDisposition>('gas-dispositions', body, idempotencyKey);
export const closeDowntime = (id: string, endedAt: string) =>
  post<DowntimeEvent>(`downtime/${encodeURIComponent(id)}/close`, { endedAt });
export const voidEntry = (type: EntryType, id: string, reason: string) =>
  post<ProductionEntry>(`entries/${type}/${encodeURIComponent(id)}/void`, { reason });

/* ---------- well tests ---------- */

export async function fetchWellTests(siteAssetId: string, status: WellTestStatus | null, signal?: AbortSignal): Promise<Page<WellTest>> {
  return (await apiRequest(`${BASE}/well-tests?${query({ siteAssetId, status: status ?? undefined, limit: 200 })}`, {
    signal,
  })) as Page<WellTest>;
}

export const proposeWellTest = (body: WellTestBody, idempotencyKey?: string) => post<WellTest>('well-tests', body, idempotencyKey);

/** Fails with 409 when the test was decided or changed after `rowVersion` was read. */
export const decideWellTest = (id: string, decision: 'approve' | 'reject', rowVersion: number, note: string) =>
  post<WellTest>(`well-tests/${encodeURIComponent(id)}/${decision}`, { rowVersion, note });

/* ---------- allocation ---------- */

export async function fetchAllocationRuns(siteAssetId: string, date: string | null, signal?: AbortSignal): Promise<Page<AllocationRun>> {
  return (await apiRequest(`${BASE}/allocation-runs?${query({ siteAssetId, date: date ?? undefined, limit: 500 })}`, {
    signal,
  })) as Page<AllocationRun>;
}

/** One run with its results and flags. */
export async function fetchAllocationRun(runId: string, signal?: AbortSignal): Promise<AllocationRunDetail> {
  return (await apiRequest(`${BASE}/allocation-runs/${encodeURIComponent(runId)}`, { signal })) as AllocationRunDetail;
}

export const runAllocation = (request: AllocationRunCreate, idempotencyKey?: string) =>
  post<AllocationRun>('allocation-runs', request, idempotencyKey);

/* ---------- reports ---------- */

export type FluidVolumes = DailyWell['oil'];

export interface DailyReportQuery {
  siteAssetId: string;
  date: string;
  runId: string | null;
}

export function dailyReportPath(report: DailyReportQuery, format: 'json' | 'pdf' | 'csv' | 'xlsx'): string {
  const suffix = format === 'json' ? '' : `.${format}`;
  return `${BASE}/reports/daily${suffix}?${query({ siteAssetId: report.siteAssetId, date: report.date, runId: report.runId ?? undefined })}`;
}

export function monthlyReportPath(siteAssetId: string, month: string, format: 'json' | 'csv' | 'xlsx'): string {
  const suffix = format === 'json' ? '' : `.${format}`;
  return `${BASE}/reports/monthly${suffix}?${query({ siteAssetId, month })}`;
}

/* ---------- month close, report files (issue 10) ---------- */

/** Language and units of a report file; absent, the server uses the site's settings. */
export interface ReportFileOptions {
  lang: 'en' | 'es';
  units: 'metric' | 'oilfield';
}

/** A report file's path with its language and units appended. */
export function withFileOptions(path: string, options: ReportFileOptions): string {
  return `${path}&${query({ lang: options.lang, units: options.units })}`;
}

export const monthStateKey = (siteId: string, month: string) => ['production', 'month', siteId, month] as const;

export async function fetchMonthState(siteAssetId: string, month: string, signal?: AbortSignal): Promise<MonthState> {
  return (await apiRequest(`${BASE}/months/${encodeURIComponent(month)}?${query({ siteAssetId })}`, { signal })) as MonthState;
}

/** 409 naming the days when the month's runs do not cover it. */
export const closeMonth = (siteAssetId: string, month: string, reason: string, idempotencyKey?: string) =>
  post<MonthState>(`months/${encodeURIComponent(month)}/close`, { siteAssetId, ...(reason.trim() === '' ? {} : { reason }) }, idempotencyKey);

export async function fetchDailyReport(report: DailyReportQuery, signal?: AbortSignal): Promise<DailyReport> {
  return (await apiRequest(dailyReportPath(report, 'json'), { signal })) as DailyReport;
}

export async function fetchMonthlyReport(siteAssetId: string, month: string, signal?: AbortSignal): Promise<MonthlyReport> {
  return (await apiRequest(monthlyReportPath(siteAssetId, month, 'json'), { signal })) as MonthlyReport;
}
