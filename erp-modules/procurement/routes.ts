import { Type } from "@sinclair/typebox";
import type { Request, Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import type { PdfLanguage } from "./purchase-order-pdf.js";
import {
  IdParamsSchema,
  PriceQuerySchema,
  PriceSchema,
  PurchaseOrderApproveSchema,
  PurchaseOrderDetailSchema,
  PurchaseOrderInputSchema,
  PurchaseOrderListQuerySchema,
  PurchaseOrderPdfQuerySchema,
  PurchaseOrderRejectSchema,
  PurchaseOrderSchema,
  PurchaseOrdersFromRequisitionsSchema,
  PurchaseOrderTransitionSchema,
  PurchaseOrderUpdateSchema,
  RequisitionInputSchema,
  RequisitionLineCancelSchema,
  RequisitionLineListQuerySchema,
  RequisitionLineSchema,
  RequisitionSchema,
  SupplierInputSchema,
  SupplierItemInputSchema,
  SupplierItemParamsSchema,
  SupplierItemSchema,
  SupplierItemUpdateSchema,
  SupplierListQuerySchema,
  SupplierSchema,
  SupplierUpdateSchema,
  BUYER_ACTIONS,
} from "./schema.js";
import type { ProcurementService } from "./service.js";

const TAGS = ["procurement"];

/** `lang` in the query, else the first of es/en the browser accepts, else the site's language. */
function pdfLanguage(req: Request, asked: PdfLanguage | undefined, site: PdfLanguage): PdfLanguage {
  if (asked) return asked;
  const accepted = req.acceptsLanguages("es", "en");
  return accepted === "es" || accepted === "en" ? accepted : site;
}

/**
 * Procurement routes (docs/erp-procurement.md "API"). Reading is for every
 * viewer; suppliers, prices and purchase orders need engineer or the buyer
 * permission; a requisition by hand needs operator or buyer; approving or
 * rejecting an order needs the approver permission (or admin), and the
 * service checks the limit and the four-eyes rule.
 */
export function registerProcurementRoutes(router: Router, routes: RouteRegistry, service: ProcurementService): void {
  const { suppliers, requisitions, purchaseOrders } = service;
  const siteLanguage: PdfLanguage = service.context.settings?.siteLanguage ?? "en";

  // --- suppliers ---------------------------------------------------------------------

  routes.add(router, {
    method: "post",
    path: "/procurement/suppliers",
    summary: "Add a supplier (code unique on the site: 409 already_exists)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier.create"], rows: { 201: 1 } },
    schemas: { body: SupplierInputSchema, responses: { 201: SupplierSchema, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await suppliers.create(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/suppliers",
    summary: "Suppliers by code (active only with active=true)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: SupplierListQuerySchema, responses: { 200: Type.Array(SupplierSchema) } },
    handler: async ({ res, query }) => {
      res.json(await suppliers.list(query));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/suppliers/:id",
    summary: "One supplier",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: SupplierSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await suppliers.get(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/procurement/suppliers/:id",
    summary: "Edit a supplier (any field but its code; active=false retires it)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier.update"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: SupplierUpdateSchema, responses: { 200: SupplierSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await suppliers.update(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/suppliers/:id/items",
    summary: "Add an item the supplier sells, with its price, currency, validity, lead time and minimum order quantity",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier_item.create"], rows: { 201: 1 } },
    schemas: { params: IdParamsSchema, body: SupplierItemInputSchema, responses: { 201: SupplierItemSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.status(201).json(await suppliers.addItem(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/suppliers/:id/items",
    summary: "The supplier's items and prices",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: Type.Array(SupplierItemSchema), 404: null } },
    handler: async ({ res, params }) => {
      res.json(await suppliers.listItems(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/procurement/suppliers/:id/items/:supplierItemId",
    summary: "Edit a supplier's price (price, validity, preferred, active)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.supplier_item.update"], rows: { 200: 1 } },
    schemas: { params: SupplierItemParamsSchema, body: SupplierItemUpdateSchema, responses: { 200: SupplierItemSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await suppliers.updateItem(params.id, params.supplierItemId, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/prices",
    summary: "The price an item is bought at on a day (default today): the preferred valid price of an active supplier, or 404",
    tags: TAGS,
    role: "viewer",
    schemas: { query: PriceQuerySchema, responses: { 200: PriceSchema, 404: null } },
    handler: async ({ res, query }) => {
      res.json(await suppliers.price(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/items/:id/prices",
    summary: "Every supplier price of an item, valid or not (the comparison)",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: Type.Array(PriceSchema) } },
    handler: async ({ res, params }) => {
      res.json(await suppliers.prices(params.id));
    },
  });

  // --- requisitions ---------------------------------------------------------------------

  routes.add(router, {
    method: "post",
    path: "/procurement/requisitions",
    summary: "Ask for items by hand (one line per item; quantities in the item's base unit)",
    tags: TAGS,
    role: "operator",
    permission: "buyer",
    audit: { actions: ["procurement.requisition.create"], rows: { 201: 1 } },
    schemas: { body: RequisitionInputSchema, responses: { 201: RequisitionSchema } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await requisitions.create(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/requisitions/:id",
    summary: "One requisition with its lines",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: RequisitionSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await requisitions.get(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/requisition-lines",
    summary: "Requisition lines, newest first (status=open: what is waiting for an order)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: RequisitionLineListQuerySchema, responses: { 200: Type.Array(RequisitionLineSchema) } },
    handler: async ({ res, query }) => {
      res.json(await requisitions.listLines(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/requisition-lines/:id/cancel",
    summary: "Cancel an open requisition line (an ordered one goes with its order)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.requisition_line.cancel"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: RequisitionLineCancelSchema, responses: { 200: RequisitionLineSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await requisitions.cancelLine(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  // --- purchase orders ---------------------------------------------------------------------

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders",
    summary: "Draft a purchase order by hand; a line without unitPrice takes the supplier's valid price (409 no_price when none)",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.purchase_order.create", "procurement.requisition_line.ordered"], rows: { 201: "any" } },
    schemas: { body: PurchaseOrderInputSchema, responses: { 201: PurchaseOrderDetailSchema, 400: null, 404: null, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await purchaseOrders.create(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders/from-requisitions",
    summary: "Draft purchase orders from open requisition lines: one per supplier and currency, each line at its item's preferred valid price",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.purchase_order.create", "procurement.requisition_line.ordered"], rows: { 201: "any" } },
    schemas: { body: PurchaseOrdersFromRequisitionsSchema, responses: { 201: Type.Array(PurchaseOrderDetailSchema), 400: null, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await purchaseOrders.createFromRequisitions(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/purchase-orders",
    summary: "Purchase orders, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: PurchaseOrderListQuerySchema, responses: { 200: Type.Array(PurchaseOrderSchema) } },
    handler: async ({ res, query }) => {
      res.json(await purchaseOrders.list(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/purchase-orders/:id",
    summary: "One purchase order with its supplier, lines (received and invoiced quantities) and the moves its state allows",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: PurchaseOrderDetailSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await purchaseOrders.detail(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/procurement/purchase-orders/:id",
    summary: "Edit a draft or rejected order; `lines` replaces them all",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: { actions: ["procurement.purchase_order.update", "procurement.requisition_line.ordered", "procurement.requisition_line.reopened"], rows: { 200: "any" } },
    schemas: { params: IdParamsSchema, body: PurchaseOrderUpdateSchema, responses: { 200: PurchaseOrderDetailSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await purchaseOrders.update(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders/:id/transition",
    summary: "A buyer's move: submit for approval, sent (to the supplier), close, cancel; a move the state does not allow is 409 transition_not_allowed",
    tags: TAGS,
    role: "engineer",
    permission: "buyer",
    audit: {
      actions: [...BUYER_ACTIONS.map((to) => `procurement.purchase_order.${to}`), "procurement.requisition_line.reopened", "procurement.requisition_line.fulfilled"],
      rows: { 200: "any" },
    },
    schemas: { params: IdParamsSchema, body: PurchaseOrderTransitionSchema, responses: { 200: PurchaseOrderSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await purchaseOrders.transition(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders/:id/approve",
    summary: "Approve a submitted order: 403 approval_limit above the approver's limit (site currency), 403 own_purchase_order for its creator or submitter, 409 no_exchange_rate",
    tags: TAGS,
    role: "admin",
    permission: "approver",
    audit: { actions: ["procurement.purchase_order.approved"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: PurchaseOrderApproveSchema, responses: { 200: PurchaseOrderSchema, 403: null, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await purchaseOrders.approve(params.id, body, principal.user).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/procurement/purchase-orders/:id/reject",
    summary: "Send a submitted order back to its buyer with a reason",
    tags: TAGS,
    role: "admin",
    permission: "approver",
    audit: { actions: ["procurement.purchase_order.rejected"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: PurchaseOrderRejectSchema, responses: { 200: PurchaseOrderSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await purchaseOrders.reject(params.id, body, principal.user).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/procurement/purchase-orders/:id/pdf",
    summary: "The order as a PDF to send to the supplier, in `lang` (default: the browser's Accept-Language, es or en, else the site's)",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, query: PurchaseOrderPdfQuerySchema, responses: { 200: null, 404: null } },
    handler: async ({ req, res, params, query }) => {
      const file = await service.purchaseOrderPdf(params.id, pdfLanguage(req, query.lang, siteLanguage)).catch(toHttpError);
      res.type("application/pdf").attachment(file.filename).send(file.body);
    },
  });
}
