import assert from "node:assert/strict";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { editNode, openNodeRedEditor, pasteNodes } from "../helpers/node-red-editor.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient, loadFixture } from "../integration/support.js";

interface Violation {
  directive: string;
  blocked: string;
  page: string;
}

/** Runs in every frame before its own scripts (as text: the tests are compiled without the DOM's types). */
const COLLECT_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI, page: location.pathname });
  });
`;

/**
 * The Node-RED editor (inside the web app) and a Dashboard 2.0 page work
 * under the site's Content-Security-Policy: they load and run, and the
 * browser reports no violation in any frame.
 */
describe("e2e: the editor and the dashboard under the Content-Security-Policy", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const consoleViolations: string[] = [];

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    const admin = await adminClient(site.url);
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...loadFixture("dashboard-minimal")], message: "a dashboard" }, 201);
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "en-US" });
    context = page.context();
    // Playwright injects it whatever the page's policy.
    await context.addInitScript({ content: COLLECT_VIOLATIONS });
    context.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) consoleViolations.push(message.text());
    });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "content-security-policy", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  async function violationsIn(frame: Page | Frame): Promise<Violation[]> {
    const collected: unknown = await frame.evaluate("window.cspViolations");
    if (!Array.isArray(collected)) throw new Error("the violation collector did not run in this frame");
    return collected as Violation[];
  }

  it("serves the web app under a policy that allows no inline script", async () => {
    const response = await page!.goto(`${site!.url}/`);
    const policy = response?.headers()["content-security-policy"] ?? "";
    assert.match(policy, /frame-ancestors 'self'/);
    assert.match(policy, /script-src 'self'(;|$)/);
    await page!.waitForSelector('[data-testid="nav-flows"]');
    assert.deepEqual(await violationsIn(page!), []);
  });

  it("runs the Node-RED editor inside the web app: palette, a function node's code editor, deploy", async () => {
    const frame = await openNodeRedEditor(page!, ["inject", "tag-write"]);
    // A function node's dialog brings up the code editor (Monaco), the editor's heaviest script.
    await pasteNodes(frame, [{ id: "csp0000000000001", type: "function", func: "return msg;", x: 200, y: 200, wires: [[]] }]);
    await editNode(frame, "csp0000000000001");
    await frame.waitForSelector("#node-input-func-editor .monaco-editor", { timeout: 30_000 });
    await frame.click("#node-dialog-ok");
    await frame.click("#red-ui-header-button-deploy");
    await frame.waitForSelector(".red-ui-notification", { timeout: 30_000 });
    assert.deepEqual(await violationsIn(frame), [], "no violation inside the editor");
    assert.deepEqual(await violationsIn(page!), [], "no violation in the web app around it");
  });

  it("renders a Dashboard 2.0 page with its live connection", async () => {
    const dashboard = await context!.newPage();
    const response = await dashboard.goto(`${site!.url}/endpoints/dashboard/wells`);
    assert.match(response?.headers()["content-security-policy"] ?? "", /frame-ancestors 'self'/);
    await dashboard.waitForSelector("text=WELL-101 THP", { timeout: 30_000 });
    assert.deepEqual(await violationsIn(dashboard), []);
    await dashboard.close();
  });

  it("printed no Content-Security-Policy error on the console of any page", () => {
    assert.deepEqual(consoleViolations, []);
  });
});
