import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSettings } from "../../settings.js";
import type { Database } from "../../runtime/db/database.js";
import { openDatabase } from "../../runtime/db/open.js";
import { migrate } from "../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../runtime/db/migration-sources.js";
import { createPostgresDatabase } from "./databases.js";
import { freePort } from "./free-port.js";

const ROOT = path.resolve(__dirname, "..", "..");
export const MAIN_JS = path.join(ROOT, "dist", "runtime", "main.js");
export const ADMIN_PASSWORD = "admin-test-password";

export interface SiteProcess {
  url: string;
  dataDir: string;
  /** The PostgreSQL database the process runs on (postgres backend), for a test that reads it beside the site. */
  databaseUrl?: string;
  child: ChildProcess;
  /** Every log line the process printed so far. */
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Stops the process and removes its data dir and database. */
  dispose(): Promise<void>;
}

export interface SiteProcessOptions {
  backend: "pglite" | "postgres";
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
  databaseUrl?: string;
  readyTimeoutMs?: number;
  /**
   * Run PGlite's initdb and every migration in the site process, as a real first start does. Without it a
   * new PGlite data dir starts from a copy of one this test process initialised and migrated once
   * (docs/testing.md, "The migrated PGlite template"); a given dataDir or PostgreSQL is never templated.
   */
  coldStart?: boolean;
}

/**
 * Site processes of this test process that have not exited. A test whose
 * hook timed out never gets to stop its site, and neither mocha's `exit`
 * nor the end of a parallel-mode worker ends a child process: without this
 * the site would run on after the test run, and slow every test after it.
 */
/**
 * A bound, not a wait: a site is ready in a few seconds on an idle machine, but test files run side by side
 * (docs/testing.md) and a loaded 2-core machine has taken over 60 s to start the demo.
 */
const READY_TIMEOUT_MS = 120_000;

const runningChildren = new Set<ChildProcess>();
let pgliteTemplateDir: string | undefined;
process.once("exit", () => {
  for (const child of runningChildren) child.kill("SIGKILL");
  if (pgliteTemplateDir) fs.rmSync(pgliteTemplateDir, { recursive: true, force: true });
});

let pgliteTemplate: Promise<string> | undefined;

/**
 * A PGlite cluster, initdb'd and migrated by the same code a site's first start runs, made once per test
 * process: initdb and the migrations were three quarters of a plain site's start (33 of 42 s at load 23;
 * docs/testing.md), paid again by every test that starts a site on a new data dir.
 */
function migratedPGliteTemplate(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-pglite-template-"));
    pgliteTemplateDir = dir;
    const opened = await openDatabase(loadSettings({}, { dataDir: dir }));
    try {
      await migrate(opened.db, ALL_MIGRATIONS);
    } finally {
      await opened.close();
    }
    return path.join(dir, "pglite");
  })().catch((error: unknown) => {
    // The next site tries again rather than every later file failing on one bad moment.
    if (pgliteTemplateDir) fs.rmSync(pgliteTemplateDir, { recursive: true, force: true });
    pgliteTemplateDir = undefined;
    pgliteTemplate = undefined;
    throw error;
  });
  return pgliteTemplate;
}

/** Owner-only, as a site leaves its data dir (tightenDataDir; PGlite writes its files 0666): a copy must not look loose at start. */
function ownerOnly(target: string): void {
  const stats = fs.lstatSync(target);
  if (stats.isSymbolicLink()) return;
  fs.chmodSync(target, stats.mode & 0o700);
  if (stats.isDirectory()) for (const entry of fs.readdirSync(target)) ownerOnly(path.join(target, entry));
}

/**
 * Starts the built site (dist/runtime/main.js) as a real process on a free
 * port and waits for its "Petroflow ready" log line. A site that is not
 * ready in time is killed, and its data dir and database removed.
 */
