import type {
  Price,
  PurchaseOrder,
  PurchaseOrderAction,
  PurchaseOrderDetail,
  PurchaseOrderStatus,
  Requisition,
  RequisitionInput,
  RequisitionLine,
  RequisitionSource,
  Supplier,
  SupplierInput,
  SupplierItem,
  SupplierItemInput,
  SupplierUpdate,
} from '../../../erp-modules/procurement/schema';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in.
export type {
  Price,
  PurchaseOrder,
  PurchaseOrderAction,
  PurchaseOrderDetail,
  PurchaseOrderStatus,
  Requisition,
  RequisitionInput,
  RequisitionLine,
  RequisitionSource,
  Supplier,
  SupplierInput,
  SupplierItem,
  SupplierItemInput,
  SupplierUpdate,
};

/** The moves a buyer asks for on the transition route. */
export type BuyerAction = Exclude<PurchaseOrderAction, 'approved' | 'rejected'>;

export const ORDER_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const satisfies readonly PurchaseOrderStatus[];

const BASE = '/api/v1/procurement';

export const procurementKeys = {
  all: ['procurement'] as const,
  suppliers: ['procurement', 'suppliers'] as const,
  supplierItems: (supplierId: string) => ['procurement', 'supplier-items', supplierId] as const,
  requisitionLines: ['procurement', 'requisition-lines'] as const,
  orders: (status: PurchaseOrderStatus | null) => ['procurement', 'orders', status] as const,
  order: (id: string) => ['procurement', 'order', id] as const,
};

const path = (...parts: string[]) => [BASE, ...parts.map(encodeURIComponent)].join('/');

export async function fetchSuppliers(signal?: AbortSignal): Promise<Supplier[]> {
  return (await apiRequest(path('suppliers'), { signal })) as Supplier[];
}

/** Every write takes a key the caller made once per submission, so a retried click acts once. */
export async function createSupplier(body: SupplierInput, idempotencyKey: string): Promise<Supplier> {
  return (await apiRequest(path('suppliers'), { method: 'POST', body, idempotencyKey })) as Supplier;
}

export async function updateSupplier(id: string, body: SupplierUpdate, idempotencyKey: string): Promise<Supplier> {
  return (await apiRequest(path('suppliers', id), { method: 'PATCH', body, idempotencyKey })) as Supplier;
}

export async function fetchSupplierItems(supplierId: string, signal?: AbortSignal): Promise<SupplierItem[]> {
  return (await apiRequest(path('suppliers', supplierId, 'items'), { signal })) as SupplierItem[];
}

export async function addSupplierItem(supplierId: string, body: SupplierItemInput, idempotencyKey: string): Promise<SupplierItem> {
  return (await apiRequest(path('suppliers', supplierId, 'items'), { method: 'POST', body, idempotencyKey })) as SupplierItem;
}

export async function fetchRequisitionLines(signal?: AbortSignal): Promise<RequisitionLine[]> {
  return (await apiRequest(`${path('requisition-lines')}?limit=500`, { signal })) as RequisitionLine[];
}

export async function createRequisition(body: RequisitionInput, idempotencyKey: string): Promise<Requisition> {
  return (await apiRequest(path('requisitions'), { method: 'POST', body, idempotencyKey })) as Requisition;
}

/** One draft order per supplier from the chosen open lines, at each item's preferred valid price. */
export async function ordersFromRequisitions(requisitionLineIds: string[], idempotencyKey: string): Promise<PurchaseOrderDetail[]> {
  return (await apiRequest(path('purchase-orders', 'from-requisitions'), { method: 'POST', body: { requisitionLineIds }, idempotencyKey })) as PurchaseOrderDetail[];
}

export async function fetchOrders(status: PurchaseOrderStatus | null, signal?: AbortSignal): Promise<PurchaseOrder[]> {
  const params = new URLSearchParams({ limit: '500' });
  if (status !== null) params.set('status', status);
  return (await apiRequest(`${path('purchase-orders')}?${params.toString()}`, { signal })) as PurchaseOrder[];
}

export async function fetchOrder(id: string, signal?: AbortSignal): Promise<PurchaseOrderDetail> {
  return (await apiRequest(path('purchase-orders', id), { signal })) as PurchaseOrderDetail;
}

/** A buyer's move (submit, sent, close, cancel); approval and rejection have their own routes. */
export async function moveOrder(order: PurchaseOrder, to: BuyerAction, reason: string | undefined, idempotencyKey: string): Promise<PurchaseOrder> {
  return (await apiRequest(path('purchase-orders', order.id, 'transition'), {
    method: 'POST',
    body: { rowVersion: order.rowVersion, to, ...(reason ? { reason } : {}) },
    idempotencyKey,
  })) as PurchaseOrder;
}

/** 403 approval_limit above the approver's limit, 403 own_purchase_order for its creator or submitter. */
export async function approveOrder(order: PurchaseOrder, idempotencyKey: string): Promise<PurchaseOrder> {
  return (await apiRequest(path('purchase-orders', order.id, 'approve'), { method: 'POST', body: { rowVersion: order.rowVersion }, idempotencyKey })) as PurchaseOrder;
}

export async function rejectOrder(order: PurchaseOrder, reason: string, idempotencyKey: string): Promise<PurchaseOrder> {
  return (await apiRequest(path('purchase-orders', order.id, 'reject'), { method: 'POST', body: { rowVersion: order.rowVersion, reason }, idempotencyKey })) as PurchaseOrder;
}

/** Where the browser downloads the order's PDF (the session cookie signs the request). */
export function orderPdfPath(orderId: string, language: string): string {
  return `${path('purchase-orders', orderId, 'pdf')}?lang=${language.startsWith('es') ? 'es' : 'en'}`;
}
