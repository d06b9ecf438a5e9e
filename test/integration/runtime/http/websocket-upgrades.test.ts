import assert from "node:assert/strict";
import WebSocket from "ws";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, createUser, loadFixture, passwordFor, poll } from "../../support.js";

type Upgrade = { opened: WebSocket } | { refused: number };

/** Tries a websocket upgrade; resolves with the open socket or the HTTP status that refused it. */
function upgrade(siteUrl: string, pathname: string, headers: Record<string, string> = {}): Promise<Upgrade> {
  const socket = new WebSocket(siteUrl.replace(/^http/, "ws") + pathname, { headers });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ opened: socket }));
    socket.once("unexpected-response", (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once("error", reject);
  });
}

function statusOf(outcome: Upgrade): number {
  if ("opened" in outcome) {
    outcome.opened.close();
    return 101;
  }
  return outcome.refused;
}

async function loginCookie(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200);
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/**
 * Every websocket upgrade passes one gate before any listener sees it:
 * anonymous upgrades are refused everywhere, the editor's comms need the
 * editor role, a cookie only counts from the site's own pages, and unknown
 * paths are refused.
 */
describe("websocket upgrades go through the site's login", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let url = "";
  let admin!: SiteClient;
  let engineerCookie = "";
  let viewerCookie = "";

  before(async () => {
    site = await startSiteProcess({ backend: "pglite" });
    url = site.url;
    admin = await adminClient(url);
    await createUser(admin, "wes-engineer", "engineer");
    await createUser(admin, "val-viewer", "viewer");
    engineerCookie = await loginCookie(url, "wes-engineer", passwordFor("wes-engineer"));
    viewerCookie = await loginCookie(url, "val-viewer", passwordFor("val-viewer"));
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...loadFixture("websocket-echo")], message: "websocket echo" }, 201);
  });

  after(async function () {
    this.timeout(30_000);
    await site?.dispose();
  });

  it("refuses 300 anonymous upgrades to the editor's /editor/comms, none left open", async () => {
    const outcomes = await Promise.all(Array.from({ length: 300 }, () => upgrade(url, "/editor/comms")));
    const statuses = outcomes.map(statusOf);
    assert.deepEqual([...new Set(statuses)], [401]);
  });

  it("opens /editor/comms for an engineer's session from the site's own page, and for nobody else", async () => {
    assert.equal(statusOf(await upgrade(url, "/editor/comms", { cookie: engineerCookie, origin: url })), 101);
    assert.equal(statusOf(await upgrade(url, "/editor/comms", { cookie: viewerCookie, origin: url })), 403, "a viewer");
    assert.equal(statusOf(await upgrade(url, "/editor/comms", { cookie: engineerCookie, origin: "https://evil.example" })), 403, "another site's page");
    assert.equal(statusOf(await upgrade(url, "/editor/comms", { authorization: "Bearer pfa_not-a-token" })), 401, "a forged token");
  });

  it("refuses anonymous upgrades to flows' websocket endpoints and lets a logged-in user in", async () => {
    const polled = await poll(
      async () => statusOf(await upgrade(url, "/endpoints/ws/echo", { cookie: viewerCookie, origin: url })),
      (status) => status === 101,
    );
    assert.equal(polled.value, 101, "the echo endpoint serves a logged-in viewer");
    assert.equal(statusOf(await upgrade(url, "/endpoints/ws/echo")), 401);
  });

  it("refuses upgrades on paths nothing serves", async () => {
    assert.equal(statusOf(await upgrade(url, "/nothing-here", { cookie: engineerCookie, origin: url })), 404);
    assert.equal(statusOf(await upgrade(url, "/nothing-here")), 401, "anonymous callers learn nothing about paths");
  });

  it("closes an engineer's open editor connection when the user is disabled", async () => {
    const user = await createUser(admin, "cleo-comms", "engineer");
    const cookie = await loginCookie(url, "cleo-comms", passwordFor("cleo-comms"));
    const outcome = await upgrade(url, "/editor/comms", { cookie, origin: url });
    assert.ok("opened" in outcome);
    const closed = new Promise<void>((resolve) => outcome.opened.once("close", () => resolve()));
    await admin.json("PATCH", `/api/v1/users/${user.id}`, { disabled: true });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      closed,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("the editor connection stayed open")), 5_000);
      }),
    ]).finally(() => clearTimeout(timer));
  });
});
