import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/**
 * The register owns the plant (issue 10 §1, §5): a well shut in from the asset
 * register shows shut in on the field overview, in Spanish and oilfield units,
 * although its simulator still reports it running.
 */
describe("e2e: a well shut in from the register is shut in on the field overview", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess({ PETROFLOW_UNIT_SYSTEM: "oilfield" });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "field-shut-in", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("shows WELL-204 running, then shut in once the register says so", async () => {
    await page.goto(`${site!.url}/field`);
    await page.locator('[data-testid="field-node-WELL-204"][data-state="running"]').waitFor({ timeout: 60_000 });
    // Oilfield units: oil rate in barrels a day.
    await page.locator('[data-testid="field-value-WELL-204-OIL_RATE"]', { hasText: /bbl\/d/ }).waitFor({ timeout: 30_000 });

    await page.goto(`${site!.url}/assets/code/WELL-204`);
    await page.waitForSelector('[data-testid="asset-detail"][data-asset-code="WELL-204"]');
    await page.click('[data-testid="well-change-status"]');
    await page.selectOption('[data-testid="status-form-status"]', "shut_in");
    await page.fill('[data-testid="status-form-reason"]', "Cierre por prueba e2e");
    await page.click('[data-testid="status-form-submit"]');
    await page.locator('[data-testid="well-status"][data-status="shut_in"]').waitFor();

    await page.click('[data-testid="asset-field-link"]');
    await page.waitForURL(/\/field\/wells\/WELL-204$/);
    await page.locator('[data-testid="well-state"][data-state="shut-in"]').waitFor({ timeout: 30_000 });
    assert.equal((await page.locator('[data-testid="well-state"]').innerText()).trim().toLowerCase(), "cerrado");

    await page.goto(`${site!.url}/field`);
    const node = page.locator('[data-testid="field-node-WELL-204"]');
    await page.locator('[data-testid="field-node-WELL-204"][data-state="shut-in"]').waitFor({ timeout: 30_000 });
    assert.equal(await node.getAttribute("data-register-status"), "shut_in");
    assert.equal((await page.locator('[data-testid="field-state-WELL-204"]').innerText()).trim().toLowerCase(), "cerrado");
    // The others are untouched.
    await page.locator('[data-testid="field-node-WELL-101"][data-state="running"]').waitFor();
  });
});
