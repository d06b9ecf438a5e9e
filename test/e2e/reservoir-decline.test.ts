import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { errorOf, passwordFor, sessionsByRole } from "../integration/support.js";

const ENGINEER = "elena-ingeniera";

interface WellAsset {
  id: string;
  code: string;
  parentId: string;
}

interface ImportAnswer {
  id: string;
  rowCount: number;
}

interface Forecast {
  version: number;
  reason: string;
  parameters: { model: string; bExponent?: number };
  excludedPoints: { date: string; reason: string }[];
}

/** Monthly history of a hyperbolic decline (qi 100 m3/d, Di 0.9 per year, b 0.6) over 36 months from 2022-01, month 10 shut in. */
function historyCsv(wellCode: string, initialRate = 100): string {
  const lines = ["Well,Date,Oil (m3),Gas (Sm3),Water (m3),Days On"];
  for (let month = 0; month < 36; month++) {
    const start = new Date(Date.UTC(2022, month, 1));
    const days = new Date(Date.UTC(2022, month + 1, 0)).getUTCDate();
    const tYears = (month + 0.5) / 12;
    const rate = initialRate / Math.pow(1 + 0.6 * 0.9 * tYears, 1 / 0.6);
    const daysOn = month === 10 ? 0 : days;
    lines.push(`${wellCode},${start.toISOString().slice(0, 10)},${(rate * daysOn).toFixed(2)},${(rate * daysOn * 120).toFixed(0)},${(rate * daysOn * 0.3).toFixed(2)},${daysOn}`);
  }
  return lines.join("\n");
}

/** Polls until `ready` holds (the page updates after its requests answer). */
async function until(ready: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Issue 11: an engineer imports a demo well's pre-Petroflow history (CSV,
 * Idempotency-Key honoured, a re-import refused), opens the well's decline
 * screen, fits it, adjusts b by hand (live re-forecast), saves the forecast
 * with a reason and sees it listed.
 */
