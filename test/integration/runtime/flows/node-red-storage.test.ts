import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { CORE_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { createNodeRedStorage, type NodeRedStorage } from "../../../../runtime/flows/node-red-storage.js";
import { RevisionStore } from "../../../../runtime/flows/revision-store.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { createMetrics } from "../../../../runtime/observability/metrics.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

/** Node-RED's settings, sessions and library kept in the database, as its runtime calls them. */
for (const target of databaseTargets) {
  describe(`Node-RED storage module: settings, sessions, library (${target.name})`, function () {
    let database: TestDatabase | undefined;
    let storage: NodeRedStorage;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      this.timeout(60_000);
      database = await target.create();
      await migrate(database.db, CORE_MIGRATIONS);
      storage = createNodeRedStorage({
        db: database.db,
        siteId: "SITE1",
        revisions: new RevisionStore(database.db),
        audit: new AuditService(database.db, "SITE1"),
        metrics: createMetrics(),
        logger: createLogger("silent"),
        sessionsKey: randomBytes(32),
        validate: (flows) => ({ ok: true, flows: flows as [] }),
        defaultFlows: () => [{ id: "tab-default", type: "tab" }],
      });
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
      assert.deepEqual(storage.lookupNodeRedSession(token)?.user, "ana");
      assert.equal(storage.lookupNodeRedSession("unknown"), null);
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
