import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const MIGRATION = "0004_drop_asset_id.sql";

/** Every migration as a site had them before tags/0004: the tags module's files up to 0003 only. */
function sourcesBeforeDrop(scratchDir: string) {
  const tags = ALL_MIGRATIONS.find((source) => source.module === "tags");
  assert.ok(tags);
  for (const name of fs.readdirSync(tags.dir).filter((file) => file.endsWith(".sql") && file < MIGRATION)) {
    fs.copyFileSync(path.join(tags.dir, name), path.join(scratchDir, name));
  }
  return ALL_MIGRATIONS.map((source) => (source.module === "tags" ? { ...source, dir: scratchDir } : source));
}

for (const target of databaseTargets) {
  describe(`tags/0004: tags.asset_id gives way to asset_tags (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let scratchDir: string | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-tags-migrations-"));
    });

    after(async () => {
      await database?.drop();
      if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
    });

    it("moves the links the column held into asset_tags, then drops it", async () => {
      assert.ok(database && scratchDir);
      const { db } = database;
      await migrate(db, sourcesBeforeDrop(scratchDir));
      const field = newId();
      const well = newId();
      await db.query("INSERT INTO assets (id, site_id, kind, code, name, created_by) VALUES ($1, 'SITE1', 'field', 'F-1', 'Field', 'test')", [field]);
      await db.query("INSERT INTO assets (id, site_id, kind, code, name, parent_id, created_by) VALUES ($1, 'SITE1', 'well', 'WELL-7', 'Well 7', $2, 'test')", [
        well,
        field,
      ]);
      // The well already links its THP in the register: that link stays as it is.
      await db.query("INSERT INTO asset_tags (id, site_id, asset_id, role, tag_path, created_by) VALUES ($1, 'SITE1', $2, 'thp', 'SITE1/WELL-7/THP_OLD', 'test')", [
        newId(),
        well,
      ]);
      const tag = (tagPath: string, assetId: string | null) =>
        db.query("INSERT INTO tags (id, site_id, path, data_type, asset_id, created_by) VALUES ($1, 'SITE1', $2, 'float', $3, 'test')", [newId(), tagPath, assetId]);
      await tag("SITE1/WELL-7/OIL_RATE", "WELL-7"); // by code
      await tag("SITE1/WELL-7/CHP", well); // by id
      await tag("SITE1/WELL-7/THP", "WELL-7"); // role thp taken
      await tag("SITE1/OTHER/GAS.RATE", "WELL-7"); // point GAS.RATE → role gas_rate
      await tag("SITE1/NOWHERE/X", "NO-SUCH-ASSET");
      await tag("SITE1/WELL-7/FREE", null);

      const report = await migrate(db, ALL_MIGRATIONS);
      assert.deepEqual(report.applied, [`tags/${MIGRATION}`]);
      const links = await db.query<{ role: string; tag_path: string; created_by: string }>(
        "SELECT role, tag_path, created_by FROM asset_tags WHERE asset_id = $1 ORDER BY role",
        [well],
      );
      assert.deepEqual(
        links.rows.map((row) => [row.role, row.tag_path]),
        [
          ["chp", "SITE1/WELL-7/CHP"],
          ["gas_rate", "SITE1/OTHER/GAS.RATE"],
          ["oil_rate", "SITE1/WELL-7/OIL_RATE"],
          ["thp", "SITE1/WELL-7/THP_OLD"],
        ],
      );
      const ids = await db.query<{ id: string }>("SELECT id::text AS id FROM asset_tags WHERE created_by = 'system:migration'");
      assert.equal(ids.rows.length, 3);
      assert.ok(ids.rows.every((row) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(row.id)), "UUIDv7 ids like the app's");
      const column = await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'tags' AND column_name = 'asset_id'");
      assert.equal(column.rowCount, 0);
    });
  });
}
