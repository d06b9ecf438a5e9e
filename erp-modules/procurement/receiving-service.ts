import type { Database, Queryable } from "../../runtime/db/database.js";
import { joinedWork, unitOfWork } from "../../runtime/db/unit-of-work.js";
import { newId } from "../../runtime/ids.js";
import { SettingsSchema, type Settings } from "../../settings.js";
import type { InventoryPort } from "../inventory/inventory-port.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import { parseExchangeRates, type ExchangeRates } from "./model/approval.js";
import { acceptsReceipts } from "./model/purchase-order-state.js";
import { checkReceipt, fullyReceivedAndInvoiced, receiptState, receivableLimit, unitCostInItemCurrency } from "./model/receipt-rules.js";
import { matchInvoice, type MatchException, type MatchTolerances } from "./model/three-way-match.js";
import { roundCents } from "./model/totals.js";
import type { PurchaseOrderService } from "./purchase-order-service.js";
import {
  CloseShortSchema,
  GoodsReceiptActionSchema,
  GoodsReceiptInputSchema,
  GoodsReceiptListQuerySchema,
  GoodsReceiptReturnSchema,
  SupplierInvoiceAcceptSchema,
  SupplierInvoiceActionSchema,
  SupplierInvoiceInputSchema,
  SupplierInvoiceListQuerySchema,
  type GoodsReceipt,
  type GoodsReceiptStatus,
  type ReceivingLine,
  type SupplierInvoice,
  type SupplierInvoiceStatus,
} from "./receiving-schema.js";
import type { RequisitionService } from "./requisition-service.js";
import type { PurchaseOrder, PurchaseOrderStatus } from "./schema.js";
import type { ItemLookup } from "./supplier-service.js";
import { checkRowVersion, isUniqueViolation, iso, MODULE, notFound, parseInput } from "./support.js";

/*
 * Goods receipts, supplier invoices and the three-way match
 * (docs/erp-procurement-receiving.md).
 *
 * Posting a receipt is one transaction: the receipt, the order lines'
 * received quantities, the order's status and the inventory receipts (stock
 * and moving-average cost), each with its audit and outbox rows. Inventory
 * takes part through its port: the work runs as a unit of work
 * (runtime/db/unit-of-work.ts) that inventory's own transactions join as
 * savepoints, so a receipt is never posted without its stock, nor stock
 * received for a receipt that rolled back. Every order-changing write locks
 * the order row first, so receipts, invoices and short closes of one order
 * are serialized and the over-receipt and match checks cannot race.
 */

/** Runs `work` in the caller's unit of work (a keyed request) as a savepoint, else as a unit of work of its own. */
function inOneTransaction<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return joinedWork(db) ? db.transaction(work) : unitOfWork(db, work);
}

const DEFAULTS = SettingsSchema.properties;

function fallback<K extends keyof Settings>(key: K): Settings[K] {
  return (DEFAULTS[key] as { default: Settings[K] }).default;
}

export interface ReceivingSettings {
  overReceiptPercent: number;
  quantityTolerancePercent: number;
  priceTolerancePercent: number;
  /** In the site currency; undefined: no absolute limit. */
  priceToleranceAmount: number | undefined;
  siteCurrency: string;
  rates: ExchangeRates;
}

/** The receiving settings, with settings.ts defaults where the context has none. */
export function receivingSettings(context: Pick<ErpContext, "settings">): ReceivingSettings {
  const settings = context.settings ?? {};
  return {
    overReceiptPercent: settings.procurementOverReceiptPercent ?? fallback("procurementOverReceiptPercent"),
    quantityTolerancePercent: settings.procurementQuantityTolerancePercent ?? fallback("procurementQuantityTolerancePercent"),
    priceTolerancePercent: settings.procurementPriceTolerancePercent ?? fallback("procurementPriceTolerancePercent"),
    priceToleranceAmount: settings.procurementPriceToleranceAmount,
    siteCurrency: settings.siteCurrency ?? fallback("siteCurrency"),
    rates: parseExchangeRates(settings.exchangeRates ?? ""),
  };
}

/** What receiving needs of inventory: the port receipts post through, and items and locations to check. */
export type ReceivingInventory = InventoryPort & ItemLookup;

interface OrderLineRow {
  id: string;
  purchase_order_id: string;
  line_number: number;
  item_id: string;
  quantity: string;
  unit_price: string;
  received_quantity: string;
  invoiced_quantity: string;
  closed_short_at: Date | null;
  closed_short_by: string | null;
  close_short_reason: string | null;
  row_version: number;
}

const ORDER_LINE_SELECT = `SELECT id, purchase_order_id, line_number, item_id, quantity, unit_price, received_quantity, invoiced_quantity,
  closed_short_at, closed_short_by, close_short_reason, row_version FROM procurement_purchase_order_lines`;

interface ReceiptRow {
  id: string;
  number: string;
  purchase_order_id: string;
  purchase_order_number: string;
  status: GoodsReceiptStatus;
  received_at: Date;
  delivery_note: string;
  notes: string;
  created_at: Date;
  created_by: string;
  posted_at: Date | null;
  posted_by: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  returned_at: Date | null;
  returned_by: string | null;
  return_reason: string | null;
  row_version: number;
}

interface ReceiptLineRow {
  id: string;
  line_number: number;
  purchase_order_line_id: string;
  item_id: string;
  location_id: string;
  lot: string;
  quantity: string;
  unit_cost: string | null;
  currency: string | null;
  stock_move_id: string | null;
}

