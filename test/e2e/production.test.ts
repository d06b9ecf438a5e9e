import { SM3_PER_MSCF } from "../../runtime/units/gas-volume.js";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const OPERATOR = "olga-operadora";
const ENGINEER = "ernesto-ingeniero";
const FT = 0.3048;
/** The tank's strapping table: linear, 50 m³ per metre. */
const STRAPPING = [
  { levelM: 0, volumeM3: 0 },
  { levelM: 4, volumeM3: 200 },
];

interface Created {
  id: string;
}

interface WellTestAnswer {
  id: string;
  wellId: string;
  status: string;
  rowVersion: number;
}

interface RunAnswer {
  id: string;
  version: number;
  results: { wellCode: string; fluid: string; allocatedM3: number }[];
}

/** The operators' zone (UTC−5): typed times are local, production days are UTC days. */
const TIME_ZONE = "America/Bogota";
/** A production day: the UTC calendar day `daysAgo` days back. */
const utcDate = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
/** What a datetime-local input takes for an instant, in the browser's zone. */
const minuteInput = (at: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, dateStyle: "short", timeStyle: "short" }).format(at).replace(" ", "T");
/** Waits until the locator matches exactly `count` elements (the lists refresh after each save). */
async function waitForCount(locator: Locator, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} matches, saw ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await locator.count();
  }
}

const M3_PER_BBL = 0.158987294928;
/** A volume as the Spanish web app shows it in oilfield units: whole barrels, "1234" / "12.345" (the report's header names the unit). */
const barrels = (valueM3: number) => new Intl.NumberFormat("es", { maximumFractionDigits: 0 }).format(valueM3 / M3_PER_BBL);
const shown = (valueM3: number) => `${barrels(valueM3)} bbl`;

/**
 * The production day of an oilfield site in real browsers against a real site
 * process, in Spanish, oilfield units and a Colombian time zone (times typed
 * between 00:00 and 19:00 local stay on the UTC production day): the operator
 * gauges the stock tank, records downtime (and closes one), meter readings and
 * a well test; the engineer approves the tests (one lost to a colleague, 409),
 * allocates the day and restates it with a reason; the daily report shows the
 * allocated volumes of the run and downloads as PDF, an older run stays
 * readable, and the monthly summary adds the month up.
 */
