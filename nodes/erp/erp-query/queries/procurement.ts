import { Type } from "@sinclair/typebox";
import {
  PurchaseOrderDetailSchema,
  PurchaseOrderListQuerySchema,
  PurchaseOrderSchema,
  RequisitionLineListQuerySchema,
  RequisitionLineSchema,
  SupplierListQuerySchema,
  SupplierSchema,
} from "../../../../erp-modules/procurement/schema.js";
import { SupplierInvoiceListQuerySchema, SupplierInvoiceSchema } from "../../../../erp-modules/procurement/receiving-schema.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

export const procurementQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "procurement.suppliers",
    module: "procurement",
    description: "Suppliers by code, active ones or all.",
    params: SupplierListQuerySchema,
    result: Type.Array(SupplierSchema),
    run: (reads, params) => reads.procurement.suppliers.list(params),
  }),
  defineQuery({
    name: "procurement.requisition-lines",
    module: "procurement",
    description: "Requisition lines, newest first, by status, item and source (manual, reorder point, work order).",
    params: RequisitionLineListQuerySchema,
    result: Type.Array(RequisitionLineSchema),
    run: (reads, params) => reads.procurement.requisitions.listLines(params),
  }),
  defineQuery({
    name: "procurement.purchase-orders",
    module: "procurement",
    description: "Purchase orders, newest first, by status and supplier.",
    params: PurchaseOrderListQuerySchema,
    result: Type.Array(PurchaseOrderSchema),
    run: (reads, params) => reads.procurement.purchaseOrders.list(params),
  }),
  defineQuery({
    name: "procurement.purchase-order",
    module: "procurement",
    description: "One purchase order with its lines, received and invoiced quantities.",
    params: queryParams({ purchaseOrderId: Uuid }),
    result: PurchaseOrderDetailSchema,
    run: (reads, { purchaseOrderId }) => reads.procurement.purchaseOrders.detail(purchaseOrderId),
  }),
  defineQuery({
    name: "procurement.invoices",
    module: "procurement",
    description: "Supplier invoices, newest first, with their three-way match, by purchase order, supplier and status.",
    params: SupplierInvoiceListQuerySchema,
    result: Type.Array(SupplierInvoiceSchema),
    run: (reads, params) => reads.procurement.receiving.listInvoices(params),
  }),
];
