import type {
  GoodsReceipt,
  GoodsReceiptInput,
  ReceivingLine,
  SupplierInvoice,
  SupplierInvoiceInput,
  SupplierInvoiceLine,
} from '../../../erp-modules/procurement/receiving-schema';
import type { MatchExceptionReason } from '../../../erp-modules/procurement/model/three-way-match';
import { apiRequest } from './client';

// The server's schemas are the contract; only their types come in.
export type { GoodsReceipt, GoodsReceiptInput, MatchExceptionReason, ReceivingLine, SupplierInvoice, SupplierInvoiceInput, SupplierInvoiceLine };

const BASE = '/api/v1/procurement';
const path = (...parts: string[]) => [BASE, ...parts.map(encodeURIComponent)].join('/');

export const receivingKeys = {
  receipts: (orderId: string) => ['procurement', 'receipts', orderId] as const,
  receivingLines: (orderId: string) => ['procurement', 'receiving-lines', orderId] as const,
  invoices: (orderId: string | null) => ['procurement', 'invoices', orderId] as const,
};

/** The order's lines as receiving sees them: received so far and what may still come (over-receipt tolerance included). */
export async function fetchReceivingLines(orderId: string, signal?: AbortSignal): Promise<ReceivingLine[]> {
  return (await apiRequest(path('purchase-orders', orderId, 'receiving'), { signal })) as ReceivingLine[];
}

export async function fetchReceipts(orderId: string, signal?: AbortSignal): Promise<GoodsReceipt[]> {
  return (await apiRequest(`${path('receipts')}?purchaseOrderId=${encodeURIComponent(orderId)}`, { signal })) as GoodsReceipt[];
}

/** A receipt posted at once: stock comes in at the order's price; the key is made once per submission by the caller. */
export async function createReceipt(body: GoodsReceiptInput, idempotencyKey: string): Promise<GoodsReceipt> {
  return (await apiRequest(path('receipts'), { method: 'POST', body, idempotencyKey })) as GoodsReceipt;
}

export async function fetchInvoices(orderId: string | null, signal?: AbortSignal): Promise<SupplierInvoice[]> {
  const params = new URLSearchParams({ limit: '500' });
  if (orderId !== null) params.set('purchaseOrderId', orderId);
  return (await apiRequest(`${path('invoices')}?${params.toString()}`, { signal })) as SupplierInvoice[];
}

/** An invoice posted at once: the server runs the three-way match and answers it per line. */
export async function createInvoice(body: SupplierInvoiceInput, idempotencyKey: string): Promise<SupplierInvoice> {
  return (await apiRequest(path('invoices'), { method: 'POST', body, idempotencyKey })) as SupplierInvoice;
}

/** Accepts an invoice's match exceptions with a reason (an approver's decision). */
export async function acceptInvoice(invoice: SupplierInvoice, reason: string, idempotencyKey: string): Promise<SupplierInvoice> {
  return (await apiRequest(path('invoices', invoice.id, 'accept'), { method: 'POST', body: { rowVersion: invoice.rowVersion, reason }, idempotencyKey })) as SupplierInvoice;
}
