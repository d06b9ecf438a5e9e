import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Alarm, AlarmDefinition, AlarmJournalEntry } from "../../runtime/alarms/schema.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";

/** A demo tag the simulator keeps well above zero (tubing head pressure, kPa). */
const TAG = "SITE1/WELL-101/THP";

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Issue 9 §4: an alarm the demo simulator raised is acknowledged in the
 * console and leaves the unacknowledged list. The alarm is a Hi limit put
 * below the simulated value through the definitions API (as an engineer
 * would), so the simulator's next value raises it.
 */
describe("e2e: acknowledging an alarm in the alarm console", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let api: SiteClient;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess();
    api = await adminClient(site.url);
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "alarm-console", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("shows the simulator's alarm with a banner, acknowledges it with a comment, and it leaves the unacknowledged list", async () => {
    assert.ok(page && site);
    const value = await eventually("a simulated value of THP", async () => {
      const { tags } = await api.json<{ tags: { path: string; live: { v: unknown; q: string } | null }[] }>("GET", `/api/v1/tags?search=${encodeURIComponent(TAG)}`);
      const live = tags.find((tag) => tag.path === TAG)?.live;
      return live?.q === "good" && typeof live.v === "number" && live.v > 0 ? live.v : undefined;
    });

    // The console is open before the alarm comes in: a new critical alarm raises the banner.
    await page.goto(`${site.url}/alarms`);
    await page.locator('[data-testid="alarm-view"]').waitFor();

    // Whatever the demo ships on this tag makes way for a Hi limit at half the current value.
    const { definitions } = await api.json<{ definitions: AlarmDefinition[] }>("GET", `/api/v1/alarm-definitions?prefix=${encodeURIComponent(TAG)}`);
    for (const existing of definitions.filter((definition) => definition.tagPath === TAG)) {
      await api.json("DELETE", `/api/v1/alarm-definitions/${existing.id}?reason=e2e`, undefined, 204);
    }
    const { definition } = await api.json<{ definition: AlarmDefinition }>(
      "POST",
      "/api/v1/alarm-definitions",
      {
        tagPath: TAG,
        kind: "hi",
        limit: value / 2,
        alarmState: null,
        setpointPath: null,
        priority: "critical",
        deadband: 0,
        onDelaySeconds: 0,
        offDelaySeconds: 0,
        area: "E2E",
        message: "THP above the test limit",
        enabled: true,
        reason: "browser test: an alarm the simulator raises",
      },
      201,
    );

    const row = page.locator(`[data-testid="alarm-row-${definition.id}"]`);
    await row.waitFor({ timeout: 60_000 });
    assert.equal(await row.getAttribute("data-state"), "active_unack");
    await page.locator('[data-testid="alarm-banner"]', { hasText: "THP above the test limit" }).waitFor();

    await page.click(`[data-testid="alarm-ack-${definition.id}"]`);
    await page.locator('[data-testid="alarm-ack-comment"]').fill("seen from the console");
    await page.click('[data-testid="alarm-ack-confirm"]');
    await row.waitFor({ state: "detached", timeout: 15_000 });
    await page.locator('[data-testid="alarm-banner"]').waitFor({ state: "detached" });

    // Still active, now acknowledged, with who and the comment on the server.
    await page.getByText("Active", { exact: true }).click();
    await page.locator(`[data-testid="alarm-row-${definition.id}"][data-state="active_ack"]`).waitFor();
    const { alarms } = await api.json<{ alarms: Alarm[] }>("GET", "/api/v1/alarms?state=active&area=E2E");
    const acked = alarms.find((alarm) => alarm.id === definition.id);
    assert.deepEqual([acked?.state, acked?.ackedBy, acked?.ackComment], ["active_ack", "admin", "seen from the console"]);
    const { entries } = await api.json<{ entries: AlarmJournalEntry[] }>("GET", `/api/v1/alarms/journal?tagPath=${encodeURIComponent(TAG)}`);
    assert.ok(entries.some((entry) => entry.alarmId === definition.id && entry.transition === "acknowledge" && entry.comment === "seen from the console"));
  });
});
