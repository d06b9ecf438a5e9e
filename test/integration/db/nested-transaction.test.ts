import assert from "node:assert/strict";
import { withinTransaction } from "../../../runtime/db/nested-transaction.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { skipWithReason } from "../../helpers/skip-report.js";

for (const target of databaseTargets) {
  describe(`a database bound to an open transaction (${target.name})`, function () {
    let database: TestDatabase | undefined;
    const db = () => {
      if (!database) throw new Error("no database");
      return database.db;
    };
    const values = async () => (await db().query<{ x: number }>("SELECT x FROM nested_probe ORDER BY x")).rows.map((row) => row.x);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      this.timeout(60_000);
      database = await target.create();
      await db().exec("CREATE TABLE nested_probe (x integer PRIMARY KEY)");
    });

    beforeEach(async () => {
      await db().query("DELETE FROM nested_probe");
    });

    after(async () => {
      await database?.drop();
    });

    it("turns inner transactions into savepoints: a failed one undoes only its own writes", async () => {
      await db().transaction(async (tx) => {
        const scoped = withinTransaction(tx, db().kind);
        await scoped.transaction((inner) => inner.query("INSERT INTO nested_probe (x) VALUES (1)"));
        await assert.rejects(
          scoped.transaction(async (inner) => {
            await inner.query("INSERT INTO nested_probe (x) VALUES (2)");
            throw new Error("business rule refused it");
          }),
          /business rule refused it/,
        );
        // A duplicate key caught inside (how services detect a replayed sourceKey) leaves the outer transaction usable.
        await assert.rejects(scoped.transaction((inner) => inner.query("INSERT INTO nested_probe (x) VALUES (1)")));
        await scoped.query("INSERT INTO nested_probe (x) VALUES (3)");
        assert.deepEqual((await scoped.query<{ x: number }>("SELECT x FROM nested_probe ORDER BY x")).rows.map((row) => row.x), [1, 3]);
      });
      assert.deepEqual(await values(), [1, 3]);
    });

    it("commits nothing when the outer transaction fails, whatever the inner ones did", async () => {
      await assert.rejects(
        db().transaction(async (tx) => {
          const scoped = withinTransaction(tx, db().kind);
          await scoped.transaction((inner) => inner.query("INSERT INTO nested_probe (x) VALUES (10)"));
          await scoped.transaction((inner) =>
            withinTransaction(inner, db().kind).transaction((deeper) => deeper.query("INSERT INTO nested_probe (x) VALUES (11)")),
          );
          throw new Error("the outer work failed");
        }),
        /the outer work failed/,
      );
      assert.deepEqual(await values(), []);
    });
  });
}
