import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { acquireDataDirLock } from "../../../../runtime/db/data-dir-lock.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { openDatabase } from "../../../../runtime/db/open.js";
import { loadSiteSecret } from "../../../../runtime/secrets.js";
import { loadSettings } from "../../../../settings.js";

const CLI = path.resolve(__dirname, "..", "..", "..", "..", "runtime", "cli.ts");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function petroflow(args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, PETROFLOW_DEMO: "false", DATABASE_URL: "", PETROFLOW_SECRET: "", PETROFLOW_BACKUP_PASSPHRASE: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

describe("petroflow backup and restore (CLI, PGlite)", function () {
  this.timeout(300_000);
  let work: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-backup-cli-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it("backs up a stopped site to a 0600 file, restores it elsewhere, and refuses a running site and a non-empty target", async () => {
    const source = path.join(work, "source");
    const settings = loadSettings({ PETROFLOW_DATA_DIR: source, PETROFLOW_DEMO: "false" });
    const opened = await openDatabase(settings);
    try {
      await migrate(opened.db, ALL_MIGRATIONS);
    } finally {
      await opened.close();
    }
    loadSiteSecret(source, undefined, () => undefined);
    const file = path.join(work, "site.pfbak");

    // A running site holds the data dir: PGlite is one process per data dir, so the backup waits for it to stop.
    const running = acquireDataDirLock(source);
    const refused = await petroflow(["backup", file], { PETROFLOW_DATA_DIR: source });
    running.release();
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /in use by another Petroflow process/);

    const made = await petroflow(["backup", "--passphrase-stdin", file], { PETROFLOW_DATA_DIR: source }, "una frase larga\n");
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /wrote .*site\.pfbak: \d+ bytes, \d+ tables/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    const target = path.join(work, "target");
    const wrong = await petroflow(["restore", file], { PETROFLOW_DATA_DIR: target, PETROFLOW_BACKUP_PASSPHRASE: "otra frase larga" });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong passphrase/);
    const restored = await petroflow(["restore", file], { PETROFLOW_DATA_DIR: target, PETROFLOW_BACKUP_PASSPHRASE: "una frase larga" });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /restored SITE1 from .*schema already current/s);
    assert.deepEqual(fs.readFileSync(path.join(target, "secret.key")), fs.readFileSync(path.join(source, "secret.key")));

    const again = await petroflow(["restore", file], { PETROFLOW_DATA_DIR: target, PETROFLOW_BACKUP_PASSPHRASE: "una frase larga" });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty; use --force/);
  });
});
