import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, launchChromium, screenshotsOnFailure, skipUnlessBrowser } from "../helpers/browser.js";
import { nodeRedEditorFrame, openNodeRedEditor } from "../helpers/node-red-editor.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";

/**
 * The engineer's whole loop in a real browser against a real site process:
 * log in, open the embedded editor, change a node and deploy, find the new
 * revision in the history, read its diff, roll back, and check the runtime
 * answers as before.
 */
describe("e2e: deploy, history, diff and rollback in chromium", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    browser = await launchChromium();
    context = await browser.newContext({ locale: "en-US" });
    page = await context.newPage();
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "flow-history", [page]);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await site?.dispose();
  });

  const baseUrl = () => {
    if (!site) throw new Error("site not started");
    return site.url;
  };

  async function siteStatus(): Promise<{ status: number; body: unknown }> {
    const response = await page.request.get(`${baseUrl()}/endpoints/site-status`);
    return { status: response.status(), body: await response.json() };
  }

  it("sends an anonymous visitor to the login page and logs in", async () => {
    await page.goto(`${baseUrl()}/flows/history`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${baseUrl()}/flows/history`);
    assert.match((await page.textContent('[data-testid="current-user"]')) ?? "", /^admin/);
  });

  it("runs the shipped flows: the status endpoint answers 200", async () => {
    const { status, body } = await siteStatus();
    assert.equal(status, 200);
    assert.deepEqual(body, { status: "running", flows: "default" });
  });

  it("opens the embedded Node-RED editor without asking for a password again", async () => {
    const frame = await openNodeRedEditor(page);
    await frame.waitForSelector('[id="http-response-site-status"]', { timeout: 30_000 });
    assert.equal(await frame.locator("#node-dialog-login-username").count(), 0);
  });

  it("changes a node in the editor and deploys it", async () => {
    const frame = await nodeRedEditorFrame(page);
    await frame.dblclick('[id="http-response-site-status"]');
    const statusCode = frame.locator("#node-input-statusCode");
    await statusCode.waitFor({ state: "visible" });
    await statusCode.fill("202");
    await frame.click("#node-dialog-ok");
    await frame.click("#red-ui-header-button-deploy");
    await waitFor(async () => (await siteStatus()).status === 202, "the deployed flow to answer 202");
  });

  it("shows the new revision in the history with its author", async () => {
    await page.click('[data-testid="nav-flow-history"]');
    const row = page.locator('[data-testid="revision-row-2"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /admin/);
    assert.equal(await page.locator('[data-testid="revision-row-3"]').count(), 0);
  });

  it("draws the diff with the changed node and its property change", async () => {
    const node = page.locator('[data-testid="diff-node-http-response-site-status"]');
    await node.waitFor();
    assert.equal(await node.getAttribute("data-diff-status"), "changed");
    assert.equal(await page.locator('[data-testid="diff-node-http-in-site-status"]').getAttribute("data-diff-status"), "unchanged");
    await node.click();
    const row = page.locator('[data-testid="property-diff-row-statusCode"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    assert.match(text, /200/);
    assert.match(text, /202/);
  });

  it("rolls back to revision 1 and the runtime runs the old flow again at once", async () => {
    await page.click('[data-testid="rollback-1"]');
    await page.click('[data-testid="confirm-rollback-submit"]');
    await page.locator('[data-testid="revision-row-3"]').waitFor();
    await waitFor(async () => (await siteStatus()).status === 200, "the rolled-back flow to answer 200");
    assert.deepEqual((await siteStatus()).body, { status: "running", flows: "default" });
    const revision = await page.request.get(`${baseUrl()}/api/v1/flows/revisions/3`);
    const body = (await revision.json()) as { message: string; author: string; sha256: string };
    const first = (await (await page.request.get(`${baseUrl()}/api/v1/flows/revisions/1`)).json()) as { sha256: string };
    assert.equal(body.sha256, first.sha256);
    assert.equal(body.author, "admin");
    if (process.env.PETROFLOW_E2E_SCREENSHOTS) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "flow-history.png"), fullPage: true });
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