const RECEIPT_SELECT = `SELECT r.id, r.number, r.purchase_order_id, o.number AS purchase_order_number, r.status, r.received_at, r.delivery_note, r.notes,
  r.created_at, r.created_by, r.posted_at, r.posted_by, r.cancelled_at, r.cancelled_by, r.returned_at, r.returned_by, r.return_reason, r.row_version
  FROM procurement_goods_receipts r JOIN procurement_purchase_orders o ON o.id = r.purchase_order_id`;

interface InvoiceRow {
  id: string;
  supplier_id: string;
  purchase_order_id: string;
  purchase_order_number: string;
  invoice_number: string;
  invoice_date: string;
  due_date: string | null;
  currency: string;
  lines_amount: string;
  charges_amount: string;
  total_amount: string;
  status: SupplierInvoiceStatus;
  tolerances: MatchTolerances | null;
  notes: string;
  created_at: Date;
  created_by: string;
  posted_at: Date | null;
  posted_by: string | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  accept_reason: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  row_version: number;
}

interface InvoiceLineRow {
  id: string;
  line_number: number;
  purchase_order_line_id: string;
  item_id: string;
  quantity: string;
  unit_price: string;
  amount: string;
  description: string;
  match_status: "matched" | "exception" | null;
  exceptions: MatchException[];
  order_unit_price: string | null;
  price_variance_amount: string | null;
}

const INVOICE_SELECT = `SELECT i.id, i.supplier_id, i.purchase_order_id, o.number AS purchase_order_number, i.invoice_number, i.invoice_date::text AS invoice_date,
  i.due_date::text AS due_date, i.currency, i.lines_amount, i.charges_amount, i.total_amount, i.status, i.tolerances, i.notes, i.created_at, i.created_by,
  i.posted_at, i.posted_by, i.accepted_at, i.accepted_by, i.accept_reason, i.cancelled_at, i.cancelled_by, i.row_version
  FROM procurement_supplier_invoices i JOIN procurement_purchase_orders o ON o.id = i.purchase_order_id`;

/** Goods are invoiced on orders the supplier has, and still after the order closed (a late invoice). */
function acceptsInvoices(status: PurchaseOrderStatus): boolean {
  return acceptsReceipts(status) || status === "closed";
}

/** Inventory's field names on a receipt, as they are on the goods receipt's line. */
const INVENTORY_FIELDS: Readonly<Record<string, string>> = { lot: "lot", toLocationId: "locationId", quantity: "quantity", itemId: "purchaseOrderLineId", currency: "purchaseOrderLineId" };

export class ReceivingService {
  constructor(
    private readonly context: ErpContext,
    private readonly inventory: ReceivingInventory,
    private readonly orders: PurchaseOrderService,
    private readonly requisitions: RequisitionService,
  ) {}

  /** Read on every use: the settings are the context's, which a test (or a future settings screen) may change. */
  private get settings(): ReceivingSettings {
    return receivingSettings(this.context);
  }

  // --- order lines as receiving sees them -----------------------------------------------------------

  /** The order's lines with what each may still receive and whether it was closed short. */
  async receivingLines(purchaseOrderId: string, tx: Queryable = this.context.db): Promise<ReceivingLine[]> {
    await this.orders.get(purchaseOrderId, tx);
    return (await this.orderLineRows(tx, purchaseOrderId)).map((row) => this.toReceivingLine(row));
  }

