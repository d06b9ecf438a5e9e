import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotsOnFailure, signedInPage, skipUnlessBrowser } from "../helpers/browser.js";
import { SiteClient } from "../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../helpers/site-process.js";
import { passwordFor, sessionsByRole } from "../integration/support.js";

const NEW_USER = "rosa-operadora";
const FIRST_PASSWORD = "rosa-primera-clave";
const RESET_PASSWORD = "rosa-segunda-clave";
const VIEWER = "vic-lector";
const BUYER = "bruno-comprador";

interface GrantedUser {
  username: string;
  grants: { grant: string; approvalLimit?: number }[];
}

/** Polls `read` until `until` holds (the list refreshes after each filter). */
async function waitUntil<T>(read: () => Promise<T>, until: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the site lets `username` in with `password` (200), or not (401). */
async function loginStatus(url: string, username: string, password: string): Promise<number> {
  const response = await new SiteClient(url).request("POST", "/api/v1/auth/login", { username, password });
  await response.body?.cancel();
  return response.status;
}

/**
 * An admin manages the site's users in the web app (in Spanish): creates
 * one, resets her password, changes her role and disables her, after which
 * she cannot sign in. The admin gives users permissions (grants) with an
 * approver's limit, and a viewer made storekeeper gets the stock forms. A
 * user creates an API token (shown once), uses it and revokes it. The audit screen shows a user's history and filters by user,
 * action, time range, and pages back.
 */
describe("e2e: users, API tokens and the audit log in the web app", function () {
  this.timeout(240_000);
  let site: SiteProcess | undefined;
  let browser: Browser | undefined;
  let admin: Page;
  let viewer: Page;
  let adminApi: SiteClient;

  const url = (pathname: string) => `${site!.url}${pathname}`;

  before(async function () {
    skipUnlessBrowser(this);
    site = await startSiteProcess({ backend: "pglite" });
    ({ admin: adminApi } = await sessionsByRole(site.url, { viewer: VIEWER }));
    browser = await launchChromium();
    admin = await signedInPage(browser, site.url, "admin", ADMIN_PASSWORD, { locale: "es-ES" });
    viewer = await signedInPage(browser, site.url, VIEWER, passwordFor(VIEWER), { locale: "es-ES" });
  });

  afterEach(async function () {
    await screenshotsOnFailure(this, "users", [admin, viewer]);
  });

  after(async () => {
    await browser?.close();
    await site?.dispose();
  });

  it("only the admin is offered the users and audit screens; everyone has their tokens", async () => {
    assert.equal(await viewer.locator('[data-testid="nav-users"]').count(), 0);
    assert.equal(await viewer.locator('[data-testid="nav-audit"]').count(), 0);
    await viewer.locator('[data-testid="nav-tokens"]').waitFor();
    await viewer.goto(url("/admin/users"));
    await viewer.locator('[data-testid="forbidden"]').waitFor();
    await admin.locator('[data-testid="nav-users"]').waitFor();
    await admin.locator('[data-testid="nav-audit"]').waitFor();
  });

  it("the admin creates a user, resets her password, changes her role and disables her; then she cannot sign in", async () => {
    await admin.click('[data-testid="nav-users"]');
    const table = admin.locator('[data-testid="users-table"]');
    await table.waitFor();
    await admin.locator('[data-testid="user-row-admin"]').waitFor();
    // An admin cannot disable or demote themself: the screen does not offer it.
    assert.equal(await admin.locator('[data-testid="user-row-admin"] [data-testid="user-disable"]').isDisabled(), true);

    await admin.click('[data-testid="user-create"]');
    const form = admin.locator('[data-testid="user-create-form"]');
    await form.locator('input[name="username"]').fill(NEW_USER);
    await form.locator('select[name="role"]').selectOption({ label: "Operador" });
    await form.locator('input[name="password"]').fill(FIRST_PASSWORD);
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: "detached" });
    const row = admin.locator(`[data-testid="user-row-${NEW_USER}"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-testid="user-role"]').inputValue(), "operator");
    assert.equal(await loginStatus(site!.url, NEW_USER, FIRST_PASSWORD), 200);

    await row.locator('[data-testid="user-reset-password"]').click();
    const reset = admin.locator('[data-testid="user-password-form"]');
    await reset.locator('input[name="password"]').fill(RESET_PASSWORD);
    await reset.locator('button[type="submit"]').click();
    await admin.locator('[data-testid="user-password-done"]').waitFor();
    await admin.locator('[data-testid="user-password-close"]').click();
    assert.equal(await loginStatus(site!.url, NEW_USER, FIRST_PASSWORD), 401);
    assert.equal(await loginStatus(site!.url, NEW_USER, RESET_PASSWORD), 200);

    await row.locator('[data-testid="user-role"]').selectOption("engineer");
    await row.locator('[data-testid="user-saved"]').waitFor();
    await admin.reload();
    assert.equal(await admin.locator(`[data-testid="user-row-${NEW_USER}"] [data-testid="user-role"]`).inputValue(), "engineer");

    await admin.locator(`[data-testid="user-row-${NEW_USER}"] [data-testid="user-disable"]`).click();
    await admin.locator('[data-testid="user-disable-confirm"]').click();
    await admin.locator(`[data-testid="user-row-${NEW_USER}"][data-disabled="true"]`).waitFor();
    assert.match(await admin.locator(`[data-testid="user-row-${NEW_USER}"]`).innerText(), /deshabilitado/i);
    assert.equal(await loginStatus(site!.url, NEW_USER, RESET_PASSWORD), 401);

    // At the login page too, not only over the API.
    const page = await (await browser!.newContext({ locale: "es-ES" })).newPage();
    await page.goto(url("/login"));
    await page.fill('input[name="username"]', NEW_USER);
    await page.fill('input[name="password"]', RESET_PASSWORD);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="login-error"][data-error-kind="badCredentials"]').waitFor();
    await page.context().close();
  });

  it("the admin gives permissions: a new buyer and approver with a limit, then changes them; a viewer made storekeeper gets the stock forms", async () => {
    const grantsOf = async (username: string) =>
      (await adminApi.json<{ users: GrantedUser[] }>("GET", "/api/v1/users")).users.find((user) => user.username === username)?.grants;
    await admin.click('[data-testid="nav-users"]');
    await admin.locator('[data-testid="users-table"]').waitFor();

    await admin.click('[data-testid="user-create"]');
    const form = admin.locator('[data-testid="user-create-form"]');
    await form.locator('input[name="username"]').fill(BUYER);
    await form.locator('input[name="password"]').fill(passwordFor(BUYER));
    await form.getByRole("checkbox", { name: "Comprador", exact: true }).check();
    await form.getByRole("checkbox", { name: "Aprobador", exact: true }).check();
    // The approver needs a limit: the form says so before sending.
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-testid="grant-approval-limit"]').waitFor();
    assert.match(await form.locator('[data-testid="user-grants"]').innerText(), /Límite de aprobación[\s\S]*Obligatorio/);
    await form.locator('[data-testid="grant-approval-limit"]').fill("5000");
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: "detached" });
    const row = admin.locator(`[data-testid="user-row-${BUYER}"]`);
    await row.waitFor();
    assert.match(await row.locator('[data-testid="user-grant-buyer"]').innerText(), /comprador/i);
    assert.match(await row.locator('[data-testid="user-grant-approver"]').innerText(), /aprobador hasta 5000/i);
    assert.deepEqual(await grantsOf(BUYER), [{ grant: "approver", approvalLimit: 5000 }, { grant: "buyer" }]);

    await row.locator('[data-testid="user-edit-grants"]').click();
    const edit = admin.locator('[data-testid="user-grants-form"]');
    assert.equal(await edit.locator('[data-testid="grant-approval-limit"]').inputValue(), "5000 USD", "the form opens with the user's grants, the limit in the site currency");
    await edit.getByRole("checkbox", { name: "Comprador", exact: true }).uncheck();
    await edit.getByRole("checkbox", { name: "Técnico", exact: true }).check();
    await edit.locator('[data-testid="grant-approval-limit"]').fill("12500");
    await edit.locator('[data-testid="user-grants-save"]').click();
    await edit.waitFor({ state: "detached" });
    await waitUntil(() => row.locator('[data-testid="user-grant-approver"]').innerText(), (text) => /12\.500/.test(text), "the new limit in the table");
    assert.equal(await row.locator('[data-testid="user-grant-buyer"]').count(), 0);
    assert.deepEqual(await grantsOf(BUYER), [{ grant: "approver", approvalLimit: 12500 }, { grant: "technician" }]);

    // A viewer sees stock but not the move forms, until the admin makes them storekeeper.
    await viewer.goto(url("/inventory/stock"));
    await viewer.locator('[data-testid="inventory-stock-page"]').waitFor();
    assert.equal(await viewer.locator('[data-testid="move-receive"]').count(), 0);
    await admin.locator(`[data-testid="user-row-${VIEWER}"] [data-testid="user-edit-grants"]`).click();
    await admin.locator('[data-testid="user-grants-form"]').getByRole("checkbox", { name: "Almacenista", exact: true }).check();
    await admin.locator('[data-testid="user-grants-save"]').click();
    await admin.locator(`[data-testid="user-row-${VIEWER}"] [data-testid="user-grant-storekeeper"]`).waitFor();
    await viewer.reload();
    await viewer.locator('[data-testid="move-receive"]').waitFor();
  });

  it("a user creates an API token, sees it once, uses it and revokes it", async () => {
    await viewer.click('[data-testid="nav-tokens"]');
    await viewer.locator('[data-testid="tokens-page"]').waitFor();
    await viewer.locator('[data-testid="token-name"]').fill("hoja de cálculo");
    await viewer.click('[data-testid="token-create"]');
    const secret = viewer.locator('[data-testid="token-secret"]');
    await secret.waitFor();
    const token = (await secret.inputValue()).trim();
    assert.match(token, /^pfa_/);
    const bearer = new SiteClient(site!.url);
    bearer.bearer = token;
    assert.equal((await bearer.json<{ user: { username: string } }>("GET", "/api/v1/auth/me")).user.username, VIEWER);

    await viewer.click('[data-testid="token-secret-close"]');
    await secret.waitFor({ state: "detached" });
    const row = viewer.locator('[data-testid="token-row-hoja de cálculo"]');
    await row.waitFor();
    assert.doesNotMatch(await row.innerText(), new RegExp(token));
    await row.locator('[data-testid="token-revoke"]').click();
    await viewer.locator('[data-testid="token-revoke-confirm"]').click();
    await viewer.locator('[data-testid="token-row-hoja de cálculo"][data-revoked="true"]').waitFor();
    assert.equal((await bearer.request("GET", "/api/v1/auth/me")).status, 401);
  });

  it("the audit screen shows a user's history and filters by user, action and time, page by page", async () => {
    // Enough sign-ins for more than one page of the log.
    for (let index = 0; index < 55; index++) assert.equal(await loginStatus(site!.url, VIEWER, passwordFor(VIEWER)), 200);

    await admin.click('[data-testid="nav-users"]');
    await admin.locator(`[data-testid="user-row-${NEW_USER}"] [data-testid="user-history"]`).click();
    await admin.locator('[data-testid="audit-page"]').waitFor();
    const rows = admin.locator('[data-testid="audit-row"]');
    await rows.first().waitFor();
    const actions = async () => (await admin.locator('[data-testid="audit-action"]').allInnerTexts()).map((text) => text.trim());
    // Newest first: the failed sign-in of the disabled user, the disable, the role, the password, the creation.
    const history = await actions();
    assert.equal(history.at(-1), "user.create");
    assert.ok(history.includes("auth.login_failed") && history.includes("user.update"), history.join());

    await admin.click('[data-testid="audit-clear"]');
    await admin.fill('[data-testid="audit-actor"]', "admin");
    await admin.fill('[data-testid="audit-action-filter"]', "user.");
    await admin.click('[data-testid="audit-apply"]');
    await waitUntil(actions, (shown) => shown.length > 0 && shown.every((action) => action === "user.create" || action === "user.update"), "user.* actions only");
    assert.ok((await admin.locator('[data-testid="audit-actor-cell"]').allInnerTexts()).every((actor) => actor.trim() === "admin"));

    const later = new Date(Date.now() + 2 * 3_600_000);
    const local = new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await admin.fill('[data-testid="audit-from"]', local);
    await admin.click('[data-testid="audit-apply"]');
    await admin.locator('[data-testid="audit-empty"]').waitFor();

    await admin.click('[data-testid="audit-clear"]');
    await admin.fill('[data-testid="audit-actor"]', VIEWER);
    await admin.fill('[data-testid="audit-action-filter"]', "auth.login");
    await admin.click('[data-testid="audit-apply"]');
    const signIns = (
      await adminApi.json<{ entries: unknown[] }>("GET", `/api/v1/audit?actor=${VIEWER}&actionPrefix=auth.login&limit=1000`)
    ).entries.length;
    assert.ok(signIns > 55 && signIns < 100, `${signIns} sign-ins`);
    // In one step: rows re-render while the next page arrives.
    // The test's TypeScript has no DOM types: the one method used, by shape.
    const shownIds = () => rows.evaluateAll((cells: { getAttribute(name: string): string | null }[]) => cells.map((cell) => cell.getAttribute("data-id")));
    const firstPage = await waitUntil(shownIds, (ids) => ids.length === 50, "a full first page");
    await admin.click('[data-testid="audit-older"]');
    const secondPage = await waitUntil(shownIds, (ids) => ids.length === signIns - 50 && !ids.includes(firstPage[0] ?? ""), "the second page");
    assert.equal(new Set([...firstPage, ...secondPage]).size, signIns, "every sign-in once over the two pages");
    assert.equal(await admin.locator('[data-testid="audit-older"]').isDisabled(), true);
    await admin.click('[data-testid="audit-newer"]');
    assert.deepEqual(await waitUntil(shownIds, (ids) => ids.length === 50, "the first page again"), firstPage);
  });
});
