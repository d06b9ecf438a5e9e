import type { HistoryMode, HistoryQuery, HistoryResponse, HistorySeries } from '../../../runtime/historian/schema';
import { apiRequest } from './client';

export type { HistoryMode, HistoryQuery, HistoryResponse, HistorySeries };

export const historyKeys = {
  all: ['history'] as const,
  query: (query: HistoryQuery) => ['history', query] as const,
};

/** The query string of GET /api/v1/history; optional numbers are left out when absent. */
export function historySearchParams(query: HistoryQuery): URLSearchParams {
  const params = new URLSearchParams({ paths: query.paths, from: query.from, to: query.to, mode: query.mode });
  for (const key of ['bucketMs', 'points', 'limit', 'stepMs'] as const) {
    const value = query[key];
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
}

/** Stored values of one or more tags over a time range (runtime/historian/schema.ts). */
export async function fetchHistory(query: HistoryQuery, signal?: AbortSignal): Promise<HistoryResponse> {
  return (await apiRequest(`/api/v1/history?${historySearchParams(query).toString()}`, { signal })) as HistoryResponse;
}
