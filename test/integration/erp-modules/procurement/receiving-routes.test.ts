import assert from "node:assert/strict";
import type { Approver } from "../../../../erp-modules/procurement/purchase-order-service.js";
import type { GoodsReceipt, SupplierInvoice } from "../../../../erp-modules/procurement/receiving-schema.js";
import type { PurchaseOrderDetail } from "../../../../erp-modules/procurement/schema.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

interface ErrorBody {
  error: { code: string; details?: { field?: string; reason?: string; params?: Record<string, unknown> } };
}

const APPROVER: Approver = { username: "ana-approver", role: "engineer", grants: [{ grant: "approver", approvalLimit: 1_000_000 }] };

/**
 * Goods receipts and invoices through the real app: who may do what, 400s
 * naming the field, 409s with their reason, and a receipt posted once under
 * an Idempotency-Key retry and under racing posts. Users hold no stored
 * grants yet: the operator stands for the storekeeper, the engineer for the
 * buyer and the admin for the approver.
 */
for (const target of databaseTargets) {
  describe(`procurement receipts and invoices over HTTP (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let admin: InProcessSession;
    let engineer: InProcessSession;
    let operator: InProcessSession;
    let viewer: InProcessSession;
    let itemId = "";
    let supplierId = "";
    let locationId = "";

    async function sentOrder(quantity: number, unitPrice: number): Promise<PurchaseOrderDetail> {
      const orders = site.erp.procurement.purchaseOrders;
      const draft = await orders.create({ supplierId, deliveryLocationId: locationId, lines: [{ itemId, quantity, unitPrice }] }, "bea-buyer");
      const submitted = await orders.transition(draft.id, { rowVersion: draft.rowVersion, to: "submitted" }, "bea-buyer");
      const approved = await orders.approve(draft.id, { rowVersion: submitted.rowVersion }, APPROVER);
      await orders.transition(draft.id, { rowVersion: approved.rowVersion, to: "sent" }, "bea-buyer");
      return orders.detail(draft.id);
    }

    function firstLine(order: PurchaseOrderDetail): string {
      const line = order.lines[0];
      assert.ok(line);
      return line.id;
    }

    async function onHand(): Promise<number> {
      return (await site.erp.inventory.getItem(itemId)).onHandQuantity;
    }

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      [admin, engineer, operator, viewer] = [await site.session("admin"), await site.session("engineer"), await site.session("operator"), await site.session("viewer")];
      itemId = (await site.erp.inventory.createItem({ code: "RCV-VALVE", name: "Gate valve 2in", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, "admin")).id;
      locationId = (await site.erp.inventory.createLocation({ code: "RCV-WH", name: "Receiving store", kind: "warehouse" }, "admin")).id;
      supplierId = (await site.erp.procurement.suppliers.create({ code: "RCV-SUP", name: "Valves SA", currency: "USD" }, "bea-buyer")).id;
    });

    after(async () => {
      await site?.erp.procurement.idle();
      await site?.close();
      await database?.drop();
    });

    it("lets the storekeeper receive (viewers read), answers a keyed retry from the first post, and moves stock once", async () => {
      const order = await sentOrder(5, 80);
      const body = { purchaseOrderId: order.id, deliveryNote: "DN-1", lines: [{ purchaseOrderLineId: firstLine(order), quantity: 5 }], post: true };
      await viewer.send("post", "/api/v1/procurement/receipts").send(body).expect(403);
      const stockBefore = await onHand();
      const first = await operator.send("post", "/api/v1/procurement/receipts").set("Idempotency-Key", "receipt-http-0001").send(body).expect(201);
      const again = await operator.send("post", "/api/v1/procurement/receipts").set("Idempotency-Key", "receipt-http-0001").send(body).expect(201);
      assert.equal(again.headers["idempotency-replayed"], "true");
      assert.equal((again.body as GoodsReceipt).id, (first.body as GoodsReceipt).id);
      assert.equal((first.body as GoodsReceipt).status, "posted");
      assert.equal(await onHand(), stockBefore + 5);
      const listed = await viewer.send("get", `/api/v1/procurement/receipts?purchaseOrderId=${order.id}`).expect(200);
      assert.deepEqual(
        (listed.body as GoodsReceipt[]).map((receipt) => [receipt.status, receipt.lines[0]?.unitCost]),
        [["posted", 80]],
      );
      const receiving = await viewer.send("get", `/api/v1/procurement/purchase-orders/${order.id}/receiving`).expect(200);
      assert.deepEqual(
        (receiving.body as { receivedQuantity: number; receivableQuantity: number }[]).map((line) => [line.receivedQuantity, line.receivableQuantity]),
        [[5, 0]],
      );
    });

    it("posts a draft once when two posts race: one 200, one 409 invalid_state; and refuses an over-receipt with its figures", async () => {
      const order = await sentOrder(4, 80);
      const draft = (await operator.send("post", "/api/v1/procurement/receipts").send({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: firstLine(order), quantity: 4 }] }).expect(201)).body as GoodsReceipt;
      const stockBefore = await onHand();
      const answers = await Promise.all([1, 2].map(() => operator.send("post", `/api/v1/procurement/receipts/${draft.id}/post`).send({ rowVersion: draft.rowVersion })));
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
      const loser = answers.find((answer) => answer.status === 409);
      assert.equal((loser?.body as ErrorBody).error.details?.reason, "transition_not_allowed");
      assert.equal(await onHand(), stockBefore + 4);

      const over = await operator
        .send("post", "/api/v1/procurement/receipts")
        .send({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: firstLine(order), quantity: 1 }] })
        .expect(409);
      assert.deepEqual((over.body as ErrorBody).error.details, {
        field: "lines/0/quantity",
        reason: "over_receipt",
        params: { ordered: 4, received: 4, requested: 1, allowed: 0, overReceiptPercent: 0, line: 1 },
      });
      const bad = await operator.send("post", "/api/v1/procurement/receipts").send({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: firstLine(order), quantity: -1 }] }).expect(400);
      assert.match(String((bad.body as ErrorBody).error.details?.field), /lines.*0.*quantity/);
    });

    it("takes invoices from buyers only, refuses a duplicate, and lets only an approver accept exceptions", async () => {
      const order = await sentOrder(3, 100);
      await operator.send("post", "/api/v1/procurement/receipts").send({ purchaseOrderId: order.id, lines: [{ purchaseOrderLineId: firstLine(order), quantity: 3 }], post: true }).expect(201);
      const invoice = {
        purchaseOrderId: order.id,
        invoiceNumber: "0003-00001234",
        invoiceDate: "2026-12-07",
        currency: "USD",
        totalAmount: 363,
        lines: [{ purchaseOrderLineId: firstLine(order), quantity: 3, unitPrice: 110, amount: 330 }],
        charges: [{ kind: "tax", amount: 33 }],
        post: true,
      };
      await operator.send("post", "/api/v1/procurement/invoices").send(invoice).expect(403);
      const posted = (await engineer.send("post", "/api/v1/procurement/invoices").send(invoice).expect(201)).body as SupplierInvoice;
      assert.equal(posted.status, "exceptions");
      assert.equal(posted.lines[0]?.exceptions[0]?.reason, "price_above_order");
      const duplicate = await engineer.send("post", "/api/v1/procurement/invoices").send(invoice).expect(409);
      assert.equal((duplicate.body as ErrorBody).error.details?.reason, "duplicate_invoice");
      const wrongTotal = await engineer.send("post", "/api/v1/procurement/invoices").send({ ...invoice, invoiceNumber: "X-1", totalAmount: 330 }).expect(400);
      assert.deepEqual((wrongTotal.body as ErrorBody).error.details, { field: "totalAmount", reason: "total_mismatch", params: { expected: 363, stated: 330 } });

      await engineer.send("post", `/api/v1/procurement/invoices/${posted.id}/accept`).send({ rowVersion: posted.rowVersion, reason: "ok" }).expect(403);
      const noReason = await admin.send("post", `/api/v1/procurement/invoices/${posted.id}/accept`).send({ rowVersion: posted.rowVersion }).expect(400);
      assert.equal((noReason.body as ErrorBody).error.details?.field, "body.reason");
      const accepted = (await admin.send("post", `/api/v1/procurement/invoices/${posted.id}/accept`).send({ rowVersion: posted.rowVersion, reason: "Price list of December" }).expect(200)).body as SupplierInvoice;
      assert.deepEqual([accepted.status, accepted.acceptedBy], ["accepted", admin.username]);
      const read = (await viewer.send("get", `/api/v1/procurement/invoices/${posted.id}`).expect(200)).body as SupplierInvoice;
      assert.equal(read.acceptReason, "Price list of December");
      const order2 = (await viewer.send("get", `/api/v1/procurement/purchase-orders/${order.id}`).expect(200)).body as PurchaseOrderDetail;
      assert.equal(order2.status, "closed");
    });
  });
}
