import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { adminClient } from "../integration/support.js";

const PHONE = { width: 390, height: 844 };

/** Every entry of the navigation an admin has, by test id, with the path it opens. */
const NAV = [
  ["nav-home", "/"],
  ["nav-field", "/field"],
  ["nav-assets", "/assets"],
  ["nav-alarms", "/alarms"],
  ["nav-events", "/events"],
  ["nav-tags", "/tags"],
  ["nav-trends", "/trends"],
  ["nav-production-entry", "/production"],
  ["nav-production-well-tests", "/production/well-tests"],
  ["nav-production-allocation", "/production/allocation"],
  ["nav-production-daily-report", "/production/daily-report"],
  ["nav-production-monthly-report", "/production/monthly-report"],
  ["nav-reservoir-decline", "/reservoir/decline"],
  ["nav-reservoir-type-curves", "/reservoir/type-curves"],
  ["nav-reservoir-inflow", "/reservoir/inflow"],
  ["nav-gas-lift", "/optimization/gas-lift"],
  ["nav-flows", "/flows"],
  ["nav-flow-history", "/flows/history"],
  ["nav-opcua-certificates", "/opcua/certificates"],
  ["nav-users", "/admin/users"],
  ["nav-audit", "/admin/audit"],
  ["nav-tokens", "/account/tokens"],
] as const;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The element lies within the phone's screen, left to right (it may need a vertical scroll). */
async function withinWidth(locator: Locator, what = String(locator)): Promise<Box> {
  const box = await locator.boundingBox();
  assert.ok(box !== null, `${what} is laid out`);
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 0.5, `${what} is off screen sideways: ${JSON.stringify(box)}`);
  return box;
}

/** How far the page itself scrolls sideways: 0 when nothing sticks out of the screen. */
async function pageOverflow(page: Page): Promise<number> {
  const scrollWidth = Number(await page.evaluate("document.documentElement.scrollWidth"));
  return scrollWidth - PHONE.width;
}

/**
 * The web app on a 390 × 844 phone: sign-out and every navigation entry can
 * be reached, no page scrolls sideways as a whole, and wide tables scroll
 * inside their own card.
 */
describe("e2e: the web app at phone width (390 px)", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let siteId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    const admin = await adminClient(site.url);
    for (let index = 1; index <= 3; index++) {
      await admin.json("POST", "/api/v1/tags", { path: `SITE1/WELL-10${index}/TUBING_HEAD_PRESSURE`, dataType: "float", unit: "kPa", description: "Tubing head pressure upstream of the choke" }, 201);
    }
    const asset = (body: Record<string, unknown>) => admin.json<{ id: string }>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "CAMPO-M", name: "Campo Movil" });
    siteId = (await asset({ kind: "site", code: "BAT-M", name: "Batería M", parentId: field.id, siteType: "battery" })).id;
    const tank = await asset({
      kind: "equipment",
      code: "TK-M1",
      name: "Tanque de almacenamiento con un nombre largo",
      parentId: siteId,
      equipment: { equipmentType: "tank", capacityM3: 200, fluid: "oil", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 4, volumeM3: 200 }] },
    });
    const gaugedAt = new Date(Date.now() - 60_000).toISOString();
    await admin.json("POST", "/api/v1/production/tank-gauges", { tankId: tank.id, gaugedAt, levelM: 2.5, waterLevelM: 0.3, temperatureDegC: 38 }, 201);
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "es-ES", viewport: PHONE, isMobile: true, hasTouch: true });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "phone-width", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("shows sign-out on the screen", async () => {
    const logout = page.locator('[data-testid="logout"]');
    await logout.waitFor();
    await withinWidth(logout);
    assert.equal(await pageOverflow(page), 0, "the header fits");
  });

  it("reaches every navigation entry from the menu, and no page scrolls sideways", async () => {
    for (const [testId, path] of NAV) {
      const burger = page.locator('[data-testid="nav-toggle"]');
      await burger.click();
      const entry = page.locator(`[data-testid="${testId}"]`);
      await entry.scrollIntoViewIfNeeded();
      const box = await withinWidth(entry, `${testId} (after ${page.url()})`);
      assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height, `${testId} cannot be brought on screen: ${JSON.stringify(box)}`);
      await entry.click();
      await page.waitForURL((url) => url.pathname === path);
      // The menu closes after a choice, leaving the page.
      await page.locator('[data-testid="nav-toggle"]:not([data-opened])').waitFor();
      await page.locator("main").waitFor();
      await page.waitForLoadState("networkidle");
      assert.equal(await pageOverflow(page), 0, `${path} scrolls sideways as a whole`);
      await withinWidth(page.locator('[data-testid="logout"]'));
    }
  });

  it("keeps the day's entries of the production screen inside the screen", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${site!.url}/production?site=${siteId}&date=${today}`);
    await page.locator('[data-testid="tank-gauge-row-TK-M1"]').waitFor();
    assert.equal(await pageOverflow(page), 0, "the entry list scrolls inside its card");
  });

  it("scrolls a wide table inside its card", async () => {
    await page.goto(`${site!.url}/tags`);
    const table = page.locator('[data-testid="tags-table"]');
    await table.waitFor();
    const tableBox = await table.boundingBox();
    assert.ok(tableBox !== null && tableBox.width > PHONE.width, "the table is wider than the phone");
    assert.equal(await pageOverflow(page), 0);
    // Something inside its card scrolls it sideways; the page stays put.
    // The test's TypeScript has no DOM types: the few properties used, by shape.
    interface ScrollBox {
      scrollWidth: number;
      clientWidth: number;
      scrollLeft: number;
      querySelectorAll(selector: string): Iterable<ScrollBox>;
    }
    const scrolledBy = await page.locator('[data-testid="tags-table-scroll"]').evaluate((card: ScrollBox) => {
      const scroller = [card, ...card.querySelectorAll("*")].find((element) => element.scrollWidth > element.clientWidth + 1);
      if (scroller === undefined) return 0;
      scroller.scrollLeft = 300;
      return scroller.scrollLeft;
    });
    assert.ok(scrolledBy > 0, "the card scrolls the table");
    assert.equal(Number(await page.evaluate("window.scrollX")), 0);
    assert.equal(await pageOverflow(page), 0);
  });
});
