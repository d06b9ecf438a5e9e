import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipUnlessAvailable, type Backend } from "../../support.js";

const TAG_WRITER = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "fixtures", "flows", "tag-writer.json"), "utf8")) as unknown[];

interface Tag {
  id: string;
  path: string;
  unit: string;
  deadband: number;
  readRole: string;
  rowVersion: number;
  live: { v: unknown; q: string; t: number } | null;
}

interface WireTag {
  p: string;
  v: unknown;
  q: string;
  t: number;
  u?: number;
}

type ServerMessage = { type: "snapshot"; id: string; tags: WireTag[] } | { type: "update"; tags: WireTag[] } | { type: "error"; message: string };

/** A live-feed client that collects every message, for assertions over time. */
class LiveFeed {
  readonly messages: ServerMessage[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.messages.push(JSON.parse((data as Buffer).toString()) as ServerMessage));
  }

  static open(url: string, headers: Record<string, string>): Promise<LiveFeed> {
    const socket = new WebSocket(url.replace(/^http/, "ws") + "/api/v1/live", { headers });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new LiveFeed(socket)));
      socket.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async waitFor(predicate: (messages: ServerMessage[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`tags: registry API and live feed (${backend})`, function () {
    this.timeout(90_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;
    let viewer: SiteClient;
    let adminToken = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend, env: { PETROFLOW_LIVE_MAX_RATE_HZ: "5" } });
      admin = new SiteClient(site.url);
      await admin.login("admin", ADMIN_PASSWORD);
      await admin.json("POST", "/api/v1/users", { username: "vic-viewer", role: "viewer", password: "viewer-password" }, 201);
      viewer = new SiteClient(site.url);
      await viewer.login("vic-viewer", "viewer-password");
      adminToken = (await admin.json<{ token: string }>("POST", "/api/v1/auth/tokens", { name: "tags-test" }, 201)).token;
      const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
      await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...TAG_WRITER], message: "tag writer for tests" }, 201);
    });

    after(async () => {
      await site?.dispose();
    });

    async function setTag(tagPath: string, value: unknown): Promise<void> {
      for (let attempt = 0; attempt < 50; attempt++) {
        const response = await admin.request("POST", "/endpoints/set-tag", { path: tagPath, value });
        if (response.status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`could not write ${tagPath}`);
    }

    it("creates, reads, pages and searches tags, with the live value", async () => {
      const created = await admin.json<{ tag: Tag }>(
        "POST",
        "/api/v1/tags",
        { path: "SITE1/WELL-101/THP", dataType: "float", unit: "kPa", description: "Tubing head pressure", deadband: 5 },
        201,
      );
      assert.equal(created.tag.rowVersion, 1);
      assert.equal(created.tag.readRole, "viewer");
      await admin.json("POST", "/api/v1/tags", { path: "SITE1/WELL-102/THP", dataType: "float", unit: "kPa", description: "Tubing head pressure" }, 201);
      await setTag("SITE1/WELL-101/THP", 1234.5);
      const page = await viewer.json<{ tags: Tag[]; total: number }>("GET", "/api/v1/tags?search=tubing&limit=1&offset=0");
      assert.equal(page.total, 2);
      assert.equal(page.tags.length, 1);
      assert.equal(page.tags[0]?.path, "SITE1/WELL-101/THP");
      assert.equal(page.tags[0]?.live?.v, 1234.5);
      assert.equal(page.tags[0]?.live?.q, "good");
      const byPrefix = await viewer.json<{ tags: Tag[]; total: number }>("GET", "/api/v1/tags?prefix=SITE1/WELL-102/");
      assert.deepEqual(byPrefix.tags.map((tag) => tag.path), ["SITE1/WELL-102/THP"]);
    });

    it("answers bad input with 400 naming the field, duplicates with 409, stale versions with 409", async () => {
      const bad = await admin.request("POST", "/api/v1/tags", { path: "WELL-101/THP", dataType: "float" });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { details: { field: string } } }).error.details.field, "body.path");
      const duplicate = await admin.request("POST", "/api/v1/tags", { path: "SITE1/WELL-101/THP", dataType: "float" });
      assert.equal(duplicate.status, 409);
      const list = await admin.json<{ tags: Tag[] }>("GET", "/api/v1/tags?prefix=SITE1/WELL-101/");
      const tag = list.tags[0];
      assert.ok(tag);
      const updated = await admin.json<{ tag: Tag }>("PATCH", `/api/v1/tags/${tag.id}`, { description: "THP", rowVersion: tag.rowVersion });
      assert.equal(updated.tag.rowVersion, tag.rowVersion + 1);
      // A PATCH changes what it names and nothing else.
      assert.equal(updated.tag.unit, tag.unit);
      assert.equal(updated.tag.deadband, tag.deadband);
      const stale = await admin.request("PATCH", `/api/v1/tags/${tag.id}`, { description: "again", rowVersion: tag.rowVersion });
      assert.equal(stale.status, 409);
      const inBar = await admin.json<{ tag: Tag & { displayUnit: string | null } }>("PATCH", `/api/v1/tags/${tag.id}`, { displayUnit: "bar", rowVersion: updated.tag.rowVersion });
      assert.equal(inBar.tag.displayUnit, "bar");
      const wrongUnit = await admin.request("PATCH", `/api/v1/tags/${tag.id}`, { displayUnit: "degF", rowVersion: inBar.tag.rowVersion });
      assert.equal(wrongUnit.status, 400);
      assert.equal(((await wrongUnit.json()) as { error: { details: { field: string } } }).error.details.field, "displayUnit");
      const forbidden = await viewer.request("POST", "/api/v1/tags", { path: "SITE1/X/Y", dataType: "float" });
      assert.equal(forbidden.status, 403);
    });

    it("imports CSV, reporting rejected rows by line, and exports it back", async () => {
      const csv = [
        "path,dataType,unit,description,deadband,rawMin,rawMax,engMin,engMax,assetId,source,readRole",
        "SITE1/TK-01/LEVEL,float,m,Tank level,0.01,0,65535,0,12,TK-01,modbus,viewer",
        "bad path,float,m,,0,,,,,,,viewer",
        "SITE1/WELL-101/THP,float,kPa,Tubing head pressure (imported),2,,,,,WELL-101,modbus,viewer",
        "SITE1/SEC-01/SECRET,float,,Engineers only,0,,,,,,,engineer",
        "SITE1/TK-02/LEVEL,double,m,wrong type,0,,,,,,,viewer",
      ].join("\n");
      const response = await admin.request("POST", "/api/v1/tags/import", csv, { "content-type": "text/csv" });
      assert.equal(response.status, 200);
      const report = (await response.json()) as { created: number; updated: number; rejected: { line: number; reason: string }[] };
      assert.equal(report.created, 2);
      assert.equal(report.updated, 1);
      assert.deepEqual(report.rejected.map((row) => row.line), [3, 6]);
      assert.match(report.rejected[0]?.reason ?? "", /path/);
      assert.match(report.rejected[1]?.reason ?? "", /dataType/);
      const exported = await admin.request("GET", "/api/v1/tags/export.csv");
      assert.equal(exported.status, 200);
      const text = await exported.text();
      assert.match(text, /^path,dataType,unit/);
      // The file's retired assetId column was accepted and ignored: a tag's asset is the register's link (asset_tags).
      assert.match(text, /SITE1\/TK-01\/LEVEL,float,m,,Tank level,0\.01,0,65535,0,12,modbus,viewer/);
      assert.doesNotMatch(text, /assetId/);
      const viewerList = await viewer.json<{ tags: Tag[] }>("GET", "/api/v1/tags?limit=500");
      assert.ok(!viewerList.tags.some((tag) => tag.path === "SITE1/SEC-01/SECRET"), "a viewer does not see engineer-only tags");
    });

    it("refuses the live feed without a session or token", async () => {
      await assert.rejects(LiveFeed.open(site!.url, {}), /401/);
      await assert.rejects(LiveFeed.open(site!.url, { authorization: "Bearer pfa_not-a-token" }), /401/);
    });

    it("refuses a cookie-authenticated feed opened from another site's page", async () => {
      const login = await fetch(`${site!.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "vic-viewer", password: "viewer-password" }),
      });
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      await assert.rejects(LiveFeed.open(site!.url, { cookie, origin: "https://evil.example" }), /403/);
      const feed = await LiveFeed.open(site!.url, { cookie, origin: site!.url });
      feed.close();
    });

    it("sends a snapshot, then coalesced updates at no more than the rate asked for", async () => {
      const feed = await LiveFeed.open(site!.url, { authorization: `Bearer ${adminToken}` });
      try {
        await setTag("SITE1/WELL-102/THP", 1);
        feed.send({ type: "subscribe", id: "wells", patterns: ["SITE1/+/THP"], maxRateHz: 2 });
        await feed.waitFor((messages) => messages.some((m) => m.type === "snapshot"), "the snapshot");
        const snapshot = feed.messages.find((m) => m.type === "snapshot");
        assert.ok(snapshot && snapshot.type === "snapshot");
        assert.equal(snapshot.id, "wells");
        assert.ok(snapshot.tags.some((tag) => tag.p === "SITE1/WELL-102/THP" && tag.v === 1));
        const started = Date.now();
        for (let value = 2; value <= 21; value++) await setTag("SITE1/WELL-102/THP", value);
        await feed.waitFor(
          (messages) => messages.some((m) => m.type === "update" && m.tags.some((tag) => tag.p === "SITE1/WELL-102/THP" && tag.v === 21)),
          "the last value",
        );
        const elapsedSeconds = (Date.now() - started) / 1000;
        const updates = feed.messages.filter((m) => m.type === "update");
        // 20 writes arrive in fewer messages, never faster than 2 per second (+1 for the first).
        assert.ok(updates.length < 20, `coalesced: ${updates.length} messages for 20 writes`);
        assert.ok(updates.length <= Math.ceil(elapsedSeconds * 2) + 1, `${updates.length} messages in ${elapsedSeconds.toFixed(1)} s`);
      } finally {
        feed.close();
      }
    });

    it("tells the feed that a steady value is still being reported: same change time t, a newer update time u", async () => {
      const feed = await LiveFeed.open(site!.url, { authorization: `Bearer ${adminToken}` });
      const path = "SITE1/WELL-104/THP";
      try {
        await setTag(path, 77);
        feed.send({ type: "subscribe", id: "steady", patterns: [path] });
        await feed.waitFor((messages) => messages.some((m) => m.type === "snapshot" && m.tags.some((tag) => tag.p === path)), "the snapshot");
        const snapshot = feed.messages.find((m) => m.type === "snapshot");
        const changedAt = snapshot?.type === "snapshot" ? snapshot.tags.find((tag) => tag.p === path)?.t : undefined;
        assert.ok(changedAt !== undefined);
        const refreshed = (messages: ServerMessage[]) =>
          messages.some((m) => m.type === "update" && m.tags.some((tag) => tag.p === path && tag.t === changedAt && (tag.u ?? 0) > changedAt));
        // The device keeps reporting 77 for longer than the feed's refresh interval.
        const deadline = Date.now() + 15_000;
        while (!refreshed(feed.messages) && Date.now() < deadline) {
          await setTag(path, 77);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        assert.ok(refreshed(feed.messages), `no refresh of ${path}: ${JSON.stringify(feed.messages)}`);
        assert.ok(
          feed.messages.every((m) => m.type !== "update" || m.tags.every((tag) => tag.p !== path || tag.v === 77)),
          "the value itself never changed",
        );
      } finally {
        feed.close();
      }
    });

    it("does not send a viewer tags its role may not read", async () => {
      const feed = await LiveFeed.open(site!.url, { authorization: `Bearer ${(await viewerToken(viewer)).token}` });
      try {
        feed.send({ type: "subscribe", id: "all", patterns: ["SITE1/#"] });
        await feed.waitFor((messages) => messages.some((m) => m.type === "snapshot"), "the snapshot");
        await setTag("SITE1/SEC-01/SECRET", 42);
        await setTag("SITE1/TK-01/LEVEL", 7.5);
        await feed.waitFor((messages) => messages.some((m) => m.type === "update" && m.tags.some((tag) => tag.p === "SITE1/TK-01/LEVEL")), "the tank level");
        const seen = feed.messages.flatMap((m) => (m.type === "error" ? [] : m.tags.map((tag) => tag.p)));
        assert.ok(!seen.includes("SITE1/SEC-01/SECRET"));
        feed.send({ type: "subscribe", id: "bad", patterns: ["SITE1/#/x"] });
        await feed.waitFor((messages) => messages.some((m) => m.type === "error"), "an error message");
      } finally {
        feed.close();
      }
    });
  });
}

async function viewerToken(viewer: SiteClient): Promise<{ token: string }> {
  return viewer.json<{ token: string }>("POST", "/api/v1/auth/tokens", { name: `live-${Date.now()}` }, 201);
}
