import { apiRequest } from './client';

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
  ip: string | null;
}

/** What `/api/v1/audit` filters by; empty text means no filter. */
export interface AuditQuery {
  actor: string;
  actionPrefix: string;
  entityType: string;
  entityId: string;
  /** ISO instants. */
  from: string | null;
  to: string | null;
  /** Keyset cursor: the last id of the previous page. */
  before: string | null;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor of the next (older) page, null on the last one. */
  next: string | null;
}

export const auditKeys = {
  all: ['audit'] as const,
  page: (query: AuditQuery) => ['audit', query] as const,
};

export function auditSearchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams({ limit: String(query.limit) });
  const text = { actor: query.actor, actionPrefix: query.actionPrefix, entityType: query.entityType, entityId: query.entityId };
  for (const [name, value] of Object.entries(text)) if (value.trim() !== '') params.set(name, value.trim());
  if (query.from !== null) params.set('from', query.from);
  if (query.to !== null) params.set('to', query.to);
  if (query.before !== null) params.set('before', query.before);
  return params;
}

export async function fetchAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return (await apiRequest(`/api/v1/audit?${auditSearchParams(query).toString()}`, { signal })) as AuditPage;
}
