import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { BackupError, createBackup, inspectBackup, restoreBackup } from "../../../../runtime/backup/site-backup.js";
import { backupBeforeUpgrade } from "../../../../runtime/backup/upgrade-backup.js";
import type { Database } from "../../../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { appliedMigrations, migrate, readMigrations, type MigrationFile, type MigrationSource } from "../../../../runtime/db/migrator.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { insertTag, storeSamples } from "../../../helpers/history-samples.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const SITE = "SITE1";
const TAG_ID = "0193a3c0-0000-7000-8000-0000000000b1";
// Two UTC days, so history sits on two partitions the restore must recreate.
const FROM = Date.parse("2026-12-06T23:00:00Z");
/**
 * The migrations the release before this one did not have (git log: the
 * newest files added). A database built without them is the previous
 * release's schema; each is the last of its module, so the rest stays a
 * valid prefix in every module.
 */
const NEWER_MIGRATIONS = ["procurement/0002_receipts_invoices.sql", "auth/0002_user_grants.sql", "maintenance/0003_failure_codes.sql"];
const label = (migration: Pick<MigrationFile, "module" | "name">) => `${migration.module}/${migration.name}`;
const inPreviousRelease = (migration: MigrationFile) => !NEWER_MIGRATIONS.includes(label(migration));

/** The previous release's install: this release's migration directories without the newer files. */
function previousRelease(work: string): MigrationSource[] {
  return ALL_MIGRATIONS.map((source) => {
    const dir = path.join(work, "previous-release", source.module);
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(source.dir)) {
      if (!NEWER_MIGRATIONS.includes(`${source.module}/${name}`)) fs.copyFileSync(path.join(source.dir, name), path.join(dir, name));
    }
    return { module: source.module, dir };
  });
}

