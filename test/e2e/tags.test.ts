import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";

const KEPT = "SITE1/WELL-301/THP";
const DELETED = "SITE1/WELL-301/CHP";

/** Deleting a tag in the web app asks first: Cancel keeps it, Delete removes it from the register and the list. */
describe("e2e: deleting a tag in the web app", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let api: SiteClient;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    api = await adminClient(site.url);
    for (const path of [KEPT, DELETED]) await api.json("POST", "/api/v1/tags", { path, dataType: "float", unit: "kPa" }, 201);
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "tags", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  const registered = async () => (await api.json<{ tags: { path: string }[] }>("GET", "/api/v1/tags?search=WELL-301")).tags.map((tag) => tag.path).sort();

  it("Cancel keeps the tag; Delete removes it", async () => {
    assert.ok(page && site);
    await page.goto(`${site.url}/tags`);
    await page.locator('[data-testid="tag-search"]').fill("WELL-301");
    await page.locator(`[data-testid="tag-row-${DELETED}"]`).waitFor();

    await page.click(`[data-testid="tag-delete-${DELETED}"]`);
    const dialog = page.locator('[data-testid="tag-delete-dialog"]');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(DELETED));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.deepEqual(await registered(), [DELETED, KEPT].sort());

    await page.click(`[data-testid="tag-delete-${DELETED}"]`);
    await page.click('[data-testid="tag-delete-confirm"]');
    await page.locator(`[data-testid="tag-row-${DELETED}"]`).waitFor({ state: "detached" });
    await page.locator(`[data-testid="tag-row-${KEPT}"]`).waitFor();
    assert.deepEqual(await registered(), [KEPT]);
  });
});
