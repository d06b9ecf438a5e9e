import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Type, type Static } from "@sinclair/typebox";
import * as tar from "tar";
import { AuditService } from "../audit/audit-service.js";
import type { Database } from "../db/database.js";
import { migrate, readMigrations, type MigrationSource } from "../db/migrator.js";
import { PROJECT_ROOT } from "../paths.js";
import { checkInput } from "../input/schema-check.js";
import { SECRET_KEY_FILE } from "../secrets.js";
import { isSealed, seal, unseal } from "./backup-crypto.js";
import { dumpDatabase, emptySchema, loadDatabase, schemaHasTables } from "./database-dump.js";

/**
 * One file a technician carries on a USB stick: a tar holding manifest.json,
 * db/ (the logical dump, runtime/backup/database-dump.ts) and files/ (the
 * data dir: the secret key, Node-RED's user dir, the spools, the OPC UA
 * certificates). Flows and Node-RED's credentials live in the database.
 * Optionally sealed with a passphrase (backup-crypto.ts). docs/backup-restore.md.
 */
export const BACKUP_FORMAT = "petroflow-backup";
export const BACKUP_FORMAT_VERSION = 1;

/** Data dir entries a backup leaves out: the database files (dumped logically), older backups, locks. */
const EXCLUDED_TOP = new Set(["pglite", "backups", "petroflow.lock"]);

const ManifestSchema = Type.Object({
  format: Type.Literal(BACKUP_FORMAT),
  formatVersion: Type.Integer({ minimum: 1 }),
  appVersion: Type.String(),
  siteId: Type.String(),
  createdAt: Type.String(),
  databaseKind: Type.Union([Type.Literal("pglite"), Type.Literal("postgres")]),
  // "none": the site never started, so it has no key file (and no credentials) yet.
  secretSource: Type.Union([Type.Literal("key file"), Type.Literal("PETROFLOW_SECRET"), Type.Literal("none")]),
  migrations: Type.Array(Type.Object({ module: Type.String(), name: Type.String(), checksum: Type.String() })),
  tables: Type.Array(Type.Object({ name: Type.String(), columns: Type.Array(Type.String()), rows: Type.Integer({ minimum: 0 }), file: Type.String() })),
  sequences: Type.Array(Type.Object({ name: Type.String(), lastValue: Type.String(), isCalled: Type.Boolean() })),
  partitions: Type.Array(Type.Object({ name: Type.String(), parent: Type.String(), bound: Type.String() })),
  members: Type.Array(Type.Object({ path: Type.String(), bytes: Type.Integer({ minimum: 0 }), sha256: Type.String() })),
});

export type BackupManifest = Static<typeof ManifestSchema>;

/** A refused backup or restore: the CLI prints the message, without a stack. */
export class BackupError extends Error {}

export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

function sha256File(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** Regular files under `root`, as POSIX paths relative to it, sorted. */
function listFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(root, full));
    else if (entry.isFile()) files.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return files.sort();
}

function includedInBackup(dataDir: string, source: string): boolean {
  const relative = path.relative(dataDir, source);
  if (relative === "") return true;
  const top = relative.split(path.sep)[0] ?? "";
  if (EXCLUDED_TOP.has(top)) return false;
  // Spool and other pid locks belong to the process that holds them.
  return !relative.endsWith(".lock");
}

/** Data dir entries a restore would replace: present means the target is not empty. */
function dataDirEntries(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) return [];
  return fs.readdirSync(dataDir).filter((name) => includedInBackup(dataDir, path.join(dataDir, name)));
}

/** Where the site's secret comes from, as a backup records it. */
export function secretSourceOf(dataDir: string, envSecret: string | undefined): BackupManifest["secretSource"] {
  if (envSecret) return "PETROFLOW_SECRET";
  return fs.existsSync(path.join(dataDir, SECRET_KEY_FILE)) ? "key file" : "none";
}

function stagingDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-backup-"));
}

export interface BackupOptions {
  db: Database;
  dataDir: string;
  siteId: string;
  secretSource: BackupManifest["secretSource"];
  /** The backup file to write; refused when it exists. */
  file: string;
  /** Seal the file with this passphrase (AES-256-GCM, scrypt). */
  passphrase?: string;
  actor: string;
}

