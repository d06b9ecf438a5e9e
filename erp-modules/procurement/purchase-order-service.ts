import type { Queryable } from "../../runtime/db/database.js";
import { approvalLimitOf, type GrantHolder } from "../../runtime/auth/grants.js";
import { newId } from "../../runtime/ids.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import { decideApproval, parseExchangeRates, type ExchangeRates } from "./model/approval.js";
import { acceptsReceipts, isEditable, mayMove, nextActions, statusAfterReceipt } from "./model/purchase-order-state.js";
import { groupBySupplier } from "./model/requisition-rules.js";
import { lineTotal, orderTotals } from "./model/totals.js";
import type { RequisitionService } from "./requisition-service.js";
import {
  PurchaseOrderApproveSchema,
  PurchaseOrderInputSchema,
  PurchaseOrderListQuerySchema,
  PurchaseOrderRejectSchema,
  PurchaseOrdersFromRequisitionsSchema,
  PurchaseOrderTransitionSchema,
  PurchaseOrderUpdateSchema,
  type PurchaseOrder,
  type PurchaseOrderAction,
  type PurchaseOrderDetail,
  type PurchaseOrderLine,
  type PurchaseOrderLineInput,
  type PurchaseOrderStatus,
  type RequisitionLine,
  type Supplier,
} from "./schema.js";
import type { ItemLookup, SupplierService } from "./supplier-service.js";
import { checkRowVersion, iso, MODULE, notFound, parseInput, today } from "./support.js";

/*
 * Purchase orders (docs/erp-procurement.md "Purchase orders"): made by hand
 * or from requisition lines, approved within the approver's limit by someone
 * other than who made them, sent (the PDF), received and invoiced by the
 * receiving side (recordReceived, recordInvoiced), closed. Every write is one
 * transaction with its audit and outbox rows; the order row is locked first.
 */

/** Who acts on an order: the user's name, role and grants (the approval limit comes from them). */
export interface Approver extends GrantHolder {
  username: string;
}

/** What a goods receipt or an invoice changed: the line and its order after the change. */
export interface LineProgressResult {
  line: PurchaseOrderLine;
  order: PurchaseOrder;
}

interface OrderRow {
  id: string;
  number: string;
  supplier_id: string;
  currency: string;
  status: PurchaseOrderStatus;
  subtotal_amount: string;
  tax_amount: string;
  total_amount: string;
  delivery_location_id: string | null;
  expected_at: string | null;
  notes: string;
  created_by: string;
  submitted_by: string | null;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  approved_site_total: string | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  sent_by: string | null;
  sent_at: Date | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  row_version: number;
}

interface LineRow {
  id: string;
  purchase_order_id: string;
  line_number: number;
  item_id: string;
  description: string;
  supplier_part_number: string;
  quantity: string;
  unit: string;
  unit_price: string;
  line_total: string;
  needed_by: string | null;
  requisition_line_id: string | null;
  received_quantity: string;
  invoiced_quantity: string;
  row_version: number;
}

const ORDER_SELECT = `SELECT id, number, supplier_id, currency, status, subtotal_amount, tax_amount, total_amount, delivery_location_id, expected_at::text AS expected_at, notes,
  created_by, submitted_by, submitted_at, approved_by, approved_at, approved_site_total, rejected_by, rejected_at, rejection_reason, sent_by, sent_at,
  cancelled_by, cancelled_at, cancel_reason, closed_at, created_at, updated_at, row_version FROM procurement_purchase_orders`;

const LINE_SELECT = `SELECT id, purchase_order_id, line_number, item_id, description, supplier_part_number, quantity, unit, unit_price, line_total, needed_by::text AS needed_by,
  requisition_line_id, received_quantity, invoiced_quantity, row_version FROM procurement_purchase_order_lines`;