  /** Closes a line short: what is missing will not come. It takes no more receipts, and counts as complete for the order. */
  async closeShort(purchaseOrderId: string, purchaseOrderLineId: string, raw: unknown, actor: string): Promise<ReceivingLine> {
    const input = parseInput(CloseShortSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const order = await this.orders.get(purchaseOrderId, tx, true);
      const orderId = order.id;
      if (!acceptsReceipts(order.status)) throw serviceError("invalid_state", "purchaseOrderLineId", "order_not_sent", { status: order.status });
      const rows = await this.orderLineRows(tx, orderId);
      const row = rows.find((candidate) => candidate.id === purchaseOrderLineId);
      if (!row) throw notFound("purchase order line", purchaseOrderLineId);
      const before = this.toReceivingLine(row);
      checkRowVersion(`purchase order line ${order.number}/${before.lineNumber}`, before.rowVersion, input.rowVersion);
      if (before.closedShortAt !== null) throw serviceError("invalid_state", "purchaseOrderLineId", "line_closed_short", { line: before.lineNumber });
      if (before.receivedQuantity >= before.quantity) throw serviceError("invalid_state", "purchaseOrderLineId", "line_complete", { line: before.lineNumber });
      await tx.query(
        `UPDATE procurement_purchase_order_lines SET closed_short_at = now(), closed_short_by = $2, close_short_reason = $3, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [purchaseOrderLineId, actor, input.reason],
      );
      const after = this.toReceivingLine((await this.orderLineRows(tx, orderId)).find((candidate) => candidate.id === purchaseOrderLineId) ?? row);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "procurement.purchase_order_line.closed_short",
        entityType: "purchase_order_line",
        entityId: purchaseOrderLineId,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
        details: { purchaseOrderId: orderId, reason: input.reason, missingQuantity: Math.max(0, before.quantity - before.receivedQuantity) },
      });
      // The demand the line carried will not be met by this order: an automatic source may raise it again.
      await this.requisitions.markFulfilled(tx, purchaseOrderLineId, actor);
      await this.settleOrder(tx, order, actor);
      return after;
    });
  }

  // --- goods receipts ----------------------------------------------------------------------------

  /** A receipt against a sent (or partly received) order: a draft, or posted at once with `post`. */
  async createReceipt(raw: unknown, actor: string): Promise<GoodsReceipt> {
    const input = parseInput(GoodsReceiptInputSchema, raw);
    const id = newId();
    return inOneTransaction(this.context.db, async (tx) => {
      const order = await this.orders.get(input.purchaseOrderId, tx, true);
      if (!acceptsReceipts(order.status)) throw serviceError("invalid_state", "purchaseOrderId", "order_not_sent", { status: order.status });
      const orderLines = await this.orderLineRows(tx, order.id);
      const locations = new Set((await this.inventory.listLocations()).map((location) => location.id));
      const lines = input.lines.map((line, index) => {
        const orderLine = orderLines.find((candidate) => candidate.id === line.purchaseOrderLineId);
        if (!orderLine) throw invalidInput(`lines/${index}/purchaseOrderLineId`, "not_on_order", { order: order.number });
        const locationId = line.locationId ?? order.deliveryLocationId;
        if (locationId === null) throw invalidInput(`lines/${index}/locationId`, "required");
        if (!locations.has(locationId)) throw serviceError("not_found", `lines/${index}/locationId`, "invalid", undefined, `location ${locationId} not found`);
        return { ...line, orderLine, locationId };
      });
      this.checkReceivable(orderLines, lines, order);
      const sequence = await tx.query<{ value: string }>("SELECT nextval('procurement_goods_receipt_number_seq')::text AS value");
      const number = `GR-${String(sequence.rows[0]?.value ?? "0").padStart(6, "0")}`;
      await tx.query(
        `INSERT INTO procurement_goods_receipts (id, site_id, number, purchase_order_id, received_at, delivery_note, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, this.context.siteId, number, order.id, input.receivedAt ?? new Date().toISOString(), input.deliveryNote, input.notes, actor],
      );
      let lineNumber = 0;
      for (const line of lines) {
        await tx.query(
          `INSERT INTO procurement_goods_receipt_lines (id, site_id, receipt_id, line_number, purchase_order_line_id, item_id, location_id, lot, quantity)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [newId(), this.context.siteId, id, ++lineNumber, line.orderLine.id, line.orderLine.item_id, line.locationId, line.lot ?? "", line.quantity],
        );
      }
      const draft = await this.receipt(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.goods_receipt.create", entityType: "goods_receipt", entityId: id, operation: "insert", rowVersion: 1, after: draft });
      if (!input.post) return draft;
      return this.postLockedReceipt(tx, draft, order, actor);
    });
  }

  /**
   * Posts a draft: stock in at each order line's price (inventory receipts,
   * which update the moving average), the order lines' received quantities
   * and the order's status, all in one transaction. A receipt already
   * posted (or a second request racing the first) is 409 invalid_state.
   */
  async postReceipt(id: string, raw: unknown, actor: string): Promise<GoodsReceipt> {
    const input = parseInput(GoodsReceiptActionSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const receipt = await this.lockedDraftReceipt(tx, id, input.rowVersion, "posted");
      const order = await this.orders.get(receipt.purchaseOrderId, tx, true);
      return this.postLockedReceipt(tx, receipt, order, actor);
    });
  }

  /** Cancels a draft (a posted receipt stays: its stock has moved). */
  async cancelReceipt(id: string, raw: unknown, actor: string): Promise<GoodsReceipt> {
    const input = parseInput(GoodsReceiptActionSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const before = await this.lockedDraftReceipt(tx, id, input.rowVersion, "cancelled");
      await tx.query(`UPDATE procurement_goods_receipts SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [id, actor]);
      const after = await this.receipt(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.goods_receipt.cancel", entityType: "goods_receipt", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  /**
   * Returns a posted receipt to the supplier, all of it, with a reason: each
   * stock move is reversed (its value leaves the moving average), the order
   * lines' received quantities go back down and the order's status follows,
   * in one transaction. Refused (409) when stock has since been issued
   * (inventory's insufficient_stock) or when a line would end up with less
   * received than already invoiced (a credit note comes first).
   */
  async returnReceipt(id: string, raw: unknown, actor: string): Promise<GoodsReceipt> {
    const input = parseInput(GoodsReceiptReturnSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const locked = await tx.query<{ id: string }>("SELECT id FROM procurement_goods_receipts WHERE id = $1 AND site_id = $2 FOR UPDATE", [id, this.context.siteId]);
      if (!locked.rows[0]) throw notFound("goods receipt", id);
      const before = await this.receipt(id, tx);
      if (before.status !== "posted") throw serviceError("invalid_state", "status", "transition_not_allowed", { from: before.status, to: "returned" });
      checkRowVersion(`goods receipt ${before.number}`, before.rowVersion, input.rowVersion);
      const order = await this.orders.get(before.purchaseOrderId, tx, true);
      if (!acceptsReceipts(order.status)) throw serviceError("invalid_state", "purchaseOrderId", "order_not_sent", { status: order.status });
      const orderLines = new Map((await this.orderLineRows(tx, order.id)).map((row) => [row.id, row]));
      const receivedAfter = new Map([...orderLines.values()].map((row) => [row.id, fromNumeric(row.received_quantity)]));
      before.lines.forEach((line, index) => {
        const row = orderLines.get(line.purchaseOrderLineId);
        if (!row) throw notFound("purchase order line", line.purchaseOrderLineId);
        const after = Math.round(((receivedAfter.get(row.id) ?? 0) - line.quantity) * 1e9) / 1e9;
        receivedAfter.set(row.id, after);
        const invoiced = fromNumeric(row.invoiced_quantity);
        if (after < invoiced) throw serviceError("conflict", `lines/${index}/quantity`, "invoiced_beyond_return", { line: row.line_number, receivedAfter: after, invoiced });
      });
      for (const [index, line] of before.lines.entries()) {
        if (line.stockMoveId === null) throw new Error(`posted receipt line ${line.id} has no stock move`);
        await this.inventory
          .reverse(line.stockMoveId, { notes: `${before.number} returned: ${input.reason}`.slice(0, 2000), sourceKey: `procurement-receipt-return:${line.id}` }, actor)
          .catch((error: unknown) => {
            throw onReceiptLine(error, index);
          });
        await this.orders.recordReceived(line.purchaseOrderLineId, -line.quantity, actor, tx);
      }
      await tx.query(
        `UPDATE procurement_goods_receipts SET status = 'returned', returned_at = now(), returned_by = $2, return_reason = $3, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [id, actor, input.reason],
      );
      const after = await this.receipt(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.goods_receipt.return", entityType: "goods_receipt", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after, details: { reason: input.reason } });
      await this.settleOrder(tx, await this.orders.get(order.id, tx), actor);
      this.context.events.emit("procurement.goods_receipt.returned", { id, number: after.number, purchaseOrderId: order.id, purchaseOrderNumber: order.number });
      return after;
    });
  }

  async receipt(id: string, tx: Queryable = this.context.db): Promise<GoodsReceipt> {
    const { rows } = await tx.query<ReceiptRow>(`${RECEIPT_SELECT} WHERE r.id = $1 AND r.site_id = $2`, [id, this.context.siteId]);
    if (!rows[0]) throw notFound("goods receipt", id);
    const lines = await tx.query<ReceiptLineRow>(
      `SELECT id, line_number, purchase_order_line_id, item_id, location_id, lot, quantity, unit_cost, currency, stock_move_id
       FROM procurement_goods_receipt_lines WHERE receipt_id = $1 ORDER BY line_number`,
      [id],
    );
    return toReceipt(rows[0], lines.rows);
  }

  async listReceipts(raw: unknown): Promise<GoodsReceipt[]> {
    const query = parseInput(GoodsReceiptListQuerySchema, raw);
    const { rows } = await this.context.db.query<{ id: string }>(
      `SELECT id FROM procurement_goods_receipts WHERE site_id = $1 AND ($2::uuid IS NULL OR purchase_order_id = $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY created_at DESC, number DESC LIMIT $4`,
      [this.context.siteId, query.purchaseOrderId ?? null, query.status ?? null, query.limit],
    );
    const receipts: GoodsReceipt[] = [];
    for (const row of rows) receipts.push(await this.receipt(row.id));
    return receipts;
  }

  // --- supplier invoices --------------------------------------------------------------------------

  /** An invoice of the order's supplier: a draft, or posted (and matched) at once with `post`. */
  async createInvoice(raw: unknown, actor: string): Promise<SupplierInvoice> {
    const input = parseInput(SupplierInvoiceInputSchema, raw);
    const id = newId();
    try {
      return await inOneTransaction(this.context.db, async (tx) => {
        const order = await this.orders.get(input.purchaseOrderId, tx, true);
        if (!acceptsInvoices(order.status)) throw serviceError("invalid_state", "purchaseOrderId", "order_not_sent", { status: order.status });
        if (input.currency !== order.currency) throw invalidInput("currency", "invoice_currency_mismatch", { currency: input.currency, expected: order.currency });
        const orderLines = await this.orderLineRows(tx, order.id);
        input.lines.forEach((line, index) => {
          if (!orderLines.some((candidate) => candidate.id === line.purchaseOrderLineId)) throw invalidInput(`lines/${index}/purchaseOrderLineId`, "not_on_order", { order: order.number });
          const expected = roundCents(line.quantity * line.unitPrice);
          if (Math.abs(line.amount - expected) > 0.005) throw invalidInput(`lines/${index}/amount`, "amount_mismatch", { expected });
        });
        const linesAmount = roundCents(input.lines.reduce((sum, line) => sum + line.amount, 0));
        const chargesAmount = roundCents(input.charges.reduce((sum, charge) => sum + charge.amount, 0));
        const expectedTotal = roundCents(linesAmount + chargesAmount);
        if (Math.abs(input.totalAmount - expectedTotal) > 0.005) throw invalidInput("totalAmount", "total_mismatch", { expected: expectedTotal, stated: input.totalAmount });
        const duplicate = await tx.query<{ id: string }>(
          `SELECT id FROM procurement_supplier_invoices WHERE site_id = $1 AND supplier_id = $2 AND upper(btrim(invoice_number)) = upper(btrim($3)) AND status <> 'cancelled'`,
          [this.context.siteId, order.supplierId, input.invoiceNumber],
        );
        if (duplicate.rows[0]) throw this.duplicateInvoice(input.invoiceNumber);
        await tx.query(
          `INSERT INTO procurement_supplier_invoices (id, site_id, supplier_id, purchase_order_id, invoice_number, invoice_date, due_date, currency, lines_amount, charges_amount, total_amount, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [id, this.context.siteId, order.supplierId, order.id, input.invoiceNumber.trim(), input.invoiceDate, input.dueDate ?? null, input.currency, linesAmount, chargesAmount, expectedTotal, input.notes, actor],
        );
        let lineNumber = 0;
        for (const line of input.lines) {
          await tx.query(
            `INSERT INTO procurement_supplier_invoice_lines (id, site_id, invoice_id, line_number, purchase_order_line_id, quantity, unit_price, amount, description)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [newId(), this.context.siteId, id, ++lineNumber, line.purchaseOrderLineId, line.quantity, line.unitPrice, line.amount, line.description],
          );
        }
        for (const charge of input.charges) {
          await tx.query(`INSERT INTO procurement_supplier_invoice_charges (id, site_id, invoice_id, kind, description, amount) VALUES ($1, $2, $3, $4, $5, $6)`, [
            newId(),
            this.context.siteId,
            id,
            charge.kind,
            charge.description,
            charge.amount,
          ]);
        }
        const draft = await this.invoice(id, tx);
        await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.supplier_invoice.create", entityType: "supplier_invoice", entityId: id, operation: "insert", rowVersion: 1, after: draft });
        if (!input.post) return draft;
        return this.postLockedInvoice(tx, draft, order, actor);
      });
    } catch (error) {
      // Two entries of one invoice at once: the index refuses the second.
      if (isUniqueViolation(error)) throw this.duplicateInvoice(input.invoiceNumber);
      throw error;
    }
  }

  /** Posts a draft: runs the three-way match, stores it per line, adds the quantities billed to the order lines. */
  async postInvoice(id: string, raw: unknown, actor: string): Promise<SupplierInvoice> {
    const input = parseInput(SupplierInvoiceActionSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const invoice = await this.lockedInvoice(tx, id, input.rowVersion, "draft", "posted");
      const order = await this.orders.get(invoice.purchaseOrderId, tx, true);
      return this.postLockedInvoice(tx, invoice, order, actor);
    });
  }

  /**
   * An approver accepts an invoice's match exceptions with a reason (audited):
   * the invoice may be paid as billed. Nobody accepts an invoice they entered
   * or posted (four eyes, as for purchase orders).
   */
  async acceptInvoice(id: string, raw: unknown, actor: string): Promise<SupplierInvoice> {
    const input = parseInput(SupplierInvoiceAcceptSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const before = await this.lockedInvoice(tx, id, input.rowVersion, "exceptions", "accepted");
      if (before.createdBy === actor || before.postedBy === actor) throw serviceError("forbidden", "rowVersion", "own_invoice", { user: actor });
      const order = await this.orders.get(before.purchaseOrderId, tx, true);
      await tx.query(
        `UPDATE procurement_supplier_invoices SET status = 'accepted', accepted_at = now(), accepted_by = $2, accept_reason = $3, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [id, actor, input.reason],
      );
      const after = await this.invoice(id, tx);
      const exceptions = before.lines.flatMap((line) => line.exceptions.map((exception) => ({ line: line.lineNumber, ...exception })));
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "procurement.supplier_invoice.accept",
        entityType: "supplier_invoice",
        entityId: id,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
        details: { reason: input.reason, exceptions },
      });
      await this.settleOrder(tx, order, actor);
      this.context.events.emit("procurement.supplier_invoice.accepted", { id, purchaseOrderId: order.id, invoiceNumber: after.invoiceNumber });
      return after;
    });
  }

  /** Cancels a draft invoice (its number may then be entered again). */
  async cancelInvoice(id: string, raw: unknown, actor: string): Promise<SupplierInvoice> {
    const input = parseInput(SupplierInvoiceActionSchema, raw);
    return inOneTransaction(this.context.db, async (tx) => {
      const before = await this.lockedInvoice(tx, id, input.rowVersion, "draft", "cancelled");
      await tx.query(`UPDATE procurement_supplier_invoices SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [id, actor]);
      const after = await this.invoice(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.supplier_invoice.cancel", entityType: "supplier_invoice", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  async invoice(id: string, tx: Queryable = this.context.db): Promise<SupplierInvoice> {
    const { rows } = await tx.query<InvoiceRow>(`${INVOICE_SELECT} WHERE i.id = $1 AND i.site_id = $2`, [id, this.context.siteId]);
    if (!rows[0]) throw notFound("supplier invoice", id);
    const lines = await tx.query<InvoiceLineRow>(
      `SELECT l.id, l.line_number, l.purchase_order_line_id, p.item_id, l.quantity, l.unit_price, l.amount, l.description, l.match_status, l.exceptions, l.order_unit_price, l.price_variance_amount
       FROM procurement_supplier_invoice_lines l JOIN procurement_purchase_order_lines p ON p.id = l.purchase_order_line_id WHERE l.invoice_id = $1 ORDER BY l.line_number`,
      [id],
    );
    const charges = await tx.query<{ id: string; kind: "tax" | "freight" | "other"; description: string; amount: string }>(
      "SELECT id, kind, description, amount FROM procurement_supplier_invoice_charges WHERE invoice_id = $1 ORDER BY kind, id",
      [id],
    );
    return toInvoice(rows[0], lines.rows, charges.rows);
  }

  async listInvoices(raw: unknown): Promise<SupplierInvoice[]> {
    const query = parseInput(SupplierInvoiceListQuerySchema, raw);
    const { rows } = await this.context.db.query<{ id: string }>(
      `SELECT id FROM procurement_supplier_invoices WHERE site_id = $1 AND ($2::uuid IS NULL OR purchase_order_id = $2) AND ($3::uuid IS NULL OR supplier_id = $3)
         AND ($4::text IS NULL OR status = $4)
       ORDER BY created_at DESC, id LIMIT $5`,
      [this.context.siteId, query.purchaseOrderId ?? null, query.supplierId ?? null, query.status ?? null, query.limit],
    );
    const invoices: SupplierInvoice[] = [];
    for (const row of rows) invoices.push(await this.invoice(row.id));
    return invoices;
  }

  // --- internals -------------------------------------------------------------------------------------

  private duplicateInvoice(invoiceNumber: string): ServiceError {
    return serviceError("conflict", "invoiceNumber", "duplicate_invoice", { invoiceNumber: invoiceNumber.trim() });
  }

  private async orderLineRows(tx: Queryable, orderId: string): Promise<OrderLineRow[]> {
    const { rows } = await tx.query<OrderLineRow>(`${ORDER_LINE_SELECT} WHERE purchase_order_id = $1 ORDER BY line_number`, [orderId]);
    return rows;
  }

  private toReceivingLine(row: OrderLineRow): ReceivingLine {
    const quantity = fromNumeric(row.quantity);
    const receivedQuantity = fromNumeric(row.received_quantity);
    const closed = row.closed_short_at !== null;
    return {
      id: row.id,
      purchaseOrderId: row.purchase_order_id,
      lineNumber: row.line_number,
      itemId: row.item_id,
      quantity,
      unitPrice: fromNumeric(row.unit_price),
      receivedQuantity,
      invoicedQuantity: fromNumeric(row.invoiced_quantity),
      receivableQuantity: closed ? 0 : Math.max(0, Math.round((receivableLimit(quantity, this.settings.overReceiptPercent) - receivedQuantity) * 1e9) / 1e9),
      closedShortAt: iso(row.closed_short_at),
      closedShortBy: row.closed_short_by,
      closeShortReason: row.close_short_reason,
      rowVersion: row.row_version,
    };
  }

  /** Every line within what its order line may still take (lines of one order line add up), else 409 naming the receipt line. */
  private checkReceivable(orderLines: readonly OrderLineRow[], lines: readonly { purchaseOrderLineId: string; quantity: number }[], order: PurchaseOrder): void {
    const receivedSoFar = new Map(orderLines.map((row) => [row.id, fromNumeric(row.received_quantity)]));
    lines.forEach((line, index) => {
      const row = orderLines.find((candidate) => candidate.id === line.purchaseOrderLineId);
      if (!row) throw invalidInput(`lines/${index}/purchaseOrderLineId`, "not_on_order", { order: order.number });
      const check = checkReceipt(
        { orderedQuantity: fromNumeric(row.quantity), receivedQuantity: receivedSoFar.get(row.id) ?? 0, closed: row.closed_short_at !== null },
        line.quantity,
        this.settings.overReceiptPercent,
      );
      if (!check.ok && check.reason === "line_closed") throw serviceError("conflict", `lines/${index}/purchaseOrderLineId`, "line_closed_short", { line: row.line_number });
      if (!check.ok) throw serviceError("conflict", `lines/${index}/quantity`, "over_receipt", { ...check.params, line: row.line_number });
      receivedSoFar.set(row.id, check.receivedAfter);
    });
  }

  private async lockedDraftReceipt(tx: Queryable, id: string, rowVersion: number, to: GoodsReceiptStatus): Promise<GoodsReceipt> {
    const locked = await tx.query<{ id: string }>("SELECT id FROM procurement_goods_receipts WHERE id = $1 AND site_id = $2 FOR UPDATE", [id, this.context.siteId]);
    if (!locked.rows[0]) throw notFound("goods receipt", id);
    const receipt = await this.receipt(id, tx);
    if (receipt.status !== "draft") throw serviceError("invalid_state", "status", "transition_not_allowed", { from: receipt.status, to });
    checkRowVersion(`goods receipt ${receipt.number}`, receipt.rowVersion, rowVersion);
    return receipt;
  }

  private async postLockedReceipt(tx: Queryable, receipt: GoodsReceipt, order: PurchaseOrder, actor: string): Promise<GoodsReceipt> {
    if (!acceptsReceipts(order.status)) throw serviceError("invalid_state", "purchaseOrderId", "order_not_sent", { status: order.status });
    const orderLines = await this.orderLineRows(tx, order.id);
    // Checked again: other receipts or a short close may have come since the draft was written.
    this.checkReceivable(orderLines, receipt.lines, order);
    const currencies = new Map<string, string>();
    for (const [index, line] of receipt.lines.entries()) {
      const orderLine = orderLines.find((candidate) => candidate.id === line.purchaseOrderLineId);
      if (!orderLine) throw invalidInput(`lines/${index}/purchaseOrderLineId`, "not_on_order", { order: order.number });
      const itemCurrency = currencies.get(line.itemId) ?? (await this.inventory.getItem(line.itemId)).currency;
      currencies.set(line.itemId, itemCurrency);
      const unitCost = unitCostInItemCurrency(fromNumeric(orderLine.unit_price), order.currency, itemCurrency, this.settings.siteCurrency, this.settings.rates);
      if (unitCost === undefined) {
        const missing = order.currency !== this.settings.siteCurrency && !this.settings.rates.has(order.currency) ? order.currency : itemCurrency;
        throw serviceError("conflict", `lines/${index}/purchaseOrderLineId`, "no_exchange_rate", { currency: missing, siteCurrency: this.settings.siteCurrency });
      }
      const move = await this.inventory
        .receive(
          {
            itemId: line.itemId,
            toLocationId: line.locationId,
            quantity: line.quantity,
            ...(line.lot === null ? {} : { lot: line.lot }),
            unitCost,
            currency: itemCurrency,
            movedAt: receipt.receivedAt,
            source: { type: "goods_receipt", id: receipt.id },
            sourceKey: `procurement-receipt-line:${line.id}`,
            notes: `${receipt.number} ${order.number}/${orderLine.line_number}`,
          },
          actor,
        )
        .catch((error: unknown) => {
          throw onReceiptLine(error, index);
        });
      await tx.query("UPDATE procurement_goods_receipt_lines SET unit_cost = $2, currency = $3, stock_move_id = $4 WHERE id = $1", [line.id, move.value.unitCost, move.value.currency, move.value.id]);
      await this.orders.recordReceived(line.purchaseOrderLineId, line.quantity, actor, tx);
    }
    await tx.query(`UPDATE procurement_goods_receipts SET status = 'posted', posted_at = now(), posted_by = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [receipt.id, actor]);
    const after = await this.receipt(receipt.id, tx);
    await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.goods_receipt.post", entityType: "goods_receipt", entityId: receipt.id, operation: "update", rowVersion: after.rowVersion, before: receipt, after });
    await this.settleOrder(tx, await this.orders.get(order.id, tx), actor);
    this.context.events.emit("procurement.goods_receipt.posted", { id: receipt.id, number: after.number, purchaseOrderId: order.id, purchaseOrderNumber: order.number });
    return after;
  }

  private async lockedInvoice(tx: Queryable, id: string, rowVersion: number, from: SupplierInvoiceStatus, to: SupplierInvoiceStatus | "posted"): Promise<SupplierInvoice> {
    const locked = await tx.query<{ id: string }>("SELECT id FROM procurement_supplier_invoices WHERE id = $1 AND site_id = $2 FOR UPDATE", [id, this.context.siteId]);
    if (!locked.rows[0]) throw notFound("supplier invoice", id);
    const invoice = await this.invoice(id, tx);
    if (invoice.status !== from) throw serviceError("invalid_state", "status", "transition_not_allowed", { from: invoice.status, to });
    checkRowVersion(`supplier invoice ${invoice.invoiceNumber}`, invoice.rowVersion, rowVersion);
    return invoice;
  }

  /** The site's tolerances for an invoice in `currency`: the absolute amount, set in the site currency, converted (no rate: no absolute allowance at all). */
  private tolerancesFor(currency: string): MatchTolerances {
    const { priceToleranceAmount, siteCurrency, rates } = this.settings;
    let priceAmount: number | null = null;
    if (priceToleranceAmount !== undefined) {
      const rate = currency === siteCurrency ? 1 : rates.get(currency);
      priceAmount = rate === undefined ? 0 : roundCents(priceToleranceAmount / rate);
    }
    return { quantityPercent: this.settings.quantityTolerancePercent, pricePercent: this.settings.priceTolerancePercent, priceAmount };
  }

  private async postLockedInvoice(tx: Queryable, invoice: SupplierInvoice, order: PurchaseOrder, actor: string): Promise<SupplierInvoice> {
    if (!acceptsInvoices(order.status)) throw serviceError("invalid_state", "purchaseOrderId", "order_not_sent", { status: order.status });
    const orderLines = new Map((await this.orderLineRows(tx, order.id)).map((row) => [row.id, row]));
    const tolerances = this.tolerancesFor(invoice.currency);
    const facts = invoice.lines.map((line, index) => {
      const orderLine = orderLines.get(line.purchaseOrderLineId);
      if (!orderLine) throw invalidInput(`lines/${index}/purchaseOrderLineId`, "not_on_order", { order: order.number });
      return {
        orderLineId: orderLine.id,
        orderedQuantity: fromNumeric(orderLine.quantity),
        receivedQuantity: fromNumeric(orderLine.received_quantity),
        previouslyInvoicedQuantity: fromNumeric(orderLine.invoiced_quantity),
        invoicedQuantity: line.quantity,
        orderUnitPrice: fromNumeric(orderLine.unit_price),
        invoiceUnitPrice: line.unitPrice,
      };
    });
    const match = matchInvoice(facts, tolerances);
    for (const [index, line] of invoice.lines.entries()) {
      const result = match.lines[index];
      const fact = facts[index];
      if (!result || !fact) throw new Error("the match answered fewer lines than the invoice has");
      await tx.query(
        `UPDATE procurement_supplier_invoice_lines SET match_status = $2, exceptions = $3, order_unit_price = $4, price_variance_amount = $5 WHERE id = $1`,
        [line.id, result.status, JSON.stringify(result.exceptions), fact.orderUnitPrice, result.priceVarianceAmount],
      );
      await this.orders.recordInvoiced(line.purchaseOrderLineId, line.quantity, actor, tx);
    }
    await tx.query(
      `UPDATE procurement_supplier_invoices SET status = $2, tolerances = $3, posted_at = now(), posted_by = $4, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
      [invoice.id, match.status, JSON.stringify(tolerances), actor],
    );
    const after = await this.invoice(invoice.id, tx);
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: "procurement.supplier_invoice.post",
      entityType: "supplier_invoice",
      entityId: invoice.id,
      operation: "update",
      rowVersion: after.rowVersion,
      before: invoice,
      after,
      details: { match: match.status, tolerances },
    });
    await this.settleOrder(tx, await this.orders.get(order.id, tx), actor);
    this.context.events.emit("procurement.supplier_invoice.posted", { id: invoice.id, purchaseOrderId: order.id, invoiceNumber: after.invoiceNumber, status: after.status });
    return after;
  }

  /**
   * The order's status after a receipt, an invoice, an acceptance or a short
   * close (the order row is locked): received once every line is received or
   * closed short, and closed once, besides, everything received is billed
   * and no invoice of it waits in exceptions.
   */
  private async settleOrder(tx: Queryable, order: PurchaseOrder, actor: string): Promise<void> {
    if (!acceptsReceipts(order.status)) return;
    const progress = (await this.orderLineRows(tx, order.id)).map((row) => ({
      orderedQuantity: fromNumeric(row.quantity),
      receivedQuantity: fromNumeric(row.received_quantity),
      invoicedQuantity: fromNumeric(row.invoiced_quantity),
      closed: row.closed_short_at !== null,
    }));
    const state = receiptState(progress);
    let status: PurchaseOrderStatus = state === "complete" ? "received" : state === "partial" ? "partially_received" : "sent";
    if (fullyReceivedAndInvoiced(progress)) {
      const waiting = await tx.query<{ count: number }>("SELECT count(*)::int AS count FROM procurement_supplier_invoices WHERE purchase_order_id = $1 AND status = 'exceptions'", [order.id]);
      if ((waiting.rows[0]?.count ?? 0) === 0) status = "closed";
    }
    if (status === order.status) return;
    await tx.query(
      `UPDATE procurement_purchase_orders SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
      [order.id, status],
    );
    if (status === "closed") {
      for (const row of await this.orderLineRows(tx, order.id)) await this.requisitions.markFulfilled(tx, row.id, actor);
    }
    const after = await this.orders.get(order.id, tx);
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: `procurement.purchase_order.${status}`,
      entityType: "purchase_order",
      entityId: order.id,
      operation: "update",
      rowVersion: after.rowVersion,
      before: order,
      after,
    });
    this.context.events.emit("procurement.purchase_order.status_changed", { id: order.id, number: order.number, from: order.status, status });
  }
}

/** Inventory's refusal of one receipt line, naming the line's field rather than inventory's. */
function onReceiptLine(error: unknown, index: number): unknown {
  if (!(error instanceof ServiceError) || error.details?.field === undefined) return error;
  const field = INVENTORY_FIELDS[error.details.field];
  if (field === undefined) return error;
  return new ServiceError(error.code, error.message, { ...error.details, field: `lines/${index}/${field}` });
}

function toReceipt(row: ReceiptRow, lines: readonly ReceiptLineRow[]): GoodsReceipt {
  return {
    id: row.id,
    number: row.number,
    purchaseOrderId: row.purchase_order_id,
    purchaseOrderNumber: row.purchase_order_number,
    status: row.status,
    receivedAt: new Date(row.received_at).toISOString(),
    deliveryNote: row.delivery_note,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    postedAt: iso(row.posted_at),
    postedBy: row.posted_by,
    cancelledAt: iso(row.cancelled_at),
    cancelledBy: row.cancelled_by,
    returnedAt: iso(row.returned_at),
    returnedBy: row.returned_by,
    returnReason: row.return_reason,
    rowVersion: row.row_version,
    lines: lines.map((line) => ({
      id: line.id,
      lineNumber: line.line_number,
      purchaseOrderLineId: line.purchase_order_line_id,
      itemId: line.item_id,
      locationId: line.location_id,
      lot: line.lot === "" ? null : line.lot,
      quantity: fromNumeric(line.quantity),
      unitCost: fromNumericOrNull(line.unit_cost),
      currency: line.currency,
      stockMoveId: line.stock_move_id,
    })),
  };
}

function toInvoice(row: InvoiceRow, lines: readonly InvoiceLineRow[], charges: readonly { id: string; kind: "tax" | "freight" | "other"; description: string; amount: string }[]): SupplierInvoice {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    purchaseOrderId: row.purchase_order_id,
    purchaseOrderNumber: row.purchase_order_number,
    invoiceNumber: row.invoice_number,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    currency: row.currency,
    linesAmount: fromNumeric(row.lines_amount),
    chargesAmount: fromNumeric(row.charges_amount),
    totalAmount: fromNumeric(row.total_amount),
    status: row.status,
    tolerances: row.tolerances,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    postedAt: iso(row.posted_at),
    postedBy: row.posted_by,
    acceptedAt: iso(row.accepted_at),
    acceptedBy: row.accepted_by,
    acceptReason: row.accept_reason,
    cancelledAt: iso(row.cancelled_at),
    cancelledBy: row.cancelled_by,
    rowVersion: row.row_version,
    lines: lines.map((line) => ({
      id: line.id,
      lineNumber: line.line_number,
      purchaseOrderLineId: line.purchase_order_line_id,
      itemId: line.item_id,
      quantity: fromNumeric(line.quantity),
      unitPrice: fromNumeric(line.unit_price),
      amount: fromNumeric(line.amount),
      description: line.description,
      matchStatus: line.match_status,
      exceptions: line.exceptions,
      orderUnitPrice: fromNumericOrNull(line.order_unit_price),
      priceVarianceAmount: fromNumericOrNull(line.price_variance_amount),
    })),
    charges: charges.map((charge) => ({ id: charge.id, kind: charge.kind, description: charge.description, amount: fromNumeric(charge.amount) })),
  };
}
