import type {
  CountInput,
  Count,
  IssueInput,
  Item,
  ItemCategory,
  ItemInput,
  Location,
  LocationInput,
  MoveType,
  Page,
  ReceiptInput,
  Reservation,
  AdjustmentInput,
  Availability,
  StockBalance,
  StockMove,
  TransferInput,
} from '../../../erp-modules/inventory/schema';
import { apiRequest, newIdempotencyKey } from './client';

// The server's schemas are the contract; only their types come in.
export type {
  AdjustmentInput,
  Availability,
  Count,
  CountInput,
  IssueInput,
  Item,
  ItemCategory,
  ItemInput,
  Location,
  LocationInput,
  MoveType,
  ReceiptInput,
  Reservation,
  StockBalance,
  StockMove,
  TransferInput,
};

export const ITEM_CATEGORIES = ['spare_part', 'chemical', 'tubular', 'consumable', 'other'] as const satisfies readonly ItemCategory[];
export const INTERNAL_LOCATION_KINDS = ['warehouse', 'bin', 'yard'] as const satisfies readonly Location['kind'][];

const BASE = '/api/v1/inventory';

export const inventoryKeys = {
  all: ['inventory'] as const,
  items: ['inventory', 'items'] as const,
  locations: ['inventory', 'locations'] as const,
  stock: (locationId: string | null) => ['inventory', 'stock', locationId] as const,
  moves: (itemId: string | null, offset: number) => ['inventory', 'moves', itemId, offset] as const,
  counts: ['inventory', 'counts'] as const,
  reservations: (status: string | null) => ['inventory', 'reservations', status] as const,
  availability: (itemId: string, locationId: string) => ['inventory', 'availability', itemId, locationId] as const,
};

export async function fetchItems(signal?: AbortSignal): Promise<Item[]> {
  return (await apiRequest(`${BASE}/items`, { signal })) as Item[];
}

export async function createItem(body: ItemInput): Promise<Item> {
  return (await apiRequest(`${BASE}/items`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() })) as Item;
}

export async function fetchLocations(signal?: AbortSignal): Promise<Location[]> {
  return (await apiRequest(`${BASE}/locations`, { signal })) as Location[];
}

export async function createLocation(body: LocationInput): Promise<Location> {
  return (await apiRequest(`${BASE}/locations`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() })) as Location;
}

export async function fetchStock(locationId: string | null, signal?: AbortSignal): Promise<StockBalance[]> {
  const params = new URLSearchParams();
  if (locationId !== null) params.set('locationId', locationId);
  return (await apiRequest(`${BASE}/stock?${params.toString()}`, { signal })) as StockBalance[];
}

export async function fetchMoves(itemId: string | null, offset: number, signal?: AbortSignal): Promise<Page<StockMove>> {
  const params = new URLSearchParams({ limit: '50', offset: String(offset) });
  if (itemId !== null) params.set('itemId', itemId);
  return (await apiRequest(`${BASE}/moves?${params.toString()}`, { signal })) as Page<StockMove>;
}

/** The key is made once per submission by the caller, so a retried click posts the move once. */
export async function postReceipt(body: ReceiptInput, idempotencyKey: string): Promise<StockMove> {
  return (await apiRequest(`${BASE}/receipts`, { method: 'POST', body, idempotencyKey })) as StockMove;
}

export async function postIssue(body: IssueInput, idempotencyKey: string): Promise<StockMove> {
  return (await apiRequest(`${BASE}/issues`, { method: 'POST', body, idempotencyKey })) as StockMove;
}

export async function fetchCounts(signal?: AbortSignal): Promise<Count[]> {
  return (await apiRequest(`${BASE}/counts`, { signal })) as Count[];
}

export async function postCount(body: CountInput, idempotencyKey: string): Promise<Count> {
  return (await apiRequest(`${BASE}/counts`, { method: 'POST', body, idempotencyKey })) as Count;
}

export async function postTransfer(body: TransferInput, idempotencyKey: string): Promise<StockMove> {
  return (await apiRequest(`${BASE}/transfers`, { method: 'POST', body, idempotencyKey })) as StockMove;
}

export async function postAdjustment(body: AdjustmentInput, idempotencyKey: string): Promise<StockMove> {
  return (await apiRequest(`${BASE}/adjustments`, { method: 'POST', body, idempotencyKey })) as StockMove;
}

export async function fetchReservations(status: string | null, signal?: AbortSignal): Promise<Reservation[]> {
  const params = new URLSearchParams();
  if (status !== null) params.set('status', status);
  return (await apiRequest(`${BASE}/reservations?${params.toString()}`, { signal })) as Reservation[];
}

export async function releaseReservation(id: string): Promise<Reservation> {
  return (await apiRequest(`${BASE}/reservations/${encodeURIComponent(id)}/release`, { method: 'POST', body: {}, idempotencyKey: newIdempotencyKey() })) as Reservation;
}

export async function fetchAvailability(itemId: string, locationId: string, signal?: AbortSignal): Promise<Availability> {
  const params = new URLSearchParams({ locationId });
  return (await apiRequest(`${BASE}/items/${encodeURIComponent(itemId)}/availability?${params.toString()}`, { signal })) as Availability;
}