function toOrder(row: OrderRow): PurchaseOrder {
  return {
    id: row.id,
    number: row.number,
    supplierId: row.supplier_id,
    currency: row.currency,
    status: row.status,
    subtotalAmount: fromNumeric(row.subtotal_amount),
    taxAmount: fromNumeric(row.tax_amount),
    totalAmount: fromNumeric(row.total_amount),
    deliveryLocationId: row.delivery_location_id,
    expectedAt: row.expected_at,
    notes: row.notes,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    submittedAt: iso(row.submitted_at),
    approvedBy: row.approved_by,
    approvedAt: iso(row.approved_at),
    approvedSiteTotal: fromNumericOrNull(row.approved_site_total),
    rejectedBy: row.rejected_by,
    rejectedAt: iso(row.rejected_at),
    rejectionReason: row.rejection_reason,
    sentBy: row.sent_by,
    sentAt: iso(row.sent_at),
    cancelledBy: row.cancelled_by,
    cancelledAt: iso(row.cancelled_at),
    cancelReason: row.cancel_reason,
    closedAt: iso(row.closed_at),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
  };
}

function toLine(row: LineRow): PurchaseOrderLine {
  return {
    id: row.id,
    purchaseOrderId: row.purchase_order_id,
    lineNumber: Number(row.line_number),
    itemId: row.item_id,
    description: row.description,
    supplierPartNumber: row.supplier_part_number,
    quantity: fromNumeric(row.quantity),
    unit: row.unit,
    unitPrice: fromNumeric(row.unit_price),
    lineTotal: fromNumeric(row.line_total),
    neededBy: row.needed_by,
    requisitionLineId: row.requisition_line_id,
    receivedQuantity: fromNumeric(row.received_quantity),
    invoicedQuantity: fromNumeric(row.invoiced_quantity),
    rowVersion: Number(row.row_version),
  };
}

/** A line ready to insert: priced, in the item's base unit, maybe taking a requisition line. */
interface PlannedLine {
  itemId: string;
  description: string;
  supplierPartNumber: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  neededBy: string | null;
  requisitionLineId: string | null;
}

interface OrderHeader {
  supplierId: string;
  currency: string;
  deliveryLocationId: string | null;
  expectedAt: string | null;
  taxAmount: number;
  notes: string;
}

export class PurchaseOrderService {
  private readonly rates: ExchangeRates;
  private readonly siteCurrency: string;

  constructor(
    private readonly context: ErpContext,
    private readonly items: ItemLookup,
    private readonly suppliers: SupplierService,
    private readonly requisitions: RequisitionService,
  ) {
    this.siteCurrency = context.settings?.siteCurrency ?? "USD";
    this.rates = parseExchangeRates(context.settings?.exchangeRates ?? "");
  }

  // --- reading ------------------------------------------------------------------------

  async get(id: string, tx: Queryable = this.context.db, lock = false): Promise<PurchaseOrder> {
    const { rows } = await tx.query<OrderRow>(`${ORDER_SELECT} WHERE id = $1 AND site_id = $2${lock ? " FOR UPDATE" : ""}`, [id, this.context.siteId]);
    if (!rows[0]) throw notFound("purchase order", id);
    return toOrder(rows[0]);
  }

  async lines(id: string, tx: Queryable = this.context.db): Promise<PurchaseOrderLine[]> {
    const { rows } = await tx.query<LineRow>(`${LINE_SELECT} WHERE purchase_order_id = $1 ORDER BY line_number`, [id]);
    return rows.map(toLine);
  }

  async detail(id: string): Promise<PurchaseOrderDetail> {
    const order = await this.get(id);
    const [supplier, lines] = await Promise.all([this.suppliers.get(order.supplierId), this.lines(id)]);
    return { ...order, supplier, lines, nextStatuses: [...nextActions(order.status)] };
  }

  async list(raw: unknown): Promise<PurchaseOrder[]> {
    const query = parseInput(PurchaseOrderListQuerySchema, raw ?? {});
    const { rows } = await this.context.db.query<OrderRow>(
      `${ORDER_SELECT} WHERE site_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR supplier_id = $3) ORDER BY created_at DESC, id LIMIT $4`,
      [this.context.siteId, query.status ?? null, query.supplierId ?? null, query.limit],
    );
    return rows.map(toOrder);
  }

  // --- making orders -----------------------------------------------------------------------

  /** An order typed by a buyer; a line without a unit price takes the supplier's valid price for the item. */
  async create(raw: unknown, actor: string): Promise<PurchaseOrderDetail> {
    const input = parseInput(PurchaseOrderInputSchema, raw);
    const supplier = await this.activeSupplier(input.supplierId, "supplierId");
    const currency = input.currency ?? supplier.currency;
    const lines = await this.planLines(supplier, currency, input.lines);
    const header: OrderHeader = {
      supplierId: supplier.id,
      currency,
      deliveryLocationId: input.deliveryLocationId ?? null,
      expectedAt: input.expectedAt ?? null,
      taxAmount: input.taxAmount,
      notes: input.notes,
    };
    const id = await this.context.db.transaction((tx) => this.insertOrder(tx, header, lines, actor));
    return this.detail(id);
  }

