import assert from "node:assert/strict";
import WebSocket from "ws";
import { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, createUser, nodeRedTokenRequest, passwordFor, skipUnlessAvailable, type Backend } from "../../support.js";

/** The close code the live feed uses when the user's access ended (mirrors HTTP 401). */
const ACCESS_ENDED = 4401;

interface Closed {
  code: number;
  reason: string;
}

/** A websocket on the live feed that remembers how it was closed. */
class OpenSocket {
  readonly closed: Promise<Closed>;
  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(siteUrl: string, pathname: string, headers: Record<string, string>): Promise<OpenSocket> {
    const socket = new WebSocket(siteUrl.replace(/^http/, "ws") + pathname, { headers });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new OpenSocket(socket)));
      socket.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once("error", reject);
    });
  }

  /** Resolves with how the server closed the socket, or fails after timeoutMs. */
  async closedWithin(timeoutMs: number): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the socket was still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close();
  }
}

interface Credentials {
  cookie: string;
  csrfToken: string;
  editorToken: string;
  nodeRedToken: string;
  apiToken: string;
  apiTokenId: string;
}

/** Every way a user can hold access at once: a browser session, its editor token, a Node-RED token and an API token. */
async function everyCredential(url: string, username: string): Promise<Credentials> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: passwordFor(username) }),
  });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
  const editor = (await (await fetch(`${url}/api/v1/auth/editor-token`, { method: "POST", headers })).json()) as { access_token: string };
  const grant = await nodeRedTokenRequest(url, username, passwordFor(username), "form");
  assert.equal(grant.status, 200, await grant.clone().text());
  const nodeRed = (await grant.json()) as { access_token: string };
  const api = await fetch(`${url}/api/v1/auth/tokens`, { method: "POST", headers, body: JSON.stringify({ name: "script" }) });
  assert.equal(api.status, 201);
  const created = (await api.json()) as { id: string; token: string };
  return { cookie, csrfToken, editorToken: editor.access_token, nodeRedToken: nodeRed.access_token, apiToken: created.token, apiTokenId: created.id };
}

/** The status each credential gets now: the cookie on /api/v1/auth/me, the tokens on the Node-RED admin API and /api/v1. */
async function statuses(url: string, credentials: Credentials): Promise<Record<string, number>> {
  const get = async (pathname: string, headers: Record<string, string>) => (await fetch(url + pathname, { headers })).status;
  return {
    cookie: await get("/api/v1/auth/me", { cookie: credentials.cookie }),
    editorToken: await get("/editor/flows", { authorization: `Bearer ${credentials.editorToken}` }),
    nodeRedToken: await get("/editor/flows", { authorization: `Bearer ${credentials.nodeRedToken}` }),
    apiToken: await get("/api/v1/auth/me", { authorization: `Bearer ${credentials.apiToken}` }),
  };
}

function liveFeeds(url: string, credentials: Credentials): Promise<OpenSocket[]> {
  return Promise.all([
    OpenSocket.open(url, "/api/v1/live", { cookie: credentials.cookie, origin: url }),
    OpenSocket.open(url, "/api/v1/live", { authorization: `Bearer ${credentials.editorToken}` }),
    OpenSocket.open(url, "/api/v1/live", { authorization: `Bearer ${credentials.nodeRedToken}` }),
    OpenSocket.open(url, "/api/v1/live", { authorization: `Bearer ${credentials.apiToken}` }),
  ]);
}

const ALL_ALLOWED = { cookie: 200, editorToken: 200, nodeRedToken: 200, apiToken: 200 };

/**
 * Logout, a password change, a role change and disabling a user end that
 * user's access at once: sessions, editor tokens, Node-RED tokens, and open
 * live websockets (closed with a reason). API tokens end on disable and on
 * a role change, and outlive a password change (docs/decisions.md).
 */