describe("e2e: production entry, well tests, allocation and the daily report", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let operatorPage: Page;
  let engineerPage: Page;
  let engineerApi: SiteClient;
  let operatorApi: SiteClient;
  let siteId = "";
  const wells: Record<string, string> = {};
  const meters: Record<string, string> = {};
  const day = utcDate(1);
  const dayBefore = utcDate(2);
  const today = utcDate(0);

  async function signIn(username: string): Promise<Page> {
    if (!browser || !site) throw new Error("not started");
    return signedInPage(browser, site.url, username, passwordFor(username), { locale: "es-ES", timezoneId: TIME_ZONE, acceptDownloads: true });
  }

  const url = (pathname: string) => {
    if (!site) throw new Error("site not started");
    return `${site.url}${pathname}`;
  };

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite", env: { PETROFLOW_DEMO: "false", PETROFLOW_UNIT_SYSTEM: "oilfield" } });
    ({ operator: operatorApi, engineer: engineerApi } = await sessionsByRole(site.url, { operator: OPERATOR, engineer: ENGINEER }));

    const asset = (body: Record<string, unknown>) => engineerApi.json<Created>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "CAMPO-SUR", name: "Campo Sur" });
    siteId = (await asset({ kind: "site", code: "BAT-1", name: "Batería 1", parentId: field.id, siteType: "battery" })).id;
    for (const [code, liftType] of [
      ["WELL-101", "esp"],
      ["WELL-102", "gas_lift"],
    ]) {
      wells[code] = (await asset({ kind: "well", code, name: `Pozo ${code}`, parentId: siteId, well: { liftType } })).id;
    }
    await asset({
      kind: "equipment",
      code: "TK-01",
      name: "Tanque de almacenamiento",
      parentId: siteId,
      equipment: { equipmentType: "tank", capacityM3: 200, strappingTable: STRAPPING, fluid: "oil" },
    });
    for (const fluid of ["oil", "gas", "water"]) {
      meters[fluid] = (
        await asset({
          kind: "equipment",
          code: `MF-${fluid.toUpperCase()}`,
          name: `Medidor fiscal de ${fluid}`,
          parentId: siteId,
          equipment: { equipmentType: "meter", meterService: "fiscal", fluid },
        })
      ).id;
    }

    browser = await launchChromium();
    operatorPage = await signIn(OPERATOR);
    engineerPage = await signIn(ENGINEER);
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "production", [operatorPage, engineerPage]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("the operator finds the entry screen in Spanish with the only site picked", async () => {
    const page = operatorPage;
    await page.click('[data-testid="nav-production-entry"]');
    await page.waitForSelector('[data-testid="production-entry"]');
    assert.equal((await page.locator('[data-testid="nav-production-entry"]').innerText()).trim(), "Parte diario");
    // Engineers allocate; an operator is not offered the screen.
    assert.equal(await page.locator('[data-testid="nav-production-allocation"]').count(), 0);
    await page.waitForURL((address) => address.searchParams.get("site") !== null);
    assert.equal(new URL(page.url()).searchParams.get("site"), siteId);
  });

  it("the operator records two tank gauges typed in feet and sees the strapped volumes in barrels", async () => {
    const page = operatorPage;
    await page.goto(url(`/production?site=${siteId}&date=${day}`));
    await page.waitForSelector('[data-testid="tank-gauge-form"]');
    assert.match(await page.locator('label:has-text("Nivel")').first().innerText(), /\(ft\)/);
    const idempotencyKeys: (string | undefined)[] = [];
    const onRequest = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (request.method() === "POST" && request.url().endsWith("/api/v1/production/tank-gauges")) idempotencyKeys.push(request.headers()["idempotency-key"]);
    };
    page.on("request", onRequest);
    for (const [time, levelFt] of [
      ["06:00", 6],
      ["18:00", 9],
    ] as const) {
      await page.selectOption('[data-testid="tank-gauge-tank"]', { label: "TK-01 — Tanque de almacenamiento" });
      await page.fill('[data-testid="tank-gauge-time"]', `${day}T${time}`);
      await page.fill('[data-testid="tank-gauge-level"]', String(levelFt));
      await page.click('[data-testid="tank-gauge-submit"]');
      const expected = shown(((levelFt * FT) / 4) * 200);
      await page.locator('[data-testid="tank-gauge-recorded"]', { hasText: expected }).waitFor();
    }
    page.off("request", onRequest);
    // Each gauge went with its own Idempotency-Key (a lost answer re-sent would reuse it).
    assert.equal(idempotencyKeys.length, 2);
    assert.ok(idempotencyKeys.every((key) => key !== undefined && /^[0-9a-f]{32}$/.test(key)), String(idempotencyKeys));
    assert.notEqual(idempotencyKeys[0], idempotencyKeys[1]);
    const rows = page.locator('[data-testid="tank-gauge-row-TK-01"]');
    await waitForCount(rows, 2);
    const volumes = await rows.locator('[data-testid="tank-gauge-volume"]').allInnerTexts();
    assert.deepEqual(volumes.sort(), [shown(((6 * FT) / 4) * 200), shown(((9 * FT) / 4) * 200)].sort());
  });

  it("the operator records downtime with a translated reason", async () => {
    const page = operatorPage;
    await page.click('[data-testid="production-tab-downtime"]');
    await page.selectOption('[data-testid="downtime-well"]', { label: "WELL-102 — Pozo WELL-102" });
    await page.selectOption('[data-testid="downtime-reason"]', { label: "Disparo de BES" });
    await page.fill('[data-testid="downtime-start"]', `${day}T00:00`);
    await page.fill('[data-testid="downtime-end"]', `${day}T06:00`);
    await page.click('[data-testid="downtime-submit"]');
    const row = page.locator('[data-testid="downtime-row-WELL-102"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Disparo de BES[\s\S]*6 h/);
    assert.equal(await row.getAttribute("data-open"), "false");
  });

  it("the operator records open downtime today and closes it when the well is back", async () => {
    const page = operatorPage;
    await page.goto(url(`/production?site=${siteId}&date=${today}`));
    await page.click('[data-testid="production-tab-downtime"]');
    await page.selectOption('[data-testid="downtime-well"]', { label: "WELL-101 — Pozo WELL-101" });
    await page.selectOption('[data-testid="downtime-reason"]', { label: "Falla de energía eléctrica" });
    await page.fill('[data-testid="downtime-start"]', minuteInput(new Date(Date.now() - 5 * 60_000)));
    await page.click('[data-testid="downtime-submit"]');
    const open = page.locator('[data-testid="downtime-row-WELL-101"][data-open="true"]');
    await open.waitFor();
    assert.match(await open.innerText(), /sigue parado/i);
    await open.locator('[data-testid="downtime-close"]').click();
    await page.click('[data-testid="downtime-close-submit"]');
    await page.locator('[data-testid="downtime-row-WELL-101"][data-open="false"]').waitFor();
  });

  it("the operator closes downtime in the minute it opened, and is told why an end before the start is refused", async () => {
    const page = operatorPage;
    const minute = minuteInput(new Date(Date.now() - 2 * 60_000));
    const minuteBefore = minuteInput(new Date(Date.now() - 3 * 60_000));
    await page.selectOption('[data-testid="downtime-well"]', { label: "WELL-101 — Pozo WELL-101" });
    await page.selectOption('[data-testid="downtime-reason"]', { label: "Disparo de BES" });
    await page.fill('[data-testid="downtime-start"]', minute);
    await page.click('[data-testid="downtime-submit"]');
    const open = page.locator('[data-testid="downtime-row-WELL-101"][data-open="true"]');
    await open.waitFor();
    await open.locator('[data-testid="downtime-close"]').click();
    const form = page.locator('[data-testid="downtime-close-form"]');
    await form.waitFor();
    await page.fill('[data-testid="downtime-close-time"]', minuteBefore);
    await page.click('[data-testid="downtime-close-submit"]');
    await form.getByText("No puede ser anterior al inicio.").waitFor();
    await page.fill('[data-testid="downtime-close-time"]', minute);
    await page.click('[data-testid="downtime-close-submit"]');
    await form.waitFor({ state: "detached" });
    await waitForCount(page.locator('[data-testid="downtime-row-WELL-101"][data-open="false"]'), 2);
    assert.equal(await open.count(), 0);
  });

  it("the operator records the day's fiscal meter readings in barrels and Mscf", async () => {
    const page = operatorPage;
    await page.goto(url(`/production?site=${siteId}&date=${day}`));
    await page.click('[data-testid="production-tab-meters"]');
    for (const [fluid, volume] of [
      ["oil", "440"],
      ["gas", "116,5"],
      ["water", "250"],
    ]) {
      const code = `MF-${fluid.toUpperCase()}`;
      await page.selectOption('[data-testid="meter-reading-meter"]', { label: `${code} — Medidor fiscal de ${fluid}` });
      await page.fill('[data-testid="meter-reading-volume"]', volume);
      await page.click('[data-testid="meter-reading-submit"]');
      await page.locator(`[data-testid="meter-reading-row-${code}"]`).waitFor();
    }
    const readings = await operatorApi.json<{ items: { fluid: string; volumeM3: number }[] }>(
      "GET",
      `/api/v1/production/meter-readings?siteAssetId=${siteId}&from=${day}&to=${day}`,
    );
    const byFluid = Object.fromEntries(readings.items.map((reading) => [reading.fluid, reading.volumeM3]));
    // Typed in the site's units, stored in SI: bbl → m³, Mscf → Sm³.
    assert.ok(Math.abs((byFluid.oil ?? 0) - 440 * M3_PER_BBL) < 1e-6, `oil ${byFluid.oil}`);
    assert.ok(Math.abs((byFluid.gas ?? 0) - 116.5 * SM3_PER_MSCF) < 1e-3, `gas ${byFluid.gas}`);
    assert.ok(Math.abs((byFluid.water ?? 0) - 250 * M3_PER_BBL) < 1e-6, `water ${byFluid.water}`);
  });

  it("the operator proposes a well test in oilfield units", async () => {
    const page = operatorPage;
    await page.click('[data-testid="nav-production-well-tests"]');
    await page.click('[data-testid="well-test-propose"]');
    await page.selectOption('[data-testid="well-test-well"]', { label: "WELL-101 — Pozo WELL-101" });
    await page.fill('[data-testid="well-test-start"]', `${dayBefore}T08:00`);
    await page.fill('[data-testid="well-test-durationHours"]', "24");
    await page.fill('[data-testid="well-test-oilRate"]', "377");
    await page.fill('[data-testid="well-test-gasRate"]', "106");
    await page.fill('[data-testid="well-test-waterRate"]', "126");
    await page.fill('[data-testid="well-test-tubingPressure"]', "250");
    await page.click('[data-testid="well-test-submit"]');
    const row = page.locator('[data-testid="well-test-row-WELL-101"][data-status="proposed"]');
    await row.waitFor();
    assert.match(await row.innerText(), /377 bbl\/d/);
  });

  it("the engineer approves the proposed tests and is told when a colleague decided one first", async () => {
    // WELL-102's test comes from the test separator's flow; a second one is decided by a colleague meanwhile.
    const base = { wellId: wells["WELL-102"], durationHours: 12, oilRateM3PerDay: 30, gasRateSm3PerDay: 1000, waterRateM3PerDay: 40 };
    await operatorApi.json("POST", "/api/v1/production/well-tests", { ...base, startedAt: `${dayBefore}T08:00:00Z` }, 201);
    const contested = await operatorApi.json<WellTestAnswer>(
      "POST",
      "/api/v1/production/well-tests",
      { ...base, startedAt: `${dayBefore}T20:00:00Z`, oilRateM3PerDay: 45 },
      201,
    );

    const page = engineerPage;
    await page.goto(url(`/production/well-tests?site=${siteId}`));
    const proposed = page.locator('[data-status="proposed"]');
    await waitForCount(proposed, 3);

    await page.locator(`[data-well-test-id="${contested.id}"] [data-testid="well-test-approve"]`).click();
    await page.waitForSelector('[data-testid="well-test-decision-form"]');
    await engineerApi.json("POST", `/api/v1/production/well-tests/${contested.id}/reject`, { rowVersion: contested.rowVersion, note: "choke changed" }, 200);
    await page.click('[data-testid="well-test-decision-submit"]');
    await page.locator('[data-testid="well-test-stale"]').waitFor();
    await page.click('[data-testid="well-test-reload"]');
    await waitForCount(proposed, 2);

    for (let left = 2; left > 0; left--) {
      await proposed.first().locator('[data-testid="well-test-approve"]').click();
      await page.fill('[data-testid="well-test-note"]', "Prueba representativa");
      await page.click('[data-testid="well-test-decision-submit"]');
      await waitForCount(proposed, left - 1);
    }
    const tests = await engineerApi.json<{ items: WellTestAnswer[] }>("GET", `/api/v1/production/well-tests?siteAssetId=${siteId}`);
    assert.deepEqual(tests.items.map((test) => test.status).sort(), ["approved", "approved", "rejected"]);
  });

  it("the engineer allocates the day in the UI; a restatement needs a reason, even one the screen learns from the server", async () => {
    const page = engineerPage;
    await page.goto(url(`/production/allocation?site=${siteId}&date=${day}`));
    await page.waitForSelector('[data-testid="allocation-form"]');
    await page.locator('[data-testid="allocation-runs"]').waitFor();
    assert.equal(await page.locator('[data-testid="allocation-restatement"]').count(), 0);

    // A colleague allocates the day while this screen still shows no run for it.
    await engineerApi.json("POST", "/api/v1/production/allocation-runs", { siteAssetId: siteId, periodStart: day, periodEnd: day }, 201);
    await page.click('[data-testid="allocation-run"]');
    await page.locator('[data-testid="allocation-reason"][aria-invalid="true"]').waitFor();
    await page.locator('[data-testid="allocation-restatement"]').waitFor();
    await page.locator(`[data-testid="allocation-run-${day}-v1"]`).waitFor();

    await page.fill('[data-testid="allocation-reason"]', "Lectura del medidor fiscal corregida");
    await page.click('[data-testid="allocation-run"]');
    await page.locator('[data-testid="allocation-done"]').waitFor();
    const restated = page.locator(`[data-testid="allocation-run-${day}-v2"]`);
    await restated.waitFor();
    assert.match(await restated.innerText(), /reexpresa la v1/i);
    assert.match(await restated.innerText(), /Lectura del medidor fiscal corregida/);

    // Now the screen knows the day is covered: no second restatement without a reason.
    await page.click('[data-testid="allocation-run"]');
    await page.locator('[data-testid="allocation-reason"][aria-invalid="true"]').waitFor();
    assert.equal(await page.locator(`[data-testid="allocation-run-${day}-v3"]`).count(), 0);
  });

  it("the daily report shows the run's allocated volumes in barrels and downloads as PDF", async () => {
    const runs = await engineerApi.json<{ items: { id: string; version: number }[] }>(
      "GET",
      `/api/v1/production/allocation-runs?siteAssetId=${siteId}&date=${day}`,
    );
    const latest = runs.items.reduce((best, run) => (run.version > best.version ? run : best));
    const detail = await engineerApi.json<RunAnswer>("GET", `/api/v1/production/allocation-runs/${latest.id}`);
    const allocated = (code: string) => detail.results.find((result) => result.wellCode === code && result.fluid === "oil")?.allocatedM3;

    const page = engineerPage;
    await page.click('[data-testid="nav-production-daily-report"]');
    await page.goto(url(`/production/daily-report?site=${siteId}&date=${day}`));
    const header = page.locator('[data-testid="daily-report-run-name"]');
    await header.waitFor();
    assert.match(await header.innerText(), new RegExp(`v${latest.version}\\b`));
    assert.match(await page.locator('[data-testid="daily-report-wells"] thead').innerText(), /Petróleo \(bbl\)[\s\S]*Gas \(Mscf\)/);
    for (const code of ["WELL-101", "WELL-102"]) {
      const expected = allocated(code);
      assert.ok(expected !== undefined && expected > 0, `no oil allocated to ${code}`);
      assert.equal((await page.locator(`[data-testid="daily-report-${code}-oil-allocated"]`).innerText()).trim(), barrels(expected));
    }
    assert.match(await page.locator('[data-testid="daily-report-row-WELL-102"]').innerText(), /Disparo de BES 6 h/);
    assert.equal(await page.locator('[data-testid="daily-report-tank-TK-01"]').count(), 1);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="daily-report-download-pdf"]')]);
    const file = await download.path();
    assert.ok(file, "the download was not saved");
    assert.equal(fs.readFileSync(file).subarray(0, 4).toString("latin1"), "%PDF");
    assert.match(download.suggestedFilename(), /\.pdf$/);

    // The restated run stays readable: pick the first one.
    const first = runs.items.find((run) => run.version === 1);
    assert.ok(first, "no first run");
    await page.selectOption('[data-testid="daily-report-run"]', first.id);
    await page.locator('[data-testid="daily-report-run-name"]', { hasText: /v1\b/ }).waitFor();
    assert.match((await page.locator('[data-testid="daily-report-download-pdf"]').getAttribute("href")) ?? "", new RegExp(`runId=${first.id}`));
  });

  it("the monthly summary adds the month's allocated oil per well", async () => {
    const page = engineerPage;
    const month = day.slice(0, 7);
    await page.goto(url(`/production/monthly-report?site=${siteId}&month=${month}`));
    const report = await engineerApi.json<{ wells: { code: string; oilM3: number }[] }>(
      "GET",
      `/api/v1/production/reports/monthly?siteAssetId=${siteId}&month=${month}`,
    );
    for (const well of report.wells) {
      const row = page.locator(`[data-testid="monthly-report-row-${well.code}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(`^${well.code}\\s+${barrels(well.oilM3).replace(".", "\\.")}\\s`));
    }
    assert.equal(report.wells.length, 2);
    assert.match((await page.locator('[data-testid="monthly-report-download-csv"]').getAttribute("href")) ?? "", /monthly\.csv\?/);
  });
});
