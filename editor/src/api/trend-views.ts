import type { TrendPen, TrendPreset, TrendRange, TrendView, TrendViewCreate, TrendViewPatch } from '../../../runtime/trend-views/schema';
import { apiRequest } from './client';

export type { TrendPen, TrendPreset, TrendRange, TrendView, TrendViewCreate, TrendViewPatch };

export const trendViewKeys = { all: ['trend-views'] as const };

export async function fetchTrendViews(signal?: AbortSignal): Promise<TrendView[]> {
  return ((await apiRequest('/api/v1/trend-views', { signal })) as { views: TrendView[] }).views;
}

export async function createTrendView(view: TrendViewCreate): Promise<TrendView> {
  return ((await apiRequest('/api/v1/trend-views', { method: 'POST', body: view })) as { view: TrendView }).view;
}

/** Fails with 409 when someone else saved the view after `rowVersion` was read. */
export async function updateTrendView(id: string, patch: TrendViewPatch): Promise<TrendView> {
  return ((await apiRequest(`/api/v1/trend-views/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch })) as { view: TrendView }).view;
}

export async function deleteTrendView(id: string): Promise<void> {
  await apiRequest(`/api/v1/trend-views/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
