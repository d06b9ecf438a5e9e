import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../../../../runtime/db/database.js";
import { MigrationError, migrate, type MigrationSource } from "../../../../runtime/db/migrator.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { tempDir } from "../../support.js";

const GOOD = `CREATE TABLE probe_tanks (
  id text PRIMARY KEY,
  capacity_m3 numeric NOT NULL
);
INSERT INTO probe_tanks (id, capacity_m3) VALUES ('T-101', 500);
`;

// Each breaks in its middle statement; the first statement must not survive.
// A syntax error stops PostgreSQL before it runs anything, so the second file
// fails at run time, after its first CREATE TABLE has executed: only a
// rollback of the whole file removes that table.
const BROKEN: Record<string, string> = {
  "a syntax error": `CREATE TABLE probe_meters (id text PRIMARY KEY, tank_id text NOT NULL REFERENCES probe_tanks (id));
CREATE TABLE probe_oops (id integer,, );
CREATE TABLE probe_wells (id text PRIMARY KEY);
`,
  "a run-time error": `CREATE TABLE probe_meters (id text PRIMARY KEY, tank_id text NOT NULL REFERENCES probe_tanks (id));
INSERT INTO probe_meters (id, tank_id) VALUES ('M-1', 'T-999');
CREATE TABLE probe_wells (id text PRIMARY KEY);
`,
};

interface LedgerRow {
  module: string;
  name: string;
  checksum: string;
}

async function ledger(db: Database): Promise<LedgerRow[]> {
  const result = await db.query<LedgerRow>("SELECT module, name, checksum FROM schema_migrations WHERE module = 'probe' ORDER BY name");
  return result.rows;
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const result = await db.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [`public.${table}`]);
  return result.rows[0]?.found !== null && result.rows[0]?.found !== undefined;
}

for (const target of databaseTargets) {
  // One database and one migration dir per backend; the tests run in order
  // as a module's migrations would over its life.
  describe(`the migrator on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let dir = "";
    let sources: MigrationSource[] = [];

    const db = (): Database => {
      assert.ok(database, "database not created");
      return database.db;
    };
    const write = (name: string, sql: string) => fs.writeFileSync(path.join(dir, name), sql);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      this.timeout(60_000);
      database = await target.create();
      dir = tempDir("petroflow-migrations-");
      sources = [{ module: "probe", dir }];
    });

    after(async function () {
      await database?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("applies a good migration file and records it in the ledger", async function () {
      write("0001_tanks.sql", GOOD);
      const report = await migrate(db(), sources);
      assert.deepEqual(report, { applied: ["probe/0001_tanks.sql"], alreadyApplied: 0 });
      const rows = await db().query<{ id: string }>("SELECT id FROM probe_tanks");
      assert.deepEqual(rows.rows, [{ id: "T-101" }]);
      const recorded = await ledger(db());
      assert.deepEqual(
        recorded.map((row) => row.name),
        ["0001_tanks.sql"],
      );
      assert.match(recorded[0]?.checksum ?? "", /^[0-9a-f]{64}$/);
    });

    for (const [kind, sql] of Object.entries(BROKEN)) {
      it(`refuses a file with ${kind} in its middle statement: a MigrationError naming it, the whole file rolled back`, async function () {
        const before = await ledger(db());
        write("0002_broken.sql", sql);
        try {
          const failure = await migrate(db(), sources).then(
            () => null,
            (error: unknown) => error,
          );
          assert.ok(failure instanceof MigrationError, `expected a MigrationError, got ${String(failure)}`);
          assert.match(failure.message, /0002_broken\.sql/);
          assert.ok(failure.file.endsWith("0002_broken.sql"), failure.file);
          assert.equal(await tableExists(db(), "probe_meters"), false, "the statement before the error must be rolled back");
          assert.equal(await tableExists(db(), "probe_wells"), false);
          assert.deepEqual(await ledger(db()), before, "the ledger must not record a failed file");
          assert.equal(await tableExists(db(), "probe_tanks"), true, "earlier migrations stay");
        } finally {
          fs.rmSync(path.join(dir, "0002_broken.sql"));
        }
      });
    }

    it("refuses an applied file whose contents were edited, and changes nothing", async function () {
      const before = await ledger(db());
      write("0001_tanks.sql", `${GOOD}ALTER TABLE probe_tanks ADD COLUMN site text;\n`);
      try {
        await assert.rejects(migrate(db(), sources), (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.match(error.message, /0001_tanks\.sql/);
          assert.match(error.message, /applied with different contents/);
          return true;
        });
        assert.deepEqual(await ledger(db()), before);
        const columns = await db().query<{ column_name: string }>(
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'probe_tanks' ORDER BY column_name",
        );
        assert.deepEqual(
          columns.rows.map((row) => row.column_name),
          ["capacity_m3", "id"],
        );
      } finally {
        write("0001_tanks.sql", GOOD);
      }
    });

    it("applies nothing when run again with no new files", async function () {
      const before = await ledger(db());
      const report = await migrate(db(), sources);
      assert.deepEqual(report, { applied: [], alreadyApplied: 1 });
      assert.deepEqual(await ledger(db()), before);
      const rows = await db().query<{ count: number }>("SELECT count(*)::int AS count FROM probe_tanks");
      assert.equal(rows.rows[0]?.count, 1, "the seed row was not inserted twice");
    });
  });
}
