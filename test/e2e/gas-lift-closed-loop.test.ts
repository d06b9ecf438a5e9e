import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Run } from "../../erp-modules/optimization/gas-lift-run-schema.js";
import type { SiteClient } from "../helpers/http-client.js";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { startDemoSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, poll, sessionsByRole } from "../integration/support.js";

/**
 * Issue 11's closed loop on the demo site with its simulator and shipped
 * flows: an engineer makes a gas-lift run and approves it in the browser,
 * the "Gas-lift closed loop" flow writes each setpoint to its well's Modbus
 * device, the simulator's wells follow (GL_INJ_RATE, OIL_RATE), the
 * historian keeps the new setpoints and every write is audited with its run.
 * A rejected run and a run left proposed write nothing. A run may maximise
 * net value instead of oil, with prices typed in the site's units.
 */

const GAS = 110_000;
const MIN = 5_000;
const MAX = 40_000;

interface TagPage {
  tags: { path: string; live: { v: unknown } | null }[];
}

describe("e2e: gas-lift closed loop with approval", function () {
  this.timeout(300_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let engineerPage: Page;
  let viewerPage: Page;
  let engineer: SiteClient;
  let admin: SiteClient;
  let siteAssetId = "";
  let wells: { id: string; code: string }[] = [];

  const live = async (path: string): Promise<number | null> => {
    const page = await engineer.json<TagPage>("GET", `/api/v1/tags?prefix=${encodeURIComponent(path)}&limit=5`);
    const value = page.tags.find((tag) => tag.path === path)?.live?.v;
    return typeof value === "number" ? value : null;
  };
  const liveOf = async (point: string): Promise<Map<string, number | null>> => {
    const values = new Map<string, number | null>();
    for (const well of wells) values.set(well.code, await live(`SITE1/${well.code}/${point}`));
    return values;
  };
  const run = (id: string) => engineer.json<Run>("GET", `/api/v1/optimization/gas-lift/runs/${id}`);
  const newRun = () =>
    engineer.json<Run>("POST", "/api/v1/optimization/gas-lift/runs", { siteAssetId, gasAvailableSm3PerDay: GAS, curveSource: "simulator" }, 201);

  before(async function () {
    skipUnlessBrowser(this);
    site = await startDemoSiteProcess();
    ({ engineer, admin } = await sessionsByRole(site.url, { engineer: "erin", viewer: "victor" }));
    const page = await engineer.json<{ assets: { id: string; code: string; parentId: string; well: { liftType: string } | null }[] }>(
      "GET",
      "/api/v1/assets?kind=well&liftType=gas_lift&limit=500",
    );
    wells = page.assets.map(({ id, code }) => ({ id, code })).sort((a, b) => a.code.localeCompare(b.code));
    assert.deepEqual(wells.map((well) => well.code), ["WELL-201", "WELL-202", "WELL-203", "WELL-204"]);
    siteAssetId = page.assets[0]?.parentId ?? "";
    for (const well of wells) {
      await engineer.json("PUT", `/api/v1/optimization/gas-lift/limits/${well.id}`, { minInjectionSm3PerDay: MIN, maxInjectionSm3PerDay: MAX, setpointTagPath: `SITE1/${well.code}/GL_INJ_SP` });
    }
    // The Modbus pollers of the shipped flows own GL_INJ_SP: wait until they report every well.
    const reported = await poll(
      () => liveOf("GL_INJ_SP"),
      (values) => [...values.values()].every((value) => value !== null),
      120_000,
    );
    assert.ok(reported.satisfied, `GL_INJ_SP not polled: ${JSON.stringify([...reported.value])}`);
    browser = await launchChromium();
    engineerPage = await signedInPage(browser, site.url, "erin", passwordFor("erin"), { locale: "en-US" });
    viewerPage = await signedInPage(browser, site.url, "victor", passwordFor("victor"), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "gas-lift-closed-loop", [engineerPage, viewerPage]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("writes nothing for a run rejected in the browser or left proposed; a viewer cannot approve", async () => {
    const before = await liveOf("GL_INJ_SP");
    const rejected = await newRun();
    const proposed = await newRun();
    assert.equal(proposed.status, "proposed");

    await engineerPage.goto(`${site!.url}/optimization/gas-lift?site=${siteAssetId}&run=${rejected.id}`);
    await engineerPage.locator(`[data-testid="gas-lift-run"][data-run-id="${rejected.id}"]`).waitFor();
    await engineerPage.click('[data-testid="gas-lift-reject"]');
    await engineerPage.click('[data-testid="gas-lift-reject-confirm"]');
    await engineerPage.getByText("Give a reason").waitFor();
    await engineerPage.fill('[data-testid="gas-lift-reject-reason"]', "Compressor maintenance tomorrow");
    await engineerPage.click('[data-testid="gas-lift-reject-confirm"]');
    await engineerPage.locator('[data-testid="gas-lift-run-status"][data-status="rejected"]').waitFor({ timeout: 15_000 });
    assert.match(await engineerPage.locator('[data-testid="gas-lift-decision"]').innerText(), /Rejected by erin.*Compressor maintenance tomorrow/);

    await viewerPage.goto(`${site!.url}/optimization/gas-lift?site=${siteAssetId}&run=${proposed.id}`);
    await viewerPage.locator('[data-testid="gas-lift-run-status"][data-status="proposed"]').waitFor();
    assert.equal(await viewerPage.locator('[data-testid="gas-lift-approve"]').count(), 0, "a viewer sees no approve button");
    await viewerPage.getByText("Propuesta").first().waitFor();

    // Longer than the flow takes to write an approved run (the next test): time enough for a wrong write to show.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    for (const id of [rejected.id, proposed.id]) {
      const stored = await run(id);
      assert.deepEqual(stored.setpoints.map((setpoint) => setpoint.write), stored.setpoints.map(() => null), `${stored.status} run ${id} has no writes`);
    }
    const after = await liveOf("GL_INJ_SP");
    for (const well of wells) assert.ok(Math.abs((after.get(well.code) ?? NaN) - (before.get(well.code) ?? NaN)) < 1e-3, `${well.code}'s setpoint did not move`);
    const refused = await engineer.request("POST", `/api/v1/optimization/gas-lift/runs/${rejected.id}/approve`);
    assert.equal(refused.status, 409);
    const writes = await admin.json<{ entries: unknown[] }>("GET", "/api/v1/audit?action=optimization.gas_lift_setpoint.write&limit=10");
    assert.deepEqual(writes.entries, []);
  });

  it("an engineer's approval in the browser writes the setpoints through the shipped flow: the wells and the historian follow", async () => {
    const oilBefore = await liveOf("OIL_RATE");
    await engineerPage.goto(`${site!.url}/optimization/gas-lift?site=${siteAssetId}`);
    await engineerPage.fill('[data-testid="gas-lift-gas"]', String(GAS));
    await engineerPage.selectOption('[data-testid="gas-lift-source"]', "simulator");
    const created = engineerPage.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith("/api/v1/optimization/gas-lift/runs"));
    await engineerPage.click('[data-testid="gas-lift-optimise"]');
    const runId = ((await (await created).json()) as Run).id;
    // The new run is the one shown (not the proposed one of the test before).
    await engineerPage.locator(`[data-testid="gas-lift-run"][data-run-id="${runId}"] [data-testid="gas-lift-run-status"][data-status="proposed"]`).waitFor({ timeout: 30_000 });
    const proposed = await run(runId);
    assert.equal(proposed.createdBy, "erin");
    // The curves are drawn, one per well.
    await engineerPage.locator('[data-testid="gas-lift-curve-WELL-201"] canvas').waitFor();
    const approvedAt = Date.now();
    await engineerPage.click('[data-testid="gas-lift-approve"]');
    await engineerPage.locator(`[data-testid="gas-lift-run"][data-run-id="${runId}"] [data-testid="gas-lift-run-status"][data-status="sent"]`).waitFor({ timeout: 60_000 });
    for (const well of wells) {
      await engineerPage.locator(`[data-testid="gas-lift-write-${well.code}"][data-outcome="confirmed"]`).waitFor();
    }

    const written = await run(runId);
    assert.equal(written.status, "sent");
    assert.equal(written.decidedBy, "erin");
    const recommended = new Map(written.setpoints.map((setpoint) => [setpoint.wellCode, setpoint.recommendedInjectionSm3PerDay]));
    for (const setpoint of written.setpoints) {
      assert.ok(setpoint.recommendedInjectionSm3PerDay >= MIN && setpoint.recommendedInjectionSm3PerDay <= MAX, `${setpoint.wellCode} within its limits`);
      assert.equal(setpoint.write?.outcome, "confirmed");
      assert.ok(setpoint.write.by.startsWith("flow:"), "written by the flow's node");
    }
    // The devices hold the setpoints (a float32 register keeps about 7 digits).
    const setpoints = await liveOf("GL_INJ_SP");
    for (const [code, value] of recommended) assert.ok(Math.abs((setpoints.get(code) ?? NaN) - value) <= 1e-5 * value + 0.5, `${code}: ${setpoints.get(code)} vs ${value}`);
    // The simulator's injection follows its setpoint (a first-order lag; the compressor has the capacity for all of it).
    await poll(
      () => liveOf("GL_INJ_RATE"),
      (rates) => [...recommended].every(([code, value]) => Math.abs((rates.get(code) ?? NaN) - value) <= 0.03 * value),
      60_000,
    ).then((polled) => assert.ok(polled.satisfied, `GL_INJ_RATE did not reach the setpoints: ${JSON.stringify([...polled.value])}`));
    // The oil rate moves the way the curve says for each well whose expected change is well above the tags' noise.
    const moving = written.setpoints.filter((setpoint) => setpoint.currentOilM3PerDay !== null && Math.abs(setpoint.expectedOilM3PerDay - setpoint.currentOilM3PerDay) > 1);
    assert.ok(moving.length > 0, "the run changes some well's oil by more than 1 m3/d");
    const oilAfter = await liveOf("OIL_RATE");
    for (const setpoint of moving) {
      const direction = Math.sign(setpoint.expectedOilM3PerDay - (setpoint.currentOilM3PerDay ?? 0));
      const moved = (oilAfter.get(setpoint.wellCode) ?? NaN) - (oilBefore.get(setpoint.wellCode) ?? NaN);
      assert.equal(Math.sign(moved), direction, `${setpoint.wellCode} oil moved ${moved} m3/d`);
    }

    // The historian keeps the new setpoints.
    const paths = wells.map((well) => `SITE1/${well.code}/GL_INJ_SP`).join(",");
    const from = new Date(approvedAt - 5 * 60_000).toISOString();
    const to = new Date(Date.now() + 30 * 60_000).toISOString();
    const history = await poll(
      () => engineer.json<{ series: { path: string; points: { v: unknown }[] }[] }>("GET", `/api/v1/history?paths=${encodeURIComponent(paths)}&from=${from}&to=${to}&mode=raw`),
      (answer) =>
        answer.series.every((series) => {
          const value = recommended.get(series.path.split("/")[1] ?? "") ?? NaN;
          return series.points.some((point) => typeof point.v === "number" && Math.abs(point.v - value) <= 1e-5 * value + 0.5);
        }),
      30_000,
    );
    assert.ok(history.satisfied, `the historian lacks a written setpoint: ${JSON.stringify(history.value.series.map((series) => [series.path, series.points.slice(-3)]))}`);

    // Each write is audited with the run that produced it.
    const audit = await admin.json<{ entries: { actor: string; details: { runId?: string; tagPath?: string; outcome?: string } }[] }>(
      "GET",
      "/api/v1/audit?action=optimization.gas_lift_setpoint.write&limit=20",
    );
    assert.deepEqual(
      audit.entries.map((entry) => [entry.details.runId, entry.details.tagPath, entry.details.outcome]).sort(),
      wells.map((well) => [runId, `SITE1/${well.code}/GL_INJ_SP`, "confirmed"]),
    );
  });

  it("makes a net-value run from the browser with prices in the site's units, and shows its gain in money", async () => {
    await engineerPage.goto(`${site!.url}/optimization/gas-lift?site=${siteAssetId}`);
    await engineerPage.fill('[data-testid="gas-lift-gas"]', String(GAS));
    await engineerPage.selectOption('[data-testid="gas-lift-source"]', "simulator");
    await engineerPage.selectOption('[data-testid="gas-lift-objective"]', "net_value");
    // A price left blank is refused on the page; nothing is sent.
    await engineerPage.click('[data-testid="gas-lift-optimise"]');
    await engineerPage.locator('[data-testid="gas-lift-prices-error"]').waitFor();
    const oilLabel = await engineerPage.locator('label:has-text("Oil price")').innerText();
    assert.match(oilLabel, /USD\/(m³|bbl)/);
    const oilfield = oilLabel.includes("bbl");
    await engineerPage.fill('[data-testid="gas-lift-price-oil"]', "60");
    await engineerPage.fill('[data-testid="gas-lift-price-liftGas"]', "0.5");
    await engineerPage.fill('[data-testid="gas-lift-price-water"]', "1");
    const created = engineerPage.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith("/api/v1/optimization/gas-lift/runs"));
    await engineerPage.click('[data-testid="gas-lift-optimise"]');
    const answer = await created;
    assert.equal(answer.status(), 201);
    const runId = ((await answer.json()) as Run).id;
    await engineerPage.locator(`[data-testid="gas-lift-run"][data-run-id="${runId}"] [data-testid="gas-lift-value-gain"]`).waitFor({ timeout: 30_000 });
    assert.match(await engineerPage.locator('[data-testid="gas-lift-value-gain"]').innerText(), /USD\/d/);
    const stored = await run(runId);
    assert.equal(stored.objective, "net_value");
    // 60 per bbl is 60 / 0.158987294928 per m3; 0.5 per Mscf is 0.5 / 28.316846592 per Sm3 (exact definitions).
    const perM3 = oilfield ? 60 / 0.158987294928 : 60;
    const perSm3 = oilfield ? 0.5 / 28.316846592 : 0.5;
    assert.ok(stored.netValue !== null && Math.abs(stored.netValue.oilPricePerM3 - perM3) < 1e-9 * perM3, `oil ${stored.netValue?.oilPricePerM3} vs ${perM3}`);
    assert.ok(Math.abs(stored.netValue.liftGasCostPerSm3 - perSm3) < 1e-9 * perSm3, `gas ${stored.netValue.liftGasCostPerSm3} vs ${perSm3}`);
    assert.equal(stored.netValue.currency, "USD");
  });
});
