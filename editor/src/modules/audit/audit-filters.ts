import type { AuditQuery } from '../../api/audit';
import { instantFromInput, localDateTimeInput } from '../production/dates';

/**
 * The audit screen's filters as the inputs hold them. They live in the URL
 * (times as ISO instants, so a shared link means the same moment in any time
 * zone), which lets the users screen link to one user's history.
 */
export interface AuditFilters {
  actor: string;
  /** An action or the start of one: `user.`, `production.tank_gauge`. */
  action: string;
  entityType: string;
  entityId: string;
  /** datetime-local text, local time. */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilters = { actor: '', action: '', entityType: '', entityId: '', from: '', to: '' };

export type FilterError = 'notATime' | 'toBeforeFrom';

const TEXT_PARAMS = { actor: 'actor', action: 'action', entityType: 'entityType', entityId: 'entityId' } as const;

function inputOf(iso: string | null): string {
  if (iso === null) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : localDateTimeInput(at);
}

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  return {
    actor: params.get(TEXT_PARAMS.actor) ?? '',
    action: params.get(TEXT_PARAMS.action) ?? '',
    entityType: params.get(TEXT_PARAMS.entityType) ?? '',
    entityId: params.get(TEXT_PARAMS.entityId) ?? '',
    from: inputOf(params.get('from')),
    to: inputOf(params.get('to')),
  };
}

/** The checked filters as the URL carries them, or what is wrong with the times. */
export function filtersToParams(filters: AuditFilters): { params: URLSearchParams } | { errors: Partial<Record<'from' | 'to', FilterError>> } {
  const errors: Partial<Record<'from' | 'to', FilterError>> = {};
  const instant = (field: 'from' | 'to') => {
    const text = filters[field].trim();
    if (text === '') return null;
    const at = instantFromInput(text);
    if (at === null) errors[field] = 'notATime';
    return at;
  };
  const from = instant('from');
  const to = instant('to');
  if (from !== null && to !== null && Date.parse(to) <= Date.parse(from)) errors.to = 'toBeforeFrom';
  if (Object.keys(errors).length > 0) return { errors };
  const params = new URLSearchParams();
  for (const [field, name] of Object.entries(TEXT_PARAMS) as [keyof typeof TEXT_PARAMS, string][]) {
    const value = filters[field].trim();
    if (value !== '') params.set(name, value);
  }
  if (from !== null) params.set('from', from);
  if (to !== null) params.set('to', to);
  return { params };
}

/** The API query for the filters in the URL, one page at `before`. */
export function auditQueryOf(params: URLSearchParams, before: string | null, limit: number): AuditQuery {
  const instant = (name: 'from' | 'to') => {
    const value = params.get(name);
    return value !== null && !Number.isNaN(Date.parse(value)) ? value : null;
  };
  return {
    actor: params.get('actor') ?? '',
    actionPrefix: params.get('action') ?? '',
    entityType: params.get('entityType') ?? '',
    entityId: params.get('entityId') ?? '',
    from: instant('from'),
    to: instant('to'),
    before,
    limit,
  };
}
