import type { AllocationRunCreate, AllocationRun } from '../../api/production';
import { isDate, isMonth, monthPeriod } from './dates';

export type PeriodMode = 'day' | 'month';

export interface AllocationForm {
  mode: PeriodMode;
  /** YYYY-MM-DD, used in day mode. */
  date: string;
  /** YYYY-MM, used in month mode. */
  month: string;
  reason: string;
}

/**
 * The period to allocate, or null when there is none: days to come have no
 * production yet, so the current month is allocated up to `today`.
 */
export function allocationPeriod(form: AllocationForm, today: string): { periodStart: string; periodEnd: string } | null {
  if (form.mode === 'day') return isDate(form.date) && form.date <= today ? { periodStart: form.date, periodEnd: form.date } : null;
  if (!isMonth(form.month)) return null;
  const month = monthPeriod(form.month);
  if (month.periodStart > today) return null;
  return { periodStart: month.periodStart, periodEnd: month.periodEnd < today ? month.periodEnd : today };
}

/** Runs whose period shares at least a day with [periodStart, periodEnd] (dates compare as text). */
export function runsOverlapping(runs: readonly AllocationRun[], periodStart: string, periodEnd: string): AllocationRun[] {
  return runs.filter((run) => run.periodStart <= periodEnd && run.periodEnd >= periodStart);
}

/**
 * A new run over a period an earlier run already covers is a restatement, and
 * a restatement must say why (the server answers 400 on field "reason").
 */
export function reasonRequired(runs: readonly AllocationRun[], form: AllocationForm, today: string): boolean {
  const period = allocationPeriod(form, today);
  return period !== null && runsOverlapping(runs, period.periodStart, period.periodEnd).length > 0;
}

export type AllocationFormError = 'period' | 'reason';

export function allocationRequest(
  form: AllocationForm,
  siteAssetId: string,
  runs: readonly AllocationRun[],
  today: string,
): { request: AllocationRunCreate } | { error: AllocationFormError } {
  const period = allocationPeriod(form, today);
  if (period === null) return { error: 'period' };
  const reason = form.reason.trim();
  if (reason === '' && reasonRequired(runs, form, today)) return { error: 'reason' };
  return { request: { siteAssetId, ...period, ...(reason === '' ? {} : { reason }) } };
}

/** The newest run first (versions count per period, so creation time orders runs of different periods). */
export function newestFirst(runs: readonly AllocationRun[]): AllocationRun[] {
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version);
}
