import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page, Request, WebSocketRoute } from "playwright-core";
import { launchChromium, screenshotsOnFailure, skipUnlessBrowser } from "../helpers/browser.js";
import type { SiteClient } from "../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const OPERATOR = "olga-operadora";

interface Created {
  id: string;
}

interface GaugePage {
  items: { levelM: number; createdBy: string }[];
}

/**
 * An operator's session ends while she types a tank gauge (she signed out in
 * another tab): the form keeps what she typed, a dialog says the session
 * ended, and once she signs in again there the gauge is sent, with the same
 * Idempotency-Key, and recorded once. On a screen that only shows live values
 * the dropped feed leads to the same dialog, and the feed resumes after it.
 */
describe("e2e: a session that ends in the middle of an entry", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let otherTab: Page | undefined;
  let engineer: SiteClient;
  let siteId = "";
  let tankId = "";

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    ({ engineer } = await sessionsByRole(site.url, { operator: OPERATOR, engineer: "ernesto-ingeniero" }));
    const asset = (body: Record<string, unknown>) => engineer.json<Created>("POST", "/api/v1/assets", body, 201);
    const field = await asset({ kind: "field", code: "CAMPO-N", name: "Campo Norte" });
    siteId = (await asset({ kind: "site", code: "BAT-N", name: "Batería Norte", parentId: field.id, siteType: "battery" })).id;
    tankId = (
      await asset({
        kind: "equipment",
        code: "TK-N1",
        name: "Tanque norte",
        parentId: siteId,
        equipment: { equipmentType: "tank", capacityM3: 200, fluid: "oil", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 4, volumeM3: 200 }] },
      })
    ).id;
    await engineer.json("POST", "/api/v1/tags", { path: "SITE1/TK-N1/LEVEL", dataType: "float", unit: "m", description: "Nivel del tanque norte" }, 201);
    browser = await launchChromium();
    context = await browser.newContext({ locale: "es-ES" });
    page = await context.newPage();
    await page.goto(`${site.url}/login`);
    await page.fill('input[name="username"]', OPERATOR);
    await page.fill('input[name="password"]', passwordFor(OPERATOR));
    await page.click('button[type="submit"]');
    await page.waitForURL(`${site.url}/`);
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "session-expiry", [page, otherTab]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("keeps the typed gauge, says the session ended, and records it once after signing in again", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${site!.url}/production?site=${siteId}&date=${today}`);
    await page.waitForSelector('[data-testid="tank-gauge-form"]');
    await page.selectOption('[data-testid="tank-gauge-tank"]', { label: "TK-N1 — Tanque norte" });
    await page.fill('[data-testid="tank-gauge-level"]', "2,5");

    // Signing out in another tab ends the session this tab uses too.
    otherTab = await context.newPage();
    await otherTab.goto(`${site!.url}/`);
    await otherTab.click('[data-testid="logout"]');
    await otherTab.waitForURL(/\/login/);

    const keys: (string | undefined)[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/v1/production/tank-gauges")) keys.push(request.headers()["idempotency-key"]);
    };
    page.on("request", onRequest);
    await page.click('[data-testid="tank-gauge-submit"]');

    const dialog = page.locator('[data-testid="reauth-dialog"]');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /sesión terminó/i);
    assert.equal(new URL(page.url()).pathname, "/production", "the page stays where it was");
    assert.equal(await page.inputValue('[data-testid="tank-gauge-level"]'), "2,5", "what was typed is kept");
    assert.match(await dialog.innerText(), new RegExp(OPERATOR));

    await dialog.locator('input[name="password"]').fill("not-the-password");
    await dialog.locator('button[type="submit"]').click();
    await dialog.locator('[data-testid="reauth-error"]').waitFor();
    assert.match(await dialog.locator('[data-testid="reauth-error"]').innerText(), /contraseña/i);

    await dialog.locator('input[name="password"]').fill(passwordFor(OPERATOR));
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: "detached" });
    await page.locator('[data-testid="tank-gauge-recorded"]').waitFor();
    page.off("request", onRequest);

    assert.equal(keys.length, 2, "sent, refused for the session, sent again");
    assert.ok(keys[0] !== undefined && keys[0] === keys[1], `the same Idempotency-Key both times: ${String(keys)}`);
    const gauges = await engineer.json<GaugePage>("GET", `/api/v1/production/tank-gauges?siteAssetId=${siteId}&tankId=${tankId}`);
    assert.deepEqual(
      gauges.items.map((gauge) => [gauge.levelM, gauge.createdBy]),
      [[2.5, OPERATOR]],
    );
  });

  it("on a screen of live values only, says the session ended when the feed drops, and resumes after signing in", async () => {
    // The test stands between the page and the live feed so that it can drop it, as the server does on sign-out.
    const sockets: WebSocketRoute[] = [];
    const snapshots: number[] = [];
    await page.routeWebSocket(/\/api\/v1\/live$/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        if (typeof message === "string" && message.includes('"type":"snapshot"')) snapshots.push(Date.now());
        socket.send(message);
      });
      sockets.push(socket);
    });
    await page.goto(`${site!.url}/tags`);
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor();

    const tab = await context.newPage();
    await tab.goto(`${site!.url}/`);
    await tab.click('[data-testid="logout"]');
    await tab.waitForURL(/\/login/);
    await tab.close();
    for (const socket of sockets.splice(0)) await socket.close({ code: 4000, reason: "dropped by the test" });

    const dialog = page.locator('[data-testid="reauth-dialog"]');
    await dialog.waitFor();
    assert.equal(new URL(page.url()).pathname, "/tags");
    await dialog.locator('input[name="password"]').fill(passwordFor(OPERATOR));
    const signedInAt = Date.now();
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: "detached" });
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ timeout: 15_000 });
    // The feed that came back is served again: its subscription is answered with a snapshot.
    const deadline = Date.now() + 15_000;
    while (!snapshots.some((at) => at > signedInAt) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(snapshots.some((at) => at > signedInAt), "a snapshot after signing in again");
  });
});
