import { Type, type Static, type TLiteral, type TSchema, type TUnion } from "@sinclair/typebox";

/*
 * What the procurement routes and service accept and answer, shared with the
 * web app (docs/erp-procurement.md). Quantities are in the item's base
 * (stock) unit; money is a number with its ISO 4217 currency.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Code = Type.String({ minLength: 1, maxLength: 64 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const ShortText = Type.String({ maxLength: 200, default: "" });
const Notes = Type.String({ maxLength: 2000, default: "" });
export const CurrencySchema = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 currency code, e.g. USD" });
const PositiveQuantity = Type.Number({ exclusiveMinimum: 0 });
const Money = Type.Number({ minimum: 0 });
const RowVersion = Type.Integer({ minimum: 1 });

/** A union of string literals whose static type is the literals, not `string`. */
function literals<T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

export const REQUISITION_SOURCES = ["manual", "reorder_point", "work_order"] as const;
export type RequisitionSource = (typeof REQUISITION_SOURCES)[number];
export const REQUISITION_LINE_STATUSES = ["open", "ordered", "cancelled"] as const;
export type RequisitionLineStatus = (typeof REQUISITION_LINE_STATUSES)[number];
export const PURCHASE_ORDER_STATUSES = ["draft", "submitted", "approved", "rejected", "sent", "partially_received", "received", "closed", "cancelled"] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
/** The moves a user asks for (by a buyer, or approved/rejected by an approver); partially_received and received are set by goods receipts. */
export const PURCHASE_ORDER_ACTIONS = ["submitted", "approved", "rejected", "sent", "closed", "cancelled"] as const;
export type PurchaseOrderAction = (typeof PURCHASE_ORDER_ACTIONS)[number];

export const IdParamsSchema = Type.Object({ id: Uuid });
export const SupplierItemParamsSchema = Type.Object({ id: Uuid, supplierItemId: Uuid });

// --- suppliers -------------------------------------------------------------------

export const SupplierInputSchema = Type.Object(
  {
    code: Code,
    name: Name,
    taxId: Type.String({ maxLength: 64, default: "" }),
    contactName: ShortText,
    email: Type.String({ maxLength: 200, default: "" }),
    phone: Type.String({ maxLength: 64, default: "" }),
    address: Type.String({ maxLength: 500, default: "" }),
    currency: CurrencySchema,
    paymentTermsDays: Type.Integer({ minimum: 0, maximum: 365, default: 30 }),
    active: Type.Boolean({ default: true }),
    notes: Notes,
  },
  { additionalProperties: false },
);
export type SupplierInput = Static<typeof SupplierInputSchema>;

