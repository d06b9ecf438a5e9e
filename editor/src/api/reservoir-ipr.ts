import type {
  IprRequest,
  IprResult,
  MultiRateTest,
  PressureSurvey,
  PressureSurveyInput,
  SurveyMethod,
} from '../../../erp-modules/reservoir/ipr-schema';
import { apiRequest, newIdempotencyKey } from './client';

// The server's schemas are the contract; only their types come in.
export type { IprRequest, IprResult, MultiRateTest, PressureSurvey, SurveyMethod };

export const IPR_METHODS = ['vogel', 'fetkovich', 'composite'] as const satisfies readonly IprRequest['method'][];
export type IprMethod = (typeof IPR_METHODS)[number];
export const SURVEY_METHODS = ['buildup', 'static_gradient', 'permanent_gauge', 'other'] as const satisfies readonly SurveyMethod[];

/** What the web app sends: the schema's defaults (curveSteps, notes) may be left out. */
export type IprBody = Omit<IprRequest, 'curveSteps'> & { curveSteps?: number };
export type SurveyBody = Omit<PressureSurveyInput, 'notes'> & { notes?: string };

const BASE = '/api/v1/reservoir';

export const inflowKeys = {
  all: ['reservoir-ipr'] as const,
  surveys: (wellId: string) => ['reservoir-ipr', 'surveys', wellId] as const,
  multiRate: (wellId: string) => ['reservoir-ipr', 'multirate', wellId] as const,
};

/** POST /reservoir/ipr: reads only, so no Idempotency-Key; 400 names what the request misses. */
export async function computeIpr(body: IprBody): Promise<IprResult> {
  return (await apiRequest(`${BASE}/ipr`, { method: 'POST', body })) as IprResult;
}

export async function fetchSurveys(wellId: string, signal?: AbortSignal): Promise<PressureSurvey[]> {
  const page = (await apiRequest(`${BASE}/pressure-surveys?wellId=${encodeURIComponent(wellId)}&limit=200`, { signal })) as { items: PressureSurvey[] };
  return page.items;
}

export async function createSurvey(body: SurveyBody): Promise<PressureSurvey> {
  return (await apiRequest(`${BASE}/pressure-surveys`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() })) as PressureSurvey;
}

export async function deleteSurvey(survey: PressureSurvey): Promise<void> {
  await apiRequest(`${BASE}/pressure-surveys/${encodeURIComponent(survey.id)}`, {
    method: 'DELETE',
    body: { rowVersion: survey.rowVersion },
    idempotencyKey: newIdempotencyKey(),
  });
}

export async function fetchMultiRateTests(wellId: string, signal?: AbortSignal): Promise<MultiRateTest[]> {
  const page = (await apiRequest(`${BASE}/multirate-tests?wellId=${encodeURIComponent(wellId)}&limit=200`, { signal })) as { items: MultiRateTest[] };
  return page.items;
}
