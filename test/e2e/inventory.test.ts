import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { SiteClient } from "../helpers/http-client.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const STOREKEEPER = "sam-storekeeper";

interface Created {
  id: string;
}

/**
 * The storekeeper's day on the stock screen: receive an item into the store,
 * issue part of it to a well, and see the stock by location follow; move
 * stock to the yard (the browser's own checks and the server's 409 under
 * the quantity); release a reservation a work order no longer needs.
 */
describe("e2e: inventory stock screen", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let storekeeper: SiteClient;
  let itemId = "";
  let storeId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const { engineer, operator } = await sessionsByRole(site.url, { operator: STOREKEEPER, engineer: "erin-engineer" });
    storekeeper = operator;
    storeId = (await engineer.json<Created>("POST", "/api/v1/inventory/locations", { code: "WH-1", name: "Main store", kind: "warehouse" }, 201)).id;
    await engineer.json("POST", "/api/v1/inventory/locations", { code: "YARD-1", name: "Site yard", kind: "yard" }, 201);
    itemId = (await engineer.json<Created>("POST", "/api/v1/inventory/items", { code: "SEAL-1", name: "ESP seal", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201)).id;
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, STOREKEEPER, passwordFor(STOREKEEPER), { locale: "en-US", timezoneId: "UTC" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "inventory", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  async function choose(testId: string, option: string): Promise<void> {
    await page.click(`[data-testid="${testId}"]`);
    await page.getByRole("option", { name: option }).click();
  }

  it("receives and issues an item and shows the stock by location", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/`);
    await page.click('[data-testid="nav-inventory-stock"]');
    await page.waitForSelector('[data-testid="inventory-stock-page"]');
    await choose("move-item", "SEAL-1 — ESP seal");
    await choose("move-location", "WH-1 — Main store");
    await page.fill('[data-testid="move-quantity"]', "5");
    await page.fill('[data-testid="move-unit-cost"]', "100");
    await page.click('[data-testid="move-receive"]');
    const onHand = page.locator('[data-testid="stock-row-SEAL-1"] [data-testid="stock-on-hand"]');
    await onHand.filter({ hasText: /^\s*5 ea/ }).waitFor();
    await page.fill('[data-testid="move-quantity"]', "2");
    await page.fill('[data-testid="move-cost-object"]', "W-101");
    await page.click('[data-testid="move-issue"]');
    await onHand.filter({ hasText: /^\s*3 ea/ }).waitFor();
    assert.equal((await onHand.textContent())?.trim(), "3 ea");
    assert.match((await page.locator('[data-testid="stock-row-SEAL-1"]').textContent()) ?? "", /WH-1/);
  });

  it("transfers stock to the yard, naming what is wrong under the input first", async () => {
    const form = page.locator('[data-testid="transfer-form"]');
    await choose("transfer-item", "SEAL-1 — ESP seal");
    await choose("transfer-from", "WH-1 — Main store");
    await choose("transfer-to", "WH-1 — Main store");
    await page.fill('[data-testid="transfer-quantity"]', "10");
    await page.click('[data-testid="transfer-post"]');
    await form.getByText("Choose a different location from the source.").waitFor();
    await choose("transfer-to", "YARD-1 — Site yard");
    await page.click('[data-testid="transfer-post"]');
    // The server's 409: only 3 of the 10 asked for are in the store.
    await form.getByText(/has only 3 ea available; 10 ea were asked for/).first().waitFor();
    await page.fill('[data-testid="transfer-quantity"]', "1");
    await page.click('[data-testid="transfer-post"]');
    const yardRow = page.locator('[data-testid="stock-row-SEAL-1"]', { hasText: "YARD-1" });
    await yardRow.locator('[data-testid="stock-on-hand"]').filter({ hasText: /^\s*1 ea/ }).waitFor();
    const storeRow = page.locator('[data-testid="stock-row-SEAL-1"]', { hasText: "WH-1" });
    assert.equal((await storeRow.locator('[data-testid="stock-on-hand"]').textContent())?.trim(), "2 ea");
  });

  it("lists an open reservation by item name and document, and releases it", async () => {
    await storekeeper.json("POST", "/api/v1/inventory/reservations", { itemId, locationId: storeId, quantity: 1, source: { type: "work_order", id: "0190a1b2-0000-7000-8000-00000000e2e1" } }, 201);
    await page.click('[data-testid="nav-inventory-reservations"]');
    const row = page.locator('[data-testid="reservation-row-SEAL-1"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /SEAL-1 — ESP seal.*WH-1.*1 ea.*Work order/);
    assert.equal(await row.locator('a[href^="/maintenance/work-orders/"]').count(), 1);
    await row.locator('[data-testid="reservation-release"]').click();
    await page.getByText("No reservations.").waitFor();
    assert.equal(await page.locator('[data-testid="reservation-row-SEAL-1"]').count(), 0);
  });
});
