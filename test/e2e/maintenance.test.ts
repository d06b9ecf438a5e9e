import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { SiteClient } from "../helpers/http-client.js";
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
 * approves it there and it moves to Aprobada. On a new order: failure codes
 * from the catalogue, a part reserved from a store (seeing what is
 * available) and consumed with its cost, a file attached (one over 2 MiB
 * refused before sending) and removed; plans created, edited and read by
 * hand; a code added to the failure-code catalogue.
 */
describe("e2e: maintenance work order board and detail", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let orderId = "";
  let engineerClient: SiteClient;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false" } });
    const { engineer } = await sessionsByRole(site.url, { engineer: ENGINEER });
    engineerClient = engineer;
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
    const store = await engineer.json<Created>("POST", "/api/v1/inventory/locations", { code: "WH-M", name: "Almacén", kind: "warehouse" }, 201);
    const filter = await engineer.json<Created>("POST", "/api/v1/inventory/items", { code: "FLT-1", name: "Filtro de aceite", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" }, 201);
    await engineer.json("POST", "/api/v1/inventory/receipts", { itemId: filter.id, toLocationId: store.id, quantity: 5, unitCost: 10, currency: "USD" }, 201);
    await engineer.json("POST", "/api/v1/maintenance/plans", { equipmentId: esp.id, name: "Contador manual", kind: "meter", meter: "manual", intervalAmount: 500 }, 201);
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

  async function choose(testId: string, option: string): Promise<void> {
    await page.click(`[data-testid="${testId}"]`);
    await page.getByRole("option", { name: option, exact: true }).click();
  }

  it("takes failure codes from the catalogue in Spanish", async () => {
    await choose("failure-code-problem", "VIB — Vibración");
    await choose("failure-code-cause", "WEAR — Desgaste");
    await page.click('[data-testid="failure-codes-save"]');
    const id = page.url().split("/").pop() ?? "";
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const order = await engineerClient.json<{ problemCode: string | null; causeCode: string | null }>("GET", `/api/v1/maintenance/work-orders/${id}`);
      if (order.problemCode !== null) {
        assert.deepEqual([order.problemCode, order.causeCode], ["VIB", "WEAR"]);
        return;
      }
      await page.waitForTimeout(200);
    }
    assert.fail("the failure codes were not saved");
  });

  it("reserves a part from a store showing what is available, consumes it and shows its cost", async () => {
    await choose("part-item", "FLT-1 — Filtro de aceite");
    await choose("part-location", "WH-M — Almacén");
    await page.locator('[data-testid="part-reserve-form"]').getByText("5 ea disponibles aquí").waitFor();
    await page.fill('[data-testid="part-quantity"]', "2");
    await page.click('[data-testid="part-reserve"]');
    const row = page.locator('[data-testid="part-row-FLT-1"]');
    await row.locator('[data-testid="part-status"]', { hasText: "Reservado" }).waitFor();
    assert.match((await row.textContent()) ?? "", /FLT-1 — Filtro de aceite.*WH-M/);
    await row.locator('[data-testid="part-consume"]').click();
    await row.locator('[data-testid="part-status"]', { hasText: "Consumido" }).waitFor();
    assert.match((await page.locator('[data-testid="maintenance-parts-cost"]').textContent()) ?? "", /Costo de repuestos: 20,00/);
  });

  it("attaches a file, refuses one over 2 MiB before sending it, and removes the attachment", async () => {
    const section = page.locator('[data-testid="maintenance-attachments"]');
    await section.getByText("PNG, JPEG, PDF o texto, de 2 MiB como máximo.").waitFor();
    const input = section.locator('input[type="file"]');
    await input.setInputFiles({ name: "grande.txt", mimeType: "text/plain", buffer: Buffer.alloc(2 * 1024 * 1024 + 1, 65) });
    await section.getByText("El archivo supera los 2 MiB.").waitFor();
    assert.equal(await page.locator('[data-testid="attachment-upload"]').isDisabled(), true);
    await input.setInputFiles({ name: "nota.txt", mimeType: "text/plain", buffer: Buffer.from("sello gastado") });
    await page.click('[data-testid="attachment-upload"]');
    const row = section.locator('[data-testid="attachment-row"]', { hasText: "nota.txt" });
    await row.waitFor();
    assert.match((await row.locator("a").getAttribute("href")) ?? "", /\/api\/v1\/maintenance\/work-orders\/.+\/attachments\//);
    await row.locator('[data-testid="attachment-delete"]').click();
    await section.getByText("Sin adjuntos.").waitFor();
  });

  it("creates a calendar plan, edits its interval, and takes a hand meter reading", async () => {
    await page.click('[data-testid="nav-maintenance-plans"]');
    await page.waitForSelector('[data-testid="maintenance-plans"]');
    await page.click('[data-testid="plan-new"]');
    await page.click('[data-testid="plan-save"]');
    const form = page.locator('[data-testid="plan-form"]');
    await form.getByText("Obligatorio.").first().waitFor();
    await choose("plan-equipment", "ESP-101 — ESP 101");
    await page.fill('[data-testid="plan-name"]', "Inspección mensual");
    await page.fill('[data-testid="plan-interval-days"]', "30");
    await page.click('[data-testid="plan-save"]');
    const row = page.locator('[data-testid="plan-row-Inspección mensual"]');
    await row.getByText("Cada 30 días").waitFor();
    await row.locator('[data-testid="plan-edit"]').click();
    await page.fill('[data-testid="plan-interval-days"]', "14");
    await page.click('[data-testid="plan-save"]');
    await row.getByText("Cada 14 días").waitFor();

    const manual = page.locator('[data-testid="plan-row-Contador manual"]');
    await manual.locator('[data-testid="plan-reading-open"]').click();
    await page.fill('[data-testid="plan-reading-value"]', "120");
    await page.click('[data-testid="plan-reading-save"]');
    await manual.locator('[data-testid="plan-since"]', { hasText: "120" }).waitFor();
  });

  it("adds a failure code to the catalogue with both descriptions", async () => {
    await page.getByRole("link", { name: "Códigos de falla" }).click();
    await page.waitForSelector('[data-testid="maintenance-failure-codes"]');
    await page.locator('[data-testid="failure-code-problem-VIB"]').getByText("Vibración").waitFor();
    await page.fill('[data-testid="failure-code-code"]', "noi");
    await page.click('[data-testid="failure-code-add"]');
    await page.locator('[data-testid="failure-code-form"]').getByText("Obligatorio.").first().waitFor();
    await page.fill('[data-testid="failure-code-en"]', "Noise");
    await page.fill('[data-testid="failure-code-es"]', "Ruido");
    await page.click('[data-testid="failure-code-add"]');
    await page.locator('[data-testid="failure-code-problem-NOI"]').getByText("Ruido").waitFor();
  });
});
