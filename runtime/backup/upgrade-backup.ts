import fs from "node:fs";
import path from "node:path";
import type { Database } from "../db/database.js";
import { appliedMigrations, pendingMigrations, type MigrationSource } from "../db/migrator.js";
import { createBackup, type BackupManifest } from "./site-backup.js";

export const UPGRADE_BACKUP_DIR = "backups";
const PREFIX = "pre-upgrade-";

export interface UpgradeBackupOptions {
  db: Database;
  dataDir: string;
  siteId: string;
  secretSource: BackupManifest["secretSource"];
  sources: readonly MigrationSource[];
  /** Automatic backups kept; 0 turns them off. */
  keep: number;
}

/**
 * The rollback path of an upgrade: before migrations change a database
 * that already has a schema, the site writes a backup of it to
 * <dataDir>/backups. Rolling back is installing the previous release and
 * restoring that file with `petroflow restore --force` (docs/upgrading.md).
 * Returns the file, or null when nothing was pending (or keep is 0).
 */
export async function backupBeforeUpgrade(options: UpgradeBackupOptions): Promise<string | null> {
  if (options.keep === 0) return null;
  if ((await appliedMigrations(options.db)).length === 0) return null;
  const pending = await pendingMigrations(options.db, options.sources);
  if (pending.length === 0) return null;
  const dir = path.join(options.dataDir, UPGRADE_BACKUP_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const file = path.join(dir, `${PREFIX}${stamp}.tar.gz`);
  await createBackup({ db: options.db, dataDir: options.dataDir, siteId: options.siteId, secretSource: options.secretSource, file, actor: "upgrade" });
  const older = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(PREFIX))
    .sort()
    .reverse()
    .slice(options.keep);
  for (const name of older) fs.rmSync(path.join(dir, name), { force: true });
  return file;
}