export interface BackupResult {
  manifest: BackupManifest;
  file: string;
  bytes: number;
  sha256: string;
}

/** Writes a backup of the site; the file is mode 0600 and appears whole or not at all. */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const file = path.resolve(options.file);
  if (fs.existsSync(file)) throw new BackupError(`${file} exists; choose a new file name`);
  const staging = stagingDir();
  const partial = `${file}.partial-${process.pid}`;
  try {
    const dump = await dumpDatabase(options.db, path.join(staging, "db"));
    const filesDir = path.join(staging, "files");
    fs.mkdirSync(filesDir, { mode: 0o700 });
    if (fs.existsSync(options.dataDir)) {
      fs.cpSync(options.dataDir, filesDir, {
        recursive: true,
        filter: (source) => {
          if (!includedInBackup(options.dataDir, source)) return false;
          const stats = fs.lstatSync(source, { throwIfNoEntry: false });
          return stats !== undefined && (stats.isDirectory() || stats.isFile());
        },
      });
    }
    const members = listFiles(staging).map((member) => {
      const full = path.join(staging, member);
      return { path: member, bytes: fs.statSync(full).size, sha256: sha256File(full) };
    });
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion: appVersion(),
      siteId: options.siteId,
      createdAt: new Date().toISOString(),
      databaseKind: dump.kind,
      secretSource: options.secretSource,
      migrations: dump.migrations,
      tables: dump.tables,
      sequences: dump.sequences,
      partitions: dump.partitions,
      members,
    };
    fs.writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const tarFile = options.passphrase ? path.join(staging, "backup.tar") : partial;
    // Created 0600 first: the archive holds the site's secret key.
    fs.writeFileSync(tarFile, "", { mode: 0o600 });
    await tar.c({ file: tarFile, cwd: staging, portable: true, gzip: { level: 6 } }, ["manifest.json", ...members.map((member) => member.path)]);
    if (options.passphrase) await seal(tarFile, partial, options.passphrase);
    fs.renameSync(partial, file);
    const sha256 = sha256File(file);
    const bytes = fs.statSync(file).size;
    await new AuditService(options.db, options.siteId).record({
      actor: options.actor,
      action: "site.backup",
      details: { file: path.basename(file), bytes, sha256, sealed: Boolean(options.passphrase), tables: manifest.tables.length, rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0) },
    });
    return { manifest, file, bytes, sha256 };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Opens (and when sealed, decrypts) a backup into a staging dir and checks every member. */
async function openBackup(file: string, staging: string, passphrase: string | undefined): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  let tarFile = file;
  if (isSealed(file)) {
    if (!passphrase) throw new BackupError(`${file} is sealed with a passphrase: set PETROFLOW_BACKUP_PASSPHRASE or use --passphrase-stdin`);
    tarFile = path.join(staging, "backup.tar");
    await unseal(file, tarFile, passphrase).catch((error: unknown) => {
      throw new BackupError((error as Error).message);
    });
  }
  const content = path.join(staging, "content");
  fs.mkdirSync(content, { mode: 0o700 });
  try {
    // strict: a damaged archive is an error, not a warning; node-tar refuses
    // absolute paths and `..` unless told otherwise.
    await tar.x({ file: tarFile, cwd: content, strict: true, preserveOwner: false });
  } catch (error) {
    throw new BackupError(`${file} is not a readable Petroflow backup (${(error as Error).message})`);
  }
  const manifestFile = path.join(content, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new BackupError(`${file} has no manifest.json: not a Petroflow backup`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch {
    throw new BackupError(`${file}: manifest.json is not JSON`);
  }
  const checked = checkInput(ManifestSchema, parsed, "manifest");
  if ("problem" in checked) throw new BackupError(`${file}: manifest field ${checked.problem.field} is ${checked.problem.reason}`);
  const manifest = checked.value;
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`${file} has backup format ${manifest.formatVersion}, written by a newer Petroflow (${manifest.appVersion}); this one reads up to ${BACKUP_FORMAT_VERSION}`);
  }
  const listed = new Set(manifest.members.map((member) => member.path));
  for (const member of manifest.members) {
    const full = path.join(content, member.path);
    if (!fs.existsSync(full)) throw new BackupError(`${file} is corrupt: ${member.path} is missing`);
    if (sha256File(full) !== member.sha256) throw new BackupError(`${file} is corrupt: ${member.path} does not match its checksum`);
  }
  for (const member of listFiles(content)) {
    if (member !== "manifest.json" && !listed.has(member)) throw new BackupError(`${file} is corrupt: ${member} is not in its manifest`);
  }
  if (manifest.secretSource === "key file" && !listed.has(`files/${SECRET_KEY_FILE}`)) {
    throw new BackupError(`${file} should hold the site's ${SECRET_KEY_FILE} and does not; Node-RED credentials cannot be decrypted without it`);
  }
  for (const table of manifest.tables) {
    if (!listed.has(`db/${table.file}`)) throw new BackupError(`${file} is corrupt: the rows of ${table.name} are missing`);
  }
  return manifest;
}

