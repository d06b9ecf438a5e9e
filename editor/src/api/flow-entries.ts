import type { FlowEntryWaiting } from '../../../runtime/flow-entries/schema';
import { apiRequest } from './client';

export type { FlowEntryWaiting };

export const waitingEntriesKey = ['flow-entries', 'waiting'] as const;

/** Entries recorded by flows that wait in the site's spool for the database. */
export async function fetchWaitingEntries(): Promise<FlowEntryWaiting> {
  return (await apiRequest('/api/v1/flow-entries/waiting')) as FlowEntryWaiting;
}
