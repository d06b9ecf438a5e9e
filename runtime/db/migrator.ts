import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database, Queryable } from "./database.js";

/** A module's migrations: ordered `NNNN_name.sql` files in one directory. */
export interface MigrationSource {
  module: string;
  dir: string;
}

export interface MigrationFile {
  module: string;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`Migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

export function readMigrations(sources: readonly MigrationSource[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  const seenModules = new Set<string>();
  for (const source of sources) {
    if (seenModules.has(source.module)) throw new Error(`Migration module ${source.module} registered twice`);
    seenModules.add(source.module);
    // A missing directory is a broken build or install, not "no migrations":
    // starting without them would fail later with a confusing SQL error.
    if (!fs.existsSync(source.dir)) throw new Error(`migrations of module ${source.module} not found at ${source.dir}`);
    const names = fs.readdirSync(source.dir).filter((name) => name.endsWith(".sql")).sort();
    for (const name of names) {
      const file = path.join(source.dir, name);
      if (!MIGRATION_NAME.test(name)) {
        throw new Error(`Migration file ${file} is not named NNNN_lower_snake.sql`);
      }
      const sql = fs.readFileSync(file, "utf8");
      files.push({ module: source.module, name, file, sql, checksum: createHash("sha256").update(sql).digest("hex") });
    }
  }
  return files;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  module text NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (module, name)
)`;

// Any constant shared by all Petroflow processes: serialises migrators on a
// shared PostgreSQL so two starting processes never race.
const MIGRATION_LOCK_KEY = 7_246_100_001;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in order, each in its own transaction with its
 * ledger row, so a failing file leaves the schema as it was before that file
 * and names the file. An applied file whose text changed is refused: the
 * schema would no longer match what the file says.
 */
export interface MigrateOptions {
  /**
   * Applies only the files this accepts (a restore first rebuilds the schema
   * a backup was taken at, then loads its rows, then migrates forward).
   */
  include?: (file: MigrationFile) => boolean;
}

export async function migrate(db: Database, sources: readonly MigrationSource[], options: MigrateOptions = {}): Promise<MigrationReport> {
  const files = readMigrations(sources).filter((file) => options.include?.(file) ?? true);
  await db.query(LEDGER);
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const migration of files) {
    const label = `${migration.module}/${migration.name}`;
    try {
      const applied = await db.transaction(async (tx) => {
        if (db.kind === "postgres") await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        const existing = await tx.query<{ checksum: string }>(
          "SELECT checksum FROM schema_migrations WHERE module = $1 AND name = $2",
          [migration.module, migration.name],
        );
        const row = existing.rows[0];
        if (row) {
          if (row.checksum !== migration.checksum) {
            throw new Error(`it was applied with different contents (checksum ${row.checksum.slice(0, 12)}); write a new migration instead of editing an applied one`);
          }
          return false;
        }
        await tx.exec(migration.sql);
        await tx.query("INSERT INTO schema_migrations (module, name, checksum) VALUES ($1, $2, $3)", [
          migration.module,
          migration.name,
          migration.checksum,
        ]);
        return true;
      });
      if (applied) report.applied.push(label);
      else report.alreadyApplied++;
    } catch (error) {
      throw new MigrationError(path.relative(process.cwd(), migration.file) || label, error);
    }
  }
  return report;
}

export interface AppliedMigration {
  module: string;
  name: string;
  checksum: string;
}

/** The migrations recorded in the ledger, or none when there is no ledger yet (an empty database). */
export async function appliedMigrations(db: Queryable): Promise<AppliedMigration[]> {
  const ledger = await db.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!ledger.rows[0]?.exists) return [];
  const result = await db.query<AppliedMigration>("SELECT module, name, checksum FROM schema_migrations ORDER BY module, name");
  return result.rows;
}

/** The files of `sources` not yet applied to the database. */
export async function pendingMigrations(db: Queryable, sources: readonly MigrationSource[]): Promise<MigrationFile[]> {
  const applied = new Set((await appliedMigrations(db)).map((row) => `${row.module}/${row.name}`));
  return readMigrations(sources).filter((file) => !applied.has(`${file.module}/${file.name}`));
}
