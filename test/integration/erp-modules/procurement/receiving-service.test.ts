import assert from "node:assert/strict";
import type { Item, Location } from "../../../../erp-modules/inventory/schema.js";
import { InventoryService } from "../../../../erp-modules/inventory/service.js";
import type { Approver } from "../../../../erp-modules/procurement/purchase-order-service.js";
import type { PurchaseOrderDetail, Supplier } from "../../../../erp-modules/procurement/schema.js";
import { ProcurementService } from "../../../../erp-modules/procurement/service.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { countChanges, createErpHarness, ENGINEER, isServiceError, type ErpHarness } from "../erp-fixtures.js";

const BUYER = "bea-buyer";
const STOREKEEPER = "sam-storekeeper";
const APPROVER: Approver = { username: "ana-approver", role: "engineer", grants: [{ grant: "approver", approvalLimit: 1_000_000 }] };

/** For assert.rejects: a ServiceError with this code, field and reason, and (when given) these params. */
function refusal(code: ServiceError["code"], field: string, reason: string, params?: Record<string, unknown>) {
  return (error: unknown): boolean => {
    isServiceError(code, field)(error);
    assert.ok(error instanceof ServiceError);
    assert.equal(error.details?.reason, reason, error.message);
    if (params) assert.deepEqual(error.details?.params, params);
    return true;
  };
}

