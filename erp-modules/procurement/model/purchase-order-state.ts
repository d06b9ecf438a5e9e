import type { PurchaseOrderAction, PurchaseOrderStatus } from "../schema.js";

/*
 * The purchase order's life (docs/erp-procurement.md "States"):
 *
 *   draft → submitted → approved → sent → partially_received → received → closed
 *              ↓  ↘ rejected → (edited) → submitted
 *   cancelled from draft, submitted, approved or rejected
 *
 * partially_received and received are set by goods receipts, never asked for;
 * an order is closed once sent (short-closing what will never come) or received.
 */
const MOVES: Readonly<Record<PurchaseOrderStatus, readonly PurchaseOrderAction[]>> = {
  draft: ["submitted", "cancelled"],
  submitted: ["approved", "rejected", "cancelled"],
  approved: ["sent", "cancelled"],
  rejected: ["submitted", "cancelled"],
  sent: ["closed"],
  partially_received: ["closed"],
  received: ["closed"],
  closed: [],
  cancelled: [],
};

export function nextActions(status: PurchaseOrderStatus): readonly PurchaseOrderAction[] {
  return MOVES[status];
}

export function mayMove(from: PurchaseOrderStatus, to: PurchaseOrderAction): boolean {
  return MOVES[from].includes(to);
}

/** Lines and header may change while nobody has approved them. */
export function isEditable(status: PurchaseOrderStatus): boolean {
  return status === "draft" || status === "rejected";
}

/** Goods may be received (and invoiced) against an order the supplier has. */
export function acceptsReceipts(status: PurchaseOrderStatus): boolean {
  return status === "sent" || status === "partially_received" || status === "received";
}

export interface LineProgress {
  quantity: number;
  receivedQuantity: number;
}

/**
 * The status an order takes after a receipt (or its reversal): received once
 * every line has at least its quantity (over-deliveries count), partially
 * received when anything arrived, sent when nothing has.
 */
export function statusAfterReceipt(lines: readonly LineProgress[]): "sent" | "partially_received" | "received" {
  if (lines.length > 0 && lines.every((line) => line.receivedQuantity >= line.quantity)) return "received";
  if (lines.some((line) => line.receivedQuantity > 0)) return "partially_received";
  return "sent";
}
