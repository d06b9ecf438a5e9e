import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { freePort } from "../helpers/free-port.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

/**
 * An operator writes a demo well's choke setpoint from the well page: the
 * dialog refuses a value outside the limits, shows old → new with the unit,
 * and after the confirmation the device's read-back; the card then shows the
 * new value polled from the simulator.
 */
describe("e2e: writing a setpoint from the well's faceplate", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let operator: Page;
  let viewer: Page;

  before(async function () {
    skipUnlessBrowser(this);
    // The demo as startDemoSiteProcess starts it, with room for a busy machine.
    site = await startSiteProcess({
      backend: "pglite",
      readyTimeoutMs: 150_000,
      env: { PETROFLOW_DEMO: "true", PETROFLOW_SIM_MODBUS_PORT: "0", PETROFLOW_SIM_OPCUA_PORT: String(await freePort()), PETROFLOW_EMBEDDED_MQTT_PORT: "0", PETROFLOW_DEMO_BACKFILL_DAYS: "0" },
    });
    await sessionsByRole(site.url, { operator: "olga", viewer: "victor" });
    browser = await launchChromium();
    operator = await signedInPage(browser, site.url, "olga", passwordFor("olga"), { locale: "en-US" });
    viewer = await signedInPage(browser, site.url, "victor", passwordFor("victor"), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "setpoint-write", [operator, viewer]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("an operator writes WELL-101's choke: limits refused locally, old → new confirmed, read-back shown", async () => {
    await operator.goto(`${site!.url}/field/wells/WELL-101`);
    const card = operator.locator('[data-testid="well-point-CHOKE_SP"]');
    await card.locator('[data-testid="well-value-CHOKE_SP"]', { hasText: /\d/ }).waitFor({ timeout: 90_000 });
    const old = (await card.locator('[data-testid="well-value-CHOKE_SP"]').innerText()).trim();
    const target = old.startsWith("42.5") ? "57.5" : "42.5";
    await card.locator('[data-testid="well-write-CHOKE_SP"]').click();
    const dialog = operator.locator('[data-testid="setpoint-dialog"]');
    assert.match(await dialog.locator('[data-testid="setpoint-limits"]').innerText(), /0.*100.*%/);

    await dialog.locator('[data-testid="setpoint-input"]').fill("150");
    await dialog.getByText(/Outside the write limits/).waitFor();
    assert.equal(await dialog.locator('[data-testid="setpoint-review"]').isDisabled(), true);

    await dialog.locator('[data-testid="setpoint-input"]').fill(target);
    await dialog.locator('[data-testid="setpoint-review"]').click();
    const change = (await dialog.locator('[data-testid="setpoint-change"]').innerText()).trim();
    assert.equal(change, `${old} → ${target} %`);
    await dialog.locator('[data-testid="setpoint-confirm"]').click();

    const result = dialog.locator('[data-testid="setpoint-result"]');
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await result.getAttribute("data-confirmed"), "true");
    assert.equal((await dialog.locator('[data-testid="setpoint-read-back"]').innerText()).trim(), `Read back: ${target} %`);
    await dialog.locator('[data-testid="setpoint-close"]').click();
    await card.locator('[data-testid="well-value-CHOKE_SP"]', { hasText: `${target} %` }).waitFor({ timeout: 15_000 });
  });

  it("a viewer sees the setpoint but no write button", async () => {
    await viewer.goto(`${site!.url}/field/wells/WELL-101`);
    await viewer.locator('[data-testid="well-value-CHOKE_SP"]', { hasText: /\d/ }).waitFor({ timeout: 60_000 });
    assert.equal(await viewer.locator('[data-testid="well-writable-CHOKE_SP"]').count(), 1);
    assert.equal(await viewer.locator('[data-testid="well-write-CHOKE_SP"]').count(), 0);
  });
});
