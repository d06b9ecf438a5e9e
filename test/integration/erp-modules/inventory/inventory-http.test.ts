import assert from "node:assert/strict";
import type { Item, Location, StockBalance, StockMove } from "../../../../erp-modules/inventory/schema.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`inventory over HTTP (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let operator: SiteClient;
    let engineer: SiteClient;
    let viewer: SiteClient;
    let item: Item;
    let store: Location;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ operator, engineer, viewer } = await sessionsByRole(site.url, { operator: "sam-storekeeper", engineer: "erin-engineer", viewer: "vic-viewer" }));
      store = await engineer.json<Location>("POST", "/api/v1/inventory/locations", { code: "WH-1", name: "Main store", kind: "warehouse" }, 201);
      item = await engineer.json<Item>(
        "POST",
        "/api/v1/inventory/items",
        { code: "PUMP-SEAL", name: "ESP seal section", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" },
        201,
      );
    });

    after(async () => {
      await site?.dispose();
    });

    it("the storekeeper receives and issues; viewers read stock and the ledger; an issue beyond stock is a 409 naming what is available", async () => {
      const received = await operator.json<StockMove>("POST", "/api/v1/inventory/receipts", { itemId: item.id, toLocationId: store.id, quantity: 3, unitCost: 1200, currency: "USD" }, 201);
      assert.equal(received.createdBy, "sam-storekeeper");
      await operator.json<StockMove>("POST", "/api/v1/inventory/issues", { itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: { type: "well", id: "W-101" } }, 201);
      const refused = await operator.request("POST", "/api/v1/inventory/issues", { itemId: item.id, fromLocationId: store.id, quantity: 5, costObject: { type: "well", id: "W-101" } });
      assert.equal(refused.status, 409);
      const error = await errorOf(refused);
      assert.equal(error.details?.reason, "insufficient_stock");
      assert.deepEqual(error.details?.params, { available: 2, requested: 5, unit: "ea" });
      const stock = await viewer.json<StockBalance[]>("GET", `/api/v1/inventory/stock?locationId=${store.id}`);
      assert.deepEqual(stock.map((balance) => [balance.itemId, balance.onHandQuantity, balance.value]), [[item.id, 2, 2400]]);
      const moves = await viewer.json<{ items: StockMove[]; total: number }>("GET", `/api/v1/inventory/moves?itemId=${item.id}`);
      assert.equal(moves.total, 2);
    });

    it("an Idempotency-Key replays the first answer instead of moving stock twice", async () => {
      const body = { itemId: item.id, toLocationId: store.id, quantity: 1, unitCost: 1200, currency: "USD" };
      const first = await operator.request("POST", "/api/v1/inventory/receipts", body, { "Idempotency-Key": "receipt-http-1" });
      const second = await operator.request("POST", "/api/v1/inventory/receipts", body, { "Idempotency-Key": "receipt-http-1" });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.equal(((await first.json()) as StockMove).id, ((await second.json()) as StockMove).id);
    });

    it("refuses a bad field with a 400 naming it, and keeps each action to its role", async () => {
      const bad = await operator.request("POST", "/api/v1/inventory/issues", { itemId: item.id, fromLocationId: store.id, quantity: -1, costObject: { type: "well", id: "W-101" } });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(await errorOf(bad)), /quantity/);
      const viewerIssue = await viewer.request("POST", "/api/v1/inventory/issues", { itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: { type: "well", id: "W-101" } });
      assert.equal(viewerIssue.status, 403);
      const operatorItem = await operator.request("POST", "/api/v1/inventory/items", { code: "X", name: "X", category: "other", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" });
      assert.equal(operatorItem.status, 403);
      const operatorAdjust = await operator.request("POST", "/api/v1/inventory/adjustments", { itemId: item.id, locationId: store.id, quantityDelta: -1, notes: "lost" });
      assert.equal(operatorAdjust.status, 403);
    });
  });
}