  /** Drafts from open requisition lines: one per supplier (and currency), each line at its item's preferred valid price. */
  async createFromRequisitions(raw: unknown, actor: string): Promise<PurchaseOrderDetail[]> {
    const input = parseInput(PurchaseOrdersFromRequisitionsSchema, raw);
    const day = today();
    // Items are inventory's, read through its service before this module's transaction (a single-connection database would wait on itself).
    const items = new Map<string, Awaited<ReturnType<ItemLookup["getItem"]>>>();
    for (const [index, lineId] of input.requisitionLineIds.entries()) {
      const line = await this.openRequisitionLine(this.context.db, lineId, `requisitionLineIds/${index}`, false);
      if (!items.has(line.itemId)) items.set(line.itemId, await this.items.getItem(line.itemId));
    }
    const ids = await this.context.db.transaction(async (tx) => {
      const priced = [];
      for (const [index, lineId] of input.requisitionLineIds.entries()) {
        const field = `requisitionLineIds/${index}`;
        const line = await this.openRequisitionLine(tx, lineId, field);
        const item = items.get(line.itemId);
        if (!item) throw new Error(`requisition line ${line.id} changed its item`);
        const price = await this.suppliers.findPrice(line.itemId, day, undefined, tx);
        if (!price) throw serviceError("conflict", field, "no_price", { item: item.code });
        const planned: PlannedLine = {
          itemId: line.itemId,
          description: item.name,
          supplierPartNumber: price.supplierPartNumber,
          quantity: Math.max(line.quantity, price.minOrderQuantity),
          unit: line.unit,
          unitPrice: price.unitPrice,
          neededBy: line.neededBy,
          requisitionLineId: line.id,
        };
        priced.push({ line: { planned, locationId: line.locationId }, supplierId: price.supplierId, currency: price.currency });
      }
      const created: string[] = [];
      for (const group of groupBySupplier(priced)) {
        const delivery = input.deliveryLocationId ?? group.lines.find((line) => line.locationId !== null)?.locationId ?? null;
        const header: OrderHeader = { supplierId: group.supplierId, currency: group.currency, deliveryLocationId: delivery, expectedAt: null, taxAmount: 0, notes: "" };
        created.push(
          await this.insertOrder(
            tx,
            header,
            group.lines.map((line) => line.planned),
            actor,
          ),
        );
      }
      return created;
    });
    return Promise.all(ids.map((id) => this.detail(id)));
  }

