import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/**
 * The register owns the plant (issue 10 §1, §5): a well shut in from the asset
 * register shows shut in on the field overview, in Spanish and oilfield units,
 * although its simulator still reports it running, and the next allocation
 * gives it nothing.
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

  /** The API as the signed-in browser sees it (its cookie; its CSRF token for writes). */
  async function api<T>(method: "GET" | "POST", pathname: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (method !== "GET") {
      const me = (await (await page.request.get(`${site!.url}/api/v1/auth/me`)).json()) as { csrfToken: string };
      headers["X-CSRF-Token"] = me.csrfToken;
    }
    const response = await page.request.fetch(`${site!.url}${pathname}`, { method, headers, data: body });
    assert.ok(response.ok(), `${method} ${pathname}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  }

  // The demo's production week ends yesterday (UTC days): the well is shut in from yesterday's start.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

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
    // The form takes the browser's local time; yesterday 00:00 UTC written in it.
    // A string, not a function: tsx would wrap a named helper in __name, which the page does not have.
    const effectiveAtLocal = await page.evaluate<string>(`(() => {
      const at = new Date("${yesterday}T00:00:00Z");
      const two = (value) => String(value).padStart(2, "0");
      return at.getFullYear() + "-" + two(at.getMonth() + 1) + "-" + two(at.getDate()) + "T" + two(at.getHours()) + ":" + two(at.getMinutes());
    })()`);
    await page.fill('[data-testid="status-form-effective-at"]', effectiveAtLocal);
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

  it("allocates it nothing in the next allocation, the others share the measured oil", async () => {
    const { assets } = await api<{ assets: Array<{ id: string; code: string }> }>("GET", "/api/v1/assets?search=BAT-1");
    const battery = assets.find((asset) => asset.code === "BAT-1");
    assert.ok(battery, "BAT-1 is not in the register");
    const well = (await api<{ assets: Array<{ id: string; code: string }> }>("GET", "/api/v1/assets?search=WELL-204")).assets.find((asset) => asset.code === "WELL-204");
    assert.ok(well, "WELL-204 is not in the register");
    const run = await api<{ id: string }>("POST", "/api/v1/production/allocation-runs", {
      siteAssetId: battery.id,
      periodStart: yesterday,
      periodEnd: yesterday,
      reason: "Pozo cerrado desde el registro",
    });
    const detail = await api<{ results: Array<{ wellId: string; fluid: string; allocatedM3: number; uptimeHours: number }> }>("GET", `/api/v1/production/allocation-runs/${run.id}`);
    const oil = detail.results.filter((result) => result.fluid === "oil");
    const shutIn = oil.find((result) => result.wellId === well.id);
    assert.ok(shutIn, "no oil result for WELL-204");
    assert.equal(shutIn.uptimeHours, 0);
    assert.equal(shutIn.allocatedM3, 0);
    assert.ok(oil.filter((result) => result.wellId !== well.id).every((result) => result.allocatedM3 > 0), "every other well got some oil");
  });
});
