import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const ENGINEER = "erin-engineer";

interface Created {
  id: string;
}

/**
 * The maintenance screens in Spanish: an order an alarm opened sits on the
 * board under Solicitada; its detail links the vibration trend; the engineer
 * approves it there and it moves to Aprobada.
 */
describe("e2e: maintenance work order board and detail", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let orderId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const { engineer } = await sessionsByRole(site.url, { engineer: ENGINEER });
    const asset = (body: Record<string, unknown>) => engineer.json<Created>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "FIELD-W", name: "Field W" });
    const battery = await asset({ kind: "site", code: "BAT-W", name: "Battery W", parentId: field.id, siteType: "battery" });
    const esp = await asset({ kind: "equipment", code: "ESP-101", name: "ESP 101", parentId: battery.id, equipment: { equipmentType: "esp" } });
    orderId = (
      await engineer.json<Created>(
        "POST",
        "/api/v1/maintenance/work-orders",
        { equipmentId: esp.id, title: "ESP vibration high", priority: "high", alarmId: "SITE1/WELL-101/VIBRATION:hi", trendTagPath: "SITE1/WELL-101/VIBRATION", conditionKey: "alarm:SITE1/WELL-101/VIBRATION" },
        201,
      )
    ).id;
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, ENGINEER, passwordFor(ENGINEER), { locale: "es-ES", timezoneId: "UTC" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "maintenance", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("shows the order under Solicitada, links its trend, and approves it", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/`);
    await page.click('[data-testid="nav-maintenance-board"]');
    await page.waitForSelector('[data-testid="maintenance-board"]');
    const requested = page.locator('[data-testid="maintenance-column-requested"]');
    await requested.getByText("ESP vibration high").waitFor();
    assert.match((await requested.textContent()) ?? "", /Solicitada \(1\)/);
    await requested.getByText("ESP vibration high").click();
    await page.waitForSelector('[data-testid="maintenance-detail"]');
    const trend = page.locator('[data-testid="maintenance-alarm-link"] a[href^="/trends"]');
    assert.equal(await trend.getAttribute("href"), `/trends?pen=${encodeURIComponent("SITE1/WELL-101/VIBRATION")}`);
    await page.click('[data-testid="maintenance-move-approved"]');
    await page.locator('[data-testid="maintenance-status"]', { hasText: "Aprobada" }).waitFor();
    assert.ok(page.url().endsWith(`/maintenance/work-orders/${orderId}`));
  });

  it("opens a new corrective order from the equipment history, which lands on its detail", async () => {
    await page.getByText("Historial del equipo").click();
    await page.waitForSelector('[data-testid="maintenance-equipment-history"]');
    await page.fill('[data-testid="maintenance-new-title"]', "Cambiar sello");
    await page.click('[data-testid="maintenance-new-open"]');
    await page.locator('[data-testid="maintenance-detail"]', { hasText: "Cambiar sello" }).waitFor();
    assert.equal(await page.locator('[data-testid="maintenance-status"]').textContent(), "Solicitada");
  });
});
