import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { choose, createUserWithGrants, grant, onHandAt, pagesFor, type Created } from "../helpers/procurement-fixtures.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient, sessionAs } from "../integration/support.js";

const STOREKEEPER = "sara-almacen";
const BUYER = "berta-compras";
const APPROVER = "ana-aprobadora";

interface Order {
  id: string;
  rowVersion: number;
}

/**
 * Receiving and invoicing on screen, in Spanish: the storekeeper receives an
 * order of 5 bearings in two deliveries (3, shown partial; then 3 more, shown
 * over-delivered within the site's 20 % tolerance), the stock follows; the
 * buyer enters the supplier's invoice at a higher price than ordered, the
 * three-way match flags the price, and the approver accepts it with a reason.
 */
describe("e2e: procurement goods receipts and supplier invoices", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let admin: SiteClient;
  let pages: Record<string, Page> = {};
  let orderId = "";
  let itemId = "";
  let locationId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false", PETROFLOW_PROCUREMENT_OVER_RECEIPT_PERCENT: "20", PETROFLOW_PROCUREMENT_QUANTITY_TOLERANCE_PERCENT: "20" } });
    admin = await adminClient(site.url);
    await createUserWithGrants(admin, STOREKEEPER, "viewer", [grant("storekeeper")]);
    await createUserWithGrants(admin, BUYER, "viewer", [grant("buyer")]);
    await createUserWithGrants(admin, APPROVER, "viewer", [grant("approver", 10_000)]);
    locationId = (await admin.json<Created>("POST", "/api/v1/inventory/locations", { code: "ALM-1", name: "Almacén central", kind: "warehouse" }, 201)).id;
    itemId = (await admin.json<Created>("POST", "/api/v1/inventory/items", { code: "BRG-ESP", name: "ESP thrust bearing", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201)).id;
    const supplier = await admin.json<Created>("POST", "/api/v1/procurement/suppliers", { code: "SUP-ESP", name: "Bombas del Sur", currency: "USD" }, 201);
    // The order, approved and sent through the API: this suite is about what happens after.
    const buyer = await sessionAs(site.url, BUYER);
    const order = await buyer.json<Order>("POST", "/api/v1/procurement/purchase-orders", { supplierId: supplier.id, deliveryLocationId: locationId, lines: [{ itemId, quantity: 5, unitPrice: 100 }] }, 201);
    const submitted = await buyer.json<Order>("POST", `/api/v1/procurement/purchase-orders/${order.id}/transition`, { rowVersion: order.rowVersion, to: "submitted" });
    const approver = await sessionAs(site.url, APPROVER);
    const approved = await approver.json<Order>("POST", `/api/v1/procurement/purchase-orders/${order.id}/approve`, { rowVersion: submitted.rowVersion });
    await buyer.json("POST", `/api/v1/procurement/purchase-orders/${order.id}/transition`, { rowVersion: approved.rowVersion, to: "sent" });
    orderId = order.id;
    browser = await launchChromium();
    pages = await pagesFor(browser, site.url, { [STOREKEEPER]: "es-ES", [BUYER]: "es-ES", [APPROVER]: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "procurement-receiving", Object.values(pages));
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  const page = (username: string): Page => {
    const found = pages[username];
    if (!found) throw new Error(`no page for ${username}`);
    return found;
  };

  it("the storekeeper receives part of the order, then more than the rest, into the store", async () => {
    const storekeeper = page(STOREKEEPER);
    await storekeeper.click('[data-testid="nav-procurement-receipts"]');
    await choose(storekeeper, "order-picker", /Bombas del Sur/);
    await storekeeper.fill('[data-testid="receipt-quantity-1"]', "3");
    await storekeeper.click('[data-testid="receipt-post"]');
    await storekeeper.locator('[data-testid="receipt-order-status"]', { hasText: "Recibida en parte" }).waitFor();
    // The order's status and its lines are two queries: each is waited for, not read at once.
    const state = storekeeper.locator('[data-testid="receiving-line-1"] [data-testid="receiving-line-state"]');
    await state.filter({ hasText: /^Parcial$/ }).waitFor();
    assert.equal(await onHandAt(admin, itemId, locationId), 3);

    await storekeeper.fill('[data-testid="receipt-quantity-1"]', "3");
    await choose(storekeeper, "receipt-location-1", /^ALM-1/);
    await storekeeper.click('[data-testid="receipt-post"]');
    await storekeeper.locator('[data-testid="receipt-order-status"]', { hasText: "Recibida" }).filter({ hasNotText: "en parte" }).waitFor();
    await state.filter({ hasText: /^Excedente$/ }).waitFor();
    assert.equal(await onHandAt(admin, itemId, locationId), 6);
  });

  it("the buyer's invoice above the order price is an exception the approver accepts with a reason", async () => {
    const buyer = page(BUYER);
    await buyer.goto(new URL(`/procurement/orders/${orderId}`, buyer.url()).toString());
    await buyer.click('[data-testid="order-invoice-link"]');
    await buyer.fill('[data-testid="invoice-number"]', "F-0001-00012345");
    await buyer.fill('[data-testid="invoice-price-1"]', "120");
    await buyer.click('[data-testid="invoice-post"]');
    const invoice = buyer.locator('[data-testid="invoice-F-0001-00012345"]');
    await invoice.locator('[data-testid="invoice-status"]', { hasText: "Con excepciones" }).waitFor();
    assert.match(await invoice.locator('[data-testid="invoice-line-exception"]').innerText(), /Precio 120 frente a 100 de la orden: 20 % más, 120 en la línea/);
    assert.equal(await invoice.locator('[data-testid="invoice-accept"]').count(), 0, "accepting is the approver's");

    const approver = page(APPROVER);
    await approver.goto(buyer.url());
    const pending = approver.locator('[data-testid="invoice-F-0001-00012345"]');
    await pending.locator('[data-testid="invoice-accept-reason"]').fill("Aumento de lista del proveedor acordado por teléfono");
    await pending.locator('[data-testid="invoice-accept"]').click();
    await pending.locator('[data-testid="invoice-status"]', { hasText: "Aceptada" }).waitFor();
    assert.match(await pending.locator('[data-testid="invoice-accepted"]').innerText(), /ana-aprobadora: Aumento de lista/);
  });
});