describe("e2e: a well's decline analysis on the demo site", function () {
  this.timeout(300_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let engineer: SiteClient;
  let well: WellAsset;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess();
    ({ engineer } = await sessionsByRole(site.url, { engineer: ENGINEER }));
    const wells = await engineer.json<{ assets: WellAsset[] }>("GET", "/api/v1/assets?kind=well&search=WELL-101&limit=5&offset=0");
    const found = wells.assets.find((asset) => asset.code === "WELL-101");
    if (!found) throw new Error("the demo has no WELL-101");
    well = found;
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, ENGINEER, passwordFor(ENGINEER), { locale: "en-US", viewport: { width: 1400, height: 1000 } });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "reservoir-decline", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("imports the well's history once per Idempotency-Key and refuses a plain re-import (409)", async () => {
    const path = `/api/v1/reservoir/history/imports?assetId=${well.parentId}&unitSystem=metric&frequency=monthly&fileName=well-101-ofm.csv`;
    const headers = { "content-type": "text/csv", "idempotency-key": "import-well-101-history" };
    const first = await engineer.request("POST", path, historyCsv(well.code), headers);
    assert.equal(first.status, 201, await first.clone().text());
    const created = (await first.json()) as ImportAnswer;
    assert.equal(created.rowCount, 36);
    const replay = await engineer.request("POST", path, historyCsv(well.code), headers);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get("idempotency-replayed"), "true");
    assert.equal(((await replay.json()) as ImportAnswer).id, created.id);
    const again = await engineer.request("POST", path, historyCsv(well.code), { "content-type": "text/csv" });
    assert.equal(again.status, 409);
    assert.equal((await errorOf(again)).details?.reason, "history_period_exists");
    const bad = await engineer.request("POST", path, "Well,Date,Oil (m3)\nWELL-101,2030-02-30,12\nWELL-101,2030-03-01,-1", { "content-type": "text/csv" });
    assert.equal(bad.status, 400);
    const problems = (await errorOf(bad)).details?.params?.problems as string[];
    assert.deepEqual(
      problems.map((problem) => problem.split(":")[0]),
      ["line 2", "line 3"],
    );
    const asJson = await engineer.request("POST", path, { csv: "Well,Date,Oil" });
    assert.ok(asJson.status === 400 || asJson.status === 415, `a JSON body is refused, got ${asJson.status}`);
  });

  it("fits the history, re-forecasts a hand-adjusted b, saves the forecast with a reason and lists it", async () => {
    assert.ok(page && site);
    await page.goto(`${site.url}/reservoir/decline?well=${well.id}`);
    const chart = page.locator('[data-testid="reservoir-decline-chart"]');
    // 35 producing months on the chart, the shut-in month excluded (no rate to plot on a log axis).
    await chart.waitFor();
    await until(async () => (await chart.getAttribute("data-points"))?.startsWith("35,") ?? false, "35 points on the chart");
    await page.getByTestId("reservoir-fit").click();
    const b = page.getByTestId("reservoir-b");
    await b.waitFor();
    const fitted = Number(await b.inputValue());
    assert.ok(Math.abs(fitted - 0.6) < 0.05, `fitted b ${fitted}`);
    const eur = page.getByTestId("reservoir-eur");
    await until(async () => ((await eur.textContent()) ?? "—") !== "—", "the fitted curve's EUR");
    const fittedEur = await eur.textContent();
    await b.fill("0.3");
    await until(async () => {
      const text = (await eur.textContent()) ?? "—";
      return text !== "—" && text !== fittedEur;
    }, "the EUR of the adjusted curve");
    await page.getByTestId("reservoir-reason").fill("b lowered to 0.3: offset wells show boundary flow");
    await page.getByTestId("reservoir-save").click();
    await page.getByTestId("reservoir-version-oil-1").waitFor();
    const row = await page.getByTestId("reservoir-version-oil-1").textContent();
    assert.match(row ?? "", /boundary flow/);
    const saved = await engineer.json<Forecast[]>("GET", `/api/v1/reservoir/wells/${well.id}/forecasts`);
    assert.equal(saved.length, 1);
    assert.deepEqual([saved[0].version, saved[0].parameters.model, saved[0].parameters.bExponent], [1, "hyperbolic", 0.3]);
    assert.ok(saved[0].excludedPoints.some((point) => point.date === "2022-11-01" && point.reason === "shutIn"));
  });

  it("builds a type curve of two wells with its P50 fit", async () => {
    assert.ok(page && site);
    const wells = await engineer.json<{ assets: WellAsset[] }>("GET", "/api/v1/assets?kind=well&search=WELL-102&limit=5&offset=0");
    const other = wells.assets.find((asset) => asset.code === "WELL-102");
    if (!other) throw new Error("the demo has no WELL-102");
    const path = `/api/v1/reservoir/history/imports?assetId=${other.parentId}&unitSystem=metric&frequency=monthly&fileName=well-102-ofm.csv`;
    const imported = await engineer.request("POST", path, historyCsv(other.code, 70), { "content-type": "text/csv" });
    assert.equal(imported.status, 201, await imported.clone().text());
    await page.goto(`${site.url}/reservoir/type-curves`);
    const picker = page.getByTestId("reservoir-type-curve-wells");
    for (const code of ["WELL-101", "WELL-102"]) {
      await picker.click();
      await page.getByRole("option", { name: code, exact: true }).click();
    }
    await page.keyboard.press("Escape");
    await page.getByTestId("reservoir-type-curve-build").click();
    await page.getByTestId("reservoir-type-curve-fit").waitFor();
    const chart = page.getByTestId("reservoir-type-curve-chart");
    const counts = ((await chart.getAttribute("data-points")) ?? "").split(",").map(Number);
    // P10, P50, P90 over the bins, and the fitted curve.
    assert.equal(counts.length, 4);
    assert.ok(counts[1] >= 30, `P50 bins ${counts[1]}`);
  });
});
