import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  baseDensityFromObserved,
  ctlToBase,
  degCFromDegF,
  densityKgPerM3FromApiGravity,
  roundCtl,
} from "../../erp-modules/production/model/volume-correction.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const OPERATOR = "olga-operadora";
const ENGINEER = "ernesto-ingeniero";
const M3_PER_BBL = 0.158987294928;
const TIME_ZONE = "America/Bogota";

interface Created {
  id: string;
}

/**
 * Net oil in the browser, on an oilfield site whose standard conditions are
 * 60 °F and 14.696 psia, in Spanish: the operator types an oil run ticket in
 * barrels, °F, °API and BS&W and the list shows its net standard volume;
 * the daily report states the standard conditions and gauge pressures.
 */
describe("e2e: net oil on an oilfield run ticket", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let siteId = "";
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({
      backend: "pglite",
      env: { PETROFLOW_DEMO: "false", PETROFLOW_UNIT_SYSTEM: "oilfield", PETROFLOW_STANDARD_CONDITIONS: "60F_14.696psia" },
    });
    const { engineer } = await sessionsByRole(site.url, { operator: OPERATOR, engineer: ENGINEER });
    const asset = (body: Record<string, unknown>) => engineer.json<Created>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "CAMPO-N", name: "Campo Norte" });
    siteId = (await asset({ kind: "site", code: "BAT-N", name: "Batería Norte", parentId: field.id, siteType: "battery" })).id;
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, OPERATOR, passwordFor(OPERATOR), { locale: "es-ES", timezoneId: TIME_ZONE });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "net-oil", [page]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("the operator records an oil ticket in bbl, °F, °API and BS&W and sees its net standard volume", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/production?site=${siteId}&date=${day}`);
    await page.click('[data-testid="production-tab-tickets"]');
    await page.waitForSelector('[data-testid="run-ticket-form"]');
    assert.match(await page.locator('label:has-text("Gravedad API observada")').first().innerText(), /\(°API\)/);
    await page.fill('[data-testid="run-ticket-number"]', "RT-NETO-1");
    await page.fill('[data-testid="run-ticket-time"]', `${day}T10:00`);
    await page.fill('[data-testid="run-ticket-volume"]', "100");
    await page.fill('[data-testid="run-ticket-temperature"]', "80");
    await page.fill('[data-testid="run-ticket-gravity"]', "35");
    await page.fill('[data-testid="run-ticket-bsw"]', "0,5");
    await page.click('[data-testid="run-ticket-submit"]');
    // 100 bbl of 35 °API read at 80 °F: NSV = 100 × CTL × (1 − 0.005) bbl, CTL from the model (about 0.9897).
    const temperatureDegC = degCFromDegF(80);
    const ctl = roundCtl(ctlToBase(baseDensityFromObserved(densityKgPerM3FromApiGravity(35), temperatureDegC, "60F"), "60F", temperatureDegC));
    const nsvBarrels = (100 * M3_PER_BBL * ctl * 0.995) / M3_PER_BBL;
    const expected = `${new Intl.NumberFormat("es", { maximumFractionDigits: 0 }).format(nsvBarrels)} bbl`;
    const cell = page.locator('[data-testid="run-ticket-row-RT-NETO-1"] [data-testid="run-ticket-nsv"]');
    await cell.waitFor();
    assert.equal((await cell.innerText()).trim(), expected);
  });

  it("the daily report states the standard conditions and that pressures are gauge", async () => {
    if (!site) throw new Error("site not started");
    await page.goto(`${site.url}/production/daily-report?site=${siteId}&date=${day}`);
    const note = page.locator('[data-testid="daily-report-conditions"]');
    await note.waitFor();
    const text = await note.innerText();
    assert.match(text, /60 °F y 14,696 psia/);
    assert.match(text, /manométricas/);
  });
});
