import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, skipUnlessBrowser } from "../helpers/browser.js";
import { choose, createUserWithGrants, grant, pagesFor } from "../helpers/procurement-fixtures.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";

const BUYER = "berta-compras";
const VIEWER = "vera-consulta";

/**
 * The suppliers screen in Spanish: the buyer adds a supplier (a bad currency
 * is refused naming the field, in Spanish), edits it, and gives it a price
 * for an item; a viewer reads the same list without any form.
 */
describe("e2e: procurement suppliers and prices", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let pages: Record<string, Page> = {};

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const admin = await adminClient(site.url);
    await createUserWithGrants(admin, BUYER, "viewer", [grant("buyer")]);
    await createUserWithGrants(admin, VIEWER, "viewer", []);
    await admin.json("POST", "/api/v1/inventory/items", { code: "BRG-ESP", name: "ESP thrust bearing", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201);
    browser = await launchChromium();
    pages = await pagesFor(browser, site.url, { [BUYER]: "es-ES", [VIEWER]: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "procurement-suppliers", Object.values(pages));
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

  it("the buyer adds a supplier after a refused currency, edits it and prices an item", async () => {
    const buyer = page(BUYER);
    await buyer.click('[data-testid="nav-procurement-suppliers"]');
    await buyer.fill('[data-testid="supplier-new-code"]', "SUP-ESP");
    await buyer.fill('[data-testid="supplier-new-name"]', "Bombas del Sur");
    await buyer.fill('[data-testid="supplier-new-currency"]', "US");
    await buyer.click('[data-testid="supplier-new-save"]');
    const detail = buyer.locator('[data-testid="error-detail"]');
    await detail.waitFor();
    assert.equal(await detail.textContent(), "currency: no tiene la forma esperada");

    await buyer.fill('[data-testid="supplier-new-currency"]', "USD");
    await buyer.click('[data-testid="supplier-new-save"]');
    await buyer.locator('[data-testid="supplier-detail"]', { hasText: "SUP-ESP — Bombas del Sur" }).waitFor();
    await buyer.fill('[data-testid="supplier-edit-name"]', "Bombas del Sur S.A.");
    await buyer.click('[data-testid="supplier-edit-save"]');
    await buyer.locator('[data-testid="supplier-row-SUP-ESP"]', { hasText: "Bombas del Sur S.A." }).waitFor();

    await choose(buyer, "supplier-item-item", "BRG-ESP — ESP thrust bearing");
    await buyer.fill('[data-testid="supplier-item-price"]', "210.5");
    await buyer.click('[data-testid="supplier-item-add"]');
    const price = buyer.locator('[data-testid="supplier-item-BRG-ESP"]');
    await price.waitFor();
    assert.match(await price.innerText(), /210,50\s*US\$\s*\/\s*ea/);
  });

  it("a viewer reads suppliers and prices but gets no form", async () => {
    const viewer = page(VIEWER);
    await viewer.click('[data-testid="nav-procurement-suppliers"]');
    await viewer.click('[data-testid="supplier-row-SUP-ESP"]');
    await viewer.locator('[data-testid="supplier-item-BRG-ESP"]').waitFor();
    assert.equal(await viewer.locator('[data-testid="supplier-new-save"], [data-testid="supplier-edit-save"], [data-testid="supplier-item-add"]').count(), 0);
  });
});
