import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const STOREKEEPER = "sam-storekeeper";

/**
 * The storekeeper's day on the stock screen: receive an item into the store,
 * issue part of it to a well, and see the stock by location follow.
 */
describe("e2e: inventory stock screen", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const { engineer } = await sessionsByRole(site.url, { operator: STOREKEEPER, engineer: "erin-engineer" });
    await engineer.json("POST", "/api/v1/inventory/locations", { code: "WH-1", name: "Main store", kind: "warehouse" }, 201);
    await engineer.json("POST", "/api/v1/inventory/items", { code: "SEAL-1", name: "ESP seal", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201);
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
});