/** Row count and a checksum of every table's contents, and every sequence's position. */
async function fingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_migrations'`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    // The backup and restore audit themselves: those rows are the only ones allowed to differ.
    const where = name === "audit_log" ? "WHERE action NOT IN ('site.backup', 'site.restore')" : "";
    const row = await db.query<{ n: string; h: string }>(
      `SELECT count(*)::text AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS h
         FROM (SELECT row_to_json(t)::text AS r FROM "${name}" t ${where}) s`,
    );
    result[name] = `${row.rows[0]?.n} ${row.rows[0]?.h}`;
  }
  const sequences = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'S'`,
  );
  for (const { name } of sequences.rows) {
    const row = await db.query<{ v: string }>(`SELECT last_value::text || ' ' || is_called::text AS v FROM "${name}"`);
    result[`sequence ${name}`] = row.rows[0]?.v ?? "";
  }
  return result;
}

/** Rows in tables every release since the first has: what the upgrade test writes before upgrading. */
async function writeSiteData(db: Database): Promise<void> {
  await insertTag(db, TAG_ID, `${SITE}/WELL-101/THP`, "float", "kPa");
  await storeSamples(
    db,
    TAG_ID,
    Array.from({ length: 240 }, (_, index) => ({ t: FROM + index * 30_000, v: 1000 + index / 7, q: index % 50 === 0 ? "uncertain" : "good" }) as const),
  );
  await db.query(
    `INSERT INTO users (id, site_id, username, password_hash, role, created_by) VALUES ($1, $2, 'operadora', 'scrypt$x', 'operator', 'test')`,
    ["0193a3c0-0000-7000-8000-0000000000c1", SITE],
  );
  await new AuditService(db, SITE).record({ actor: "test", action: "user.create", entityType: "user", entityId: "operadora", details: { note: "ñandú \u00e9 \"quoted\"" } });
  await db.query("SELECT nextval('procurement_purchase_order_number_seq'), nextval('procurement_purchase_order_number_seq')");
}

function writeDataDir(dir: string): void {
  fs.mkdirSync(path.join(dir, "spool", "historian"), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, "secret.key"), "a".repeat(64), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "spool", "historian", "00000001.seg"), Buffer.from([1, 2, 3, 0, 255]));
  fs.writeFileSync(path.join(dir, "spool", "historian", "spool.lock"), "12345");
  fs.mkdirSync(path.join(dir, "pglite"), { recursive: true });
  fs.writeFileSync(path.join(dir, "pglite", "PG_VERSION"), "17");
}

/** Rewrites a plain backup after `change` edits its extracted contents (the manifest's checksums untouched). */
async function tamper(file: string, out: string, change: (dir: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-tamper-"));
  await tar.x({ file, cwd: dir });
  change(dir);
  const members = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
  await tar.c({ file: out, cwd: dir, gzip: true, portable: true }, members);
  fs.rmSync(dir, { recursive: true, force: true });
}

for (const target of databaseTargets) {
  describe(`site backup and restore (${target.name})`, function () {
    this.timeout(120_000);
    const open: TestDatabase[] = [];
    let work: string;

    const fresh = async (): Promise<Database> => {
      const created = await target.create();
      open.push(created);
      return created.db;
    };
    const dir = (name: string) => {
      const made = path.join(work, name);
      fs.mkdirSync(made, { recursive: true, mode: 0o700 });
      return made;
    };

    before(function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
    });
    beforeEach(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-backup-test-"));
    });
    afterEach(async () => {
      for (const db of open.splice(0)) await db.drop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it("round-trips every table, sequence, partition and data dir file, and audits both ends", async () => {
      const source = await fresh();
      await migrate(source, ALL_MIGRATIONS);
      await writeSiteData(source);
      const sourceDir = dir("source");
      writeDataDir(sourceDir);
      const before = await fingerprint(source);
      const file = path.join(work, "site.tar.gz");

      const made = await createBackup({ db: source, dataDir: sourceDir, siteId: SITE, secretSource: "key file", file, actor: "test" });
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, "the backup is owner-only");
      const members = made.manifest.members.map((member) => member.path);
      assert.ok(members.includes("files/secret.key") && members.includes("files/spool/historian/00000001.seg"), members.join(", "));
      assert.ok(!members.some((member) => member.startsWith("files/pglite") || member.endsWith(".lock")), "database files and locks stay out");
      assert.equal(made.manifest.tables.find((table) => table.name === "history")?.rows, 240);
      assert.equal(made.manifest.partitions.length, 2, "two daily history partitions");
      const backupAudit = await source.query("SELECT 1 FROM audit_log WHERE action = 'site.backup' AND actor = 'test'");
      assert.equal(backupAudit.rowCount, 1);

      const target2 = await fresh();
      const targetDir = dir("target");
      const restored = await restoreBackup({ db: target2, dataDir: targetDir, siteId: SITE, file, force: false, sources: ALL_MIGRATIONS, actor: "test" });
      assert.deepEqual(restored.migratedForward, [], "same release: nothing to migrate forward");
      assert.deepEqual(await fingerprint(target2), before);
      assert.ok(Object.values(before).some((value) => !value.startsWith("0 ")), "the fingerprint covers rows");
      assert.deepEqual(fs.readFileSync(path.join(targetDir, "spool", "historian", "00000001.seg")), Buffer.from([1, 2, 3, 0, 255]));
      assert.equal(fs.readFileSync(path.join(targetDir, "secret.key"), "utf8"), "a".repeat(64));
      const restoreAudit = await target2.query("SELECT 1 FROM audit_log WHERE action = 'site.restore'");
      assert.equal(restoreAudit.rowCount, 1);
      // The sequence goes on from where it was, not from 1.
      const next = await target2.query<{ n: string }>("SELECT nextval('procurement_purchase_order_number_seq')::text AS n");
      assert.equal(next.rows[0]?.n, "3");
    });

    it("refuses a corrupt file, a changed member, a newer schema and a non-empty target", async () => {
      const source = await fresh();
      await migrate(source, ALL_MIGRATIONS);
      await writeSiteData(source);
      const file = path.join(work, "site.tar.gz");
      const sourceDir = dir("source");
      writeDataDir(sourceDir);
      await createBackup({ db: source, dataDir: sourceDir, siteId: SITE, secretSource: "key file", file, actor: "test" });

      const flipped = path.join(work, "flipped.tar.gz");
      const bytes = fs.readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      fs.writeFileSync(flipped, bytes);
      await assert.rejects(inspectBackup(flipped), BackupError);

      const edited = path.join(work, "edited.tar.gz");
      await tamper(file, edited, (extracted) => fs.appendFileSync(path.join(extracted, "db", "users.jsonl"), "{\"id\":\"x\"}\n"));
      await assert.rejects(inspectBackup(edited), /db\/users\.jsonl does not match its checksum/);

      const newer = path.join(work, "newer.tar.gz");
      await tamper(file, newer, (extracted) => {
        const manifestFile = path.join(extracted, "manifest.json");
        const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { migrations: { module: string; name: string; checksum: string }[] };
        manifest.migrations.push({ module: "production", name: "9999_from_the_future.sql", checksum: "0".repeat(64) });
        fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      });
      const empty = await fresh();
      await assert.rejects(
        restoreBackup({ db: empty, dataDir: dir("newer"), siteId: SITE, file: newer, force: false, sources: ALL_MIGRATIONS, actor: "test" }),
        /newer schema \(migration production\/9999_from_the_future\.sql/,
      );
      assert.deepEqual(await appliedMigrations(empty), [], "a refused restore changes nothing");

      await assert.rejects(
        restoreBackup({ db: source, dataDir: dir("busy"), siteId: SITE, file, force: false, sources: ALL_MIGRATIONS, actor: "test" }),
        /not empty; use --force/,
      );
      await assert.rejects(
        restoreBackup({ db: empty, dataDir: dir("other"), siteId: "SITE2", file, force: false, sources: ALL_MIGRATIONS, actor: "test" }),
        /backup of site SITE1, and this is site SITE2/,
      );
    });

    it("seals with a passphrase: no clear text in the file, a wrong passphrase refused", async () => {
      const source = await fresh();
      await migrate(source, ALL_MIGRATIONS);
      await writeSiteData(source);
      const sourceDir = dir("source");
      writeDataDir(sourceDir);
      const before = await fingerprint(source);
      const file = path.join(work, "site.pfbak");
      await createBackup({ db: source, dataDir: sourceDir, siteId: SITE, secretSource: "key file", file, passphrase: "correct horse battery", actor: "test" });
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      // gzip would hide the text anyway: what matters is that tar cannot read it.
      await assert.rejects(tar.t({ file, strict: true }));
      await assert.rejects(inspectBackup(file), /sealed with a passphrase/);
      await assert.rejects(inspectBackup(file, "wrong horse battery"), /wrong passphrase/);
      const target2 = await fresh();
      await restoreBackup({ db: target2, dataDir: dir("target"), siteId: SITE, file, passphrase: "correct horse battery", force: false, sources: ALL_MIGRATIONS, actor: "test" });
      assert.deepEqual(await fingerprint(target2), before);
    });

    it("upgrades the previous release's database with a backup first, and rolls back by restoring it", async () => {
      const known = readMigrations(ALL_MIGRATIONS).map(label);
      for (const name of NEWER_MIGRATIONS) assert.ok(known.includes(name), `${name} is one of this release's migrations`);
      const db = await fresh();
      const dataDir = dir("site");
      writeDataDir(dataDir);
      await migrate(db, ALL_MIGRATIONS, { include: inPreviousRelease });
      await writeSiteData(db);
      const previous = await fingerprint(db);
      const previousLedger = (await appliedMigrations(db)).map(label);

      // Start of the new release: pending migrations, so a backup first.
      const upgradeBackup = await backupBeforeUpgrade({ db, dataDir, siteId: SITE, secretSource: "key file", sources: ALL_MIGRATIONS, keep: 2 });
      assert.ok(upgradeBackup && fs.existsSync(upgradeBackup), "a backup before upgrading");
      const upgraded = await migrate(db, ALL_MIGRATIONS);
      assert.deepEqual([...upgraded.applied].sort(), [...NEWER_MIGRATIONS].sort());
      assert.equal(await backupBeforeUpgrade({ db, dataDir, siteId: SITE, secretSource: "key file", sources: ALL_MIGRATIONS, keep: 2 }), null, "nothing pending: no backup");
      const after = await fingerprint(db);
      for (const table of ["history", "tags", "users"]) assert.equal(after[table], previous[table], `${table} kept by the upgrade`);
      // The site runs on the new release and writes more.
      await db.query(`INSERT INTO users (id, site_id, username, password_hash, role, created_by) VALUES ($1, $2, 'nuevo', 'scrypt$y', 'viewer', 'test')`, [
        "0193a3c0-0000-7000-8000-0000000000c2",
        SITE,
      ]);

      // Rollback: the previous release, installed with its own migrations, restores the backup over the upgraded database.
      const rolledBack = await restoreBackup({ db, dataDir, siteId: SITE, file: upgradeBackup, force: true, sources: previousRelease(work), actor: "test" });
      assert.deepEqual(rolledBack.migratedForward, []);
      assert.deepEqual((await appliedMigrations(db)).map(label).sort(), [...previousLedger].sort(), "the previous release's schema");
      const grants = await db.query<{ t: string | null }>("SELECT to_regclass('user_grants')::text AS t");
      assert.equal(grants.rows[0]?.t, null, "a table only the new release has is gone");
      assert.deepEqual(await fingerprint(db), previous, "every table as it was before the upgrade");

      // The same file restored by the new release migrates forward.
      const elsewhere = await fresh();
      const forward = await restoreBackup({ db: elsewhere, dataDir: dir("elsewhere"), siteId: SITE, file: upgradeBackup, force: false, sources: ALL_MIGRATIONS, actor: "test" });
      assert.deepEqual([...forward.migratedForward].sort(), [...NEWER_MIGRATIONS].sort());
      const forwardFingerprint = await fingerprint(elsewhere);
      for (const table of ["history", "tags", "users"]) assert.equal(forwardFingerprint[table], previous[table], `${table} carried forward`);
    });
  });
}

