import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  CloseShortSchema,
  GoodsReceiptActionSchema,
  GoodsReceiptInputSchema,
  GoodsReceiptListQuerySchema,
  GoodsReceiptReturnSchema,
  GoodsReceiptSchema,
  LineParamsSchema,
  ReceivingLineSchema,
  SupplierInvoiceAcceptSchema,
  SupplierInvoiceActionSchema,
  SupplierInvoiceInputSchema,
  SupplierInvoiceListQuerySchema,
  SupplierInvoiceSchema,
} from "./receiving-schema.js";
import type { ReceivingService } from "./receiving-service.js";
import { IdParamsSchema } from "./schema.js";

const TAGS = ["procurement"];

/** What posting a receipt may write: the receipt, inventory's receipt moves, the order lines, the order's status, fulfilled requisition demand. */
const RECEIPT_POST_ACTIONS = [
  "procurement.goods_receipt.post",
  "inventory.stock_move.receipt",
  "procurement.purchase_order_line.received",
  "procurement.purchase_order.sent",
  "procurement.purchase_order.partially_received",
  "procurement.purchase_order.received",
  "procurement.purchase_order.closed",
  "procurement.requisition_line.fulfilled",
];

/** What posting or accepting an invoice may write besides the invoice: the order lines billed, the order closing, its requisition demand. */
const INVOICE_SETTLE_ACTIONS = ["procurement.purchase_order_line.invoiced", "procurement.purchase_order.closed", "procurement.requisition_line.fulfilled"];

/**
 * Goods receipts and supplier invoices (docs/erp-procurement-receiving.md
 * "API"). Reading is for every viewer; receipts need operator or the
 * storekeeper permission; invoices and short closes need engineer or the
 * buyer permission; accepting an invoice's match exceptions needs the
 * approver permission (or admin).
 */
export function registerReceivingRoutes(router: Router, routes: RouteRegistry, receiving: ReceivingService): void {
  // --- goods receipts ---------------------------------------------------------------------

  routes.add(router, {
    method: "post",
    path: "/procurement/receipts",
    summary: "Receive goods on a sent order: a draft, or posted at once with post=true (409 over_receipt beyond the over-receipt tolerance, line_closed_short, order_not_sent)",
    tags: TAGS,
    role: "operator",
    permission: "storekeeper",
    audit: { actions: ["procurement.goods_receipt.create", ...RECEIPT_POST_ACTIONS], rows: { 201: "any" } },
    schemas: { body: GoodsReceiptInputSchema, responses: { 201: GoodsReceiptSchema, 404: null, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await receiving.createReceipt(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/receipts",
    summary: "Goods receipts, newest first (by order, by status)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: GoodsReceiptListQuerySchema, responses: { 200: Type.Array(GoodsReceiptSchema) } },
    handler: async ({ res, query }) => {
      res.json(await receiving.listReceipts(query));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/receipts/:id",
    summary: "One goods receipt with its lines (posted lines carry their unit cost and stock move)",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: GoodsReceiptSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await receiving.receipt(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/receipts/:id/post",
    summary: "Post a draft receipt: stock in at the order price, order lines and status updated, in one transaction (409 invalid_state once posted)",
    tags: TAGS,
    role: "operator",
    permission: "storekeeper",
    audit: { actions: RECEIPT_POST_ACTIONS, rows: { 200: "any" } },
    schemas: { params: IdParamsSchema, body: GoodsReceiptActionSchema, responses: { 200: GoodsReceiptSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.postReceipt(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/receipts/:id/cancel",
    summary: "Cancel a draft receipt",
    tags: TAGS,
    role: "operator",
    permission: "storekeeper",
    audit: { actions: ["procurement.goods_receipt.cancel"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: GoodsReceiptActionSchema, responses: { 200: GoodsReceiptSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.cancelReceipt(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/receipts/:id/return",
    summary: "Return a posted receipt to the supplier with a reason: its stock moves are reversed and the order lines' received quantities go back (409 insufficient_stock, invoiced_beyond_return)",
    tags: TAGS,
    role: "operator",
    permission: "storekeeper",
    audit: {
      actions: [
        "procurement.goods_receipt.return",
        "inventory.stock_move.reversal",
        "procurement.purchase_order_line.received",
        "procurement.purchase_order.sent",
        "procurement.purchase_order.partially_received",
        "procurement.purchase_order.received",
      ],
      rows: { 200: "any" },
    },
    schemas: { params: IdParamsSchema, body: GoodsReceiptReturnSchema, responses: { 200: GoodsReceiptSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.returnReceipt(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/purchase-orders/:id/receiving",
    summary: "The order's lines with received, invoiced and still receivable quantities, and short closes",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: Type.Array(ReceivingLineSchema), 404: null } },
    handler: async ({ res, params }) => {
      res.json(await receiving.receivingLines(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders/:id/lines/:lineId/close-short",
    summary: "Close an order line short with a reason: what is missing will not come (409 line_complete, line_closed_short)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: {
      actions: ["procurement.purchase_order_line.closed_short", "procurement.purchase_order.received", "procurement.purchase_order.closed", "procurement.requisition_line.fulfilled"],
      rows: { 200: "any" },
    },
    schemas: { params: LineParamsSchema, body: CloseShortSchema, responses: { 200: ReceivingLineSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.closeShort(params.id, params.lineId, body, principal.user.username).catch(toHttpError));
    },
  });

  // --- supplier invoices ---------------------------------------------------------------------

  routes.add(router, {
    method: "post",
    path: "/procurement/invoices",
    summary: "Enter a supplier invoice against an order: a draft, or posted and matched at once with post=true (409 duplicate_invoice; 400 total_mismatch, amount_mismatch)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier_invoice.create", "procurement.supplier_invoice.post", ...INVOICE_SETTLE_ACTIONS], rows: { 201: "any" } },
    schemas: { body: SupplierInvoiceInputSchema, responses: { 201: SupplierInvoiceSchema, 404: null, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await receiving.createInvoice(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/invoices",
    summary: "Supplier invoices, newest first (by order, supplier, status)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: SupplierInvoiceListQuerySchema, responses: { 200: Type.Array(SupplierInvoiceSchema) } },
    handler: async ({ res, query }) => {
      res.json(await receiving.listInvoices(query));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/invoices/:id",
    summary: "One supplier invoice with its lines, their match result and its charges",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: SupplierInvoiceSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await receiving.invoice(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/invoices/:id/post",
    summary: "Post a draft invoice: the three-way match sets it matched or exceptions; the order lines' invoiced quantities grow",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier_invoice.post", ...INVOICE_SETTLE_ACTIONS], rows: { 200: "any" } },
    schemas: { params: IdParamsSchema, body: SupplierInvoiceActionSchema, responses: { 200: SupplierInvoiceSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.postInvoice(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/invoices/:id/accept",
    summary: "Accept an invoice's match exceptions with a reason (403 own_invoice for whoever entered or posted it)",
    tags: TAGS,
    role: "admin",
    permission: "approver",
    audit: { actions: ["procurement.supplier_invoice.accept", "procurement.purchase_order.closed", "procurement.requisition_line.fulfilled"], rows: { 200: "any" } },
    schemas: { params: IdParamsSchema, body: SupplierInvoiceAcceptSchema, responses: { 200: SupplierInvoiceSchema, 403: null, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.acceptInvoice(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/invoices/:id/cancel",
    summary: "Cancel a draft invoice (its number may be entered again)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier_invoice.cancel"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: SupplierInvoiceActionSchema, responses: { 200: SupplierInvoiceSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await receiving.cancelInvoice(params.id, body, principal.user.username).catch(toHttpError));
    },
  });
}
