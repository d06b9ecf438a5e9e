import assert from "node:assert/strict";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { pdfText } from "../../../helpers/office-files.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

interface Order {
  id: string;
  number: string;
  status: string;
  rowVersion: number;
  totalAmount: number;
}

interface ErrorBody {
  error: { code: string; details?: { field?: string; reason?: string; params?: Record<string, unknown> } };
}

/**
 * The procurement API through the real app: role and permission checks,
 * 400s naming the field, the approval refusals as 403 with their reason,
 * Idempotency-Key, the PDF download. Grants are not stored for users yet,
 * so approval limits are covered by the service test; here the admin
 * approves (unlimited) and is still refused their own order.
 */
for (const target of databaseTargets) {
  describe(`procurement over HTTP (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let admin: InProcessSession;
    let engineer: InProcessSession;
    let operator: InProcessSession;
    let viewer: InProcessSession;
    let itemId = "";
    let supplierId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      [admin, engineer, operator, viewer] = [await site.session("admin"), await site.session("engineer"), await site.session("operator"), await site.session("viewer")];
      const item = await site.erp.inventory.createItem({ code: "HTTP-BRG", name: "Bearing 6205", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, "admin");
      itemId = item.id;
    });

    after(async () => {
      await site?.erp.procurement.idle();
      await site?.close();
      await database?.drop();
    });

    it("lets engineers (buyers) keep suppliers and prices, viewers read them, and names the field of a bad request", async () => {
      const created = await engineer.send("post", "/api/v1/procurement/suppliers").send({ code: "HTTP-SUP", name: "Bearings Inc", currency: "USD", paymentTermsDays: 45 }).expect(201);
      supplierId = (created.body as { id: string }).id;
      const duplicate = await engineer.send("post", "/api/v1/procurement/suppliers").send({ code: "HTTP-SUP", name: "Again", currency: "USD" }).expect(409);
      assert.equal((duplicate.body as ErrorBody).error.details?.reason, "already_exists");
      const bad = await engineer.send("post", "/api/v1/procurement/suppliers").send({ code: "BAD", name: "Bad", currency: "dollars" }).expect(400);
      assert.equal((bad.body as ErrorBody).error.details?.field, "body.currency");
      await operator.send("post", "/api/v1/procurement/suppliers").send({ code: "OP", name: "Op", currency: "USD" }).expect(403);
      await viewer.send("post", "/api/v1/procurement/suppliers").send({ code: "VW", name: "Vw", currency: "USD" }).expect(403);

      await engineer.send("post", `/api/v1/procurement/suppliers/${supplierId}/items`).send({ itemId, unitPrice: 250, currency: "USD", preferred: true }).expect(201);
      const price = await viewer.send("get", `/api/v1/procurement/prices?itemId=${itemId}`).expect(200);
      assert.deepEqual([(price.body as { supplierCode: string }).supplierCode, (price.body as { unitPrice: number }).unitPrice], ["HTTP-SUP", 250]);
      const list = await viewer.send("get", "/api/v1/procurement/suppliers").expect(200);
      assert.deepEqual((list.body as { code: string }[]).map((supplier) => supplier.code), ["HTTP-SUP"]);
    });

    it("takes a requisition from an operator and answers a keyed retry with the first order", async () => {
      const requisition = await operator.send("post", "/api/v1/procurement/requisitions").send({ lines: [{ itemId, quantity: 3 }] }).expect(201);
      const [line] = (requisition.body as { lines: { id: string }[] }).lines;
      const key = "procurement-http-0001";
      const first = await engineer.send("post", "/api/v1/procurement/purchase-orders/from-requisitions").set("Idempotency-Key", key).send({ requisitionLineIds: [line.id] }).expect(201);
      const again = await engineer.send("post", "/api/v1/procurement/purchase-orders/from-requisitions").set("Idempotency-Key", key).send({ requisitionLineIds: [line.id] }).expect(201);
      assert.deepEqual((again.body as Order[]).map((order) => order.id), (first.body as Order[]).map((order) => order.id));
      const open = await viewer.send("get", "/api/v1/procurement/requisition-lines?status=open").expect(200);
      assert.equal((open.body as unknown[]).length, 0);
    });

    it("refuses approval to engineers (403), to the order's own creator (403 own_purchase_order), and approves another's order", async () => {
      const order = (await engineer.send("post", "/api/v1/procurement/purchase-orders").send({ supplierId, lines: [{ itemId, quantity: 2 }] }).expect(201)).body as Order;
      assert.equal(order.totalAmount, 500);
      const submitted = (await engineer.send("post", `/api/v1/procurement/purchase-orders/${order.id}/transition`).send({ rowVersion: 1, to: "submitted" }).expect(200)).body as Order;
      await engineer.send("post", `/api/v1/procurement/purchase-orders/${order.id}/approve`).send({ rowVersion: submitted.rowVersion }).expect(403);
      const skipped = await engineer.send("post", `/api/v1/procurement/purchase-orders/${order.id}/transition`).send({ rowVersion: submitted.rowVersion, to: "sent" }).expect(409);
      assert.deepEqual((skipped.body as ErrorBody).error.details?.params, { from: "submitted", to: "sent" });
      const approved = (await admin.send("post", `/api/v1/procurement/purchase-orders/${order.id}/approve`).send({ rowVersion: submitted.rowVersion }).expect(200)).body as Order;
      assert.equal(approved.status, "approved");

      const own = (await admin.send("post", "/api/v1/procurement/purchase-orders").send({ supplierId, lines: [{ itemId, quantity: 1 }] }).expect(201)).body as Order;
      const ownSubmitted = (await admin.send("post", `/api/v1/procurement/purchase-orders/${own.id}/transition`).send({ rowVersion: 1, to: "submitted" }).expect(200)).body as Order;
      const refused = await admin.send("post", `/api/v1/procurement/purchase-orders/${own.id}/approve`).send({ rowVersion: ownSubmitted.rowVersion }).expect(403);
      assert.deepEqual([(refused.body as ErrorBody).error.details?.reason, (refused.body as ErrorBody).error.details?.params], ["own_purchase_order", { user: "admin" }]);
      const rejected = await admin.send("post", `/api/v1/procurement/purchase-orders/${own.id}/reject`).send({ rowVersion: ownSubmitted.rowVersion }).expect(400);
      assert.equal((rejected.body as ErrorBody).error.details?.field, "body.reason");
    });

    it("downloads the order as a PDF named after its number, in the language the browser asks for", async () => {
      const [order] = (await viewer.send("get", "/api/v1/procurement/purchase-orders?status=approved").expect(200)).body as Order[];
      assert.ok(order);
      const response = await viewer
        .send("get", `/api/v1/procurement/purchase-orders/${order.id}/pdf`)
        .set("Accept-Language", "es-AR,es;q=0.9,en;q=0.5")
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      assert.match(String(response.headers["content-type"]), /^application\/pdf/);
      assert.equal(response.headers["content-disposition"], `attachment; filename=${order.number}.pdf`);
      const text = pdfText(response.body as Buffer).join("\n");
      assert.ok(text.includes(`Orden de compra ${order.number}`), text);
      assert.ok(text.includes("Aprobada por admin"), text);
      await viewer.send("get", "/api/v1/procurement/purchase-orders/00000000-0000-4000-8000-000000000000/pdf").expect(404);
    });
  });
}
