import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";

interface AssetAnswer {
  id: string;
  code: string;
  rowVersion: number;
  well: { status: string; liftType: string; uwi: string | null; completion: { totalDepthM?: number; perforations?: { topM: number; bottomM: number }[] } } | null;
}

/**
 * The asset register in a real browser against the demo site, in oilfield
 * units: the demo field's wells in the tree, an engineer (admin) creating a
 * site and a well, finding the well by search, changing its status with a
 * reason that lands in the history, and an edit that lost a race being told
 * so and reloaded.
 */
describe("e2e: asset register screens", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess({ PETROFLOW_UNIT_SYSTEM: "oilfield" });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "assets", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  const url = (pathname: string) => {
    if (!site) throw new Error("site not started");
    return `${site.url}${pathname}`;
  };

  /** The API as the signed-in browser sees it (its cookie; its CSRF token for writes). */
  async function api<T>(method: "GET" | "PATCH", pathname: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (method !== "GET") {
      const me = (await (await page.request.get(url("/api/v1/auth/me"))).json()) as { csrfToken: string };
      headers["X-CSRF-Token"] = me.csrfToken;
    }
    const response = await page.request.fetch(url(pathname), { method, headers, data: body });
    assert.ok(response.ok(), `${method} ${pathname}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function assetByCode(code: string): Promise<AssetAnswer> {
    const { assets } = await api<{ assets: AssetAnswer[] }>("GET", `/api/v1/assets?search=${encodeURIComponent(code)}`);
    const asset = assets.find((candidate) => candidate.code === code);
    assert.ok(asset, `${code} is not in the register`);
    return api<AssetAnswer>("GET", `/api/v1/assets/${asset.id}`);
  }

  it("shows the demo field's battery and its twelve wells in the tree", async () => {
    await page.click('[data-testid="nav-assets"]');
    await page.waitForSelector('[data-testid="asset-tree-node-FIELD-1"]');
    await page.waitForSelector('[data-testid="asset-tree-node-BAT-1"]');
    await page.waitForSelector('[data-testid="asset-tree-node-WELL-101"]');
    assert.equal(await page.locator('[data-testid^="asset-tree-node-WELL-"]').count(), 12);
    // Choosing the battery lists what hangs under it: the wells among its equipment.
    await page.click('[data-testid="asset-tree-node-BAT-1"]');
    await page.waitForSelector('[data-testid="asset-parent-filter"]');
    await page.selectOption('[data-testid="asset-filter-kind"]', "well");
    await page.locator('[data-testid="asset-count"]', { hasText: "12 assets" }).waitFor();
  });

  it("creates a site and a well under it, with the completion typed in feet", async () => {
    await page.goto(url("/assets"));
    await page.click('[data-testid="asset-create"]');
    await page.waitForSelector('[data-testid="asset-form"]');
    await page.click('[data-testid="asset-form-kind"] label:has-text("Site")');
    await page.fill('[data-testid="asset-form-code"]', "PAD-E2E");
    await page.fill('[data-testid="asset-form-name"]', "Pad E2E");
    await page.selectOption('[data-testid="asset-form-parent"]', { label: "FIELD-1 — Demo oilfield" });
    await page.selectOption('[data-testid="asset-form-site-type"]', "pad");
    await page.click('[data-testid="asset-form-submit"]');
    // A new asset opens on its own page.
    await page.locator('[data-testid="asset-title"]', { hasText: "PAD-E2E" }).waitFor();

    await page.click('[data-testid="asset-add-well"]');
    await page.waitForSelector('[data-testid="asset-form"]');
    await page.fill('[data-testid="asset-form-code"]', "WELL-E2E");
    await page.fill('[data-testid="asset-form-name"]', "Well E2E");
    await page.fill('[data-testid="asset-form-uwi"]', "42-501-99999");
    await page.selectOption('[data-testid="asset-form-lift-type"]', "gas_lift");
    await page.fill('[data-testid="asset-form-totalDepth"]', "8202.1");
    await page.click('[data-testid="perforations-add"]');
    await page.fill('[data-testid="perforation-top-0"]', "7700");
    // A perforation below the total depth is refused before any request.
    await page.fill('[data-testid="perforation-bottom-0"]', "9000");
    await page.click('[data-testid="asset-form-submit"]');
    await page.locator('[data-testid="asset-form"]', { hasText: "Deeper than the total depth." }).waitFor();
    await page.fill('[data-testid="perforation-bottom-0"]', "7750");
    await page.click('[data-testid="asset-form-submit"]');
    await page.locator('[data-testid="asset-title"]', { hasText: "WELL-E2E" }).waitFor();
    assert.match(await page.innerText('[data-testid="completion-totalDepth"]'), /^8,202\.1 ft$/);

    const well = await assetByCode("WELL-E2E");
    assert.equal(well.well?.liftType, "gas_lift");
    assert.equal(well.well?.status, "producing");
    assert.ok(Math.abs((well.well?.completion.totalDepthM ?? 0) - 2500) < 0.001, `totalDepthM ${well.well?.completion.totalDepthM}`);
    assert.deepEqual(well.well?.completion.perforations, [{ topM: 2346.96, bottomM: 2362.2 }]);
  });

  it("finds the new well by search in the list and opens it", async () => {
    await page.goto(url("/assets"));
    await page.fill('[data-testid="asset-search"]', "e2e");
    await page.locator('[data-testid="asset-count"]', { hasText: "2 assets" }).waitFor();
    await page.fill('[data-testid="asset-search"]', "42-501-99999");
    await page.locator('[data-testid="asset-count"]', { hasText: "1 asset" }).waitFor();
    await page.click('[data-testid="asset-link-WELL-E2E"]');
    await page.locator('[data-testid="asset-title"]', { hasText: "WELL-E2E" }).waitFor();
    assert.equal(await page.getAttribute('[data-testid="well-status"]', "data-status"), "producing");
  });

  it("changes the well's status with a reason and shows it in the history", async () => {
    await page.click('[data-testid="well-change-status"]');
    await page.waitForSelector('[data-testid="status-form"]');
    await page.selectOption('[data-testid="status-form-status"]', "shut_in");
    // The reason is required: nothing is sent without it.
    await page.click('[data-testid="status-form-submit"]');
    await page.locator('[data-testid="status-form"]', { hasText: "Required." }).waitFor();
    await page.fill('[data-testid="status-form-reason"]', "Waiting on workover");
    await page.click('[data-testid="status-form-submit"]');
    await page.locator('[data-testid="status-history-row-0"]', { hasText: "Waiting on workover" }).waitFor();
    assert.match(await page.innerText('[data-testid="status-history-row-0"]'), /shut in/i);
    assert.match(await page.innerText('[data-testid="status-history-row-1"]'), /producing/i);
    assert.equal(await page.getAttribute('[data-testid="well-status"]', "data-status"), "shut_in");
    assert.equal((await assetByCode("WELL-E2E")).well?.status, "shut_in");
  });

  it("tells an engineer whose edit lost a race, and reloads the form with the other change", async () => {
    await page.click('[data-testid="asset-edit"]');
    await page.waitForSelector('[data-testid="asset-form"]');
    await page.fill('[data-testid="asset-form-name"]', "Well E2E (mine)");
    // Someone else saves first.
    const before = await assetByCode("WELL-E2E");
    await api("PATCH", `/api/v1/assets/${before.id}`, { rowVersion: before.rowVersion, name: "Well E2E (theirs)" });
    await page.click('[data-testid="asset-form-submit"]');
    await page.waitForSelector('[data-testid="asset-form-stale"]');
    assert.equal(await page.inputValue('[data-testid="asset-form-name"]'), "Well E2E (theirs)");
    await page.fill('[data-testid="asset-form-name"]', "Well E2E (mine)");
    await page.click('[data-testid="asset-form-submit"]');
    await page.waitForSelector('[data-testid="asset-form"]', { state: "detached" });
    await page.locator('[data-testid="asset-detail"]', { hasText: "Well E2E (mine)" }).waitFor();
  });
});
