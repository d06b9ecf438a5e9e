import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const OPERATOR = "olga-errores";

/**
 * Issue 8 §7: the server's refusals appear in the user's language. A level
 * above the tank's strapping table was shown as "is outside the tank's
 * strapping table" on a Spanish screen; it is now said in Spanish, from the
 * error's reason and params, never in the server's English.
 */
describe("e2e: API errors in the user's language", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let siteId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const { admin } = await sessionsByRole(site.url, { operator: OPERATOR });
    const asset = async (body: Record<string, unknown>) => (await admin.json<{ id: string }>("POST", "/api/v1/assets", body, 201)).id;
    const field = await asset({ kind: "field", code: "CAMPO-E", name: "Campo E" });
    siteId = await asset({ kind: "site", code: "BAT-E", name: "Batería E", parentId: field, siteType: "battery" });
    await asset({
      kind: "equipment",
      code: "TK-E",
      name: "Tanque E",
      parentId: siteId,
      equipment: { equipmentType: "tank", fluid: "oil", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 4, volumeM3: 200 }] },
    });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, OPERATOR, passwordFor(OPERATOR), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "error-language", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("says a gauge above the strapping table in Spanish, with the table's range", async () => {
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${site?.url ?? ""}/production?site=${siteId}&date=${day}`);
    await page.waitForSelector('[data-testid="tank-gauge-form"]');
    await page.selectOption('[data-testid="tank-gauge-tank"]', { label: "TK-E — Tanque E" });
    await page.fill('[data-testid="tank-gauge-time"]', `${day}T06:00`);
    await page.fill('[data-testid="tank-gauge-level"]', "9");
    await page.click('[data-testid="tank-gauge-submit"]');
    const refusal = page.getByText("está fuera de la tabla de aforo del tanque (0 a 4 m)");
    await refusal.first().waitFor({ timeout: 15_000 });
    const text = await page.locator('[data-testid="tank-gauge-form"]').innerText();
    assert.doesNotMatch(text, /strapping table|outside/i, "no English from the server on a Spanish screen");
  });
});
