import assert from "node:assert/strict";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/**
 * The demo site as `npm start` runs it (simulator over Modbus, OPC UA and
 * Sparkplug, demo flows), seen by an operator in the browser: the field
 * overview shows live values that change as the simulation runs.
 */
describe("e2e: the field overview shows the live demo oilfield", function () {
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
    await screenshotsOnFailure(this, "field-overview", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("draws every well from the register, grouped where it gathers, with the separators, tanks and compressor", async () => {
    await page.goto(`${site!.url}/field`);
    await page.waitForSelector('[data-testid="field-diagram"]');
    for (const asset of ["WELL-101", "WELL-204", "WELL-304", "MAN-01", "SEP-TEST", "SEP-PROD", "TK-01", "TK-W1", "COMP-01"]) {
      await page.waitForSelector(`[data-testid="field-node-${asset}"]`);
    }
    assert.equal(await page.locator('[data-testid^="field-node-WELL-"]').count(), 12);
    // 12 wells: every group opens with its cards.
    assert.equal(await page.locator('[data-testid^="field-group-"][data-open="false"]').count(), 0);
    assert.equal(await page.getAttribute('[data-testid="field-node-WELL-101"]', "data-register-status"), "producing");
  });

  it("shows simulated values from all three protocols, and they change", async () => {
    // Wells come over Modbus, separators over OPC UA, tanks over Sparkplug B.
    const watched = ["WELL-101", "SEP-PROD", "TK-01"];
    const valueOf = { "WELL-101": "OIL_RATE", "SEP-PROD": "PRESSURE", "TK-01": "LEVEL" } as Record<string, string>;
    const reading = (asset: string) => page.locator(`[data-testid="field-value-${asset}-${valueOf[asset]}"]`);
    const firstValues = new Map<string, string>();
    for (const asset of watched) {
      await page.locator(`[data-testid="field-node-${asset}"][data-quality="good"]`).waitFor({ timeout: 60_000 });
      // A number, not the placeholder shown until the first value arrives.
      await page.locator(`[data-testid="field-value-${asset}-${valueOf[asset]}"]`, { hasText: /\d/ }).waitFor({ timeout: 30_000 });
      firstValues.set(asset, (await reading(asset).innerText()).trim());
    }
    assert.equal(await page.getAttribute('[data-testid="field-node-WELL-101"]', "data-state"), "running");
    // 60 simulated seconds pass each real second: readings move within a few seconds.
    for (const asset of watched) {
      const before = firstValues.get(asset) ?? "";
      let now = before;
      for (let attempt = 0; attempt < 60 && now === before; attempt++) {
        await page.waitForTimeout(500);
        now = (await reading(asset).innerText()).trim();
      }
      assert.notEqual(now, before, `${asset} did not change in 30 s: ${before}`);
    }
  });

  it("opens a well's detail page by its code, with its live points in Spanish and a link to the register", async () => {
    await page.click('[data-testid="field-node-WELL-101"]');
    await page.waitForURL(/\/field\/wells\/WELL-101$/);
    await page.waitForSelector('[data-testid="well-detail"]');
    assert.equal(await page.getAttribute('[data-testid="well-asset-link"]', "href"), "/assets/code/WELL-101");
    // The page opens before its live subscription answers: wait for the value, not just the card.
    const thp = page.locator('[data-testid="well-point-THP"]', { hasText: "kPa" });
    await thp.waitFor({ timeout: 30_000 });
    assert.match(await thp.innerText(), /\d kPa/);
    assert.equal((await page.locator('[data-testid="nav-field"]').innerText()).trim(), "Campo");
    // The register's page of the same well, found by code, links back to the field's.
    await page.click('[data-testid="well-asset-link"]');
    await page.waitForSelector('[data-testid="asset-detail"][data-asset-code="WELL-101"]');
    assert.equal(await page.getAttribute('[data-testid="asset-field-link"]', "href"), "/field/wells/WELL-101");
  });

  it("greys values and the state, with their last update, while the live feed is down, and recovers", async () => {
    // Every live socket goes through the test, which can cut it and refuse reconnects: the feed is down.
    let feedUp = true;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/api\/v1\/live$/, (socket) => {
      if (!feedUp) {
        void socket.close({ code: 1006, reason: "feed cut by the test" });
        return;
      }
      socket.connectToServer();
      sockets.push(socket);
    });
    const cutFeed = async () => {
      feedUp = false;
      for (const socket of sockets.splice(0)) await socket.close({ code: 1006, reason: "feed cut by the test" });
      await page.locator('[data-testid="live-status"][data-state="reconnecting"]').waitFor();
    };
    const restoreFeed = async () => {
      feedUp = true;
      await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ timeout: 45_000 });
    };
    const oilRate = page.locator('[data-testid="field-value-WELL-101-OIL_RATE"]');

    await page.goto(`${site!.url}/field`);
    await page.locator('[data-testid="field-node-WELL-101"][data-stale="fresh"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.getAttribute('[data-testid="field-state-WELL-101"]', "data-stale"), "false");
    assert.equal(await oilRate.getAttribute("data-stale"), "fresh");

    await cutFeed();
    await page.locator('[data-testid="field-node-WELL-101"][data-stale="feedDown"]').waitFor();
    assert.equal(await oilRate.getAttribute("data-stale"), "feedDown");
    // The last known state, not a live green RUNNING.
    assert.equal(await page.getAttribute('[data-testid="field-state-WELL-101"]', "data-stale"), "true");
    assert.match(await page.locator('[data-testid="field-updated-WELL-101"]').innerText(), /Última actualización \d{2}:\d{2}:\d{2}/);

    await restoreFeed();
    await page.locator('[data-testid="field-node-WELL-101"][data-stale="fresh"]').waitFor();
    assert.equal(await page.locator('[data-testid="field-updated-WELL-101"]').count(), 0);

    await page.click('[data-testid="field-node-WELL-101"]');
    const thp = page.locator('[data-testid="well-point-THP"]');
    await thp.locator('[data-testid="well-value-THP"]', { hasText: /\d/ }).waitFor({ timeout: 30_000 });
    assert.equal(await thp.getAttribute("data-stale"), "fresh");
    await cutFeed();
    await page.locator('[data-testid="well-point-THP"][data-stale="feedDown"]').waitFor();
    assert.equal(await page.getAttribute('[data-testid="well-state"]', "data-stale"), "true");
    assert.match(await page.locator('[data-testid="well-updated-THP"]').innerText(), /Última actualización \d{2}:\d{2}:\d{2}/);
    await restoreFeed();
    await page.locator('[data-testid="well-point-THP"][data-stale="fresh"]').waitFor();
    await page.unrouteAll();
  });

  it("shows the demo simulator's OPC UA certificate as trusted in the certificates screen", async () => {
    await page.click('[data-testid="nav-opcua-certificates"]');
    const status = page.locator('[data-testid="opcua-certificates"] [data-testid="opcua-certificate-status"]');
    await status.first().waitFor();
    assert.equal(await status.count(), 1);
    assert.equal((await status.first().innerText()).trim().toLowerCase(), "de confianza");
  });
});
