import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";

const DASHBOARD = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "fixtures", "flows", "dashboard-minimal.json"), "utf8")) as unknown[];

/**
 * Dashboard 2.0 is installed and served behind the same login: its pages on
 * /endpoints/dashboard, and its socket.io connection, which bypasses express.
 */
describe("Node-RED Dashboard 2.0 behind the site login", function () {
  this.timeout(90_000);
  let site: SiteProcess | undefined;
  let admin: SiteClient;

  before(async () => {
    site = await startSiteProcess({ backend: "pglite" });
    admin = new SiteClient(site.url);
    await admin.login("admin", ADMIN_PASSWORD);
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...DASHBOARD], message: "a dashboard" }, 201);
  });

  after(async () => {
    await site?.dispose();
  });

  async function poll(read: () => Promise<number>, expected: number): Promise<number> {
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== expected; attempt++) {
      status = await read();
      if (status !== expected) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return status;
  }

  it("serves the dashboard page to a logged-in user", async () => {
    const status = await poll(async () => (await admin.request("GET", "/endpoints/dashboard/wells")).status, 200);
    assert.equal(status, 200);
  });

  it("refuses the dashboard page without login", async () => {
    const response = await fetch(`${site!.url}/endpoints/dashboard/wells`, { redirect: "manual" });
    assert.equal(response.status, 401);
  });

  it("refuses the dashboard's socket.io handshake without login, accepts it with one", async () => {
    const handshake = (headers: Record<string, string>) =>
      fetch(`${site!.url}/endpoints/dashboard/socket.io/?EIO=4&transport=polling`, { headers });
    const anonymous = await handshake({});
    // The polling open packet succeeds at the engine level; the namespace connect is where the gate answers.
    const sid = /"sid":"([^"]+)"/.exec(await anonymous.text())?.[1];
    assert.ok(sid, "engine.io handshake");
    const connect = await fetch(`${site!.url}/endpoints/dashboard/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "40" });
    assert.equal(connect.status, 200);
    const reply = await (await fetch(`${site!.url}/endpoints/dashboard/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text();
    assert.match(reply, /^44.*login required/, `anonymous namespace connect refused: ${reply}`);

    const cookie = (await loginCookie(site!.url)) ?? "";
    const authed = await handshake({ cookie });
    const authedSid = /"sid":"([^"]+)"/.exec(await authed.text())?.[1];
    assert.ok(authedSid);
    await fetch(`${site!.url}/endpoints/dashboard/socket.io/?EIO=4&transport=polling&sid=${authedSid}`, { method: "POST", body: "40", headers: { cookie } });
    const authedReply = await (await fetch(`${site!.url}/endpoints/dashboard/socket.io/?EIO=4&transport=polling&sid=${authedSid}`, { headers: { cookie } })).text();
    assert.match(authedReply, /^40/, `logged-in namespace connect accepted: ${authedReply}`);
  });

  it("refuses an anonymous websocket upgrade of the dashboard's socket.io at the site's gate", async () => {
    const socket = new WebSocket(`${site!.url.replace(/^http/, "ws")}/endpoints/dashboard/socket.io/?EIO=4&transport=websocket`);
    const status = await new Promise<number>((resolve, reject) => {
      socket.once("open", () => {
        socket.close();
        resolve(101);
      });
      socket.once("unexpected-response", (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      socket.once("error", reject);
    });
    assert.equal(status, 401);
  });
});

async function loginCookie(url: string): Promise<string | undefined> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  return response.headers.get("set-cookie")?.split(";")[0];
}
