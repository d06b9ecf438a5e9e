import type {
  Alarm,
  AlarmDefinition,
  AlarmDefinitionInput,
  AlarmJournalEntry,
  AlarmKpis,
  AlarmPriority,
} from '../../../runtime/alarms/schema';
import { apiRequest } from './client';

export type { Alarm, AlarmDefinition, AlarmDefinitionInput, AlarmJournalEntry, AlarmKpis, AlarmPriority };

export const ALARM_PRIORITIES: readonly AlarmPriority[] = ['critical', 'high', 'medium', 'low'];
export const DEFINITION_KINDS: readonly AlarmDefinitionInput['kind'][] = ['hihi', 'hi', 'lo', 'lolo', 'roc', 'discrete', 'deviation'];

export const alarmKeys = {
  all: ['alarms'] as const,
  active: (filter: AlarmFilter) => ['alarms', 'active', filter] as const,
  journal: (query: JournalQuery) => ['alarms', 'journal', query] as const,
  kpis: (range: string) => ['alarms', 'kpis', range] as const,
  definitions: (prefix: string) => ['alarms', 'definitions', prefix] as const,
};

/** Empty text means no filter. */
export interface AlarmFilter {
  area: string;
  priority: AlarmPriority | '';
  /** A tag path prefix (the well detail page: `SITE1/WELL-101/`). */
  prefix: string;
}

/** The most alarms one list request returns (the server's maximum page). */
const LIST_LIMIT = 1000;

/**
 * What the console lists: alarms in alarm (active), those waiting for an
 * acknowledgement (unacked: active or returned) and the shelved ones, in
 * three requests merged by id. Alarms in normal state are never fetched,
 * however many definitions the site has.
 */
export async function fetchAlarms(filter: AlarmFilter, signal?: AbortSignal): Promise<Alarm[]> {
  const request = async (selection: Record<string, string>) => {
    const params = new URLSearchParams({ ...selection, limit: String(LIST_LIMIT) });
    if (filter.area !== '') params.set('area', filter.area);
    if (filter.priority !== '') params.set('priority', filter.priority);
    return ((await apiRequest(`/api/v1/alarms?${params.toString()}`, { signal })) as { alarms: Alarm[] }).alarms;
  };
  const lists = await Promise.all([request({ state: 'active' }), request({ state: 'unacked' }), request({ state: 'all', mode: 'shelved' })]);
  const byId = new Map<string, Alarm>();
  for (const alarm of lists.flat()) byId.set(alarm.id, alarm);
  const alarms = [...byId.values()];
  return filter.prefix === '' ? alarms : alarms.filter((alarm) => alarm.tagPath?.startsWith(filter.prefix) === true);
}

export async function acknowledgeAlarm(id: string, comment: string): Promise<void> {
  await apiRequest(`/api/v1/alarms/${encodeURIComponent(id)}/ack`, { method: 'POST', body: { comment } });
}

export async function acknowledgeAlarms(ids: readonly string[], comment: string): Promise<void> {
  await apiRequest('/api/v1/alarms/ack', { method: 'POST', body: { ids, comment } });
}

export async function shelveAlarm(id: string, reason: string, minutes: number): Promise<void> {
  await apiRequest(`/api/v1/alarms/${encodeURIComponent(id)}/shelve`, { method: 'POST', body: { reason, minutes } });
}

export async function unshelveAlarm(id: string): Promise<void> {
  await apiRequest(`/api/v1/alarms/${encodeURIComponent(id)}/unshelve`, { method: 'POST' });
}

export interface JournalQuery {
  /** ISO instants; null: no bound. */
  from: string | null;
  to: string | null;
  area: string;
  priority: AlarmPriority | '';
  tagPath: string;
  search: string;
  limit: number;
  offset: number;
}

export interface JournalPage {
  entries: AlarmJournalEntry[];
  total: number;
}

/** The journal's filters as query parameters; the CSV export link takes the same ones. */
export function journalSearchParams(query: JournalQuery, paging = true): URLSearchParams {
  const params = new URLSearchParams();
  if (query.from !== null) params.set('from', query.from);
  if (query.to !== null) params.set('to', query.to);
  for (const name of ['area', 'priority', 'tagPath', 'search'] as const) {
    const value = query[name].trim();
    if (value !== '') params.set(name, value);
  }
  if (paging) {
    params.set('limit', String(query.limit));
    params.set('offset', String(query.offset));
  }
  return params;
}

export function journalCsvUrl(query: JournalQuery): string {
  return `/api/v1/alarms/journal.csv?${journalSearchParams(query, false).toString()}`;
}

export async function fetchJournal(query: JournalQuery, signal?: AbortSignal): Promise<JournalPage> {
  return (await apiRequest(`/api/v1/alarms/journal?${journalSearchParams(query).toString()}`, { signal })) as JournalPage;
}

export async function fetchKpis(range: { from: string; to: string }, signal?: AbortSignal): Promise<AlarmKpis> {
  const params = new URLSearchParams(range);
  return (await apiRequest(`/api/v1/alarms/kpis?${params.toString()}`, { signal })) as AlarmKpis;
}

export const ALARM_DEFINITIONS_EXPORT_URL = '/api/v1/alarm-definitions/export.csv';

export async function fetchDefinitions(prefix: string, signal?: AbortSignal): Promise<AlarmDefinition[]> {
  const params = new URLSearchParams({ prefix });
  const body = (await apiRequest(`/api/v1/alarm-definitions?${params.toString()}`, { signal })) as { definitions: AlarmDefinition[] };
  return body.definitions;
}

export async function createDefinition(input: AlarmDefinitionInput, reason: string): Promise<AlarmDefinition> {
  const body = (await apiRequest('/api/v1/alarm-definitions', { method: 'POST', body: { ...input, reason } })) as { definition: AlarmDefinition };
  return body.definition;
}

/** Fails with 409 when someone else saved the definition after `rowVersion` was read. */
export async function updateDefinition(
  id: string,
  rowVersion: number,
  changes: Partial<Omit<AlarmDefinitionInput, 'tagPath' | 'kind'>>,
  reason: string,
): Promise<AlarmDefinition> {
  const body = (await apiRequest(`/api/v1/alarm-definitions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { ...changes, rowVersion, reason },
  })) as { definition: AlarmDefinition };
  return body.definition;
}

export async function deleteDefinition(id: string, reason: string): Promise<void> {
  const params = new URLSearchParams({ reason });
  await apiRequest(`/api/v1/alarm-definitions/${encodeURIComponent(id)}?${params.toString()}`, { method: 'DELETE' });
}

export interface DefinitionImportReport {
  created: number;
  updated: number;
  rejected: { line: number; tagPath: string; kind: string; reason: string; details?: unknown }[];
}

export async function importDefinitions(csv: string, reason: string): Promise<DefinitionImportReport> {
  const params = new URLSearchParams({ reason });
  return (await apiRequest(`/api/v1/alarm-definitions/import?${params.toString()}`, {
    method: 'POST',
    text: { contentType: 'text/csv', content: csv },
  })) as DefinitionImportReport;
}
