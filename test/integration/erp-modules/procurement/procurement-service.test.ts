import assert from "node:assert/strict";
import { InventoryService } from "../../../../erp-modules/inventory/service.js";
import { BELOW_REORDER_POINT_EVENT } from "../../../../erp-modules/inventory/inventory-port.js";
import { MaintenanceService } from "../../../../erp-modules/maintenance/service.js";
import type { Approver } from "../../../../erp-modules/procurement/service.js";
import { ProcurementService } from "../../../../erp-modules/procurement/service.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { pdfText } from "../../../helpers/office-files.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { countChanges, createBattery, createErpHarness, ENGINEER, isServiceError, viaService, type ErpHarness } from "../erp-fixtures.js";

const BUYER = "bob-buyer";
const TECH = "tom-technician";
const approver = (username: string, approvalLimit: number): Approver => ({ username, role: "viewer", grants: [{ grant: "approver", approvalLimit }] });

/** For assert.rejects: a ServiceError with this reason and these params. */
function refusedWith(code: ServiceError["code"], reason: string, params?: Record<string, unknown>) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.deepEqual([error.code, error.details?.reason], [code, reason], error.message);
    if (params) assert.deepEqual(error.details?.params, params);
    return true;
  };
}

for (const target of databaseTargets) {
  describe(`procurement suppliers, requisitions and purchase orders on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let inventory: InventoryService;
    let maintenance: MaintenanceService;
    let procurement: ProcurementService;
    let storeId = "";
    let espId = "";

    const newItem = async (code: string) =>
      inventory.createItem({ code, name: `Item ${code}`, category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, ENGINEER);
    const newSupplier = (code: string, currency = "USD") => procurement.suppliers.create({ code, name: `Supplier ${code}`, currency, taxId: `TAX-${code}` }, BUYER);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "procurement.*");
      harness.context.settings = { siteCurrency: "USD", exchangeRates: "EUR=1.1", siteName: "Test battery" };
      inventory = new InventoryService(harness.context);
      maintenance = new MaintenanceService(harness.context, { assets: harness.assets, inventory });
      procurement = new ProcurementService(harness.context, { inventory });
      storeId = (await inventory.createLocation({ code: "WH-P", name: "Procurement store", kind: "warehouse" }, ENGINEER)).id;
      const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "PF", site: "PB", wells: { "PW-1": "esp" }, tank: "PB-TK1" });
      espId = (await harness.assets.create({ kind: "equipment", code: "ESP-P1", name: "ESP of PW-1", parentId: battery.siteId, equipment: { equipmentType: "esp" } }, ENGINEER)).id;
    });

    after(async () => {
      await procurement?.idle();
      await maintenance?.plans.stop();
      await database?.drop();
    });

    it("keeps suppliers and prices with audit and outbox rows, and looks up the preferred valid price", async () => {
      const item = await newItem("BRG-6205");
      const before = await countChanges(harness.db, "procurement");
      const acme = await newSupplier("ACME");
      const bolt = await newSupplier("BOLT");
      await assert.rejects(newSupplier("ACME"), isServiceError("conflict", "code"));
      await assert.rejects(procurement.suppliers.create({ code: "X", name: "X", currency: "usd" }, BUYER), isServiceError("invalid_input", "currency"));
      const acmePrice = await procurement.suppliers.addItem(acme.id, { itemId: item.id, unitPrice: 12.5, currency: "USD", supplierPartNumber: "A-6205", leadTimeDays: 7 }, BUYER);
      await procurement.suppliers.addItem(bolt.id, { itemId: item.id, unitPrice: 11, currency: "USD", validTo: "2020-12-31", preferred: true }, BUYER);
      await procurement.suppliers.addItem(bolt.id, { itemId: item.id, unitPrice: 14, currency: "USD", validFrom: "2021-01-01", preferred: true }, BUYER);
      const after = await countChanges(harness.db, "procurement");
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [5, 5]);

      // BOLT's current price is preferred, though dearer than ACME's; its expired one no longer counts.
      const price = await procurement.suppliers.price({ itemId: item.id });
      assert.deepEqual([price.supplierCode, price.unitPrice], ["BOLT", 14]);
      assert.equal((await procurement.suppliers.price({ itemId: item.id, on: "2020-06-01" })).unitPrice, 11);
      assert.equal((await procurement.suppliers.price({ itemId: item.id, supplierId: acme.id })).supplierPartNumber, "A-6205");
      assert.equal((await procurement.suppliers.prices(item.id)).length, 3);

      const retired = await procurement.suppliers.update(bolt.id, { rowVersion: 1, active: false }, BUYER);
      assert.equal(retired.active, false);
      assert.equal((await procurement.suppliers.price({ itemId: item.id })).supplierCode, "ACME");
      await assert.rejects(procurement.suppliers.update(bolt.id, { rowVersion: 1, name: "stale" }, BUYER), isServiceError("stale", "rowVersion"));
      const cheaper = await procurement.suppliers.updateItem(acme.id, acmePrice.id, { rowVersion: 1, unitPrice: 12 }, BUYER);
      assert.equal(cheaper.unitPrice, 12);
      await assert.rejects(procurement.suppliers.updateItem(acme.id, acmePrice.id, { rowVersion: 2, validFrom: "2026-02-01", validTo: "2026-01-01" }, BUYER), isServiceError("invalid_input", "validTo"));
      await assert.rejects(procurement.suppliers.addItem(acme.id, { itemId: acme.id, unitPrice: 1, currency: "USD" }, BUYER), isServiceError("not_found"));
    });

    it("raises exactly one reorder requisition line per item and place, even for concurrent triggers", async () => {
      const item = await newItem("FLT-10");
      await inventory.setReorderPoint({ itemId: item.id, locationId: storeId, reorderPointQuantity: 5, reorderQuantity: 20 }, ENGINEER);
      await inventory.receive({ itemId: item.id, quantity: 8, toLocationId: storeId, unitCost: 3, currency: "USD", notes: "" }, ENGINEER);
      await inventory.issue({ itemId: item.id, quantity: 4, fromLocationId: storeId, costObject: { type: "well", id: "PW-1" }, notes: "" }, ENGINEER);
      await procurement.idle();
      const lines = await procurement.requisitions.listLines({ itemId: item.id });
      assert.equal(lines.length, 1);
      assert.deepEqual([lines[0].source, lines[0].sourceRef, lines[0].quantity, lines[0].unit, lines[0].status], ["reorder_point", storeId, 20, "ea", "open"]);

      // The same crossing reported many times at once (two nodes, a replay): still the one line.
      const payload = { itemId: item.id, itemCode: item.code, locationId: storeId, availableQuantity: 4, reorderPointQuantity: 5, reorderQuantity: 20, baseUnit: "ea" };
      for (let index = 0; index < 10; index += 1) harness.context.events.emit(BELOW_REORDER_POINT_EVENT, payload);
      const raced = await Promise.all(
        Array.from({ length: 10 }, () => procurement.raiseRequisition({ source: "reorder_point", sourceRef: storeId, itemId: item.id, quantity: 20, locationId: storeId }, "flow:n1")),
      );
      await procurement.idle();
      assert.ok(raced.every((raised) => !raised.created && raised.line.id === lines[0].id));
      assert.equal((await procurement.requisitions.listLines({ itemId: item.id })).length, 1);

      // Concurrent first triggers for a fresh item and place: the partial unique index lets one insert win.
      const other = await newItem("FLT-20");
      const first = await Promise.all(
        Array.from({ length: 8 }, () => procurement.raiseRequisition({ source: "reorder_point", sourceRef: storeId, itemId: other.id, quantity: 3, locationId: storeId }, "flow:n1")),
      );
      assert.equal(first.filter((raised) => raised.created).length, 1);
      assert.equal(new Set(first.map((raised) => raised.line.id)).size, 1);
    });

    it("raises a requisition line for the shortfall when a work order cannot reserve a part", async () => {
      const item = await newItem("SEAL-77");
      await inventory.receive({ itemId: item.id, quantity: 2, toLocationId: storeId, unitCost: 40, currency: "USD", notes: "" }, ENGINEER);
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "Replace seals" }, TECH);
      await assert.rejects(maintenance.parts.reserve(workOrder.id, { itemId: item.id, locationId: storeId, quantity: 5 }, TECH), isServiceError("conflict"));
      await procurement.idle();
      const lines = await procurement.requisitions.listLines({ itemId: item.id });
      assert.equal(lines.length, 1);
      assert.deepEqual([lines[0].source, lines[0].sourceRef, lines[0].quantity, lines[0].locationId], ["work_order", workOrder.id, 3, storeId]);
    });

    it("orders open requisitions per supplier, approves within limits only by someone else, and follows receipts to closed", async () => {
      const pump = await newItem("PMP-1");
      const valve = await newItem("VLV-2");
      const north = await newSupplier("NORTH");
      const south = await newSupplier("SOUTH");
      await procurement.suppliers.addItem(north.id, { itemId: pump.id, unitPrice: 800, currency: "USD", preferred: true, minOrderQuantity: 2 }, BUYER);
      await procurement.suppliers.addItem(south.id, { itemId: valve.id, unitPrice: 150.5, currency: "USD", supplierPartNumber: "S-V2" }, BUYER);
      const requisition = await procurement.requisitions.create(
        {
          lines: [
            { itemId: pump.id, quantity: 1, locationId: storeId },
            { itemId: valve.id, quantity: 4 },
          ],
        },
        TECH,
      );
      const [pumpLine, valveLine] = requisition.lines;
      const orders = await procurement.purchaseOrders.createFromRequisitions({ requisitionLineIds: [pumpLine.id, valveLine.id] }, BUYER);
      assert.equal(orders.length, 2);
      const pumpOrder = orders.find((order) => order.supplierId === north.id);
      assert.ok(pumpOrder);
      // The minimum order quantity lifts 1 to 2 pumps at 800.
      assert.deepEqual([pumpOrder.status, pumpOrder.lines[0].quantity, pumpOrder.totalAmount, pumpOrder.deliveryLocationId], ["draft", 2, 1600, storeId]);
      assert.equal((await procurement.requisitions.line(pumpLine.id)).status, "ordered");
      await assert.rejects(procurement.purchaseOrders.createFromRequisitions({ requisitionLineIds: [pumpLine.id] }, BUYER), isServiceError("invalid_state", "requisitionLineIds/0"));

      const submitted = await procurement.purchaseOrders.transition(pumpOrder.id, { rowVersion: 1, to: "submitted" }, BUYER);
      await assert.rejects(procurement.purchaseOrders.approve(pumpOrder.id, { rowVersion: submitted.rowVersion }, { username: BUYER, role: "admin", grants: [] }), refusedWith("forbidden", "own_purchase_order"));
      await assert.rejects(
        procurement.purchaseOrders.approve(pumpOrder.id, { rowVersion: submitted.rowVersion }, approver("ana", 1000)),
        refusedWith("forbidden", "approval_limit", { limit: 1000, total: 1600, currency: "USD" }),
      );
      await assert.rejects(procurement.purchaseOrders.transition(pumpOrder.id, { rowVersion: submitted.rowVersion, to: "sent" }, BUYER), isServiceError("invalid_state", "to"));
      const approved = await procurement.purchaseOrders.approve(pumpOrder.id, { rowVersion: submitted.rowVersion }, approver("ana", 5000));
      assert.deepEqual([approved.status, approved.approvedBy, approved.approvedSiteTotal], ["approved", "ana", 1600]);
      const sent = await procurement.purchaseOrders.transition(pumpOrder.id, { rowVersion: approved.rowVersion, to: "sent" }, BUYER);
      assert.equal(sent.status, "sent");

      const [line] = await procurement.purchaseOrderLines(pumpOrder.id);
      const partly = await harness.db.transaction((tx) => procurement.recordReceived(line.id, 1, "gus-storekeeper", tx));
      assert.deepEqual([partly.order.status, partly.line.receivedQuantity], ["partially_received", 1]);
      await assert.rejects(
        harness.db.transaction((tx) => procurement.recordReceived(line.id, -2, "gus-storekeeper", tx)),
        isServiceError("invalid_input", "quantity"),
      );
      const full = await harness.db.transaction((tx) => procurement.recordReceived(line.id, 1, "gus-storekeeper", tx));
      assert.equal(full.order.status, "received");
      assert.ok((await procurement.requisitions.line(pumpLine.id)).fulfilledAt);
      await harness.db.transaction((tx) => procurement.recordInvoiced(line.id, 2, "ivy-accounts", tx));
      const closed = await procurement.purchaseOrders.transition(pumpOrder.id, { rowVersion: full.order.rowVersion, to: "closed" }, BUYER);
      assert.equal(closed.status, "closed");
      assert.equal((await procurement.purchaseOrderLines(pumpOrder.id))[0].invoicedQuantity, 2);
      assert.deepEqual(
        harness.events.filter((event) => event.payload.id === pumpOrder.id).map((event) => event.payload.status),
        ["submitted", "approved", "sent", "partially_received", "received", "closed"],
      );

      // Rejected, then cancelled: its requisition line is open again for another order.
      const valveOrder = orders.find((order) => order.supplierId === south.id);
      assert.ok(valveOrder);
      const valveSubmitted = await procurement.purchaseOrders.transition(valveOrder.id, { rowVersion: 1, to: "submitted" }, BUYER);
      await assert.rejects(harness.db.transaction((tx) => procurement.recordReceived(valveOrder.lines[0].id, 1, "gus", tx)), isServiceError("invalid_state"));
      const rejected = await procurement.purchaseOrders.reject(valveOrder.id, { rowVersion: valveSubmitted.rowVersion, reason: "Ask for a second quote" }, approver("ana", 5000));
      assert.deepEqual([rejected.status, rejected.rejectionReason], ["rejected", "Ask for a second quote"]);
      const cancelled = await procurement.purchaseOrders.transition(valveOrder.id, { rowVersion: rejected.rowVersion, to: "cancelled", reason: "Bought elsewhere" }, BUYER);
      assert.equal(cancelled.status, "cancelled");
      assert.deepEqual([(await procurement.requisitions.line(valveLine.id)).status, (await procurement.requisitions.line(valveLine.id)).purchaseOrderLineId], ["open", null]);
    });

    it("drafts an order by hand at the supplier's price, edits it, and refuses a currency without an exchange rate", async () => {
      const item = await newItem("GSK-9");
      const euro = await newSupplier("EUROPA", "EUR");
      const pound = await newSupplier("LONDON", "GBP");
      await procurement.suppliers.addItem(euro.id, { itemId: item.id, unitPrice: 20, currency: "EUR" }, BUYER);
      await assert.rejects(procurement.purchaseOrders.create({ supplierId: pound.id, lines: [{ itemId: item.id, quantity: 1 }] }, BUYER), isServiceError("conflict", "lines/0/unitPrice"));
      await assert.rejects(procurement.purchaseOrders.create({ supplierId: euro.id, lines: [{ itemId: euro.id, quantity: 1 }] }, BUYER), isServiceError("invalid_input", "lines/0/itemId"));
      const order = await procurement.purchaseOrders.create({ supplierId: euro.id, taxAmount: 4.2, lines: [{ itemId: item.id, quantity: 10 }] }, BUYER);
      assert.deepEqual([order.currency, order.subtotalAmount, order.totalAmount, order.number], ["EUR", 200, 204.2, order.number]);
      assert.match(order.number, /^PO-\d{6}$/);
      const edited = await procurement.purchaseOrders.update(order.id, { rowVersion: 1, lines: [{ itemId: item.id, quantity: 5, unitPrice: 19 }], notes: "Urgent" }, BUYER);
      assert.deepEqual([edited.totalAmount, edited.lines.length, edited.notes], [99.2, 1, "Urgent"]);
      const submitted = await procurement.purchaseOrders.transition(order.id, { rowVersion: edited.rowVersion, to: "submitted" }, BUYER);
      // 99.20 EUR at 1.1 = 109.12 USD.
      assert.equal((await procurement.purchaseOrders.approve(order.id, { rowVersion: submitted.rowVersion }, approver("ana", 200))).approvedSiteTotal, 109.12);

      const poundOrder = await procurement.purchaseOrders.create({ supplierId: pound.id, lines: [{ itemId: item.id, quantity: 1, unitPrice: 5 }] }, BUYER);
      const poundSubmitted = await procurement.purchaseOrders.transition(poundOrder.id, { rowVersion: 1, to: "submitted" }, BUYER);
      await assert.rejects(
        procurement.purchaseOrders.approve(poundOrder.id, { rowVersion: poundSubmitted.rowVersion }, approver("ana", 1_000_000)),
        refusedWith("conflict", "no_exchange_rate", { currency: "GBP", siteCurrency: "USD" }),
      );
    });

    it("prints the order as a PDF in English and Spanish with its number, supplier, lines and totals", async () => {
      const item = await newItem("ROD-3");
      const supplier = await newSupplier("PDFCO");
      await procurement.suppliers.addItem(supplier.id, { itemId: item.id, unitPrice: 33.25, currency: "USD", supplierPartNumber: "PX-3" }, BUYER);
      const order = await procurement.purchaseOrders.create({ supplierId: supplier.id, deliveryLocationId: storeId, lines: [{ itemId: item.id, quantity: 4 }] }, BUYER);
      const english = await procurement.purchaseOrderPdf(order.id, "en");
      assert.equal(english.filename, `${order.number}.pdf`);
      assert.equal(english.body.subarray(0, 5).toString("latin1"), "%PDF-");
      const text = pdfText(english.body).join("\n");
      for (const expected of [`Purchase order ${order.number}`, "Supplier PDFCO (PDFCO)", "ROD-3", "PX-3", "133.00", "Total: 133.00 USD", "NOT APPROVED", "Procurement store (WH-P)"]) {
        assert.ok(text.includes(expected), `"${expected}" in the PDF text:\n${text}`);
      }
      const spanish = pdfText((await procurement.purchaseOrderPdf(order.id, "es")).body).join("\n");
      assert.ok(spanish.includes(`Orden de compra ${order.number}`), spanish);
      assert.ok(spanish.includes("Total: 133,00 USD"), spanish);
    });
  });
}
