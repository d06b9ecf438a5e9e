import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { CORE_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { createNodeRedStorage, type NodeRedStorage } from "../../../../runtime/flows/node-red-storage.js";
import { RevisionStore } from "../../../../runtime/flows/revision-store.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { createMetrics } from "../../../../runtime/observability/metrics.js";
import { NodeConfigRegistry } from "../../../../nodes/shared/node-config-versions.js";
import type { Database } from "../../../../runtime/db/database.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import { createPostgresDatabase, databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { poll } from "../../support.js";

/** A storage module over db, as a (re)started site makes it, with a validator that accepts any flows. */
function openStorage(db: Database, sessionsKey: Buffer, defaultFlows: FlowNode[] = []): NodeRedStorage {
  return createNodeRedStorage({
    db,
    siteId: "SITE1",
    revisions: new RevisionStore(db),
    audit: new AuditService(db, "SITE1"),
    metrics: createMetrics(),
    logger: createLogger("silent"),
    sessionsKey,
    validate: (flows) => ({ ok: true, flows: flows as [] }),
    defaultFlows: () => defaultFlows,
    nodeConfigs: new NodeConfigRegistry(),
  });
}

/** Node-RED's settings, sessions and library kept in the database, as its runtime calls them. */
for (const target of databaseTargets) {
  describe(`Node-RED storage module: settings, sessions, library (${target.name})`, function () {
    let database: TestDatabase | undefined;
    let storage: NodeRedStorage;
    const sessionsKey = randomBytes(32);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      this.timeout(60_000);
      database = await target.create();
      await migrate(database.db, CORE_MIGRATIONS);
      storage = openStorage(database.db, sessionsKey, [{ id: "tab-default", type: "tab" }]);
      await storage.module.init({}, {});
    });

    after(async () => {
      await database?.drop();
    });

    it("makes the default flows revision 1 on first start", async () => {
      assert.deepEqual(await storage.module.getFlows(), [{ id: "tab-default", type: "tab" }]);
    });

    it("keeps user settings", async () => {
      assert.deepEqual(await storage.module.getSettings(), {});
      await storage.module.saveSettings({ users: { ana: { editor: { view: { "view-grid-size": 20 } } } } });
      assert.deepEqual(await storage.module.getSettings(), { users: { ana: { editor: { view: { "view-grid-size": 20 } } } } });
    });

    it("keeps editor sessions sealed, never their tokens in clear", async () => {
      const token = "editor-access-token-in-clear";
      await storage.module.saveSessions({ [token]: { user: "ana", client: "node-red-editor", scope: ["*"], accessToken: token, expires: Date.now() + 60_000 } });
      const stored = await database!.db.query<{ value: unknown }>("SELECT value FROM node_red_state WHERE key = 'sessions'");
      assert.ok(!JSON.stringify(stored.rows[0]?.value).includes(token));
      const sessions = await storage.module.getSessions();
      assert.equal((sessions[token] as { user: string }).user, "ana");
      assert.deepEqual((await storage.tokens.lookup(token))?.user, "ana");
      assert.equal(await storage.tokens.lookup("unknown"), null);
      assert.equal(await storage.tokens.lookup("__proto__"), null);
    });

    it("issues and revokes tokens in the object Node-RED's own token check reads, and keeps that in the database", async () => {
      const nodeRedView = await storage.module.getSessions();
      const issued = await storage.tokens.issue("Bea", "node-red-admin", "*", 600);
      const other = await storage.tokens.issue("carl", "node-red-admin", "*", 600);
      assert.equal((nodeRedView[issued.token] as { user: string }).user, "Bea", "Node-RED sees the new token without reloading");
      assert.equal((await storage.tokens.lookup(issued.token))?.user, "Bea");

      assert.equal(await storage.tokens.revokeUser("bea"), 1);
      assert.equal(nodeRedView[issued.token], undefined, "Node-RED no longer knows the token");
      assert.equal(await storage.tokens.lookup(issued.token), null);
      assert.equal((await storage.tokens.lookup(other.token))?.user, "carl", "other users' tokens stay");

      // A second storage on the same database (a restart) reads what was saved.
      const restarted = openStorage(database!.db, sessionsKey);
      assert.equal(await restarted.tokens.lookup(issued.token), null);
      assert.equal((await restarted.tokens.lookup(other.token))?.user, "carl");
    });

    it("refuses credentials that are not encrypted", async () => {
      await assert.rejects(storage.module.saveCredentials({ "node-1": { password: "clear" } }), /unencrypted credentials/);
      await storage.module.saveCredentials({ $: "encrypted-blob" });
      assert.deepEqual(await storage.module.getCredentials(), { $: "encrypted-blob" });
    });

    it("stores library entries and lists folders like Node-RED's file library", async () => {
      await storage.module.saveLibraryEntry("functions", "scaling/linear.js", { name: "linear" }, "return msg;");
      await storage.module.saveLibraryEntry("functions", "scaling/deep/clamp.js", { name: "clamp" }, "return msg;");
      await storage.module.saveLibraryEntry("flows", "wells/esp-trip", {}, "[]");
      assert.equal(await storage.module.getLibraryEntry("functions", "scaling/linear.js"), "return msg;");
      assert.deepEqual(await storage.module.getLibraryEntry("functions", ""), ["scaling"]);
      assert.deepEqual(await storage.module.getLibraryEntry("functions", "scaling"), ["deep", { name: "linear", fn: "linear.js" }]);
      // Flows are saved as .json and found with or without the extension.
      assert.equal(await storage.module.getLibraryEntry("flows", "wells/esp-trip"), "[]");
      assert.equal(await storage.module.getLibraryEntry("flows", "wells/esp-trip.json"), "[]");
      await assert.rejects(storage.module.getLibraryEntry("functions", "nope/missing.js"), /not found/);
      assert.deepEqual(await storage.module.getLibraryEntry("functions", "empty/"), []);
    });
  });
}

