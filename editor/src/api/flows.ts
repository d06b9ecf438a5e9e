import { apiRequest } from './client';

/** A node as Node-RED stores it in flow JSON; `type: "tab"` entries are the flow tabs. */
export interface NodeRedNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  label?: string;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  wires?: string[][];
  [property: string]: unknown;
}

export interface RevisionSummary {
  number: number;
  parent: number | null;
  sha256: string;
  author: string | null;
  message: string;
  createdAt: string;
}

export interface Revision extends RevisionSummary {
  flows: NodeRedNode[];
}

export interface PropertyChange {
  from: unknown;
  to: unknown;
}

export interface ChangedNode {
  id: string;
  type: string;
  name: string;
  properties: Record<string, PropertyChange>;
}

export interface RewiredNode {
  id: string;
  type: string;
  name: string;
  from: string[][];
  to: string[][];
}

/** `added` and `removed` are relative to going from revision `from` to revision `to`. */
export interface FlowDiff {
  from: number;
  to: number;
  added: NodeRedNode[];
  removed: NodeRedNode[];
  changed: ChangedNode[];
  rewired: RewiredNode[];
}

export const flowKeys = {
  revisions: ['flows', 'revisions'] as const,
  revision: (number: number) => ['flows', 'revision', number] as const,
  diff: (from: number, to: number) => ['flows', 'diff', from, to] as const,
};

export async function fetchRevisions(): Promise<RevisionSummary[]> {
  const body = (await apiRequest('/api/v1/flows/revisions')) as { revisions: RevisionSummary[] };
  return body.revisions;
}

export async function fetchRevision(number: number): Promise<Revision> {
  return (await apiRequest(`/api/v1/flows/revisions/${number}`)) as Revision;
}

export async function fetchDiff(from: number, to: number): Promise<FlowDiff> {
  return (await apiRequest(`/api/v1/flows/revisions/${from}/diff/${to}`)) as FlowDiff;
}

export async function rollbackToRevision(number: number, message?: string): Promise<RevisionSummary> {
  const body = (await apiRequest(`/api/v1/flows/revisions/${number}/rollback`, {
    method: 'POST',
    body: message === undefined ? {} : { message },
  })) as { revision: RevisionSummary };
  return body.revision;
}
