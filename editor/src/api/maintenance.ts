import type { EquipmentHistory, PlanStatus, WorkOrder, WorkOrderDetail } from '../../../erp-modules/maintenance/schema';
import type { WorkOrderStatus } from '../../../erp-modules/maintenance/model/work-order-state';
import { apiRequest, newIdempotencyKey } from './client';

// The server's schemas are the contract; only their types come in.
export type { EquipmentHistory, PlanStatus, WorkOrder, WorkOrderDetail, WorkOrderStatus };

export const BOARD_STATUSES = ['requested', 'approved', 'scheduled', 'in_progress', 'done', 'cancelled'] as const satisfies readonly WorkOrderStatus[];

const BASE = '/api/v1/maintenance';

export const maintenanceKeys = {
  all: ['maintenance'] as const,
  board: ['maintenance', 'board'] as const,
  order: (id: string) => ['maintenance', 'order', id] as const,
  plans: ['maintenance', 'plans'] as const,
  history: (equipmentId: string) => ['maintenance', 'history', equipmentId] as const,
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
