import { Type, type Static, type TLiteral, type TSchema, type TUnion } from "@sinclair/typebox";
import { CurrencySchema } from "./schema.js";
import { MATCH_EXCEPTION_REASONS } from "./model/three-way-match.js";

/*
 * Goods receipts and supplier invoices as the routes, the service and the web
 * app see them (docs/erp-procurement-receiving.md). Quantities are in the
 * item's base unit, like the order lines they refer to; money is a number
 * with its ISO 4217 currency.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Notes = Type.String({ maxLength: 2000, default: "" });
const PositiveQuantity = Type.Number({ exclusiveMinimum: 0 });
const Money = Type.Number({ minimum: 0 });
const RowVersion = Type.Integer({ minimum: 1 });
const Reason = Type.String({ minLength: 1, maxLength: 1000 });

function literals<T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

export const GOODS_RECEIPT_STATUSES = ["draft", "posted", "returned", "cancelled"] as const;
export type GoodsReceiptStatus = (typeof GOODS_RECEIPT_STATUSES)[number];
export const SUPPLIER_INVOICE_STATUSES = ["draft", "matched", "exceptions", "accepted", "cancelled"] as const;
export type SupplierInvoiceStatus = (typeof SUPPLIER_INVOICE_STATUSES)[number];
export const INVOICE_CHARGE_KINDS = ["tax", "freight", "other"] as const;

export const LineParamsSchema = Type.Object({ id: Uuid, lineId: Uuid });

// --- goods receipts ---------------------------------------------------------------------

const GoodsReceiptLineInputSchema = Type.Object(
  {
    purchaseOrderLineId: Uuid,
    quantity: PositiveQuantity,
    /** Where the goods are put away: an internal inventory location. Absent: the order's delivery location. */
    locationId: Type.Optional(Uuid),
    /** Lot or serial number: required where the item is tracked, refused where it is not (inventory knows). */
    lot: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const GoodsReceiptInputSchema = Type.Object(
  {
    purchaseOrderId: Uuid,
    /** When the goods arrived; absent: now. */
    receivedAt: Type.Optional(Instant),
    deliveryNote: Type.String({ maxLength: 100, default: "" }),
    notes: Notes,
    lines: Type.Array(GoodsReceiptLineInputSchema, { minItems: 1, maxItems: 200 }),
    /** Post at once (one request for the whole receipt); false keeps a draft to post later. */
    post: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type GoodsReceiptInput = Static<typeof GoodsReceiptInputSchema>;

export const GoodsReceiptActionSchema = Type.Object({ rowVersion: RowVersion }, { additionalProperties: false });
export type GoodsReceiptAction = Static<typeof GoodsReceiptActionSchema>;

/** Returning a posted receipt to the supplier (all of it), with the reason. */
export const GoodsReceiptReturnSchema = Type.Object({ rowVersion: RowVersion, reason: Reason }, { additionalProperties: false });
export type GoodsReceiptReturn = Static<typeof GoodsReceiptReturnSchema>;

export const GoodsReceiptLineSchema = Type.Object({
  id: Uuid,
  lineNumber: Type.Integer(),
  purchaseOrderLineId: Uuid,
  itemId: Uuid,
  locationId: Uuid,
  lot: Nullable(Type.String()),
  quantity: Type.Number(),
  /** The cost the stock came in at, in the item's currency (posted receipts only). */
  unitCost: Nullable(Type.Number()),
  currency: Nullable(Type.String()),
  stockMoveId: Nullable(Uuid),
});
export type GoodsReceiptLine = Static<typeof GoodsReceiptLineSchema>;

export const GoodsReceiptSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  purchaseOrderId: Uuid,
  purchaseOrderNumber: Type.String(),
  status: literals(GOODS_RECEIPT_STATUSES),
  receivedAt: Instant,
  deliveryNote: Type.String(),
  notes: Type.String(),
  createdAt: Instant,
  createdBy: Type.String(),
  postedAt: Nullable(Instant),
  postedBy: Nullable(Type.String()),
  cancelledAt: Nullable(Instant),
  cancelledBy: Nullable(Type.String()),
  returnedAt: Nullable(Instant),
  returnedBy: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  rowVersion: Type.Integer(),
  lines: Type.Array(GoodsReceiptLineSchema),
});
export type GoodsReceipt = Static<typeof GoodsReceiptSchema>;

