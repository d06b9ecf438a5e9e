// Type-only: no schema code reaches the bundle.
import type {
  EquipmentHistory,
  FailureCodeCreate,
  FailureCodeEntry,
  FailureCodeKind,
  Plan,
  PlanCreate,
  PlanStatus,
  PlanUpdate,
  WorkOrder,
  WorkOrderDetail,
} from '../../../erp-modules/maintenance/schema';
import type { WorkOrderStatus } from '../../../erp-modules/maintenance/model/work-order-state';
import { apiRequest, newIdempotencyKey } from './client';

// The server's schemas are the contract; only their types come in.
export type { EquipmentHistory, FailureCodeCreate, FailureCodeEntry, FailureCodeKind, Plan, PlanCreate, PlanStatus, PlanUpdate, WorkOrder, WorkOrderDetail, WorkOrderStatus };

export const BOARD_STATUSES = ['requested', 'approved', 'scheduled', 'in_progress', 'done', 'cancelled'] as const satisfies readonly WorkOrderStatus[];

const BASE = '/api/v1/maintenance';

export const maintenanceKeys = {
  all: ['maintenance'] as const,
  board: ['maintenance', 'board'] as const,
  order: (id: string) => ['maintenance', 'order', id] as const,
  plans: ['maintenance', 'plans'] as const,
  history: (equipmentId: string) => ['maintenance', 'history', equipmentId] as const,
  failureCodes: (includeInactive: boolean) => ['maintenance', 'failure-codes', includeInactive] as const,
};

export async function fetchWorkOrders(signal?: AbortSignal): Promise<WorkOrder[]> {
  return (await apiRequest(`${BASE}/work-orders?limit=500`, { signal })) as WorkOrder[];
}

export async function createWorkOrder(body: { equipmentId: string; title: string; priority: WorkOrder['priority'] }): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() })) as WorkOrder;
}

export async function fetchWorkOrder(id: string, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(id)}`, { signal })) as WorkOrderDetail;
}

export async function moveWorkOrder(order: WorkOrder, to: WorkOrderStatus, scheduledFor?: string): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(order.id)}/transition`, {
    method: 'POST',
    body: { rowVersion: order.rowVersion, to, ...(scheduledFor ? { scheduledFor } : {}) },
    idempotencyKey: newIdempotencyKey(),
  })) as WorkOrder;
}

export async function updateFailureCodes(order: WorkOrder, codes: { problemCode: string | null; causeCode: string | null; remedyCode: string | null }): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(order.id)}`, {
    method: 'PATCH',
    body: { rowVersion: order.rowVersion, ...codes },
    idempotencyKey: newIdempotencyKey(),
  })) as WorkOrder;
}

export async function addLabour(orderId: string, body: { technician: string; hours: number; workedOn: string }): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/labour`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() })) as WorkOrder;
}

export async function setTaskDone(orderId: string, taskId: string, done: boolean): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/tasks/${encodeURIComponent(taskId)}`, {
    method: 'PATCH',
    body: { done },
    idempotencyKey: newIdempotencyKey(),
  })) as WorkOrder;
}

export function attachmentPath(orderId: string, attachmentId: string): string {
  return `${BASE}/work-orders/${encodeURIComponent(orderId)}/attachments/${encodeURIComponent(attachmentId)}`;
}

export async function fetchPlans(signal?: AbortSignal): Promise<PlanStatus[]> {
  return (await apiRequest(`${BASE}/plans`, { signal })) as PlanStatus[];
}

export async function fetchEquipmentHistory(equipmentId: string, signal?: AbortSignal): Promise<EquipmentHistory> {
  return (await apiRequest(`${BASE}/equipment/${encodeURIComponent(equipmentId)}/history`, { signal })) as EquipmentHistory;
}

/** The trend screen with the tag's pen (the alarm's or the meter's tag). */
export function trendLink(tagPath: string): string {
  return `/trends?${new URLSearchParams({ pen: tagPath }).toString()}`;
}

export async function createPlan(body: PlanCreate, idempotencyKey: string): Promise<Plan> {
  return (await apiRequest(`${BASE}/plans`, { method: 'POST', body, idempotencyKey })) as Plan;
}

export async function updatePlan(id: string, body: PlanUpdate, idempotencyKey: string): Promise<Plan> {
  return (await apiRequest(`${BASE}/plans/${encodeURIComponent(id)}`, { method: 'PATCH', body, idempotencyKey })) as Plan;
}

export async function addMeterReading(planId: string, body: { readAt: string; reading: number }, idempotencyKey: string): Promise<PlanStatus> {
  return (await apiRequest(`${BASE}/plans/${encodeURIComponent(planId)}/readings`, { method: 'POST', body, idempotencyKey })) as PlanStatus;
}

export async function reservePart(orderId: string, body: { itemId: string; locationId: string; quantity: number }, idempotencyKey: string): Promise<unknown> {
  return apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/parts`, { method: 'POST', body, idempotencyKey });
}

export async function consumePart(orderId: string, partId: string): Promise<unknown> {
  return apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(partId)}/consume`, { method: 'POST', body: {}, idempotencyKey: newIdempotencyKey() });
}

export async function releasePart(orderId: string, partId: string): Promise<unknown> {
  return apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(partId)}/release`, { method: 'POST', idempotencyKey: newIdempotencyKey() });
}

export async function uploadAttachment(orderId: string, body: { fileName: string; contentType: string; contentBase64: string }, idempotencyKey: string): Promise<WorkOrder> {
  return (await apiRequest(`${BASE}/work-orders/${encodeURIComponent(orderId)}/attachments`, { method: 'POST', body, idempotencyKey })) as WorkOrder;
}

export async function deleteAttachment(orderId: string, attachmentId: string): Promise<WorkOrder> {
  return (await apiRequest(attachmentPath(orderId, attachmentId), { method: 'DELETE', idempotencyKey: newIdempotencyKey() })) as WorkOrder;
}

export async function fetchFailureCodes(includeInactive: boolean, signal?: AbortSignal): Promise<FailureCodeEntry[]> {
  const params = new URLSearchParams();
  if (includeInactive) params.set('includeInactive', 'true');
  return (await apiRequest(`${BASE}/failure-codes?${params.toString()}`, { signal })) as FailureCodeEntry[];
}

export async function createFailureCode(body: FailureCodeCreate, idempotencyKey: string): Promise<FailureCodeEntry> {
  return (await apiRequest(`${BASE}/failure-codes`, { method: 'POST', body, idempotencyKey })) as FailureCodeEntry;
}

export async function setFailureCodeActive(code: FailureCodeEntry, active: boolean): Promise<FailureCodeEntry> {
  return (await apiRequest(`${BASE}/failure-codes/${encodeURIComponent(code.id)}`, {
    method: 'PATCH',
    body: { rowVersion: code.rowVersion, active },
    idempotencyKey: newIdempotencyKey(),
  })) as FailureCodeEntry;
}