/** Changes to a supplier: any field but its code, with the row version read. */
export const SupplierUpdateSchema = Type.Object(
  {
    rowVersion: RowVersion,
    name: Type.Optional(Name),
    taxId: Type.Optional(Type.String({ maxLength: 64 })),
    contactName: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 64 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    currency: Type.Optional(CurrencySchema),
    paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    active: Type.Optional(Type.Boolean()),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SupplierUpdate = Static<typeof SupplierUpdateSchema>;

export const SupplierSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  taxId: Type.String(),
  contactName: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  address: Type.String(),
  currency: Type.String(),
  paymentTermsDays: Type.Integer(),
  active: Type.Boolean(),
  notes: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type Supplier = Static<typeof SupplierSchema>;

export const SupplierListQuerySchema = Type.Object({ active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type SupplierListQuery = Static<typeof SupplierListQuerySchema>;

// --- supplier items and prices --------------------------------------------------------

export const SupplierItemInputSchema = Type.Object(
  {
    itemId: Uuid,
    supplierPartNumber: Type.String({ maxLength: 100, default: "" }),
    unitPrice: Money,
    currency: CurrencySchema,
    validFrom: Type.Optional(Day),
    validTo: Type.Optional(Day),
    leadTimeDays: Type.Integer({ minimum: 0, maximum: 3650, default: 0 }),
    minOrderQuantity: Type.Number({ minimum: 0, default: 0 }),
    preferred: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type SupplierItemInput = Static<typeof SupplierItemInputSchema>;

export const SupplierItemUpdateSchema = Type.Object(
  {
    rowVersion: RowVersion,
    supplierPartNumber: Type.Optional(Type.String({ maxLength: 100 })),
    unitPrice: Type.Optional(Money),
    currency: Type.Optional(CurrencySchema),
    validFrom: Type.Optional(Nullable(Day)),
    validTo: Type.Optional(Nullable(Day)),
    leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    minOrderQuantity: Type.Optional(Type.Number({ minimum: 0 })),
    preferred: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SupplierItemUpdate = Static<typeof SupplierItemUpdateSchema>;

export const SupplierItemSchema = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  itemId: Uuid,
  supplierPartNumber: Type.String(),
  unitPrice: Type.Number(),
  currency: Type.String(),
  validFrom: Nullable(Day),
  validTo: Nullable(Day),
  leadTimeDays: Type.Integer(),
  minOrderQuantity: Type.Number(),
  preferred: Type.Boolean(),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type SupplierItem = Static<typeof SupplierItemSchema>;

export const PriceQuerySchema = Type.Object(
  { itemId: Uuid, on: Type.Optional(Day), supplierId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type PriceQuery = Static<typeof PriceQuerySchema>;

/** The price a purchase order takes: the supplier item with its supplier. */
export const PriceSchema = Type.Composite([SupplierItemSchema, Type.Object({ supplierCode: Type.String(), supplierName: Type.String() })]);
export type Price = Static<typeof PriceSchema>;

// --- requisitions --------------------------------------------------------------------

const RequisitionLineInputSchema = Type.Object(
  {
    itemId: Uuid,
    quantity: PositiveQuantity,
    locationId: Type.Optional(Uuid),
    neededBy: Type.Optional(Day),
    notes: Notes,
  },
  { additionalProperties: false },
);

export const RequisitionInputSchema = Type.Object(
  { notes: Notes, lines: Type.Array(RequisitionLineInputSchema, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export type RequisitionInput = Static<typeof RequisitionInputSchema>;

/**
 * A requisition raised by another module or a flow (service only): from a
 * reorder point, `sourceRef` is the location id; from a work order, its id.
 * An automatic line the same source already holds outstanding is not raised twice.
 */
export interface RaiseRequisitionInput {
  source: RequisitionSource;
  sourceRef: string;
  itemId: string;
  quantity: number;
  locationId?: string;
  neededBy?: string;
  notes?: string;
}

export const RequisitionLineSchema = Type.Object({
  id: Uuid,
  requisitionId: Uuid,
  requisitionNumber: Type.Integer(),
  itemId: Uuid,
  quantity: Type.Number(),
  unit: Type.String({ description: "The item's base unit" }),
  locationId: Nullable(Uuid),
  neededBy: Nullable(Day),
  source: literals(REQUISITION_SOURCES),
  sourceRef: Type.String(),
  status: literals(REQUISITION_LINE_STATUSES),
  purchaseOrderLineId: Nullable(Uuid),
  fulfilledAt: Nullable(Instant),
  notes: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type RequisitionLine = Static<typeof RequisitionLineSchema>;

export const RequisitionSchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  source: literals(REQUISITION_SOURCES),
  notes: Type.String(),
  createdAt: Instant,
  createdBy: Type.String(),
  lines: Type.Array(RequisitionLineSchema),
});
export type Requisition = Static<typeof RequisitionSchema>;

/** What raising gave: the line, and whether it is new (false: an outstanding line of the same source already holds the demand). */
export const RaisedLineSchema = Type.Object({ line: RequisitionLineSchema, created: Type.Boolean() });
export type RaisedLine = Static<typeof RaisedLineSchema>;

export const RequisitionLineListQuerySchema = Type.Object(
  {
    status: Type.Optional(literals(REQUISITION_LINE_STATUSES)),
    itemId: Type.Optional(Uuid),
    source: Type.Optional(literals(REQUISITION_SOURCES)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
  },
  { additionalProperties: false },
);
export type RequisitionLineListQuery = Static<typeof RequisitionLineListQuerySchema>;

export const RequisitionLineCancelSchema = Type.Object({ rowVersion: RowVersion }, { additionalProperties: false });

// --- purchase orders -------------------------------------------------------------------

const PurchaseOrderLineInputSchema = Type.Object(
  {
    itemId: Uuid,
    quantity: PositiveQuantity,
    /** Absent: the supplier's valid price for the item (409 no_price when it has none). */
    unitPrice: Type.Optional(Money),
    description: Type.String({ maxLength: 500, default: "" }),
    neededBy: Type.Optional(Day),
    requisitionLineId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type PurchaseOrderLineInput = Static<typeof PurchaseOrderLineInputSchema>;

export const PurchaseOrderInputSchema = Type.Object(
  {
    supplierId: Uuid,
    /** Absent: the supplier's currency. */
    currency: Type.Optional(CurrencySchema),
    deliveryLocationId: Type.Optional(Uuid),
    expectedAt: Type.Optional(Day),
    taxAmount: Type.Number({ minimum: 0, default: 0 }),
    notes: Notes,
    lines: Type.Array(PurchaseOrderLineInputSchema, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type PurchaseOrderInput = Static<typeof PurchaseOrderInputSchema>;

/** Orders from open requisition lines: one draft per supplier, each line at its item's preferred valid price. */
export const PurchaseOrdersFromRequisitionsSchema = Type.Object(
  {
    requisitionLineIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }),
    deliveryLocationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type PurchaseOrdersFromRequisitions = Static<typeof PurchaseOrdersFromRequisitionsSchema>;

/** Changes to a draft (or rejected) order; `lines` replaces them all. */
export const PurchaseOrderUpdateSchema = Type.Object(
  {
    rowVersion: RowVersion,
    deliveryLocationId: Type.Optional(Nullable(Uuid)),
    expectedAt: Type.Optional(Nullable(Day)),
    taxAmount: Type.Optional(Type.Number({ minimum: 0 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    lines: Type.Optional(Type.Array(PurchaseOrderLineInputSchema, { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type PurchaseOrderUpdate = Static<typeof PurchaseOrderUpdateSchema>;

/** The moves a buyer makes (approve and reject have their own routes, for approvers). */
export const BUYER_ACTIONS = ["submitted", "sent", "closed", "cancelled"] as const;
export type BuyerAction = (typeof BUYER_ACTIONS)[number];

export const PurchaseOrderTransitionSchema = Type.Object(
  {
    rowVersion: RowVersion,
    to: literals(BUYER_ACTIONS),
    /** Kept on a cancel. */
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type PurchaseOrderTransition = Static<typeof PurchaseOrderTransitionSchema>;

export const PurchaseOrderApproveSchema = Type.Object({ rowVersion: RowVersion }, { additionalProperties: false });
export type PurchaseOrderApprove = Static<typeof PurchaseOrderApproveSchema>;

export const PurchaseOrderRejectSchema = Type.Object({ rowVersion: RowVersion, reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export type PurchaseOrderReject = Static<typeof PurchaseOrderRejectSchema>;

export const PurchaseOrderLineSchema = Type.Object({
  id: Uuid,
  purchaseOrderId: Uuid,
  lineNumber: Type.Integer(),
  itemId: Uuid,
  description: Type.String(),
  supplierPartNumber: Type.String(),
  quantity: Type.Number(),
  unit: Type.String({ description: "The item's base unit" }),
  unitPrice: Type.Number(),
  lineTotal: Type.Number(),
  neededBy: Nullable(Day),
  requisitionLineId: Nullable(Uuid),
  receivedQuantity: Type.Number(),
  invoicedQuantity: Type.Number(),
  rowVersion: Type.Integer(),
});
export type PurchaseOrderLine = Static<typeof PurchaseOrderLineSchema>;

export const PurchaseOrderSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  supplierId: Uuid,
  currency: Type.String(),
  status: literals(PURCHASE_ORDER_STATUSES),
  subtotalAmount: Type.Number(),
  taxAmount: Type.Number(),
  totalAmount: Type.Number(),
  deliveryLocationId: Nullable(Uuid),
  expectedAt: Nullable(Day),
  notes: Type.String(),
  createdBy: Type.String(),
  submittedBy: Nullable(Type.String()),
  submittedAt: Nullable(Instant),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Instant),
  approvedSiteTotal: Nullable(Type.Number()),
  rejectedBy: Nullable(Type.String()),
  rejectedAt: Nullable(Instant),
  rejectionReason: Nullable(Type.String()),
  sentBy: Nullable(Type.String()),
  sentAt: Nullable(Instant),
  cancelledBy: Nullable(Type.String()),
  cancelledAt: Nullable(Instant),
  cancelReason: Nullable(Type.String()),
  closedAt: Nullable(Instant),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
});
export type PurchaseOrder = Static<typeof PurchaseOrderSchema>;

export const PurchaseOrderDetailSchema = Type.Composite([
  PurchaseOrderSchema,
  Type.Object({
    supplier: SupplierSchema,
    lines: Type.Array(PurchaseOrderLineSchema),
    /** What the order can go to next, by its state alone (the approval limit and four-eyes rule are checked on the move). */
    nextStatuses: Type.Array(literals(PURCHASE_ORDER_ACTIONS)),
  }),
]);
export type PurchaseOrderDetail = Static<typeof PurchaseOrderDetailSchema>;

export const PurchaseOrderListQuerySchema = Type.Object(
  {
    status: Type.Optional(literals(PURCHASE_ORDER_STATUSES)),
    supplierId: Type.Optional(Uuid),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type PurchaseOrderListQuery = Static<typeof PurchaseOrderListQuerySchema>;

export const PurchaseOrderPdfQuerySchema = Type.Object({ lang: Type.Optional(literals(["en", "es"] as const)) }, { additionalProperties: false });
