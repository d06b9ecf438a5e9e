import assert from "node:assert/strict";
import path from "node:path";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { CORE_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { newId } from "../../../../runtime/ids.js";
import { Outbox } from "../../../../runtime/sync/outbox.js";
import { recordChange } from "../../../../erp-modules/shared/module-context.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const SYNC_MIGRATIONS = [...CORE_MIGRATIONS, { module: "sync", dir: path.resolve(__dirname, "../../../../runtime/sync/migrations") }];

for (const target of databaseTargets) {
  describe(`Sync outbox on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    const db = () => {
      if (!database) throw new Error("database not created");
      return database.db;
    };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await migrate(database.db, SYNC_MIGRATIONS);
    });

    after(async () => {
      await database?.drop();
    });

    it("writes the audit and outbox rows with the change, or neither when it rolls back", async () => {
      const audit = new AuditService(db(), "SITE1");
      const outbox = new Outbox(db(), "SITE1");
      const committedId = newId();
      await db().transaction(async (tx) => {
        await recordChange({ audit, outbox }, tx, {
          actor: "alice",
          module: "assets",
          action: "assets.well.create",
          entityType: "well",
          entityId: committedId,
          operation: "insert",
          rowVersion: 1,
          after: { code: "WELL-101" },
        });
      });
      const rolledBackId = newId();
      await assert.rejects(
        db().transaction(async (tx) => {
          await recordChange({ audit, outbox }, tx, {
            actor: "alice",
            module: "assets",
            action: "assets.well.create",
            entityType: "well",
            entityId: rolledBackId,
            operation: "insert",
            after: { code: "WELL-102" },
          });
          throw new Error("the change itself failed");
        }),
        /the change itself failed/,
      );
      const pending = await outbox.unsent(10, { module: "assets" });
      assert.deepEqual(
        pending.map((row) => [row.entityId, row.operation, row.rowVersion, row.payload]),
        [[committedId, "insert", 1, { code: "WELL-101" }]],
      );
      const audited = await db().query<{ entity_id: string }>("SELECT entity_id FROM audit_log WHERE action = $1", ["assets.well.create"]);
      assert.deepEqual(
        audited.rows.map((row) => row.entity_id),
        [committedId],
      );
    });

    it("keeps rows immutable: only sent_at changes, once; unsent rows cannot be deleted", async () => {
      const outbox = new Outbox(db(), "SITE1");
      const entityId = newId();
      await db().transaction((tx) => outbox.record({ module: "production", entityType: "tank_gauge", entityId, operation: "insert", payload: { levelM: 3.2 } }, tx));
      const [row] = await outbox.unsent(1, { entityId });
      assert.ok(row);
      await assert.rejects(db().query("UPDATE sync_outbox SET payload = '{}'::jsonb WHERE id = $1", [row.id]), /immutable/);
      await assert.rejects(db().query("DELETE FROM sync_outbox WHERE id = $1", [row.id]), /unsent row cannot be deleted/);
      assert.equal(await outbox.markSent([row.id]), 1);
      assert.equal(await outbox.markSent([row.id]), 0, "marking twice changes nothing");
      assert.deepEqual(await outbox.unsent(10, { entityId }), []);
      await assert.rejects(db().query("UPDATE sync_outbox SET sent_at = now() WHERE id = $1", [row.id]), /immutable/);
    });
    it("numbers committed rows per site without gaps, a rolled-back row giving its number back", async () => {
      const outbox = new Outbox(db(), "SEQ1");
      const write = (tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], code: string) =>
        outbox.record({ module: "assets", entityType: "well", entityId: newId(), operation: "insert", payload: { code } }, tx);
      await db().transaction((tx) => write(tx, "A"));
      await assert.rejects(
        db().transaction(async (tx) => {
          await write(tx, "rolled back");
          throw new Error("abandoned");
        }),
        /abandoned/,
      );
      await db().transaction(async (tx) => {
        await write(tx, "B");
        await write(tx, "C");
      });
      const rows = await outbox.unsent(10);
      const seq1 = rows.filter((row) => row.siteId === "SEQ1");
      assert.deepEqual(
        seq1.map((row) => [row.sequence, (row.payload as { code: string }).code]),
        [
          [1, "A"],
          [2, "B"],
          [3, "C"],
        ],
      );
    });

    it("numbers rows in commit order, not in the order their ids were made", async function () {
      if (target.name !== "postgres") {
        skipWithReason(this, "PGlite has one connection: two transactions cannot interleave");
      }
      const postgres = db();
      const outbox = new Outbox(postgres, "ORDER1");
      const firstId = newId();
      const secondId = newId();
      let releaseFirst: () => void = () => undefined;
      const firstMayCommit = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstWrote: () => void = () => undefined;
      const firstHasWritten = new Promise<void>((resolve) => {
        firstWrote = resolve;
      });
      // The transaction with the earlier id writes first but commits last.
      const first = postgres.transaction(async (tx) => {
        await outbox.record({ module: "assets", entityType: "well", entityId: firstId, operation: "insert", payload: { code: "early id" } }, tx);
        firstWrote();
        await firstMayCommit;
      });
      await firstHasWritten;
      await postgres.transaction((tx) =>
        outbox.record({ module: "assets", entityType: "well", entityId: secondId, operation: "insert", payload: { code: "late id" } }, tx),
      );
      releaseFirst();
      await first;
      const rows = (await outbox.unsent(10)).filter((row) => row.siteId === "ORDER1");
      assert.deepEqual(
        rows.map((row) => [row.sequence, row.entityId]),
        [
          [1, secondId],
          [2, firstId],
        ],
      );
    });
  });
}