export const GoodsReceiptListQuerySchema = Type.Object(
  {
    purchaseOrderId: Type.Optional(Uuid),
    status: Type.Optional(literals(GOODS_RECEIPT_STATUSES)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type GoodsReceiptListQuery = Static<typeof GoodsReceiptListQuerySchema>;

/** Closing an order line short: what is missing will not come. */
export const CloseShortSchema = Type.Object({ rowVersion: RowVersion, reason: Reason }, { additionalProperties: false });
export type CloseShort = Static<typeof CloseShortSchema>;

/** An order line as receiving sees it: the order line and whether it was closed short. */
export const ReceivingLineSchema = Type.Object({
  id: Uuid,
  purchaseOrderId: Uuid,
  lineNumber: Type.Integer(),
  itemId: Uuid,
  quantity: Type.Number(),
  unitPrice: Type.Number(),
  receivedQuantity: Type.Number(),
  invoicedQuantity: Type.Number(),
  /** What may still be received, over-receipt tolerance included (0 on a line closed short). */
  receivableQuantity: Type.Number(),
  closedShortAt: Nullable(Instant),
  closedShortBy: Nullable(Type.String()),
  closeShortReason: Nullable(Type.String()),
  rowVersion: Type.Integer(),
});
export type ReceivingLine = Static<typeof ReceivingLineSchema>;

// --- supplier invoices ---------------------------------------------------------------------

const InvoiceLineInputSchema = Type.Object(
  {
    purchaseOrderLineId: Uuid,
    quantity: PositiveQuantity,
    unitPrice: Money,
    /** quantity x unitPrice as printed on the invoice (to the cent): 400 amount_mismatch when it is not. */
    amount: Money,
    description: Type.String({ maxLength: 500, default: "" }),
  },
  { additionalProperties: false },
);

const InvoiceChargeInputSchema = Type.Object(
  { kind: literals(INVOICE_CHARGE_KINDS), amount: Money, description: Type.String({ maxLength: 500, default: "" }) },
  { additionalProperties: false },
);

export const SupplierInvoiceInputSchema = Type.Object(
  {
    /** The order it bills; the supplier is the order's. */
    purchaseOrderId: Uuid,
    /** The supplier's invoice number: unique per supplier (409 duplicate_invoice). */
    invoiceNumber: Type.String({ minLength: 1, maxLength: 64, pattern: "\\S" }),
    invoiceDate: Day,
    dueDate: Type.Optional(Day),
    /** Must be the order's currency. */
    currency: CurrencySchema,
    /** The invoice's stated total: lines plus charges (400 total_mismatch when they do not add up). */
    totalAmount: Money,
    notes: Notes,
    lines: Type.Array(InvoiceLineInputSchema, { minItems: 1, maxItems: 200 }),
    charges: Type.Array(InvoiceChargeInputSchema, { maxItems: 20, default: [] }),
    /** Post (and match) at once; false keeps a draft. */
    post: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type SupplierInvoiceInput = Static<typeof SupplierInvoiceInputSchema>;

export const SupplierInvoiceActionSchema = Type.Object({ rowVersion: RowVersion }, { additionalProperties: false });
export type SupplierInvoiceAction = Static<typeof SupplierInvoiceActionSchema>;

/** An approver accepts an invoice's match exceptions (it may then be paid), with a reason. */
export const SupplierInvoiceAcceptSchema = Type.Object({ rowVersion: RowVersion, reason: Reason }, { additionalProperties: false });
export type SupplierInvoiceAccept = Static<typeof SupplierInvoiceAcceptSchema>;

export const MatchExceptionSchema = Type.Object({
  reason: literals(MATCH_EXCEPTION_REASONS),
  params: Type.Record(Type.String(), Type.Number()),
});

export const SupplierInvoiceLineSchema = Type.Object({
  id: Uuid,
  lineNumber: Type.Integer(),
  purchaseOrderLineId: Uuid,
  itemId: Uuid,
  quantity: Type.Number(),
  unitPrice: Type.Number(),
  amount: Type.Number(),
  description: Type.String(),
  /** Set once posted. */
  matchStatus: Nullable(literals(["matched", "exception"] as const)),
  exceptions: Type.Array(MatchExceptionSchema),
  orderUnitPrice: Nullable(Type.Number()),
  priceVarianceAmount: Nullable(Type.Number()),
});
export type SupplierInvoiceLine = Static<typeof SupplierInvoiceLineSchema>;

export const SupplierInvoiceChargeSchema = Type.Object({ id: Uuid, kind: literals(INVOICE_CHARGE_KINDS), description: Type.String(), amount: Type.Number() });

export const MatchTolerancesSchema = Type.Object({ quantityPercent: Type.Number(), pricePercent: Type.Number(), priceAmount: Nullable(Type.Number()) });

export const SupplierInvoiceSchema = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  purchaseOrderId: Uuid,
  purchaseOrderNumber: Type.String(),
  invoiceNumber: Type.String(),
  invoiceDate: Day,
  dueDate: Nullable(Day),
  currency: Type.String(),
  linesAmount: Type.Number(),
  chargesAmount: Type.Number(),
  totalAmount: Type.Number(),
  status: literals(SUPPLIER_INVOICE_STATUSES),
  /** The tolerances the match ran with (posted invoices). */
  tolerances: Nullable(MatchTolerancesSchema),
  notes: Type.String(),
  createdAt: Instant,
  createdBy: Type.String(),
  postedAt: Nullable(Instant),
  postedBy: Nullable(Type.String()),
  acceptedAt: Nullable(Instant),
  acceptedBy: Nullable(Type.String()),
  acceptReason: Nullable(Type.String()),
  cancelledAt: Nullable(Instant),
  cancelledBy: Nullable(Type.String()),
  rowVersion: Type.Integer(),
  lines: Type.Array(SupplierInvoiceLineSchema),
  charges: Type.Array(SupplierInvoiceChargeSchema),
});
export type SupplierInvoice = Static<typeof SupplierInvoiceSchema>;

export const SupplierInvoiceListQuerySchema = Type.Object(
  {
    purchaseOrderId: Type.Optional(Uuid),
    supplierId: Type.Optional(Uuid),
    status: Type.Optional(literals(SUPPLIER_INVOICE_STATUSES)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type SupplierInvoiceListQuery = Static<typeof SupplierInvoiceListQuerySchema>;
