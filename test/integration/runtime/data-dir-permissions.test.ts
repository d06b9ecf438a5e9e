import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startSiteProcess, type SiteProcess } from "../../helpers/site-process.js";
import { adminClient, loadFixture, tempDir } from "../support.js";

interface Entry {
  path: string;
  mode: number;
  directory: boolean;
}

/** Every file and directory under dir (the dir itself included), with its permission bits. */
function entriesUnder(dir: string): Entry[] {
  const entries: Entry[] = [{ path: dir, mode: fs.statSync(dir).mode & 0o777, directory: true }];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) entries.push(...entriesUnder(full));
    else if (entry.isFile()) entries.push({ path: full, mode: fs.statSync(full).mode & 0o777, directory: false });
  }
  return entries;
}

/** Entries that group or others may read, write or enter. */
function looseEntries(dir: string): string[] {
  return entriesUnder(dir)
    .filter((entry) => (entry.mode & 0o077) !== 0)
    .map((entry) => `${entry.mode.toString(8)} ${path.relative(dir, entry.path) || "."}`);
}

const LOOSE_WARNING = /readable by other users/;

/**
 * The data dir holds the database (PGlite), the site secret and Node-RED's
 * user dir: only the service user may read it, whatever the umask it was
 * started with.
 */
describe("data dir permissions (PGlite)", function () {
  this.timeout(180_000);
  const dataDir = path.join(tempDir("petroflow-perms-"), "data");
  let site: SiteProcess | undefined;

  after(async function () {
    this.timeout(30_000);
    await site?.stop();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it("creates every directory 0700 and every file owner-only, PGlite's included, and keeps them so while it runs", async () => {
    // The test runner's umask (usually 022) is what a service would start with.
    assert.notEqual(process.umask() & 0o077, 0o077, "this test needs a umask that lets group or others read");
    site = await startSiteProcess({ backend: "pglite", dataDir });
    const admin = await adminClient(site.url);
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...loadFixture("tag-writer")], message: "writes" }, 201);
    await admin.json("POST", "/api/v1/users", { username: "perm-user", role: "viewer", password: "perm-user-password" }, 201);
    assert.equal(await site.stop(), 0);

    const entries = entriesUnder(dataDir);
    const pgliteFiles = entries.filter((entry) => !entry.directory && entry.path.includes(`${path.sep}pglite${path.sep}`));
    assert.ok(pgliteFiles.length > 500, `PGlite's files are checked too (${pgliteFiles.length})`);
    assert.ok(entries.some((entry) => entry.path.endsWith("secret.key")), "the key file is there");
    assert.deepEqual(looseEntries(dataDir), []);
    assert.equal((fs.statSync(dataDir).mode & 0o777).toString(8), "700");
    assert.doesNotMatch(site.output(), LOOSE_WARNING, "a fresh data dir is not reported");
  });

  it("warns at start about a data dir others can read, and tightens it", async () => {
    for (const entry of entriesUnder(dataDir)) fs.chmodSync(entry.path, entry.directory ? 0o755 : 0o644);
    fs.chmodSync(path.join(dataDir, "secret.key"), 0o600);
    site = await startSiteProcess({ backend: "pglite", dataDir });
    assert.equal(await site.stop(), 0);
    const warning = site
      .output()
      .split("\n")
      .find((line) => LOOSE_WARNING.test(line));
    assert.ok(warning, "a warning at start");
    const logged = JSON.parse(warning) as { level: number; loose: number; dataDir: string };
    assert.equal(logged.level, 40, "logged as a warning");
    assert.equal(logged.dataDir, dataDir);
    assert.ok(logged.loose > 500, `it counts what it found (${logged.loose})`);
    assert.deepEqual(looseEntries(dataDir), []);
  });
});
