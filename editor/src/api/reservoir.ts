import type {
  DcaFitRequest,
  DcaFitResult,
  DcaForecastRequest,
  DcaForecastResult,
  DcaModel,
  DcaParameters,
  DcaTypeCurveRequest,
  DcaTypeCurveResult,
} from '../../../erp-modules/reservoir/dca-schema';
import type { ForecastCreate, ForecastDetail, StoredForecast } from '../../../erp-modules/reservoir/forecast-schema';
import type { RateQuery, RateSeries, ReservoirFluid, RateSource } from '../../../erp-modules/reservoir/rate-schema';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in.
export type {
  DcaFitResult,
  DcaForecastRequest,
  DcaForecastResult,
  DcaModel,
  DcaParameters,
  DcaTypeCurveResult,
  ForecastCreate,
  ForecastDetail,
  RateSeries,
  RateSource,
  ReservoirFluid,
  StoredForecast,
};
export type RatePoint = RateSeries['points'][number];

export const RESERVOIR_FLUIDS = ['oil', 'gas', 'water'] as const satisfies readonly ReservoirFluid[];
export const RATE_SOURCES = ['history', 'allocated', 'tag'] as const satisfies readonly RateSource[];
export const DCA_MODELS = ['exponential', 'hyperbolic', 'harmonic'] as const satisfies readonly DcaModel[];

const BASE = '/api/v1/reservoir';

export const reservoirKeys = {
  rates: (wellId: string, query: RateQuery) => ['reservoir', 'rates', wellId, query] as const,
  forecasts: (wellId: string) => ['reservoir', 'forecasts', wellId] as const,
  dcaForecast: (request: DcaForecastRequest) => ['reservoir', 'dca-forecast', request] as const,
};

export async function fetchRates(wellId: string, query: RateQuery, signal?: AbortSignal): Promise<RateSeries> {
  const params = new URLSearchParams({ fluid: query.fluid, source: query.source });
  if (query.interval !== undefined) params.set('interval', query.interval);
  if (query.from !== undefined) params.set('from', query.from);
  if (query.to !== undefined) params.set('to', query.to);
  if (query.tagPath !== undefined) params.set('tagPath', query.tagPath);
  return (await apiRequest(`${BASE}/wells/${encodeURIComponent(wellId)}/rates?${params.toString()}`, { signal })) as RateSeries;
}

export async function fitDecline(body: DcaFitRequest): Promise<DcaFitResult> {
  return (await apiRequest(`${BASE}/dca/fit`, { method: 'POST', body })) as DcaFitResult;
}

export async function forecastDecline(body: DcaForecastRequest, signal?: AbortSignal): Promise<DcaForecastResult> {
  return (await apiRequest(`${BASE}/dca/forecast`, { method: 'POST', body, signal })) as DcaForecastResult;
}

export async function typeCurve(body: DcaTypeCurveRequest): Promise<DcaTypeCurveResult> {
  return (await apiRequest(`${BASE}/dca/type-curve`, { method: 'POST', body })) as DcaTypeCurveResult;
}

export async function fetchForecasts(wellId: string, signal?: AbortSignal): Promise<StoredForecast[]> {
  return (await apiRequest(`${BASE}/wells/${encodeURIComponent(wellId)}/forecasts`, { signal })) as StoredForecast[];
}

export async function saveForecast(wellId: string, body: ForecastCreate, idempotencyKey: string): Promise<StoredForecast> {
  return (await apiRequest(`${BASE}/wells/${encodeURIComponent(wellId)}/forecasts`, { method: 'POST', body, idempotencyKey })) as StoredForecast;
}
