import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, skipUnlessBrowser } from "../helpers/browser.js";
import { choose, createUserWithGrants, grant, pagesFor, type Created } from "../helpers/procurement-fixtures.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";

const BUYER = "berta-compras";
const SMALL_APPROVER = "pablo-aprueba-poco";
const APPROVER = "ana-aprobadora";
const VIEWER = "vera-consulta";

/**
 * Requisitions and purchase orders on screen: the buyer raises a requisition
 * by hand and turns it into an order, submits it; an approver whose limit is
 * too small is refused with the server's reason in Spanish, the next one
 * rejects it with a reason the buyer then reads, and after a resubmit
 * approves it; a viewer sees neither action.
 */
describe("e2e: procurement requisitions and purchase orders", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let pages: Record<string, Page> = {};
  let orderUrl = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false", PETROFLOW_SITE_CURRENCY: "USD" } });
    const admin = await adminClient(site.url);
    await createUserWithGrants(admin, BUYER, "viewer", [grant("buyer")]);
    await createUserWithGrants(admin, SMALL_APPROVER, "viewer", [grant("approver", 100)]);
    await createUserWithGrants(admin, APPROVER, "viewer", [grant("approver", 50_000)]);
    await createUserWithGrants(admin, VIEWER, "viewer", []);
    await admin.json("POST", "/api/v1/inventory/locations", { code: "ALM-1", name: "Almacén central", kind: "warehouse" }, 201);
    const item = await admin.json<Created>("POST", "/api/v1/inventory/items", { code: "SEAL-ESP", name: "ESP seal", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201);
    const supplier = await admin.json<Created>("POST", "/api/v1/procurement/suppliers", { code: "SUP-1", name: "Sellos Andinos", currency: "USD" }, 201);
    await admin.json("POST", `/api/v1/procurement/suppliers/${supplier.id}/items`, { itemId: item.id, unitPrice: 350, currency: "USD", preferred: true }, 201);
    browser = await launchChromium();
    pages = await pagesFor(browser, site.url, { [BUYER]: "es-ES", [SMALL_APPROVER]: "es-ES", [APPROVER]: "es-ES", [VIEWER]: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "procurement-orders", Object.values(pages));
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
  const status = (on: Page, text: string) => on.locator('[data-testid="order-status"]', { hasText: text }).waitFor();

  it("the buyer raises a requisition by hand and turns it into a submitted order", async () => {
    const buyer = page(BUYER);
    await buyer.click('[data-testid="nav-procurement-requisitions"]');
    await choose(buyer, "requisition-item", "SEAL-ESP — ESP seal");
    await buyer.fill('[data-testid="requisition-quantity"]', "3");
    await buyer.click('[data-testid="requisition-create"]');
    const line = buyer.locator('[data-testid="requisition-line-SEAL-ESP"]');
    assert.equal((await line.locator('[data-testid="requisition-line-source"]').textContent())?.trim(), "Manual");
    await line.locator('[data-testid="requisition-line-choose"]').check();
    await buyer.click('[data-testid="requisitions-convert"]');
    await buyer.waitForSelector('[data-testid="procurement-order-detail"]');
    orderUrl = new URL(buyer.url()).pathname;
    // 3 × 350 USD at the supplier's preferred price, in Spanish notation.
    assert.match(await buyer.locator('[data-testid="order-total"]').innerText(), /1050,00\s*US\$/);
    await buyer.click('[data-testid="order-move-submitted"]');
    await status(buyer, "Pendiente de aprobación");
    assert.equal(await buyer.locator('[data-testid="order-move-approved"]').count(), 0, "the buyer is not shown approval");
  });

  it("an approver over their limit is refused with the reason in Spanish; the next one rejects it with a reason", async () => {
    const small = page(SMALL_APPROVER);
    await small.goto(new URL(orderUrl, small.url()).toString());
    assert.match(await small.locator('[data-testid="order-approval-limit"]').innerText(), /100,00/);
    await small.click('[data-testid="order-move-approved"]');
    const refusal = small.locator('[data-testid="order-move-error"]');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /límite de aprobación de 100 USD/);
    await status(small, "Pendiente de aprobación");

    const approver = page(APPROVER);
    await approver.goto(new URL(orderUrl, approver.url()).toString());
    assert.equal(await approver.locator('[data-testid="order-move-rejected"]').isDisabled(), true, "a rejection needs a reason");
    await approver.fill('[data-testid="order-reason"]', "Pedir cotización a un segundo proveedor");
    await approver.click('[data-testid="order-move-rejected"]');
    await status(approver, "Rechazada");

    const buyer = page(BUYER);
    await buyer.reload();
    assert.match(await buyer.locator('[data-testid="order-rejection"]').innerText(), /segundo proveedor/);
  });

  it("resubmitted, the approver approves it; a viewer sees the order but no action", async () => {
    const buyer = page(BUYER);
    await buyer.click('[data-testid="order-move-submitted"]');
    await status(buyer, "Pendiente de aprobación");
    const approver = page(APPROVER);
    await approver.reload();
    await approver.click('[data-testid="order-move-approved"]');
    await status(approver, "Aprobada");

    const viewer = page(VIEWER);
    await viewer.click('[data-testid="nav-procurement-orders"]');
    await viewer.locator('[data-testid="procurement-orders"] a').first().click();
    await status(viewer, "Aprobada");
    assert.equal(await viewer.locator('[data-testid^="order-move-"]').count(), 0);
  });
});