/** Reads and checks a backup without touching the site (`petroflow backup --verify`, tests). */
export async function inspectBackup(file: string, passphrase?: string): Promise<BackupManifest> {
  const staging = stagingDir();
  try {
    return await openBackup(path.resolve(file), staging, passphrase);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  db: Database;
  dataDir: string;
  siteId: string;
  file: string;
  passphrase?: string;
  /** Replace a database or data dir that is not empty, and accept another site's backup. */
  force: boolean;
  /** The migrations this release knows (ALL_MIGRATIONS). */
  sources: readonly MigrationSource[];
  actor: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations run after loading an older backup's rows. */
  migratedForward: string[];
  rows: number;
}

/**
 * Restores a backup: checks it whole first (checksums, schema versions),
 * rebuilds the schema with exactly the migrations the backup was taken at,
 * loads its rows, runs the newer migrations forward, and writes the data
 * dir files. The site must be stopped (PGlite enforces it with the data dir lock).
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const file = path.resolve(options.file);
  const staging = stagingDir();
  try {
    const manifest = await openBackup(file, staging, options.passphrase);
    const content = path.join(staging, "content");
    const known = new Map(readMigrations(options.sources).map((migration) => [`${migration.module}/${migration.name}`, migration]));
    for (const migration of manifest.migrations) {
      const label = `${migration.module}/${migration.name}`;
      const mine = known.get(label);
      if (!mine) {
        throw new BackupError(`${file} comes from a newer schema (migration ${label} is unknown to Petroflow ${appVersion()}, the backup is from ${manifest.appVersion}); restore it with that release or newer`);
      }
      if (mine.checksum !== migration.checksum) throw new BackupError(`${file}: migration ${label} differs from this release's (checksum); refusing to restore`);
    }
    if (manifest.siteId !== options.siteId && !options.force) {
      throw new BackupError(`${file} is a backup of site ${manifest.siteId}, and this is site ${options.siteId}; use --force to restore it here anyway`);
    }
    const notEmpty = (await schemaHasTables(options.db)) || dataDirEntries(options.dataDir).length > 0;
    if (notEmpty && !options.force) {
      throw new BackupError("the target database or data dir is not empty; use --force to replace it (take a backup of it first)");
    }
    if (notEmpty) {
      await emptySchema(options.db);
      for (const name of dataDirEntries(options.dataDir)) fs.rmSync(path.join(options.dataDir, name), { recursive: true, force: true });
    }
    const atBackup = new Set(manifest.migrations.map((migration) => `${migration.module}/${migration.name}`));
    await migrate(options.db, options.sources, { include: (migration) => atBackup.has(`${migration.module}/${migration.name}`) });
    await loadDatabase(options.db, path.join(content, "db"), { ...manifest, kind: manifest.databaseKind });
    const forward = await migrate(options.db, options.sources);
    const filesDir = path.join(content, "files");
    if (fs.existsSync(filesDir)) {
      fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      fs.cpSync(filesDir, options.dataDir, { recursive: true });
    }
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    await new AuditService(options.db, options.siteId).record({
      actor: options.actor,
      action: "site.restore",
      details: { file: path.basename(file), backupSiteId: manifest.siteId, backupCreatedAt: manifest.createdAt, backupAppVersion: manifest.appVersion, rows, migratedForward: forward.applied, forced: options.force },
    });
    return { manifest, migratedForward: forward.applied, rows };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
