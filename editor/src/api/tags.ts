import type { TagWriteResult } from '../../../runtime/tags/schema';
import type { Role } from './auth';
import type { LiveValue } from '../live/live-protocol';
import { apiRequest } from './client';

export const TAG_DATA_TYPES = ['float', 'int', 'bool', 'string'] as const;
export type TagDataType = (typeof TAG_DATA_TYPES)[number];

export interface TagScaling {
  rawMin: number;
  rawMax: number;
  engMin: number;
  engMax: number;
}

/** The fields an engineer sets; the server owns the rest. */
export interface TagFields {
  path: string;
  dataType: TagDataType;
  unit: string;
  /** A unit to show values in instead of the site's unit system (e.g. bar for a kPa tag). */
  displayUnit: string | null;
  description: string;
  deadband: number;
  scaling: TagScaling | null;
  source: string | null;
  readRole: Role;
  /** The historian stores this tag's changes. */
  historyEnabled: boolean;
  /** Compression deviation in the tag's unit; 0 stores every change. */
  historyDeviation: number;
  /** Longest time between two stored values. */
  historyMaxIntervalSeconds: number;
  /** Setpoint writes (docs/setpoints.md): may be written to its device, within writeMin..writeMax (tag units; null: open). */
  writable: boolean;
  writeMin: number | null;
  writeMax: number | null;
  writeRole: WriteRole;
}

export type WriteRole = Exclude<Role, 'viewer'>;
export const WRITE_ROLES: readonly WriteRole[] = ['operator', 'engineer', 'admin'];

export interface Tag extends TagFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  rowVersion: number;
  live: LiveValue | null;
}

export interface TagPage {
  tags: Tag[];
  total: number;
}

export interface TagQuery {
  search: string;
  limit: number;
  offset: number;
}

export interface ImportReport {
  created: number;
  updated: number;
  /** reason: the server's English; details: the same as the error contract says it, for the user's language. */
  rejected: { line: number; path: string; reason: string; details?: unknown }[];
}

export const tagKeys = {
  all: ['tags'] as const,
  page: (query: TagQuery) => ['tags', 'page', query] as const,
};

export const TAG_EXPORT_URL = '/api/v1/tags/export.csv';

export async function fetchTags(query: TagQuery, signal?: AbortSignal): Promise<TagPage> {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.search !== '') params.set('search', query.search);
  return (await apiRequest(`/api/v1/tags?${params.toString()}`, { signal })) as TagPage;
}

export async function createTag(fields: TagFields): Promise<Tag> {
  const body = (await apiRequest('/api/v1/tags', { method: 'POST', body: fields })) as { tag: Tag };
  return body.tag;
}

/** Fails with 409 when someone else saved the tag after `rowVersion` was read. */
export async function updateTag(id: string, rowVersion: number, changes: Partial<TagFields>): Promise<Tag> {
  const body = (await apiRequest(`/api/v1/tags/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { ...changes, rowVersion },
  })) as { tag: Tag };
  return body.tag;
}

export async function deleteTag(id: string): Promise<void> {
  await apiRequest(`/api/v1/tags/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function importTags(csv: string): Promise<ImportReport> {
  return (await apiRequest('/api/v1/tags/import', {
    method: 'POST',
    text: { contentType: 'text/csv', content: csv },
  })) as ImportReport;
}

export type { TagWriteResult };

/** The tags of one asset (`<site>/<asset>/`), for its faceplate's setpoints. */
export async function fetchAssetTags(prefix: string, signal?: AbortSignal): Promise<Tag[]> {
  const params = new URLSearchParams({ prefix, limit: '500' });
  return ((await apiRequest(`/api/v1/tags?${params.toString()}`, { signal })) as TagPage).tags;
}

/**
 * Writes a setpoint to its device (canonical units); `expectedCurrent` is the
 * value the user saw, refused (409) if the tag has moved off it since.
 */
export async function writeTag(id: string, value: number | boolean, expectedCurrent: number | boolean | null | undefined): Promise<TagWriteResult> {
  const body = expectedCurrent === undefined ? { value } : { value, expectedCurrent };
  return (await apiRequest(`/api/v1/tags/${encodeURIComponent(id)}/write`, { method: 'POST', body })) as TagWriteResult;
}