/**
 * Node-RED saves its sessions and settings from timers with no rejection
 * handler and loads its sessions once for good: through a cut link, the
 * storage module must neither reject those nor fail the one load.
 */
describe("Node-RED storage module while PostgreSQL is away (fault proxy)", function () {
  this.timeout(60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let db: PostgresDatabase | undefined;
  let storage: NodeRedStorage;
  const sessionsKey = randomBytes(32);

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    db = await PostgresDatabase.connect(proxy.urlThrough(created.url), { connectTimeoutMs: 500, queryTimeoutMs: 1_000, closeTimeoutMs: 500 });
    await migrate(db, CORE_MIGRATIONS);
    storage = openStorage(db, sessionsKey);
  });

  after(async () => {
    proxy?.setMode("pass");
    await db?.close();
    await proxy?.close();
    await created?.drop();
  });

  const storedSessions = async () => {
    assert.ok(created);
    const direct = await PostgresDatabase.connect(created.url);
    try {
      return (await direct.query("SELECT 1 FROM node_red_state WHERE key = 'sessions'")).rowCount;
    } finally {
      await direct.close();
    }
  };

  it("saveSessions and saveSettings resolve while the link is cut, and what they hold is written once it returns", async () => {
    assert.ok(proxy);
    const token = "token-issued-during-the-outage";
    proxy.setMode("reset");
    await storage.module.saveSessions({ [token]: { user: "ana", client: "node-red-editor", scope: ["*"], accessToken: token, expires: Date.now() + 60_000 } });
    await storage.module.saveSettings({ users: { ana: {} } });
    // In force at once, from memory.
    assert.equal((await storage.tokens.lookup(token))?.user, "ana");
    assert.equal(await storedSessions(), 0);
    proxy.setMode("pass");
    const written = await poll(storedSessions, (count) => count === 1, 15_000);
    assert.ok(written.satisfied, "the sessions were written once the link was back");
  });

  it("getSessions of a restarted site waits through a cut instead of failing for good", async () => {
    assert.ok(proxy && db);
    proxy.setMode("blackhole");
    let settled = false;
    // A new storage module, as after a restart: its sessions are not in memory yet.
    const loading = openStorage(db, sessionsKey).module.getSessions().finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(settled, false, "still waiting while the database is away");
    proxy.setMode("pass");
    const sessions = await loading;
    assert.equal((sessions["token-issued-during-the-outage"] as { user?: string } | undefined)?.user, "ana");
  });
});
