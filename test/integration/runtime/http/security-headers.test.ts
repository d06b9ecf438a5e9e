import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, loadFixture, poll } from "../../support.js";

interface Answer {
  status: number;
  headers: Headers;
}

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed.set(name, values);
  }
  return parsed;
}

function assertSecurityHeaders(what: string, answer: Answer): Map<string, string[]> {
  const policy = directives(answer.headers.get("content-security-policy"));
  assert.deepEqual(policy.get("frame-ancestors"), ["'self'"], `${what}: frame-ancestors 'self'`);
  assert.deepEqual(policy.get("object-src"), ["'none'"], `${what}: no plugins`);
  assert.ok(policy.get("default-src"), `${what}: a default-src`);
  assert.equal(answer.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(answer.headers.get("referrer-policy"), "same-origin", what);
  assert.equal(answer.headers.get("x-frame-options"), "SAMEORIGIN", what);
  return policy;
}

/**
 * Security headers on every response, whoever answers it: our routes,
 * errors, the web app's files, Node-RED's editor and HTTP-in nodes, and
 * Dashboard 2.0's socket.io, which answers outside Express.
 */
describe("security headers on every response", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let url = "";
  let admin!: SiteClient;

  before(async () => {
    site = await startSiteProcess({ backend: "pglite" });
    url = site.url;
    admin = await adminClient(url);
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...loadFixture("dashboard-minimal")], message: "a dashboard" }, 201);
  });

  after(async function () {
    this.timeout(30_000);
    await site?.dispose();
  });

  async function anonymous(pathname: string, accept = "application/json"): Promise<Answer> {
    const response = await fetch(url + pathname, { headers: { accept }, redirect: "manual" });
    await response.arrayBuffer();
    return response;
  }

  async function asAdmin(pathname: string, accept = "application/json"): Promise<Answer> {
    const response = await admin.request("GET", pathname, undefined, { accept });
    await response.arrayBuffer();
    return response;
  }

  it("on anonymous answers: /healthz, the login page and its files, redirects, 401 and 404 errors", async () => {
    const login = await anonymous("/login", "text/html");
    assert.equal(login.status, 200);
    const loginPolicy = assertSecurityHeaders("/login", login);
    assert.deepEqual(loginPolicy.get("script-src"), ["'self'"], "the web app runs no inline or eval'd script");
    const html = await (await fetch(`${url}/login`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, "the login page loads a script");

    const answers: [string, Answer, number][] = [
      ["/healthz", await anonymous("/healthz"), 200],
      [script, await anonymous(script, "*/*"), 200],
      ["/ as a navigation", await anonymous("/", "text/html"), 302],
      ["/api/v1/auth/me", await anonymous("/api/v1/auth/me"), 401],
      ["/editor/", await anonymous("/editor/"), 401],
      ["/endpoints/site-status", await anonymous("/endpoints/site-status"), 401],
      ["/metrics", await anonymous("/metrics"), 401],
    ];
    for (const [what, answer, status] of answers) {
      assert.equal(answer.status, status, what);
      assertSecurityHeaders(what, answer);
    }
  });

  it("on logged-in answers: the app, the API, a 404, the editor, HTTP-in endpoints and the dashboard", async () => {
    const answers: [string, Answer, number][] = [
      ["/", await asAdmin("/", "text/html"), 200],
      ["/api/v1/users", await asAdmin("/api/v1/users"), 200],
      ["/api/v1/nothing", await asAdmin("/api/v1/nothing"), 404],
      ["/editor/", await asAdmin("/editor/", "text/html"), 200],
      // Node-RED's own answer: its admin API wants its bearer token, not the cookie.
      ["/editor/flows", await asAdmin("/editor/flows"), 401],
    ];
    for (const [what, answer, status] of answers) {
      assert.equal(answer.status, status, what);
      assertSecurityHeaders(what, answer);
    }
    const endpoint = await poll(() => asAdmin("/endpoints/site-status"), (answer) => answer.status === 200);
    assertSecurityHeaders("/endpoints/site-status", endpoint.value);
    const dashboard = await poll(() => asAdmin("/endpoints/dashboard/wells", "text/html"), (answer) => answer.status === 200);
    assert.equal(dashboard.value.status, 200);
    assertSecurityHeaders("/endpoints/dashboard/wells", dashboard.value);
  });

  it("on Dashboard 2.0's socket.io, which answers before Express", async () => {
    const handshake = await poll(
      () => anonymous("/endpoints/dashboard/socket.io/?EIO=4&transport=polling", "*/*"),
      (answer) => answer.status === 200,
    );
    assert.equal(handshake.value.status, 200);
    assertSecurityHeaders("socket.io polling", handshake.value);
  });
});
