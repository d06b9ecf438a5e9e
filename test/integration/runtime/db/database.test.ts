import assert from "node:assert/strict";
import { bulkInsert } from "../../../../runtime/db/database.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

for (const target of databaseTargets) {
  describe(`Database on ${target.name}`, function () {
    let database: TestDatabase | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await database.db.exec(`
        CREATE TABLE well_readings (
          id integer PRIMARY KEY,
          well text NOT NULL,
          pressure_kpa numeric NOT NULL,
          measured_at timestamptz NOT NULL,
          meta jsonb
        );
        CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
      `);
    });

    after(async () => {
      await database?.drop();
    });

    const db = () => {
      if (!database) throw new Error("database not created");
      return database.db;
    };

    it("runs parameterised queries; parameters are never SQL", async () => {
      const hostile = "WELL-1'); DROP TABLE well_readings; --";
      await db().query("INSERT INTO well_readings (id, well, pressure_kpa, measured_at, meta) VALUES ($1, $2, $3, $4, $5)", [
        1,
        hostile,
        "1234.5678",
        new Date("2026-11-28T10:00:00Z"),
        { choke: 32 },
      ]);
      const result = await db().query<{ well: string; pressure_kpa: string; measured_at: Date; meta: { choke: number } }>(
        "SELECT well, pressure_kpa, measured_at, meta FROM well_readings WHERE id = $1",
        [1],
      );
      assert.equal(result.rows[0]?.well, hostile);
      // numeric stays a string on both backends: quantities must not lose digits.
      assert.equal(result.rows[0]?.pressure_kpa, "1234.5678");
      assert.ok(result.rows[0]?.measured_at instanceof Date);
      assert.equal(result.rows[0]?.measured_at.toISOString(), "2026-11-28T10:00:00.000Z");
      assert.deepEqual(result.rows[0]?.meta, { choke: 32 });
    });

    it("returns int8 as a number on both backends", async () => {
      await db().query("INSERT INTO counters (name, value) VALUES ($1, $2)", ["deploys", 42]);
      const result = await db().query<{ value: number; total: number }>(
        "SELECT value, (SELECT count(*) FROM counters) AS total FROM counters WHERE name = $1",
        ["deploys"],
      );
      assert.equal(result.rows[0]?.value, 42);
      assert.equal(result.rows[0]?.total, 1);
    });

    it("commits a transaction when its function resolves", async () => {
      await db().transaction(async (tx) => {
        await tx.query("INSERT INTO counters (name, value) VALUES ($1, $2)", ["committed", 1]);
      });
      const result = await db().query("SELECT 1 FROM counters WHERE name = $1", ["committed"]);
      assert.equal(result.rowCount, 1);
    });

    it("rolls a transaction back when its function throws, and rethrows", async () => {
      await assert.rejects(
        db().transaction(async (tx) => {
          await tx.query("INSERT INTO counters (name, value) VALUES ($1, $2)", ["rolled-back", 1]);
          throw new Error("boom");
        }),
        /boom/,
      );
      const result = await db().query("SELECT 1 FROM counters WHERE name = $1", ["rolled-back"]);
      assert.equal(result.rowCount, 0);
    });

    it("rolls back on an SQL error inside the transaction", async () => {
      await assert.rejects(
        db().transaction(async (tx) => {
          await tx.query("INSERT INTO counters (name, value) VALUES ($1, $2)", ["dup", 1]);
          await tx.query("INSERT INTO counters (name, value) VALUES ($1, $2)", ["dup", 2]);
        }),
        /duplicate key/,
      );
      const result = await db().query("SELECT 1 FROM counters WHERE name = $1", ["dup"]);
      assert.equal(result.rowCount, 0);
    });

    it("bulk-inserts more rows than one statement's parameter limit allows", async () => {
      // 5 columns x 20,000 rows = 100,000 parameters: needs at least two statements.
      const rows = Array.from({ length: 20_000 }, (_, index) => [
        1000 + index,
        `WELL-${index % 500}`,
        (index * 0.25).toFixed(2),
        new Date(Date.UTC(2026, 10, 28, 0, 0, index % 60)),
        null,
      ]);
      const inserted = await bulkInsert(db(), "well_readings", ["id", "well", "pressure_kpa", "measured_at", "meta"], rows);
      assert.equal(inserted, 20_000);
      const result = await db().query<{ count: number; sum: string }>(
        "SELECT count(*) AS count, sum(pressure_kpa)::text AS sum FROM well_readings WHERE id >= 1000",
      );
      assert.equal(result.rows[0]?.count, 20_000);
      assert.equal(result.rows[0]?.sum, ((0.25 * 19_999 * 20_000) / 2).toFixed(2));
    });

    it("bulkInsert refuses identifiers that are not plain names", async () => {
      await assert.rejects(bulkInsert(db(), "well_readings; DROP TABLE x", ["id"], [[1]]), /invalid identifier/);
      await assert.rejects(bulkInsert(db(), "well_readings", ["id", "well"], [[1]]), /1 values for 2 columns/);
    });
  });
}