export async function startSiteProcess(options: SiteProcessOptions): Promise<SiteProcess> {
  if (!fs.existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run npm run build first`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-site-"));
  if (options.backend === "pglite" && !options.dataDir && !options.databaseUrl && !options.coldStart) {
    const pglite = path.join(dataDir, "pglite");
    fs.cpSync(await migratedPGliteTemplate(), pglite, { recursive: true });
    ownerOnly(pglite);
  }
  let database: { url: string; drop(): Promise<void> } | undefined;
  let databaseUrl = options.databaseUrl;
  if (options.backend === "postgres" && !databaseUrl) {
    database = await createPostgresDatabase();
    databaseUrl = database.url;
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    PORT: "0",
    HOST: "127.0.0.1",
    PETROFLOW_DATA_DIR: dataDir,
    PETROFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: "info",
    // The demo oilfield binds simulator ports; suites that want it ask for it.
    PETROFLOW_DEMO: "false",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN_JS], { env, stdio: ["ignore", "pipe", "pipe"] });
  runningChildren.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      runningChildren.delete(child);
      resolve(code);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`site did not start in time:\n${output}`)), options.readyTimeoutMs ?? READY_TIMEOUT_MS);
    const check = () => {
      for (const line of output.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === "Petroflow ready" && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
            return;
          }
        } catch {
          // a partial line: wait for more output
        }
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`site exited with code ${code} before it was ready:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await ready;
    // The site serves without its demo when the demo fails to start (a busy simulator port): a test that
    // asked for the demo would then fail far away, on a missing tag; fail here, with the reason.
    if (env.PETROFLOW_DEMO === "true" && !output.includes('"msg":"demo oilfield running"')) {
      throw new Error(`the site is ready but its demo oilfield did not start:\n${output.slice(-6000)}`);
    }
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    throw error;
  }
  let stopping: Promise<number | null> | undefined;
  // A site that dies on its own after it was ready fails its test with a bare "fetch failed": say why, loudly.
  child.once("exit", (code, signal) => {
    if (stopping || signal !== null || code === 0) return;
    process.stderr.write(`\n!!! site ${url} exited on its own with code ${code} after it was ready; its last output:\n${output.slice(-6000)}\n`);
  });
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    })();
    return stopping;
  };
  return {
    url,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    child,
    output: () => output,
    stop,
    async dispose() {
      await stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/**
 * The demo site as `npm start` runs it (simulated oilfield, demo assets and
 * flows) on PGlite, its simulator and MQTT broker on free ports. Without
 * the week of history a first start writes in the background (on PGlite it
 * shares the site's one thread with every request) unless a test asks for
 * it with PETROFLOW_DEMO_BACKFILL_DAYS.
 */
export async function startDemoSiteProcess(env: Record<string, string> = {}): Promise<SiteProcess> {
  return startSiteProcess({
    backend: "pglite",
    env: {
      PETROFLOW_DEMO: "true",
      PETROFLOW_SIM_MODBUS_PORT: "0",
      PETROFLOW_SIM_OPCUA_PORT: String(await freePort()),
      PETROFLOW_EMBEDDED_MQTT_PORT: "0",
      PETROFLOW_DEMO_BACKFILL_DAYS: "0",
      ...env,
    },
  });
}

/**
 * A data dir and, on PostgreSQL, a database that outlive the site processes
 * started on them: for tests that stop a site, look at or plant rows, and
 * start it again on the same data.
 */
export interface RestartableSite {
  dataDir: string;
  databaseUrl: string | undefined;
  /** A site process on this data dir and database. */
  start(options?: Pick<SiteProcessOptions, "env" | "readyTimeoutMs">): Promise<SiteProcess>;
  /** Runs use on the site's database, opened as the site opens it; on PGlite only while no site runs (one process per data dir). */
  withDatabase<T>(use: (db: Database) => Promise<T>): Promise<T>;
  /** Removes the data dir and drops the database; stop the site first. */
  dispose(): Promise<void>;
}

export async function createRestartableSite(backend: "pglite" | "postgres", prefix: string): Promise<RestartableSite> {
  const database = backend === "postgres" ? await createPostgresDatabase() : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dataDir,
    databaseUrl: database?.url,
    start: (options = {}) => startSiteProcess({ ...options, backend, dataDir, databaseUrl: database?.url }),
    async withDatabase(use) {
      const opened = await openDatabase(loadSettings({}, { dataDir, ...(database ? { databaseUrl: database.url } : {}) }));
      try {
        return await use(opened.db);
      } finally {
        await opened.close();
      }
    },
    async dispose() {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
