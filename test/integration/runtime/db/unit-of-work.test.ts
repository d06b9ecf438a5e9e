import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import { afterCommit, outsideUnitOfWork, unitOfWork } from "../../../../runtime/db/unit-of-work.js";
import { ModuleEventBus, type ModuleEvent } from "../../../../runtime/events/event-bus.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

for (const target of databaseTargets) {
  describe(`unit of work (${target.name})`, function () {
    this.timeout(30_000);
    let database: TestDatabase | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await database.db.exec("CREATE TABLE notes (id integer PRIMARY KEY, text text NOT NULL)");
    });

    after(async () => {
      await database?.drop();
    });

    beforeEach(async () => {
      await db().exec("DELETE FROM notes");
    });

    const db = (): Database => {
      assert.ok(database, "database created");
      return database.db;
    };

    const noteIds = async (): Promise<number[]> =>
      (await db().query<{ id: number }>("SELECT id FROM notes ORDER BY id")).rows.map((row) => row.id);

    it("db.query() and db.transaction() made anywhere inside join it: all commit together", async () => {
      const service = async (id: number) => {
        await db().transaction(async (tx) => {
          await tx.query("INSERT INTO notes (id, text) VALUES ($1, 'in a service transaction')", [id]);
        });
      };
      await unitOfWork(db(), async () => {
        await db().query("INSERT INTO notes (id, text) VALUES (1, 'plain query')");
        await service(2);
      });
      assert.deepEqual(await noteIds(), [1, 2]);
    });

    it("everything rolls back when the work throws after its writes", async () => {
      await assert.rejects(
        unitOfWork(db(), async () => {
          await db().query("INSERT INTO notes (id, text) VALUES (1, 'plain query')");
          await db().transaction(async (tx) => tx.query("INSERT INTO notes (id, text) VALUES (2, 'service')"));
          throw new Error("the response was a 5xx");
        }),
        /5xx/,
      );
      assert.deepEqual(await noteIds(), []);
    });

    it("a transaction that fails inside is a savepoint: it rolls back alone and the rest commits", async () => {
      await unitOfWork(db(), async () => {
        await db().query("INSERT INTO notes (id, text) VALUES (1, 'kept')");
        await assert.rejects(
          db().transaction(async (tx) => {
            await tx.query("INSERT INTO notes (id, text) VALUES (2, 'undone')");
            // A unique violation aborts the statement; without a savepoint the whole unit would be lost.
            await tx.query("INSERT INTO notes (id, text) VALUES (1, 'duplicate')");
          }),
          (error: unknown) => (error as { code?: string }).code === "23505",
        );
        // Nested transactions nest as savepoints too.
        await db().transaction(async () => {
          await db().transaction(async (tx) => tx.query("INSERT INTO notes (id, text) VALUES (3, 'nested')"));
        });
      });
      assert.deepEqual(await noteIds(), [1, 3]);
    });

    it("afterCommit hooks and module events wait for the commit, and are dropped on rollback", async () => {
      const events = new ModuleEventBus("SITE1");
      const seen: string[] = [];
      const unsubscribe = events.subscribe("*", (event: ModuleEvent) => seen.push(event.type));
      const order: string[] = [];
      try {
        await unitOfWork(db(), async () => {
          await db().query("INSERT INTO notes (id, text) VALUES (1, 'x')");
          afterCommit(() => order.push("hook"));
          events.emit("notes.created", { id: 1 });
          order.push("work done");
          assert.deepEqual(seen, [], "no event before the commit");
        });
        assert.deepEqual(order, ["work done", "hook"]);
        assert.deepEqual(seen, ["notes.created"]);

        await assert.rejects(
          unitOfWork(db(), async () => {
            afterCommit(() => order.push("rolled-back hook"));
            events.emit("notes.rolled_back", {});
            throw new Error("5xx");
          }),
        );
        assert.deepEqual(seen, ["notes.created"], "no event for a rolled-back change");
        assert.ok(!order.includes("rolled-back hook"));

        afterCommit(() => order.push("outside"));
        events.emit("notes.outside", {});
        assert.equal(order.at(-1), "outside", "outside a unit of work a hook runs at once");
        assert.deepEqual(seen, ["notes.created", "notes.outside"]);
      } finally {
        unsubscribe();
      }
    });

    it("an abort rolls back at once; what the abandoned work still tries is refused, never run on its own", async () => {
      const controller = new AbortController();
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      let straggler: Promise<string> | undefined;
      const running = unitOfWork(
        db(),
        async () => {
          await db().query("INSERT INTO notes (id, text) VALUES (1, 'before the abort')");
          straggler = stalled.then(async () => {
            try {
              await db().transaction(async (tx) => tx.query("INSERT INTO notes (id, text) VALUES (2, 'after the abort')"));
              return "ran";
            } catch (error) {
              return `refused: ${(error as Error).message}`;
            }
          });
          await straggler;
        },
        { signal: controller.signal },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(new Error("the request passed its deadline"));
      await assert.rejects(running, /deadline/);
      release();
      assert.ok(straggler);
      assert.match(await straggler, /^refused/);
      assert.deepEqual(await noteIds(), [], "neither the write before the abort nor the straggler's");
    });

    // Not on PGlite: one connection, so a transaction outside would wait for the unit's end, which waits for it.
    if (target.name !== "postgres") return;
    it("outsideUnitOfWork() leaves the unit: its own transaction commits even when the unit rolls back", async () => {
      await assert.rejects(
        unitOfWork(db(), async () => {
          await outsideUnitOfWork(() => db().transaction(async (tx) => tx.query("INSERT INTO notes (id, text) VALUES (7, 'own transaction')")));
          throw new Error("5xx");
        }),
      );
      assert.deepEqual(await noteIds(), [7]);
    });
  });
}
