import assert from "node:assert/strict";
import { AuditService, type AuditRecord } from "../../../../runtime/audit/audit-service.js";
import { CORE_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import {
  adminClient,
  bearerClientFrom,
  createUser,
  errorOf,
  nodeRedTokenRequest,
  passwordFor,
  poll,
  sessionAs,
  skipUnlessAvailable,
} from "../../support.js";

interface Session {
  user: { id: string; username: string; role: string };
  csrfToken: string;
}

const LOGIN_MAX_ATTEMPTS = 3;
const LOGIN_WINDOW_SECONDS = 900;

// Every area of the site that an anonymous caller must not reach.
const PROTECTED_PATHS = [
  "/",
  "/flows",
  "/api/v1/flows/revisions",
  "/api/v1/openapi.json",
  "/metrics",
  "/editor/",
  "/endpoints/site-status",
];

async function anonymous(url: string, pathname: string, accept: string): Promise<Response> {
  return fetch(url + pathname, { headers: { accept }, redirect: "manual" });
}

/** Logs in with fetch so the test holds the raw session cookie (SiteClient keeps it private). */
async function rawLogin(url: string, username: string, password: string): Promise<{ cookie: string; session: Session }> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const setCookie = response.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0] ?? "", session: (await response.json()) as Session };
}