for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`revocation: access ends at once (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let url = "";
    let admin!: SiteClient;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      url = site.url;
      admin = await adminClient(url);
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    it("logout ends that session, its editor token and its live websockets, and nothing else", async () => {
      await createUser(admin, "lou-logout", "engineer");
      const first = await everyCredential(url, "lou-logout");
      const second = await everyCredential(url, "lou-logout");
      const firstFeeds = await liveFeeds(url, first);
      const secondFeeds = await liveFeeds(url, second);

      const logout = await fetch(`${url}/api/v1/auth/logout`, { method: "POST", headers: { cookie: first.cookie, "x-csrf-token": first.csrfToken } });
      assert.equal(logout.status, 204);

      // The cookie's feed and the editor token's feed belong to the session; the others do not.
      for (const feed of firstFeeds.slice(0, 2)) assert.deepEqual(await feed.closedWithin(5_000), { code: ACCESS_ENDED, reason: "logout" });
      assert.deepEqual(await statuses(url, first), { cookie: 401, editorToken: 401, nodeRedToken: 200, apiToken: 200 });
      assert.deepEqual(await statuses(url, second), ALL_ALLOWED);
      assert.ok(firstFeeds.slice(2).every((feed) => feed.isOpen()), "token feeds outlive the browser session");
      assert.ok(secondFeeds.every((feed) => feed.isOpen()), "another session's feeds stay open");
      for (const feed of [...firstFeeds, ...secondFeeds]) feed.close();
    });

    it("disabling a user ends every session, token and websocket of that user", async () => {
      const user = await createUser(admin, "dana-disabled", "engineer");
      const credentials = await everyCredential(url, "dana-disabled");
      assert.deepEqual(await statuses(url, credentials), ALL_ALLOWED);
      const feeds = await liveFeeds(url, credentials);

      await admin.json("PATCH", `/api/v1/users/${user.id}`, { disabled: true });
      for (const feed of feeds) assert.deepEqual(await feed.closedWithin(5_000), { code: ACCESS_ENDED, reason: "disabled" });
      assert.deepEqual(await statuses(url, credentials), { cookie: 401, editorToken: 401, nodeRedToken: 401, apiToken: 401 });

      // Enabling the user again brings none of it back.
      await admin.json("PATCH", `/api/v1/users/${user.id}`, { disabled: false });
      assert.deepEqual(await statuses(url, credentials), { cookie: 401, editorToken: 401, nodeRedToken: 401, apiToken: 401 });
      const tokens = await admin.json<{ tokens: { id: string; revokedAt: string | null }[] }>("GET", `/api/v1/users/${user.id}/tokens`);
      assert.ok(tokens.tokens.find((token) => token.id === credentials.apiTokenId)?.revokedAt, "the API token is revoked, not only refused");
    });

    it("a password change ends sessions, editor and Node-RED tokens and websockets; API tokens stay", async () => {
      const user = await createUser(admin, "pat-password", "engineer");
      const credentials = await everyCredential(url, "pat-password");
      const feeds = await liveFeeds(url, credentials);

      await admin.json("PATCH", `/api/v1/users/${user.id}`, { password: "a-brand-new-password" });
      for (const feed of feeds.slice(0, 3)) assert.deepEqual(await feed.closedWithin(5_000), { code: ACCESS_ENDED, reason: "password_changed" });
      assert.deepEqual(await statuses(url, credentials), { cookie: 401, editorToken: 401, nodeRedToken: 401, apiToken: 200 });
      assert.ok(feeds[3]?.isOpen(), "the API token's feed stays open");
      feeds[3]?.close();
    });

    it("a role change ends every session, token and websocket of that user", async () => {
      const user = await createUser(admin, "rory-role", "engineer");
      const credentials = await everyCredential(url, "rory-role");
      const feeds = await liveFeeds(url, credentials);

      await admin.json("PATCH", `/api/v1/users/${user.id}`, { role: "operator" });
      for (const feed of feeds) assert.deepEqual(await feed.closedWithin(5_000), { code: ACCESS_ENDED, reason: "role_changed" });
      assert.deepEqual(await statuses(url, credentials), { cookie: 401, editorToken: 401, nodeRedToken: 401, apiToken: 401 });

      // The same role again is no change and ends nothing.
      const again = new SiteClient(url);
      await again.login("rory-role", passwordFor("rory-role"));
      await admin.json("PATCH", `/api/v1/users/${user.id}`, { role: "operator" });
      assert.equal((await again.request("GET", "/api/v1/auth/me")).status, 200);
    });

    it("revoking an API token closes the websockets opened with it", async () => {
      await createUser(admin, "tia-token", "viewer");
      const owner = new SiteClient(url);
      await owner.login("tia-token", passwordFor("tia-token"));
      const created = await owner.json<{ id: string; token: string }>("POST", "/api/v1/auth/tokens", { name: "feed" }, 201);
      const feed = await OpenSocket.open(url, "/api/v1/live", { authorization: `Bearer ${created.token}` });
      assert.equal((await owner.request("DELETE", `/api/v1/auth/tokens/${created.id}`)).status, 204);
      assert.deepEqual(await feed.closedWithin(5_000), { code: ACCESS_ENDED, reason: "token_revoked" });
    });
  });
}
