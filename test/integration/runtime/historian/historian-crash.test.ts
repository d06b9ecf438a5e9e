import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSettings } from "../../../../settings.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { openHistorian } from "../../../../runtime/historian/open-historian.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const CHILD = path.join(__dirname, "record-child.ts");
const KILLS = 20;
const TAG_ID = "0193a3c0-0000-7000-8000-00000000c0de";

/** Starts the recording child, lets it run a random while, then kills it with SIGKILL; returns the numbers it saw acknowledged. */
async function recordUntilKilled(dataDir: string, url: string, base: number, first: number, runMs: number, onReady: () => void): Promise<{ acked: number[]; next: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, url, TAG_ID, String(base), String(first)], { stdio: ["ignore", "pipe", "pipe"] });
  const acked: number[] = [];
  let next = first;
  let stderr = "";
  let buffered = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "ready") {
          onReady();
          timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, runMs);
          continue;
        }
        const match = /^acked (\d+)-(\d+)$/.exec(line);
        if (!match) continue;
        for (let n = Number(match[1]); n <= Number(match[2]); n++) acked.push(n);
        next = Math.max(next, Number(match[2]) + 1);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      if (child.signalCode !== "SIGKILL") reject(new Error(`the child exited early:\n${stderr}`));
    });
  });
  assert.equal(await exited, "SIGKILL");
  // Numbers handed out but not acknowledged are skipped: the next run starts past every record in flight.
  return { acked, next: next + 150 };
}

/*
 * A child process records history values (through the historian's writer,
 * against PostgreSQL through a fault proxy) and is killed with SIGKILL 20
 * times at random moments; every other run the link is cut first, so the
 * kill lands while values go to the spool. Every value the child saw
 * acknowledged (committed, or spooled with fsync) is in the history table
 * afterwards, once.
 */
describe("historian under kill -9", function () {
  this.timeout(180_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let db: PostgresDatabase | undefined;
  let proxy: FaultProxy | undefined;
  let dataDir: string | undefined;

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    db = await PostgresDatabase.connect(created.url);
    await migrate(db, ALL_MIGRATIONS);
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-historian-crash-"));
  });

  after(async () => {
    await proxy?.close();
    await db?.close();
    await created?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged value across ${KILLS} kills while recording, committed or spooled`, async () => {
    const base = Date.now() - 3_600_000;
    const url = proxy!.urlThrough(created!.url);
    const everAcked: number[] = [];
    let first = 0;
    let random = 7;
    for (let kill = 0; kill < KILLS; kill++) {
      // A small deterministic generator: the same moments on every run of the test.
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const runMs = 200 + (random % 500);
      // Every other run starts with the link cut for half its time: its values go to the spool, and the kill lands while they wait or drain.
      const cut = kill % 2 === 1;
      const run = await recordUntilKilled(dataDir!, url, base, first, runMs, () => {
        if (!cut) return;
        proxy!.setMode("reset");
        setTimeout(() => proxy!.setMode("pass"), runMs / 2);
      });
      // Not push(...acked): a fast child acknowledges more values than a call may take arguments.
      for (const n of run.acked) everAcked.push(n);
      first = run.next;
    }
    proxy!.setMode("pass");
    assert.ok(everAcked.length > 500, `the children acknowledged ${everAcked.length} values`);

    // What the last child left in the spool is drained by the next start.
    const history = await openHistorian({
      db: db!,
      settings: loadSettings({}, { dataDir: dataDir!, historyFlushMs: 20 }),
      tags: new TagStore(),
      policies: { idOf: () => TAG_ID, historyPolicyOf: () => undefined },
      logger: createLogger("silent"),
    });
    const started = Date.now();
    while (history.spool.depth().records > 0 || history.writer.isForwarding) {
      assert.ok(Date.now() - started < 30_000, "the spool drains");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await history.close();

    const rows = await db!.query<{ ts: Date; value_num: number }>("SELECT ts, value_num FROM history WHERE tag_id = $1 ORDER BY ts", [TAG_ID]);
    const stored = new Set<number>();
    for (const row of rows.rows) {
      assert.equal(row.ts.getTime(), base + row.value_num, "each value at its own time");
      stored.add(row.value_num);
    }
    assert.equal(stored.size, rows.rows.length, "no value twice");
    const missing = everAcked.filter((n) => !stored.has(n));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged values are missing`);
  });
});
