import type {
  Run,
  RunCreateInput,
  RunNetValue,
  RunSetpoint,
  RunStatus,
  RunSummary,
  SetpointWrite,
  SiteGas,
  WellLimits,
  WellLimitsInput,
} from '../../../erp-modules/optimization/gas-lift-run-schema';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in.
export type { Run, RunCreateInput, RunNetValue, RunSetpoint, RunStatus, RunSummary, SetpointWrite, SiteGas, WellLimits, WellLimitsInput };

const BASE = '/api/v1/optimization/gas-lift';

export const gasLiftKeys = {
  all: ['optimization', 'gas-lift'] as const,
  runs: (site: string) => ['optimization', 'gas-lift', 'runs', site] as const,
  run: (id: string) => ['optimization', 'gas-lift', 'run', id] as const,
  limits: (site: string) => ['optimization', 'gas-lift', 'limits', site] as const,
  siteGas: (site: string) => ['optimization', 'gas-lift', 'site', site] as const,
};

export async function fetchGasLiftRuns(siteAssetId: string, signal?: AbortSignal): Promise<RunSummary[]> {
  return (await apiRequest(`${BASE}/runs?siteAssetId=${encodeURIComponent(siteAssetId)}`, { signal })) as RunSummary[];
}

export async function fetchGasLiftRun(runId: string, signal?: AbortSignal): Promise<Run> {
  return (await apiRequest(`${BASE}/runs/${encodeURIComponent(runId)}`, { signal })) as Run;
}

export async function fetchGasLiftLimits(siteAssetId: string, signal?: AbortSignal): Promise<WellLimits[]> {
  return (await apiRequest(`${BASE}/limits?siteAssetId=${encodeURIComponent(siteAssetId)}`, { signal })) as WellLimits[];
}

export async function fetchSiteGas(siteAssetId: string, signal?: AbortSignal): Promise<SiteGas> {
  return (await apiRequest(`${BASE}/sites/${encodeURIComponent(siteAssetId)}`, { signal })) as SiteGas;
}

export async function createGasLiftRun(body: RunCreateInput, idempotencyKey: string): Promise<Run> {
  return (await apiRequest(`${BASE}/runs`, { method: 'POST', body, idempotencyKey })) as Run;
}

export async function approveGasLiftRun(runId: string, idempotencyKey: string): Promise<Run> {
  return (await apiRequest(`${BASE}/runs/${encodeURIComponent(runId)}/approve`, { method: 'POST', idempotencyKey })) as Run;
}

export async function rejectGasLiftRun(runId: string, reason: string, idempotencyKey: string): Promise<Run> {
  return (await apiRequest(`${BASE}/runs/${encodeURIComponent(runId)}/reject`, { method: 'POST', body: { reason }, idempotencyKey })) as Run;
}

export async function setGasLiftLimits(wellId: string, body: WellLimitsInput, idempotencyKey: string): Promise<WellLimits> {
  return (await apiRequest(`${BASE}/limits/${encodeURIComponent(wellId)}`, { method: 'PUT', body, idempotencyKey })) as WellLimits;
}
