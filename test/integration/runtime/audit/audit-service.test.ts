import assert from "node:assert/strict";
import { AuditService, type AuditQuery } from "../../../../runtime/audit/audit-service.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

/** The audit rows of the fixture: who did what to which entity, when. */
const ROWS = [
  { at: "2026-03-01T08:00:00Z", actor: "ana", action: "auth.login", entityType: null, entityId: null },
  { at: "2026-03-01T09:00:00Z", actor: "ana", action: "auth.user_create", entityType: "user", entityId: "u-olga" },
  { at: "2026-03-02T10:00:00Z", actor: "olga", action: "production.tank_gauge.record", entityType: "tank_gauge", entityId: "g-1" },
  { at: "2026-03-02T11:00:00Z", actor: "ana", action: "auth.user_update", entityType: "user", entityId: "u-olga" },
  { at: "2026-03-03T12:00:00Z", actor: "olga", action: "production.downtime_event.record", entityType: "downtime_event", entityId: "d-1" },
];

for (const target of databaseTargets) {
  describe(`audit log queries on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let audit: AuditService;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await migrate(database.db, ALL_MIGRATIONS);
      audit = new AuditService(database.db, "SITE1");
      // Ids are time-ordered (UUIDv7) and made in order, as the service makes them.
      for (const row of ROWS) {
        await database.db.query(
          "INSERT INTO audit_log (id, site_id, occurred_at, actor, action, entity_type, entity_id) VALUES ($1, 'SITE1', $2, $3, $4, $5, $6)",
          [newId(), row.at, row.actor, row.action, row.entityType, row.entityId],
        );
      }
    });

    after(async () => {
      await database?.drop();
    });

    const actions = async (query: Partial<AuditQuery>) => (await audit.list({ limit: 100, ...query })).map((entry) => entry.action);

    it("filters by entity type and id, newest first", async () => {
      assert.deepEqual(await actions({ entityType: "user" }), ["auth.user_update", "auth.user_create"]);
      assert.deepEqual(await actions({ entityType: "user", entityId: "u-olga", actor: "ana" }), ["auth.user_update", "auth.user_create"]);
      assert.deepEqual(await actions({ entityId: "g-1" }), ["production.tank_gauge.record"]);
    });

    it("filters by a family of actions", async () => {
      assert.deepEqual(await actions({ actionPrefix: "production." }), ["production.downtime_event.record", "production.tank_gauge.record"]);
      // A prefix is text, not a pattern: LIKE wildcards in it match themselves only.
      assert.deepEqual(await actions({ actionPrefix: "auth_" }), []);
      assert.deepEqual(await actions({ actionPrefix: "%" }), []);
    });

    it("filters by a time range, from inclusive and to exclusive", async () => {
      assert.deepEqual(await actions({ from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z" }), [
        "auth.user_update",
        "production.tank_gauge.record",
      ]);
      assert.deepEqual(await actions({ from: "2026-03-03T12:00:00Z" }), ["production.downtime_event.record"]);
      assert.deepEqual(await actions({ to: "2026-03-01T09:00:00Z" }), ["auth.login"]);
    });

    it("pages with the last id of the previous page, keeping the filters", async () => {
      const first = await audit.list({ limit: 2, actor: "ana" });
      assert.deepEqual(first.map((entry) => entry.action), ["auth.user_update", "auth.user_create"]);
      const second = await audit.list({ limit: 2, actor: "ana", before: first.at(-1)?.id });
      assert.deepEqual(second.map((entry) => entry.action), ["auth.login"]);
    });
  });
}