  /** Changes a draft or rejected order; new lines replace the old ones (their requisition lines are given back). */
  async update(id: string, raw: unknown, actor: string): Promise<PurchaseOrderDetail> {
    const input = parseInput(PurchaseOrderUpdateSchema, raw);
    const current = await this.get(id);
    const supplier = await this.suppliers.get(current.supplierId);
    const planned = input.lines ? await this.planLines(supplier, current.currency, input.lines) : undefined;
    await this.context.db.transaction(async (tx) => {
      const before = await this.get(id, tx, true);
      checkRowVersion(`purchase order ${before.number}`, before.rowVersion, input.rowVersion);
      if (!isEditable(before.status)) throw serviceError("invalid_state", "status", "not_editable", { status: before.status });
      const beforeLines = await this.lines(id, tx);
      let lines = beforeLines.map((line) => ({ quantity: line.quantity, unitPrice: line.unitPrice }));
      if (planned) {
        for (const line of beforeLines) if (line.requisitionLineId) await this.requisitions.setLine(tx, line.requisitionLineId, "open", null, actor);
        await tx.query("DELETE FROM procurement_purchase_order_lines WHERE purchase_order_id = $1", [id]);
        await this.insertLines(tx, id, planned, actor);
        lines = planned;
      }
      const totals = orderTotals(lines, input.taxAmount ?? before.taxAmount);
      await tx.query(
        `UPDATE procurement_purchase_orders SET delivery_location_id = $2, expected_at = $3, notes = $4, subtotal_amount = $5, tax_amount = $6, total_amount = $7,
           updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [
          id,
          input.deliveryLocationId === undefined ? before.deliveryLocationId : input.deliveryLocationId,
          input.expectedAt === undefined ? before.expectedAt : input.expectedAt,
          input.notes ?? before.notes,
          totals.subtotalAmount,
          totals.taxAmount,
          totals.totalAmount,
        ],
      );
      const after = await this.get(id, tx);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "procurement.purchase_order.update",
        entityType: "purchase_order",
        entityId: id,
        operation: "update",
        rowVersion: after.rowVersion,
        before: { ...before, lines: beforeLines },
        after: { ...after, lines: await this.lines(id, tx) },
      });
    });
    return this.detail(id);
  }

  private async activeSupplier(id: string, field: string): Promise<Supplier> {
    const supplier = await this.suppliers.get(id).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === "not_found") throw invalidInput(field, "unknown_supplier", { value: id });
      throw error;
    });
    if (!supplier.active) throw serviceError("conflict", field, "supplier_inactive", { supplier: supplier.code });
    return supplier;
  }

  private async openRequisitionLine(tx: Queryable, id: string, field: string, lock = true): Promise<RequisitionLine> {
    const line = await this.requisitions.line(id, tx, lock).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === "not_found") throw invalidInput(field, "unknown_requisition_line", { value: id });
      throw error;
    });
    if (line.status !== "open") throw serviceError("invalid_state", field, "requisition_line_not_open", { status: line.status });
    return line;
  }

  /** Prices and checks typed lines against the supplier (outside the write transaction: reads only). */
  private async planLines(supplier: Supplier, currency: string, inputs: readonly PurchaseOrderLineInput[]): Promise<PlannedLine[]> {
    const day = today();
    const planned: PlannedLine[] = [];
    for (const [index, input] of inputs.entries()) {
      const item = await this.items.getItem(input.itemId).catch((error: unknown) => {
        if (error instanceof ServiceError && error.code === "not_found") throw invalidInput(`lines/${index}/itemId`, "unknown_item", { value: input.itemId });
        throw error;
      });
      const price = await this.suppliers.findPrice(item.id, day, supplier.id);
      let unitPrice = input.unitPrice;
      if (unitPrice === undefined) {
        if (!price || price.currency !== currency) throw serviceError("conflict", `lines/${index}/unitPrice`, "no_price", { item: item.code });
        unitPrice = price.unitPrice;
      }
      planned.push({
        itemId: item.id,
        description: input.description || item.name,
        supplierPartNumber: price?.supplierPartNumber ?? "",
        quantity: input.quantity,
        unit: item.baseUnit,
        unitPrice,
        neededBy: input.neededBy ?? null,
        requisitionLineId: input.requisitionLineId ?? null,
      });
    }
    return planned;
  }

  private async insertOrder(tx: Queryable, header: OrderHeader, lines: readonly PlannedLine[], actor: string): Promise<string> {
    const id = newId();
    const sequence = await tx.query<{ value: string }>("SELECT nextval('procurement_purchase_order_number_seq')::text AS value");
    const number = `PO-${String(sequence.rows[0]?.value ?? "0").padStart(6, "0")}`;
    const totals = orderTotals(lines, header.taxAmount);
    await tx.query(
      `INSERT INTO procurement_purchase_orders (id, site_id, number, supplier_id, currency, subtotal_amount, tax_amount, total_amount, delivery_location_id, expected_at, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, this.context.siteId, number, header.supplierId, header.currency, totals.subtotalAmount, totals.taxAmount, totals.totalAmount, header.deliveryLocationId, header.expectedAt, header.notes, actor],
    );
    await this.insertLines(tx, id, lines, actor);
    const after = { ...(await this.get(id, tx)), lines: await this.lines(id, tx) };
    await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.purchase_order.create", entityType: "purchase_order", entityId: id, operation: "insert", rowVersion: 1, after });
    return id;
  }

  private async insertLines(tx: Queryable, orderId: string, lines: readonly PlannedLine[], actor: string): Promise<void> {
    for (const [index, line] of lines.entries()) {
      const lineId = newId();
      if (line.requisitionLineId) {
        const field = `lines/${index}/requisitionLineId`;
        const requisitionLine = await this.openRequisitionLine(tx, line.requisitionLineId, field);
        if (requisitionLine.itemId !== line.itemId) throw invalidInput(field, "requisition_item_mismatch", { item: requisitionLine.itemId });
      }
      await tx.query(
        `INSERT INTO procurement_purchase_order_lines (id, site_id, purchase_order_id, line_number, item_id, description, supplier_part_number, quantity, unit, unit_price, line_total, needed_by, requisition_line_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          lineId,
          this.context.siteId,
          orderId,
          index + 1,
          line.itemId,
          line.description,
          line.supplierPartNumber,
          line.quantity,
          line.unit,
          line.unitPrice,
          lineTotal(line.quantity, line.unitPrice),
          line.neededBy,
          line.requisitionLineId,
        ],
      );
      if (line.requisitionLineId) await this.requisitions.setLine(tx, line.requisitionLineId, "ordered", lineId, actor);
    }
  }

  // --- moving orders --------------------------------------------------------------------------

  /** A buyer's move: submit for approval, mark sent to the supplier, close, cancel. */
  async transition(id: string, raw: unknown, actor: string): Promise<PurchaseOrder> {
    const input = parseInput(PurchaseOrderTransitionSchema, raw);
    return this.move(id, input.rowVersion, input.to, actor, async (tx, before) => {
      switch (input.to) {
        case "submitted":
          return { sql: "submitted_by = $2, submitted_at = now(), rejected_by = NULL, rejected_at = NULL, rejection_reason = NULL", values: [actor] };
        case "sent":
          return { sql: "sent_by = $2, sent_at = now()", values: [actor] };
        case "closed":
          for (const line of await this.lines(id, tx)) await this.requisitions.markFulfilled(tx, line.id, actor);
          return { sql: "closed_at = now()", values: [] };
        case "cancelled":
          // The demand is still there: its requisition lines go back to open, for another order.
          for (const line of await this.lines(id, tx)) if (line.requisitionLineId) await this.requisitions.setLine(tx, line.requisitionLineId, "open", null, actor);
          return { sql: "cancelled_by = $2, cancelled_at = now(), cancel_reason = $3", values: [actor, input.reason ?? before.cancelReason] };
      }
    });
  }

  /**
   * Approves a submitted order: refused (403) to whoever created or submitted
   * it, and above the approver's limit in the site currency; 409 when the
   * order's currency has no exchange rate to the site currency.
   */
  async approve(id: string, raw: unknown, approver: Approver): Promise<PurchaseOrder> {
    const input = parseInput(PurchaseOrderApproveSchema, raw);
    return this.move(id, input.rowVersion, "approved", approver.username, (_tx, before) => {
      const decision = decideApproval({
        approver: approver.username,
        limit: approvalLimitOf(approver),
        createdBy: before.createdBy,
        submittedBy: before.submittedBy,
        totalAmount: before.totalAmount,
        currency: before.currency,
        siteCurrency: this.siteCurrency,
        rates: this.rates,
      });
      if (!decision.approved) {
        const code = decision.reason === "no_exchange_rate" ? "conflict" : "forbidden";
        throw serviceError(code, decision.reason === "no_exchange_rate" ? "currency" : "totalAmount", decision.reason, decision.params);
      }
      return Promise.resolve({ sql: "approved_by = $2, approved_at = now(), approved_site_total = $3", values: [approver.username, decision.siteTotal] });
    });
  }

  /** Sends a submitted order back to its buyer with a reason; they may edit and submit it again. */
  async reject(id: string, raw: unknown, approver: Approver): Promise<PurchaseOrder> {
    const input = parseInput(PurchaseOrderRejectSchema, raw);
    return this.move(id, input.rowVersion, "rejected", approver.username, () =>
      Promise.resolve({ sql: "rejected_by = $2, rejected_at = now(), rejection_reason = $3", values: [approver.username, input.reason] }),
    );
  }

  private async move(
    id: string,
    rowVersion: number,
    to: PurchaseOrderAction,
    actor: string,
    apply: (tx: Queryable, before: PurchaseOrder) => Promise<{ sql: string; values: (string | number | null)[] }>,
  ): Promise<PurchaseOrder> {
    const moved = await this.context.db.transaction(async (tx) => {
      const before = await this.get(id, tx, true);
      checkRowVersion(`purchase order ${before.number}`, before.rowVersion, rowVersion);
      if (!mayMove(before.status, to)) throw serviceError("invalid_state", "to", "transition_not_allowed", { from: before.status, to });
      const { sql, values } = await apply(tx, before);
      await tx.query(`UPDATE procurement_purchase_orders SET status = $${values.length + 2}, ${sql}, updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [id, ...values, to]);
      const after = await this.get(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: `procurement.purchase_order.${to}`, entityType: "purchase_order", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return { before, after };
    });
    this.context.events.emit("procurement.purchase_order.status_changed", { id, number: moved.after.number, from: moved.before.status, status: moved.after.status });
    return moved.after;
  }

  // --- receiving and invoicing (the receiving side calls these in its own transaction) -------------------

  /**
   * Adds `quantity` (negative for a reversal) to a line's received quantity
   * in the caller's transaction, with audit and outbox rows, and moves the
   * order between sent, partially_received and received. A fully received
   * line's requisition demand is fulfilled. Refused (409) unless the order
   * is sent or being received; the received quantity never goes below zero.
   */
  async recordReceived(purchaseOrderLineId: string, quantity: number, actor: string, tx: Queryable): Promise<LineProgressResult> {
    return this.recordProgress(purchaseOrderLineId, quantity, actor, tx, "received");
  }

  /** Adds `quantity` (negative for a credit note) to a line's invoiced quantity; the order may be sent, being received, received or closed. */
  async recordInvoiced(purchaseOrderLineId: string, quantity: number, actor: string, tx: Queryable): Promise<LineProgressResult> {
    return this.recordProgress(purchaseOrderLineId, quantity, actor, tx, "invoiced");
  }

  private async recordProgress(lineId: string, quantity: number, actor: string, tx: Queryable, kind: "received" | "invoiced"): Promise<LineProgressResult> {
    if (!Number.isFinite(quantity) || quantity === 0) throw invalidInput("quantity", "must_not_be_zero");
    const owner = await tx.query<{ purchase_order_id: string }>("SELECT purchase_order_id FROM procurement_purchase_order_lines WHERE id = $1 AND site_id = $2", [lineId, this.context.siteId]);
    const orderId = owner.rows[0]?.purchase_order_id;
    if (!orderId) throw notFound("purchase order line", lineId);
    const orderBefore = await this.get(orderId, tx, true);
    const allowed = kind === "received" ? acceptsReceipts(orderBefore.status) : acceptsReceipts(orderBefore.status) || orderBefore.status === "closed";
    if (!allowed) throw serviceError("invalid_state", "purchaseOrderLineId", "order_not_sent", { status: orderBefore.status });
    const lineBefore = (await this.lines(orderId, tx)).find((line) => line.id === lineId);
    if (!lineBefore) throw notFound("purchase order line", lineId);
    const column = kind === "received" ? "received_quantity" : "invoiced_quantity";
    const current = kind === "received" ? lineBefore.receivedQuantity : lineBefore.invoicedQuantity;
    const next = Math.round((current + quantity) * 1e9) / 1e9;
    if (next < 0) throw invalidInput("quantity", "below_minimum", { limit: -current });
    await tx.query(`UPDATE procurement_purchase_order_lines SET ${column} = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [lineId, next]);
    const lines = await this.lines(orderId, tx);
    const line = lines.find((candidate) => candidate.id === lineId) ?? lineBefore;
    let order = orderBefore;
    if (kind === "received") {
      if (line.receivedQuantity >= line.quantity) await this.requisitions.markFulfilled(tx, line.id, actor);
      const status = statusAfterReceipt(lines);
      if (status !== orderBefore.status) {
        await tx.query("UPDATE procurement_purchase_orders SET status = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1", [orderId, status]);
        order = await this.get(orderId, tx);
      }
    }
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: `procurement.purchase_order_line.${kind}`,
      entityType: "purchase_order_line",
      entityId: lineId,
      operation: "update",
      rowVersion: line.rowVersion,
      before: lineBefore,
      after: line,
      details: { purchaseOrderId: orderId, quantity, ...(order.status === orderBefore.status ? {} : { orderStatusBefore: orderBefore.status, orderStatusAfter: order.status }) },
    });
    if (order.status !== orderBefore.status) {
      this.context.events.emit("procurement.purchase_order.status_changed", { id: orderId, number: order.number, from: orderBefore.status, status: order.status });
    }
    return { line, order };
  }
}
