import type { StatusChange, WellDetail, WellStatus } from '../../api/assets';

/** The server's allowance for a browser clock running ahead of it. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface StatusFormState {
  status: WellStatus | '';
  reason: string;
  /** A datetime-local input's value (local time, no zone); '' for now. */
  effectiveAt: string;
}

export type StatusFormErrors = Partial<Record<keyof StatusFormState, 'required' | 'sameStatus' | 'notADate' | 'inFuture' | 'beforeCurrent'>>;

/** Abandonment is final: the server refuses any change after it. */
export function canChangeStatus(well: Pick<WellDetail, 'status'>): boolean {
  return well.status !== 'abandoned';
}

/** `2025-03-01T08:30` as the user's local time, to an ISO instant; null if it is no date. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  // Without a zone, the Date constructor reads a date-time as local time, as the input meant it.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a datetime-local input's value, in the user's time zone, to the minute. */
export function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The request body, or why not: the server's rules (a reason, a new status, not before the current one began, not ahead). */
export function statusChangeFrom(
  state: StatusFormState,
  well: Pick<WellDetail, 'status' | 'statusSince'>,
  now: Date,
): { body: StatusChange } | { errors: StatusFormErrors } {
  const errors: StatusFormErrors = {};
  if (state.status === '') errors.status = 'required';
  else if (state.status === well.status) errors.status = 'sameStatus';
  const reason = state.reason.trim();
  if (reason === '') errors.reason = 'required';
  let effectiveAt: string | undefined;
  if (state.effectiveAt.trim() !== '') {
    const iso = localInputToIso(state.effectiveAt.trim());
    if (iso === null) errors.effectiveAt = 'notADate';
    else if (new Date(iso).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) errors.effectiveAt = 'inFuture';
    else if (new Date(iso).getTime() < new Date(well.statusSince).getTime()) errors.effectiveAt = 'beforeCurrent';
    else effectiveAt = iso;
  }
  if (state.status === '' || Object.keys(errors).length > 0) return { errors };
  return { body: effectiveAt === undefined ? { status: state.status, reason } : { status: state.status, reason, effectiveAt } };
}