describe("site backup from PGlite restored on PostgreSQL (moving a site to a server)", function () {
  this.timeout(180_000);
  const [pglite, postgres] = databaseTargets;
  const open: TestDatabase[] = [];
  let work: string;

  before(function () {
    if (postgres?.unavailable) skipWithReason(this, postgres.unavailable);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-backup-move-"));
  });
  after(async () => {
    for (const db of open.splice(0)) await db.drop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("carries every table's rows and the sequences across backends", async () => {
    assert.ok(pglite && postgres && pglite.name === "pglite" && postgres.name === "postgres");
    const source = await pglite.create();
    open.push(source);
    await migrate(source.db, ALL_MIGRATIONS);
    await writeSiteData(source.db);
    const before = await fingerprint(source.db);
    const file = path.join(work, "move.tar.gz");
    const sourceDir = path.join(work, "source");
    writeDataDir(sourceDir);
    await createBackup({ db: source.db, dataDir: sourceDir, siteId: SITE, secretSource: "key file", file, actor: "test" });
    const server = await postgres.create();
    open.push(server);
    await restoreBackup({ db: server.db, dataDir: path.join(work, "server"), siteId: SITE, file, force: false, sources: ALL_MIGRATIONS, actor: "test" });
    assert.deepEqual(await fingerprint(server.db), before);
  });
});
