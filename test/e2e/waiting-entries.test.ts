import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { skipWithReason } from "../helpers/skip-report.js";
import { startOutageSite, type OutageSite } from "../integration/runtime/flow-entries/outage-site.js";
import { createUser, passwordFor } from "../integration/support.js";

const OPERATOR = "olga-espera";

/**
 * Operators see, in the header of the web app, that entries recorded by
 * flows wait for the database: a site on PostgreSQL loses its link (the
 * fault proxy resets it) while a flow records gauges; once the link is
 * back and before the drain has written them, the header shows how many
 * wait, in Spanish, and the badge goes away when all are written.
 */
describe("e2e: entries waiting for the database in the header", function () {
  this.timeout(240_000);
  let outage: OutageSite | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  before(async function () {
    skipUnlessBrowser(this);
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (the outage needs PostgreSQL behind the fault proxy)");
    // A long backoff keeps the entries waiting long enough to be seen once the link is back.
    outage = await startOutageSite({ PETROFLOW_ENTRY_WRITE_TIMEOUT_MS: "1500", PETROFLOW_ENTRY_RETRY_MAX_MS: "30000" });
    await createUser(outage.admin, OPERATOR, "operator");
    browser = await launchChromium();
    page = await signedInPage(browser, outage.site.url, OPERATOR, passwordFor(OPERATOR), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "waiting-entries", [page]);
  });

  after(async () => {
    await browser?.close();
    await outage?.close();
  });

  it("shows how many entries wait while they wait, and nothing once they are written", async () => {
    const badge = page!.locator('[data-testid="waiting-entries"]');
    await page!.locator('[data-testid="current-user"]').waitFor();
    assert.equal(await badge.count(), 0, "nothing waits before the outage");

    await outage!.cutWhileProducing("reset", 500, 6, 12_000);
    outage!.proxy.setMode("pass");
    const waiting = page!.locator('[data-testid="waiting-entries"][data-state="waiting"]');
    await waiting.waitFor({ timeout: 10_000 });
    const text = (await waiting.textContent()) ?? "";
    assert.match(text, /^\d+ registros? en espera$/);
    assert.ok(Number(await waiting.getAttribute("data-count")) >= 1);

    await outage!.assertWrittenOnce(500, 6);
    await badge.waitFor({ state: "detached", timeout: 60_000 });
  });
});
