import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { PostgresDatabase } from "../../runtime/db/postgres.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { seedTwoSites } from "../helpers/corporate-fixtures.js";
import { createPostgresDatabase } from "../helpers/databases.js";
import { unzip } from "../helpers/office-files.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { skipWithReason } from "../helpers/skip-report.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const VIEWER = "carla-corporativa";

/**
 * A corporate user in a cloud-role installation sees both sites' production
 * (issue 13 §5) in Spanish: the cloud store is filled as the sync receiver
 * fills it (test/helpers/corporate-fixtures.ts), the site process reads it.
 * PostgreSQL only: the test writes the store while the process runs.
 */
describe("e2e: corporate screens in the cloud role", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  const url = (pathname: string) => `${site!.url}${pathname}`;

  before(async function () {
    skipUnlessBrowser(this);
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set: the test fills the cloud store of a running process");
    database = await createPostgresDatabase();
    site = await startSiteProcess({ backend: "postgres", databaseUrl: database.url, env: { PETROFLOW_ROLE: "cloud", PETROFLOW_SITE_ID: "CLOUD", PETROFLOW_SITE_NAME: "Corporativo" } });
    const db = await PostgresDatabase.connect(database.url);
    try {
      await seedTwoSites(db, Date.now());
    } finally {
      await db.close();
    }
    await sessionsByRole(site.url, { viewer: VIEWER });
    browser = await launchChromium();
    page = await signedInPage(browser, site.url, VIEWER, passwordFor(VIEWER), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "corporate", [page]);
  });

  after(async () => {
    await browser?.close();
    // The process's data dir goes with it; the database is this test's own.
    await site?.dispose();
    await database?.drop();
  });

  it("a viewer finds the corporate screens in the navigation and sees both sites' production by field and month", async () => {
    const p = page!;
    await p.locator('[data-testid="nav-corporate"]').click();
    await p.locator('[data-testid="corporate-production"]').waitFor();
    assert.match(await p.locator("h2").first().innerText(), /Producción corporativa/);
    await p.goto(url("/corporate?from=2026-09&to=2026-10"));
    const norte = p.locator('[data-testid="corporate-row-SITE-N-2026-10"]');
    await norte.waitFor();
    const norteText = await norte.innerText();
    // Version 2 restated Oct 2: 10 + 5 + 12 + 6 = 33 m3 of oil, 3200 Sm3 of gas, 7 m3 of water.
    assert.match(norteText, /SITE-N Norte/);
    assert.match(norteText, /F-NORTE Campo Norte/);
    assert.match(norteText, /\b33(,0+)?\b/);
    assert.match(norteText, /3\.?200/);
    const surText = await p.locator('[data-testid="corporate-row-SITE-S-2026-10"]').innerText();
    assert.match(surText, /SITE-S Sur/);
    assert.match(surText, /\b22(,0+)?\b/);
    await p.locator('[data-testid="corporate-row-SITE-S-2026-09"]').waitFor();
    assert.match(await p.locator('[data-testid="corporate-total-SITE-S"]').innerText(), /\b42(,0+)?\b/);
    // Sync health: Norte spoke 12 minutes ago with nothing pending; Sur holds 40 rows since 3 hours.
    assert.match(await p.locator('[data-testid="corporate-age-SITE-N"]').innerText(), /hace 1[23] min/i, "badges are upper-cased by CSS");
    assert.match(await p.locator('[data-testid="corporate-age-SITE-S"]').innerText(), /hace 3 h/i);
    assert.match(await p.locator('[data-testid="corporate-health-SITE-S"]').innerText(), /\b40\b/);
    assert.equal(await p.locator('[data-testid="corporate-download-pdf"]').count(), 1);
  });

  it("opens a site remotely: its wells and daily production, read-only under a banner with the data's age", async () => {
    const p = page!;
    await p.goto(url("/corporate?from=2026-09&to=2026-10"));
    await p.locator('[data-testid="corporate-open-SITE-N"]').click();
    const banner = p.locator('[data-testid="corporate-data-age"]');
    await banner.waitFor();
    assert.match(await banner.innerText(), /SITE-N Norte: datos de hace 1[23] min/);
    assert.match(await banner.innerText(), /solo lectura/);
    await p.locator('[data-testid="corporate-remote-well-N-101"]').waitFor();
    assert.match(await p.locator('[data-testid="corporate-remote-well-N-102"]').innerText(), /Cerrado/i);
    await p.locator('[data-testid="corporate-remote-month"]').fill("2026-10");
    const oct2 = p.locator('[data-testid="corporate-remote-day-2026-10-02"]');
    await oct2.waitFor();
    // Oct 2 from the restatement: 12 + 6 = 18 m3 of oil.
    assert.match(await oct2.innerText(), /\b18(,0+)?\b/);
    // Read-only: nothing to press, nothing to type but the month.
    const screen = p.locator('[data-testid="corporate-remote-site"]');
    assert.equal(await screen.locator("button").count(), 0);
    assert.equal(await screen.locator('input:not([type="month"]), textarea, select').count(), 0);
  });

  it("shows alarm KPIs across both sites", async () => {
    const p = page!;
    await p.goto(url("/corporate/alarms?fromDay=2026-10-01&toDay=2026-10-31"));
    const norte = p.locator('[data-testid="corporate-alarm-site-SITE-N"]');
    await norte.waitFor();
    // 27 activations in a day: 1,13 an operator-hour.
    assert.match(await norte.innerText(), /\b27\b[\s\S]*1,13/);
    assert.match(await p.locator('[data-testid="corporate-bad-actors"]').innerText(), /S-201 high temperature/);
  });

  it("the CLI downloads the analytics export from the running cloud", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-export-")), "export.zip");
    const bin = path.resolve(__dirname, "..", "..", "bin", "petroflow.js");
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "corporate-export", "--from", "2026-09", "--to", "2026-10", "--out", out, "--url", site!.url], {
      env: { PATH: process.env.PATH ?? "", PETROFLOW_USER: VIEWER, PETROFLOW_PASSWORD: passwordFor(VIEWER) },
      timeout: 60_000,
    });
    assert.match(stdout, /wrote \d+ bytes/);
    const files = [...unzip(fs.readFileSync(out)).keys()];
    assert.ok(files.includes("well_daily_production/site=SITE-N/month=2026-10/part-0000.csv"), files.join(", "));
    assert.ok(files.includes("production_monthly/site=SITE-S/month=2026-09/part-0000.csv"), files.join(", "));
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
