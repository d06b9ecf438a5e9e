import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const ENGINEER = "erin-engineer";
const ATMOSPHERIC_KPA = 101.325;

interface Created {
  id: string;
}

/**
 * The inflow performance screen on a metric site, in English: the engineer
 * picks a well and its test, is told which survey is missing, records the
 * survey on the screen, and gets the Vogel curve with its AOF and the flowing
 * pressure for a target rate.
 */
describe("e2e: inflow performance (IPR) screen", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let siteId = "";
  let wellId = "";
  let wellTestId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false", PETROFLOW_UNIT_SYSTEM: "metric" } });
    const { engineer } = await sessionsByRole(site.url, { engineer: ENGINEER });
    const asset = (body: Record<string, unknown>) => engineer.json<Created>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "FIELD-I", name: "Field I" });
    siteId = (await asset({ kind: "site", code: "BAT-I", name: "Battery I", parentId: field.id, siteType: "battery" })).id;
    wellId = (await asset({ kind: "well", code: "WELL-101", name: "Well 101", parentId: siteId, well: { liftType: "esp" } })).id;
    wellTestId = (
      await engineer.json<Created>(
        "POST",
        "/api/v1/production/well-tests",
        {
          wellId,
          startedAt: "2026-11-03T10:00:00Z",
          durationHours: 6,
          oilRateM3PerDay: 70,
          gasRateSm3PerDay: 5_000,
          waterRateM3PerDay: 10,
          bottomholePressureKpa: 10_000,
          bottomholePressureSource: "measured",
        },
        201,
      )
    ).id;
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, ENGINEER, passwordFor(ENGINEER), { locale: "en-US", timezoneId: "UTC" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "inflow-performance", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("names the missing survey, takes one, then draws the Vogel curve with its AOF", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/`);
    await page.click('[data-testid="nav-reservoir-inflow"]');
    await page.waitForSelector('[data-testid="inflow-performance"]');
    await page.selectOption('[data-testid="inflow-site"]', siteId);
    await page.selectOption('[data-testid="inflow-well"]', wellId);
    await page.locator(`[data-testid="inflow-wellTestId"] option[value="${wellTestId}"]`).waitFor({ state: "attached" });
    await page.selectOption('[data-testid="inflow-wellTestId"]', wellTestId);
    await page.fill('[data-testid="inflow-targetRate"]', "40");
    await page.click('[data-testid="inflow-compute"]');
    // The refusal names the survey missing, under the reservoir pressure input it is about.
    const error = page.getByText("has no static pressure survey on or before 2026-11-03 for WELL-101");
    await error.waitFor();
    assert.equal(await page.locator('[data-testid="inflow-reservoirPressure"]').getAttribute("aria-invalid"), "true");

    await page.fill('[data-testid="inflow-survey-date"]', "2026-10-30");
    await page.fill('[data-testid="inflow-survey-pressure"]', "20000");
    await page.click('[data-testid="inflow-survey-save"]');
    await page.locator('[data-testid="inflow-survey-list"] >> text=2026-10-30').waitFor();

    await page.click('[data-testid="inflow-compute"]');
    await page.locator('[data-testid="inflow-result"]').waitFor();
    // Vogel on absolute pressures: qmax = 70 / (1 − 0.2x − 0.8x²), x = Pwf/Pr (abs); AOF at 0 kPa gauge.
    const pr = 20_000 + ATMOSPHERIC_KPA;
    const x = (10_000 + ATMOSPHERIC_KPA) / pr;
    const xAtm = ATMOSPHERIC_KPA / pr;
    const aof = (70 / (1 - 0.2 * x - 0.8 * x * x)) * (1 - 0.2 * xAtm - 0.8 * xAtm * xAtm);
    const shown = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(aof);
    assert.equal((await page.locator('[data-testid="inflow-aof"]').innerText()).trim(), `${shown} m³/d`);
    assert.match(await page.locator('[data-testid="inflow-pr"]').innerText(), /survey of 2026-10-30/);
    assert.match(await page.locator('[data-testid="inflow-pressure-for"]').innerText(), /kPa$/);
    const chart = page.locator('[data-testid="ipr-chart"]');
    assert.equal(await chart.getAttribute("data-points"), "41");
    assert.ok((await chart.locator("canvas").count()) > 0, "uPlot drew the curve");
  });

  it("the well-test list shows the test's bottomhole pressure, with how it was obtained on hover", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/production/well-tests?site=${siteId}`);
    const cell = page.locator('[data-testid="well-test-bottomhole-pressure"]').first();
    await cell.waitFor();
    const shown = new Intl.NumberFormat("en").format(10_000);
    assert.match((await cell.innerText()).trim(), new RegExp(`^${shown}\\s*kPa$`));
    assert.equal(await cell.getAttribute("title"), "Pressure survey (memory or wireline gauge)");
  });
});
