import type { Part } from '../../../erp-modules/maintenance/schema';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in.
export type { Part };

const BASE = '/api/v1/maintenance/work-orders';

/** Reserves stock for the order (available stock drops, on hand stays); the key is made once per submission by the caller. */
export async function reservePart(orderId: string, body: { itemId: string; locationId: string; quantity: number }, idempotencyKey: string): Promise<Part> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(orderId)}/parts`, { method: 'POST', body, idempotencyKey })) as Part;
}

/** Issues what is left of the reservation to the order at inventory's moving-average cost. */
export async function consumePart(orderId: string, partId: string, idempotencyKey: string): Promise<Part> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(partId)}/consume`, { method: 'POST', body: {}, idempotencyKey })) as Part;
}

export async function releasePart(orderId: string, partId: string, idempotencyKey: string): Promise<Part> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(partId)}/release`, { method: 'POST', idempotencyKey })) as Part;
}