for (const target of databaseTargets) {
  describe(`procurement goods receipts and supplier invoices on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let inventory: InventoryService;
    let procurement: ProcurementService;
    let supplier: Supplier;
    let store: Location;
    let seal: Item;
    let cable: Item;
    let codes = 0;

    async function newItem(tracking: Item["tracking"] = "none"): Promise<Item> {
      return inventory.createItem({ code: `PART-${++codes}`, name: `Part ${codes}`, category: "spare_part", baseUnit: "ea", tracking, owner: "site", currency: "USD" }, ENGINEER);
    }

    /** An order drafted by the buyer, approved by the approver and sent: ready to receive. */
    async function sentOrder(lines: { itemId: string; quantity: number; unitPrice: number }[]): Promise<PurchaseOrderDetail> {
      const draft = await procurement.purchaseOrders.create({ supplierId: supplier.id, deliveryLocationId: store.id, lines }, BUYER);
      const submitted = await procurement.purchaseOrders.transition(draft.id, { rowVersion: draft.rowVersion, to: "submitted" }, BUYER);
      const approved = await procurement.purchaseOrders.approve(draft.id, { rowVersion: submitted.rowVersion }, APPROVER);
      await procurement.purchaseOrders.transition(draft.id, { rowVersion: approved.rowVersion, to: "sent" }, BUYER);
      return procurement.purchaseOrders.detail(draft.id);
    }

    function lineOf(order: PurchaseOrderDetail, index = 0): string {
      const line = order.lines[index];
      assert.ok(line, `order ${order.number} has a line ${index}`);
      return line.id;
    }

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "procurement.*");
      harness.context.settings = { siteCurrency: "USD" };
      inventory = new InventoryService(harness.context);
      procurement = new ProcurementService(harness.context, { inventory });
      supplier = await procurement.suppliers.create({ code: "SUP-1", name: "Pump parts Ltd", currency: "USD" }, BUYER);
      store = await inventory.createLocation({ code: "WH-1", name: "Main store", kind: "warehouse" }, ENGINEER);
      seal = await newItem();
      cable = await newItem();
    });

    afterEach(() => {
      harness.context.settings = { siteCurrency: "USD" };
    });

    after(async () => {
      await procurement?.idle();
      await database?.drop();
    });

    it("a goods receipt updates stock and cost: 10 on hand at 100, 30 received at 120 give 40 at (10 x 100 + 30 x 120) / 40 = 115", async () => {
      await inventory.receive({ itemId: seal.id, toLocationId: store.id, quantity: 10, unitCost: 100, currency: "USD", notes: "opening stock" }, STOREKEEPER);
      const order = await sentOrder([{ itemId: seal.id, quantity: 30, unitPrice: 120 }]);
      const before = await countChanges(harness.db, "procurement");
      const receipt = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, deliveryNote: "DN-881", lines: [{ purchaseOrderLineId: lineOf(order), quantity: 30 }], post: true }, STOREKEEPER);
      assert.equal(receipt.status, "posted");
      assert.match(receipt.number, /^GR-\d{6}$/);
      assert.deepEqual(
        receipt.lines.map((line) => [line.quantity, line.unitCost, line.currency, line.locationId]),
        [[30, 120, "USD", store.id]],
      );
      const item = await inventory.getItem(seal.id);
      assert.equal(item.onHandQuantity, 40);
      assert.equal(item.averageUnitCost, 115);
      const [balance] = await inventory.onHand({ itemId: seal.id, locationId: store.id });
      assert.equal(balance?.onHandQuantity, 40);
      const moves = await harness.db.query<{ source_type: string; source_id: string; unit_cost: string }>("SELECT source_type, source_id, unit_cost FROM stock_moves WHERE id = $1", [receipt.lines[0]?.stockMoveId ?? ""]);
      assert.deepEqual(
        moves.rows.map((row) => [row.source_type, row.source_id, Number(row.unit_cost)]),
        [["goods_receipt", receipt.id, 120]],
      );
      const after = await procurement.purchaseOrders.detail(order.id);
      assert.equal(after.status, "received");
      assert.equal(after.lines[0]?.receivedQuantity, 30);
      // The receipt's create and post, the order line, the order's status: each with its outbox row.
      const changes = await countChanges(harness.db, "procurement");
      assert.ok(changes.audit - before.audit >= 3 && changes.outbox - before.outbox >= 3, JSON.stringify({ before, changes }));
      const stockAudit = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE action = 'inventory.stock_move.receipt' AND entity_id = $1", [receipt.lines[0]?.stockMoveId ?? ""]);
      assert.equal(stockAudit.rows[0]?.count, 1);
    });

    it("a partial receipt leaves the order partially received; the rest completes it", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 10, unitPrice: 50 }]);
      const first = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 4 }] }, STOREKEEPER);
      assert.equal(first.status, "draft");
      assert.equal((await inventory.getItem(cable.id)).onHandQuantity, 0, "a draft moves no stock");
      await procurement.receiving.postReceipt(first.id, { rowVersion: first.rowVersion }, STOREKEEPER);
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "partially_received");
      const receivable = await procurement.receiving.receivingLines(order.id);
      assert.deepEqual(
        receivable.map((line) => [line.receivedQuantity, line.receivableQuantity]),
        [[4, 6]],
      );
      await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 6 }], post: true }, STOREKEEPER);
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "received");
      assert.equal((await inventory.getItem(cable.id)).onHandQuantity, 10);
    });

    it("refuses an over-receipt (409 over_receipt with the figures), then lets it in within the over-receipt tolerance", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 10, unitPrice: 50 }]);
      const body = { purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 11 }], post: true };
      const stockBefore = (await inventory.getItem(cable.id)).onHandQuantity;
      await assert.rejects(
        procurement.receiving.createReceipt(body, STOREKEEPER),
        refusal("conflict", "lines/0/quantity", "over_receipt", { ordered: 10, received: 0, requested: 11, allowed: 10, overReceiptPercent: 0, line: 1 }),
      );
      assert.equal((await procurement.receiving.listReceipts({ purchaseOrderId: order.id })).length, 0, "nothing of the refused receipt is stored");
      assert.equal((await inventory.getItem(cable.id)).onHandQuantity, stockBefore);
      harness.context.settings = { siteCurrency: "USD", procurementOverReceiptPercent: 10 };
      const receipt = await procurement.receiving.createReceipt(body, STOREKEEPER);
      assert.equal(receipt.status, "posted");
      assert.equal((await inventory.getItem(cable.id)).onHandQuantity, stockBefore + 11);
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "received");
      // 10 x 1.10 = 11 received: nothing more fits.
      await assert.rejects(
        procurement.receiving.createReceipt({ ...body, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 0.5 }] }, STOREKEEPER),
        refusal("conflict", "lines/0/quantity", "over_receipt"),
      );
    });

    it("posts a receipt once under concurrent posts of the same draft; the others get 409 invalid_state", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 5, unitPrice: 50 }]);
      const draft = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 5 }] }, STOREKEEPER);
      const stockBefore = (await inventory.getItem(cable.id)).onHandQuantity;
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => procurement.receiving.postReceipt(draft.id, { rowVersion: draft.rowVersion }, STOREKEEPER)));
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
      for (const result of results) {
        if (result.status === "rejected") refusal("invalid_state", "status", "transition_not_allowed", { from: "posted", to: "posted" })(result.reason);
      }
      assert.equal((await inventory.getItem(cable.id)).onHandQuantity, stockBefore + 5);
      const moves = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM stock_moves WHERE source_type = 'goods_receipt' AND source_id = $1", [draft.id]);
      assert.equal(moves.rows[0]?.count, 1);
      assert.equal((await procurement.purchaseOrders.detail(order.id)).lines[0]?.receivedQuantity, 5);
    });

    it("a lot-tracked item needs its lot: the post is refused naming the line, and nothing moves", async () => {
      const tracked = await newItem("lot");
      const order = await sentOrder([{ itemId: tracked.id, quantity: 2, unitPrice: 300 }]);
      const draft = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 2 }] }, STOREKEEPER);
      await assert.rejects(procurement.receiving.postReceipt(draft.id, { rowVersion: draft.rowVersion }, STOREKEEPER), refusal("invalid_input", "lines/0/lot", "lot_required"));
      assert.equal((await procurement.receiving.receipt(draft.id)).status, "draft");
      assert.equal((await inventory.getItem(tracked.id)).onHandQuantity, 0);
      assert.equal((await procurement.purchaseOrders.detail(order.id)).lines[0]?.receivedQuantity, 0);
      const withLot = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 2, lot: "L-2026-11" }], post: true }, STOREKEEPER);
      assert.equal(withLot.lines[0]?.lot, "L-2026-11");
      assert.deepEqual(
        (await inventory.onHand({ itemId: tracked.id })).map((balance) => [balance.lot, balance.onHandQuantity]),
        [["L-2026-11", 2]],
      );
    });

    it("an invoice of what was received at the order price is matched, and the order closes when everything received is billed", async () => {
      const order = await sentOrder([
        { itemId: seal.id, quantity: 4, unitPrice: 120 },
        { itemId: cable.id, quantity: 6, unitPrice: 12.5 },
      ]);
      await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order, 0), quantity: 4 }, { purchaseOrderLineId: lineOf(order, 1), quantity: 6 }], post: true }, STOREKEEPER);
      // 4 x 120 + 6 x 12.50 = 480 + 75 = 555; tax 55.50 and freight 20: 630.50.
      const invoice = await procurement.receiving.createInvoice(
        {
          purchaseOrderId: order.id,
          invoiceNumber: "A-0001-00012345",
          invoiceDate: "2026-12-01",
          currency: "USD",
          totalAmount: 630.5,
          lines: [
            { purchaseOrderLineId: lineOf(order, 0), quantity: 4, unitPrice: 120, amount: 480 },
            { purchaseOrderLineId: lineOf(order, 1), quantity: 6, unitPrice: 12.5, amount: 75 },
          ],
          charges: [
            { kind: "tax", amount: 55.5 },
            { kind: "freight", amount: 20 },
          ],
          post: true,
        },
        BUYER,
      );
      assert.equal(invoice.status, "matched");
      assert.deepEqual([invoice.linesAmount, invoice.chargesAmount, invoice.totalAmount], [555, 75.5, 630.5]);
      assert.deepEqual(
        invoice.lines.map((line) => [line.matchStatus, line.exceptions, line.priceVarianceAmount]),
        [
          ["matched", [], 0],
          ["matched", [], 0],
        ],
      );
      assert.deepEqual(invoice.tolerances, { quantityPercent: 0, pricePercent: 0, priceAmount: null });
      const after = await procurement.purchaseOrders.detail(order.id);
      assert.deepEqual(
        after.lines.map((line) => line.invoicedQuantity),
        [4, 6],
      );
      assert.equal(after.status, "closed");
      assert.ok(after.closedAt);
    });

    it("an invoice priced above the order is an exception until an approver (not its poster) accepts it with a reason", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 10, unitPrice: 50 }]);
      await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 10 }], post: true }, STOREKEEPER);
      const draft = await procurement.receiving.createInvoice(
        { purchaseOrderId: order.id, invoiceNumber: "F-77", invoiceDate: "2026-12-02", currency: "USD", totalAmount: 550, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 10, unitPrice: 55, amount: 550 }] },
        BUYER,
      );
      assert.equal(draft.status, "draft");
      const posted = await procurement.receiving.postInvoice(draft.id, { rowVersion: draft.rowVersion }, BUYER);
      assert.equal(posted.status, "exceptions");
      // 55 against 50: 10 % above, 10 x 5 = 50 over the order.
      assert.deepEqual(posted.lines[0]?.exceptions, [{ reason: "price_above_order", params: { orderUnitPrice: 50, invoiceUnitPrice: 55, variancePercent: 10, varianceAmount: 50 } }]);
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "received", "an invoice in exceptions keeps the order open");
      await assert.rejects(procurement.receiving.acceptInvoice(posted.id, { rowVersion: posted.rowVersion, reason: "mine" }, BUYER), refusal("forbidden", "rowVersion", "own_invoice", { user: BUYER }));
      const accepted = await procurement.receiving.acceptInvoice(posted.id, { rowVersion: posted.rowVersion, reason: "Steel surcharge agreed by phone" }, APPROVER.username);
      assert.deepEqual([accepted.status, accepted.acceptedBy, accepted.acceptReason], ["accepted", "ana-approver", "Steel surcharge agreed by phone"]);
      const audit = await harness.db.query<{ actor: string; details: { reason: string } }>("SELECT actor, details FROM audit_log WHERE action = 'procurement.supplier_invoice.accept' AND entity_id = $1", [posted.id]);
      assert.deepEqual(
        audit.rows.map((row) => [row.actor, row.details.reason]),
        [["ana-approver", "Steel surcharge agreed by phone"]],
      );
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "closed");
      await assert.rejects(procurement.receiving.acceptInvoice(posted.id, { rowVersion: accepted.rowVersion, reason: "again" }, APPROVER.username), refusal("invalid_state", "status", "transition_not_allowed"));
    });

    it("a price within the tolerance matches; billing more than received is an exception", async () => {
      harness.context.settings = { siteCurrency: "USD", procurementPriceTolerancePercent: 5, procurementPriceToleranceAmount: 100 };
      const order = await sentOrder([{ itemId: cable.id, quantity: 10, unitPrice: 50 }]);
      await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 6 }], post: true }, STOREKEEPER);
      // 52 is 4 % above 50, and 6 x 2 = 12 under the amount limit of 100.
      const within = await procurement.receiving.createInvoice(
        { purchaseOrderId: order.id, invoiceNumber: "T-1", invoiceDate: "2026-12-03", currency: "USD", totalAmount: 312, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 6, unitPrice: 52, amount: 312 }], post: true },
        BUYER,
      );
      assert.equal(within.status, "matched");
      assert.equal(within.lines[0]?.priceVarianceAmount, 12);
      const beyond = await procurement.receiving.createInvoice(
        { purchaseOrderId: order.id, invoiceNumber: "T-2", invoiceDate: "2026-12-04", currency: "USD", totalAmount: 200, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 4, unitPrice: 50, amount: 200 }], post: true },
        BUYER,
      );
      assert.equal(beyond.status, "exceptions");
      assert.deepEqual(beyond.lines[0]?.exceptions, [{ reason: "invoiced_more_than_received", params: { received: 6, invoiced: 10, allowed: 6 } }]);
    });

    it("refuses a duplicate invoice number of the supplier (409), totals that do not add up and another currency (400)", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 2, unitPrice: 10 }]);
      const line = { purchaseOrderLineId: lineOf(order), quantity: 2, unitPrice: 10, amount: 20 };
      const invoice = { purchaseOrderId: order.id, invoiceNumber: "INV-9", invoiceDate: "2026-12-05", currency: "USD", totalAmount: 20, lines: [line] };
      const first = await procurement.receiving.createInvoice(invoice, BUYER);
      await assert.rejects(procurement.receiving.createInvoice({ ...invoice, invoiceNumber: " inv-9 " }, BUYER), refusal("conflict", "invoiceNumber", "duplicate_invoice", { invoiceNumber: "inv-9" }));
      await assert.rejects(procurement.receiving.createInvoice({ ...invoice, invoiceNumber: "INV-10", totalAmount: 25 }, BUYER), refusal("invalid_input", "totalAmount", "total_mismatch", { expected: 20, stated: 25 }));
      await assert.rejects(procurement.receiving.createInvoice({ ...invoice, invoiceNumber: "INV-10", lines: [{ ...line, amount: 21 }], totalAmount: 21 }, BUYER), refusal("invalid_input", "lines/0/amount", "amount_mismatch", { expected: 20 }));
      await assert.rejects(procurement.receiving.createInvoice({ ...invoice, invoiceNumber: "INV-10", currency: "EUR" }, BUYER), refusal("invalid_input", "currency", "invoice_currency_mismatch", { currency: "EUR", expected: "USD" }));
      // A cancelled draft frees its number.
      await procurement.receiving.cancelInvoice(first.id, { rowVersion: first.rowVersion }, BUYER);
      const again = await procurement.receiving.createInvoice(invoice, BUYER);
      assert.equal(again.invoiceNumber, "INV-9");
    });

    it("concurrent entries of one invoice number store one; the others get 409 duplicate_invoice", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 2, unitPrice: 10 }]);
      const invoice = { purchaseOrderId: order.id, invoiceNumber: "RACE-1", invoiceDate: "2026-12-05", currency: "USD", totalAmount: 20, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 2, unitPrice: 10, amount: 20 }] };
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => procurement.receiving.createInvoice(invoice, BUYER)));
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
      for (const result of results) if (result.status === "rejected") refusal("conflict", "invoiceNumber", "duplicate_invoice")(result.reason);
    });

    it("closes a line short with a reason: no more receipts, the order counts as received and closes once billed", async () => {
      const order = await sentOrder([{ itemId: cable.id, quantity: 10, unitPrice: 50 }]);
      await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 8 }], post: true }, STOREKEEPER);
      const [line] = await procurement.receiving.receivingLines(order.id);
      assert.ok(line);
      const closed = await procurement.receiving.closeShort(order.id, line.id, { rowVersion: line.rowVersion, reason: "Supplier discontinued the last 2" }, BUYER);
      assert.deepEqual([closed.closeShortReason, closed.closedShortBy, closed.receivableQuantity], ["Supplier discontinued the last 2", BUYER, 0]);
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "received");
      await assert.rejects(
        procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: line.id, quantity: 1 }] }, STOREKEEPER),
        refusal("conflict", "lines/0/purchaseOrderLineId", "line_closed_short", { line: 1 }),
      );
      await assert.rejects(procurement.receiving.closeShort(order.id, line.id, { rowVersion: closed.rowVersion, reason: "again" }, BUYER), refusal("invalid_state", "purchaseOrderLineId", "line_closed_short"));
      await procurement.receiving.createInvoice(
        { purchaseOrderId: order.id, invoiceNumber: "S-1", invoiceDate: "2026-12-06", currency: "USD", totalAmount: 400, lines: [{ purchaseOrderLineId: line.id, quantity: 8, unitPrice: 50, amount: 400 }], post: true },
        BUYER,
      );
      assert.equal((await procurement.purchaseOrders.get(order.id)).status, "closed");
    });

    it("returns a posted receipt to the supplier: stock and the average go back, the order reopens; refused once billed", async () => {
      const item = await newItem();
      await inventory.receive({ itemId: item.id, toLocationId: store.id, quantity: 10, unitCost: 100, currency: "USD", notes: "opening stock" }, STOREKEEPER);
      const order = await sentOrder([{ itemId: item.id, quantity: 10, unitPrice: 130 }]);
      const posted = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 10 }], post: true }, STOREKEEPER);
      // (10 x 100 + 10 x 130) / 20 = 115, and back to (20 x 115 - 10 x 130) / 10 = 100 once returned.
      assert.equal((await inventory.getItem(item.id)).averageUnitCost, 115);
      const returned = await procurement.receiving.returnReceipt(posted.id, { rowVersion: posted.rowVersion, reason: "Wrong pressure rating" }, STOREKEEPER);
      assert.deepEqual([returned.status, returned.returnReason, returned.returnedBy], ["returned", "Wrong pressure rating", STOREKEEPER]);
      const after = await inventory.getItem(item.id);
      assert.deepEqual([after.onHandQuantity, after.averageUnitCost], [10, 100]);
      const reopened = await procurement.purchaseOrders.detail(order.id);
      assert.deepEqual([reopened.status, reopened.lines[0]?.receivedQuantity], ["sent", 0]);
      await assert.rejects(procurement.receiving.returnReceipt(posted.id, { rowVersion: returned.rowVersion, reason: "twice" }, STOREKEEPER), refusal("invalid_state", "status", "transition_not_allowed", { from: "returned", to: "returned" }));

      const again = await procurement.receiving.createReceipt({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 10 }], post: true }, STOREKEEPER);
      await procurement.receiving.createInvoice(
        { purchaseOrderId: order.id, invoiceNumber: "RET-1", invoiceDate: "2026-12-06", currency: "USD", totalAmount: 520, lines: [{ purchaseOrderLineId: lineOf(order), quantity: 4, unitPrice: 130, amount: 520 }], post: true },
        BUYER,
      );
      await assert.rejects(
        procurement.receiving.returnReceipt(again.id, { rowVersion: again.rowVersion, reason: "damaged" }, STOREKEEPER),
        refusal("conflict", "lines/0/quantity", "invoiced_beyond_return", { line: 1, receivedAfter: 0, invoiced: 4 }),
      );
      assert.equal((await inventory.getItem(item.id)).onHandQuantity, 20);
    });

    it("receives nothing on an order not yet sent, nor a line of another order", async () => {
      const draft = await procurement.purchaseOrders.create({ supplierId: supplier.id, deliveryLocationId: store.id, lines: [{ itemId: cable.id, quantity: 1, unitPrice: 5 }] }, BUYER);
      await assert.rejects(
        procurement.receiving.createReceipt({ purchaseOrderId: draft.id, lines: [{ purchaseOrderLineId: lineOf(draft), quantity: 1 }] }, STOREKEEPER),
        refusal("invalid_state", "purchaseOrderId", "order_not_sent", { status: "draft" }),
      );
      const sent = await sentOrder([{ itemId: cable.id, quantity: 1, unitPrice: 5 }]);
      await assert.rejects(
        procurement.receiving.createReceipt({ purchaseOrderId: sent.id, lines: [{ purchaseOrderLineId: lineOf(draft), quantity: 1 }] }, STOREKEEPER),
        refusal("invalid_input", "lines/0/purchaseOrderLineId", "not_on_order", { order: sent.number }),
      );
    });
  });
}