for (const backend of ["pglite", "postgres"] as const) {
  describe(`auth and access control over HTTP (${backend})`, function () {
    let site: SiteProcess | undefined;
    let url = "";
    let admin!: SiteClient;
    const users = { viewer: "vera-viewer", operator: "otto-operator", engineer: "enid-engineer", admin: "ada-admin" } as const;

    before(async function () {
      skipUnlessAvailable(this, backend);
      this.timeout(120_000);
      site = await startSiteProcess({
        backend,
        env: { PETROFLOW_LOGIN_MAX_ATTEMPTS: String(LOGIN_MAX_ATTEMPTS), PETROFLOW_LOGIN_WINDOW_SECONDS: String(LOGIN_WINDOW_SECONDS) },
      });
      url = site.url;
      admin = await adminClient(url);
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    it("serves /healthz without a login, reporting the database ok and the flows started", async function () {
      // The site logs "ready" just before Node-RED starts its flows, so the first probe may still say "not started".
      const polled = await poll(
        () => fetch(`${url}/healthz`).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> })),
        (health) => health.status === 200,
      );
      assert.equal(polled.value.status, 200, JSON.stringify(polled.value.body));
      assert.equal(polled.value.body.status, "ok");
      assert.equal(polled.value.body.database, "ok");
      assert.equal(polled.value.body.flows, "started");
    });

    it("sends anonymous HTML navigations to /login and answers other anonymous requests with 401 JSON", async function () {
      for (const pathname of PROTECTED_PATHS) {
        const navigation = await anonymous(url, pathname, "text/html,application/xhtml+xml,*/*;q=0.8");
        assert.equal(navigation.status, 302, `${pathname} as an HTML navigation`);
        assert.equal(navigation.headers.get("location"), `/login?next=${encodeURIComponent(pathname)}`, pathname);

        for (const accept of ["application/json", "*/*"]) {
          const call = await anonymous(url, pathname, accept);
          assert.equal(call.status, 401, `${pathname} with Accept: ${accept}`);
          assert.match(call.headers.get("content-type") ?? "", /^application\/json/, pathname);
          assert.equal((await errorOf(call)).code, "unauthenticated", pathname);
        }
      }
    });

    it("serves the login page without a login", async function () {
      const response = await anonymous(url, "/login", "text/html");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(await response.text(), /<html/i);
    });

    it("refuses a wrong password with 401 and records auth.login_failed", async function () {
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "not-the-password" }),
      });
      assert.equal(response.status, 401);
      assert.equal((await errorOf(response)).code, "invalid_credentials");
      assert.equal(response.headers.get("set-cookie"), null, "a failed login must not set a cookie");

      const audit = await admin.json<{ entries: AuditRecord[] }>("GET", "/api/v1/audit?action=auth.login_failed&actor=admin");
      assert.equal(audit.entries.length, 1);
      assert.deepEqual(audit.entries[0]?.details, { reason: "bad_password" });
    });

    it("logs in with the right password: an httpOnly session cookie and a CSRF token", async function () {
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      });
      assert.equal(response.status, 200);
      const setCookie = response.headers.get("set-cookie") ?? "";
      assert.match(setCookie, /^pf_session=pfs_[A-Za-z0-9_-]+;/);
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Lax/i);
      const session = (await response.json()) as Session;
      assert.equal(session.user.username, "admin");
      assert.equal(session.user.role, "admin");
      assert.ok(session.csrfToken.length >= 32, "the CSRF token should be long and random");
    });

    it("GET /api/v1/auth/me returns the session's user and its CSRF token", async function () {
      const { cookie, session } = await rawLogin(url, "admin", ADMIN_PASSWORD);
      const response = await fetch(`${url}/api/v1/auth/me`, { headers: { cookie } });
      assert.equal(response.status, 200);
      const me = (await response.json()) as Session;
      assert.deepEqual(me, session);
    });

    it("refuses a cookie-authenticated write without X-CSRF-Token (403 csrf_failed) and accepts it with the token", async function () {
      const client = await adminClient(url);
      const token = client.csrfToken;

      client.csrfToken = "";
      const missing = await client.request("POST", "/api/v1/auth/tokens", { name: "no-csrf" });
      assert.equal(missing.status, 403);
      assert.equal((await errorOf(missing)).code, "csrf_failed");

      const wrong = await client.request("POST", "/api/v1/auth/tokens", { name: "wrong-csrf" }, { "x-csrf-token": "x".repeat(token.length) });
      assert.equal(wrong.status, 403);
      assert.equal((await errorOf(wrong)).code, "csrf_failed");

      client.csrfToken = token;
      const created = await client.json<{ id: string; token: string }>("POST", "/api/v1/auth/tokens", { name: "with-csrf" }, 201);
      assert.match(created.token, /^pfa_/);
    });

    it(`limits an address on an account after ${LOGIN_MAX_ATTEMPTS} failed logins: 429 with Retry-After, even with the right password`, async function () {
      await createUser(admin, "rate-probe", "viewer");
      const attempt = (password: string) =>
        fetch(`${url}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "rate-probe", password }),
        });
      for (let failure = 1; failure <= LOGIN_MAX_ATTEMPTS; failure++) {
        const response = await attempt("wrong-password");
        assert.equal(response.status, 401, `failure ${failure}`);
      }
      const locked = await attempt(passwordFor("rate-probe"));
      assert.equal(locked.status, 429);
      assert.equal((await errorOf(locked)).code, "too_many_attempts");
      const retryAfter = Number(locked.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= LOGIN_WINDOW_SECONDS, `Retry-After ${retryAfter}`);

      // The lock is per account: the admin on the same address still gets in.
      const other = await adminClient(url);
      assert.ok(other.csrfToken);
    });

    it("lets the admin create users of every role through POST /api/v1/users", async function () {
      for (const [role, username] of Object.entries(users) as [keyof typeof users, string][]) {
        await createUser(admin, username, role);
        const client = await sessionAs(url, username);
        const me = await client.json<Session>("GET", "/api/v1/auth/me");
        assert.equal(me.user.username, username);
        assert.equal(me.user.role, role);
      }
      const listed = await admin.json<{ users: { username: string; role: string }[] }>("GET", "/api/v1/users");
      for (const [role, username] of Object.entries(users)) {
        assert.deepEqual(
          listed.users.filter((user) => user.username === username).map((user) => user.role),
          [role],
        );
      }

      const duplicate = await admin.request("POST", "/api/v1/users", { username: users.viewer, role: "viewer", password: "another-password" });
      assert.equal(duplicate.status, 409);

      const engineer = await sessionAs(url, users.engineer);
      const byEngineer = await engineer.request("POST", "/api/v1/users", { username: "not-allowed", role: "admin", password: "long-enough-pw" });
      assert.equal(byEngineer.status, 403, "only an admin manages users");
    });

    it("refuses a viewer the audit log and the flow editor (403)", async function () {
      const viewer = await sessionAs(url, users.viewer);
      const audit = await viewer.request("GET", "/api/v1/audit");
      assert.equal(audit.status, 403);
      assert.equal((await errorOf(audit)).code, "forbidden");
      const editor = await viewer.request("GET", "/editor/", undefined, { accept: "text/html" });
      assert.equal(editor.status, 403);
      assert.equal((await errorOf(editor)).code, "forbidden");
      // The refusals are about the role, not the session: the viewer may read revisions.
      const revisions = await viewer.request("GET", "/api/v1/flows/revisions");
      assert.equal(revisions.status, 200);
    });

    it("refuses an operator the flow editor (403)", async function () {
      const operator = await sessionAs(url, users.operator);
      const editor = await operator.request("GET", "/editor/", undefined, { accept: "text/html" });
      assert.equal(editor.status, 403);
      assert.equal((await errorOf(editor)).code, "forbidden");
    });

    it("opens the flow editor for an engineer", async function () {
      const engineer = await sessionAs(url, users.engineer);
      const editor = await engineer.request("GET", "/editor/", undefined, { accept: "text/html" });
      assert.equal(editor.status, 200);
      assert.match(editor.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(await editor.text(), /<title>Petroflow · Flows<\/title>/);
    });

    it("accepts an API token as a bearer token on /api/v1 and on the Node-RED admin API", async function () {
      const engineer = await bearerClientFrom(await sessionAs(url, users.engineer), "deploy-script");
      const me = await engineer.json<Session>("GET", "/api/v1/auth/me");
      assert.equal(me.user.username, users.engineer);
      const flows = await engineer.request("GET", "/editor/flows");
      assert.equal(flows.status, 200);
      const nodes = (await flows.json()) as { id: string }[];
      assert.ok(nodes.some((node) => node.id === "http-in-site-status"), "the shipped flows should be running");

      // A bearer write needs no CSRF token: another site cannot forge an Authorization header.
      const created = await engineer.request("POST", "/api/v1/auth/tokens", { name: "second-token" });
      assert.equal(created.status, 201);

      const viewer = await bearerClientFrom(await sessionAs(url, users.viewer), "viewer-script");
      const refused = await viewer.request("GET", "/editor/flows");
      assert.equal(refused.status, 403, "a viewer's token must not open the admin API");

      const forged = new SiteClient(url);
      forged.bearer = "pfa_not-a-real-token";
      const invalid = await forged.request("GET", "/api/v1/auth/me");
      assert.equal(invalid.status, 401);
      assert.equal((await errorOf(invalid)).code, "invalid_token");
    });

    it("lists API tokens without their secrets and revokes them (owner or admin only)", async function () {
      const owner = await sessionAs(url, users.operator);
      const created = await owner.json<{ id: string; token: string }>("POST", "/api/v1/auth/tokens", { name: "to-revoke" }, 201);
      const script = new SiteClient(url);
      script.bearer = created.token;
      assert.equal((await script.request("GET", "/api/v1/auth/me")).status, 200);
      const listed = await owner.json<{ tokens: { id: string; name: string; revokedAt: string | null }[] }>("GET", "/api/v1/auth/tokens");
      const entry = listed.tokens.find((token) => token.id === created.id);
      assert.equal(entry?.name, "to-revoke");
      assert.ok(!JSON.stringify(listed).includes(created.token), "the secret is never listed");
      const stranger = await sessionAs(url, users.viewer);
      assert.equal((await stranger.request("DELETE", `/api/v1/auth/tokens/${created.id}`)).status, 404);
      assert.equal((await owner.request("DELETE", `/api/v1/auth/tokens/${created.id}`)).status, 204);
      assert.equal((await script.request("GET", "/api/v1/auth/me")).status, 401, "a revoked token stops working at once");
      const after = await owner.json<{ tokens: { id: string; revokedAt: string | null }[] }>("GET", "/api/v1/auth/tokens");
      assert.ok(after.tokens.find((token) => token.id === created.id)?.revokedAt);
    });

    it("issues an engineer a working token from Node-RED's POST /editor/auth/token (form and JSON bodies)", async function () {
      for (const encoding of ["form", "json"] as const) {
        const response = await nodeRedTokenRequest(url, users.engineer, passwordFor(users.engineer), encoding);
        assert.equal(response.status, 200, `${encoding}: ${await response.clone().text()}`);
        const grant = (await response.json()) as { access_token?: unknown; token_type?: unknown };
        assert.equal(typeof grant.access_token, "string", encoding);
        assert.equal(grant.token_type, "Bearer", encoding);

        const client = new SiteClient(url);
        client.bearer = String(grant.access_token);
        const flows = await client.request("GET", "/editor/flows");
        assert.equal(flows.status, 200, `${encoding} token on GET /editor/flows`);
        assert.ok(Array.isArray(await flows.json()));
      }
    });

    it("refuses a viewer a token from /editor/auth/token", async function () {
      const response = await nodeRedTokenRequest(url, users.viewer, passwordFor(users.viewer), "form");
      assert.equal(response.status, 403);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.access_token, undefined);
      assert.equal(body.error, "invalid_grant");
      const audit = await admin.json<{ entries: AuditRecord[] }>("GET", "/api/v1/audit?action=auth.login_failed&limit=1000");
      const refused = audit.entries.find((entry) => entry.actor === users.viewer && (entry.details as { reason?: string } | null)?.reason === "below_engineer");
      assert.ok(refused, "a right password below the editor role is audited as a failed login");
      assert.ok(refused.ip, "with the caller's address");
    });

    it("ends the session on logout: the old cookie no longer works", async function () {
      const { cookie, session } = await rawLogin(url, users.operator, passwordFor(users.operator));
      const before = await fetch(`${url}/api/v1/auth/me`, { headers: { cookie } });
      assert.equal(before.status, 200);

      const logout = await fetch(`${url}/api/v1/auth/logout`, {
        method: "POST",
        headers: { cookie, "x-csrf-token": session.csrfToken },
      });
      assert.equal(logout.status, 204);
      assert.match(logout.headers.get("set-cookie") ?? "", /^pf_session=;.*Max-Age=0/i);

      const after = await fetch(`${url}/api/v1/auth/me`, { headers: { cookie } });
      assert.equal(after.status, 401, "the server must forget the session, not only the browser");
    });

    it("shows logins, failed logins, user creation and logouts in GET /api/v1/audit", async function () {
      const audit = await admin.json<{ entries: AuditRecord[]; next: string | null }>("GET", "/api/v1/audit?limit=1000");
      assert.equal(audit.next, null, "all entries fit in one page");
      const has = (action: string, actor: string) => audit.entries.some((entry) => entry.action === action && entry.actor === actor);
      assert.ok(has("auth.login", "admin"));
      assert.ok(has("auth.login_failed", "admin"));
      assert.ok(has("auth.login_failed", "rate-probe"));
      assert.ok(has("auth.logout", users.operator));
      const createdUsers = audit.entries
        .filter((entry) => entry.action === "user.create" && entry.actor === "admin")
        .map((entry) => (entry.after as { username: string }).username)
        .sort();
      assert.deepEqual(createdUsers, ["rate-probe", ...Object.values(users)].sort());
      // Newest first: ids are UUIDv7, so their order is the time order.
      const ids = audit.entries.map((entry) => entry.id);
      assert.deepEqual(ids, [...ids].sort().reverse());
    });
  });
}

for (const target of databaseTargets) {
  describe(`the audit log is append-only in the database (${target.name})`, function () {
    let database: TestDatabase | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      this.timeout(60_000);
      database = await target.create();
      await migrate(database.db, CORE_MIGRATIONS);
      await new AuditService(database.db, "SITE1").record({ actor: "alice", action: "user.create", entityType: "user", entityId: "u-1" });
    });

    after(async function () {
      await database?.drop();
    });

    it("refuses UPDATE, DELETE and TRUNCATE on audit_log and leaves the row as written", async function () {
      const db = database?.db;
      assert.ok(db);
      await assert.rejects(db.query("UPDATE audit_log SET actor = 'mallory'"), /audit_log is append-only/);
      await assert.rejects(db.query("DELETE FROM audit_log"), /audit_log is append-only/);
      await assert.rejects(db.query("TRUNCATE audit_log"), /audit_log is append-only/);
      await assert.rejects(db.query("TRUNCATE flow_revisions"), /flow_revisions is append-only/);
      const rows = await db.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_log");
      assert.deepEqual(rows.rows, [{ actor: "alice", action: "user.create" }]);
    });
  });
}
