import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/**
 * An engineer edits the plant's connectivity on an asset's page, in Spanish:
 * the server's refusal shows translated, a new connection appears downstream
 * of the well and upstream of the separator, and it can be removed.
 */
describe("e2e: asset connections on the asset's page", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess();
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "asset-connections", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  async function connect(code: string, stream: string): Promise<void> {
    await page.selectOption('[data-testid="connection-direction"]', "downstream");
    await page.click('[data-testid="connection-asset"]');
    await page.fill('[data-testid="connection-asset"]', code);
    await page.getByRole("option", { name: new RegExp(`^${code} `) }).click();
    await page.selectOption('[data-testid="connection-stream"]', stream);
    await page.click('[data-testid="connection-add"]');
  }

  it("opens a well by code and refuses, in Spanish, a stream the pair may not carry", async () => {
    await page.goto(`${site!.url}/assets/code/WELL-101`);
    await page.waitForSelector('[data-testid="asset-detail"][data-asset-code="WELL-101"]');
    await page.waitForSelector('[data-testid="connections-downstream"]');
    // Lift gas flows from a compressor into a well, never from a well to a tank.
    await connect("TK-01", "lift_gas");
    const error = page.locator('[data-testid="connection-error"]');
    await error.waitFor();
    assert.match(await error.innerText(), /no puede fluir/);
  });

  it("adds a connection, shows it from both ends, and removes it", async () => {
    await connect("SEP-TEST", "production");
    const row = page.locator('[data-testid="connections-downstream"] [data-testid="connection-WELL-101-SEP-TEST-production"]');
    await row.waitFor();
    assert.match(await row.innerText(), /producción/i);

    await page.goto(`${site!.url}/assets/code/SEP-TEST`);
    await page.locator('[data-testid="connections-upstream"] [data-testid="connection-WELL-101-SEP-TEST-production"]').waitFor();
    await page.click('[data-testid="connection-remove-WELL-101-SEP-TEST-production"]');
    await page.locator('[data-testid="connection-WELL-101-SEP-TEST-production"]').waitFor({ state: "detached" });
  });
});
