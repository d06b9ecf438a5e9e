import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../../../runtime/db/database.js";
import { PGliteDatabase } from "../../../../runtime/db/pglite.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { acknowledged, describeOutcome, keyedWrite, sendKeyed, type KeyedWrite, type WriteOutcome } from "../../../helpers/keyed-writes.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, bearerClientFrom, skipUnlessAvailable, type Backend } from "../../support.js";

const KILLS = 10;
const WRITERS = 8;
const CLIENT_TIMEOUT_MS = 15_000;
/** A retry answered 503 (the site still starting its flows, say) is tried again this many times. */
const RETRIES = 20;

interface Sent {
  write: KeyedWrite;
  outcome: WriteOutcome;
}

function killHard(site: SiteProcess): Promise<void> {
  return new Promise((resolve) => {
    if (site.child.exitCode !== null || site.child.signalCode !== null) {
      resolve();
      return;
    }
    site.child.once("exit", () => resolve());
    site.child.kill("SIGKILL");
  });
}

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`Idempotency-Key across kill -9 (${backend})`, function () {
    this.timeout(15 * 60_000);
    let dataDir = "";
    let database: { url: string; drop(): Promise<void> } | undefined;
    let site: SiteProcess | undefined;

    before(async function () {
      skipUnlessAvailable(this, backend);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-crash-"));
      if (backend === "postgres") database = await createPostgresDatabase();
    });

    after(async function () {
      this.timeout(60_000);
      if (site) await killHard(site);
      await database?.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const start = () => startSiteProcess({ backend, dataDir, databaseUrl: database?.url });

    it(`${KILLS} × kill -9 during keyed writes: every retry with its key ends in 2xx, 0 stuck keys, 0 duplicates`, async () => {
      site = await start();
      const bearer = (await bearerClientFrom(await adminClient(site.url), "crash-test")).bearer;
      const all: KeyedWrite[] = [];
      const failures: string[] = [];
      let acknowledgedBeforeKill = 0;
      let retriedAfterKill = 0;

      for (let round = 0; round < KILLS; round++) {
        const running = site;
        let stop = false;
        const sent: Sent[] = [];
        const writers = Array.from({ length: WRITERS }, async (_, writer) => {
          for (let index = 0; !stop; index++) {
            const write = keyedWrite(`r${round}w${writer}`, index);
            all.push(write);
            const outcome = await sendKeyed(running.url, bearer, write, CLIENT_TIMEOUT_MS);
            sent.push({ write, outcome });
            if (!acknowledged(outcome)) return;
          }
        });
        // Kill at a different moment of the writes each round.
        await new Promise((resolve) => setTimeout(resolve, 300 + ((round * 397) % 1_200)));
        await killHard(running);
        stop = true;
        await Promise.all(writers);
        acknowledgedBeforeKill += sent.filter((entry) => acknowledged(entry.outcome)).length;
        const unacknowledged = sent.filter((entry) => !acknowledged(entry.outcome));

        site = await start();
        for (const { write } of unacknowledged) {
          retriedAfterKill++;
          let outcome: WriteOutcome | undefined;
          for (let attempt = 0; attempt < RETRIES; attempt++) {
            outcome = await sendKeyed(site.url, bearer, write, CLIENT_TIMEOUT_MS);
            if (!(outcome.kind === "answered" && outcome.status === 503)) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          if (!outcome || !acknowledged(outcome)) {
            failures.push(`round ${round}: retry of ${write.key} ended in ${outcome ? describeOutcome(outcome) : "nothing"}`);
          }
        }
      }
      assert.deepEqual(failures, [], "every unacknowledged write, retried with its key, ends in 2xx");
      assert.ok(acknowledgedBeforeKill > 0, "writes went through between the kills");
      assert.ok(retriedAfterKill >= KILLS, `the kills caught writes in flight (${retriedAfterKill} retried)`);

      assert.equal(await site.stop(), 0);
      site = undefined;
      const db: Database =
        backend === "postgres" && database
          ? await PostgresDatabase.connect(database.url)
          : await PGliteDatabase.open(path.join(dataDir, "pglite"));
      try {
        const stuck = await db.query<{ key: string }>("SELECT key FROM idempotency_keys WHERE status IS NULL");
        assert.deepEqual(stuck.rows, [], "no key left claimed without an answer");
        const tagPaths = all.filter((write) => write.path === "/api/v1/tags").map((write) => String(write.body.path));
        const assetCodes = all.filter((write) => write.path === "/api/v1/assets").map((write) => String(write.body.code));
        const tags = await db.query<{ path: string; copies: number }>(
          "SELECT path, count(*)::int AS copies FROM tags WHERE path = ANY($1::text[]) GROUP BY path",
          [tagPaths],
        );
        const assets = await db.query<{ code: string; copies: number }>(
          "SELECT code, count(*)::int AS copies FROM assets WHERE code = ANY($1::text[]) GROUP BY code",
          [assetCodes],
        );
        const audits = await db.query<{ action: string; copies: number }>(
          `SELECT action, count(*)::int AS copies FROM audit_log
           WHERE (action = 'tag.create' AND after->>'path' = ANY($1::text[])) OR (action = 'assets.field.create' AND after->>'code' = ANY($2::text[]))
           GROUP BY action`,
          [tagPaths, assetCodes],
        );
        // Every write was acknowledged in the end, so each exists exactly once.
        assert.equal(tags.rows.length, tagPaths.length, "every tag write is there");
        assert.equal(assets.rows.length, assetCodes.length, "every asset write is there");
        assert.deepEqual(
          tags.rows.filter((row) => row.copies !== 1),
          [],
        );
        assert.deepEqual(
          assets.rows.filter((row) => row.copies !== 1),
          [],
        );
        const auditCopies = Object.fromEntries(audits.rows.map((row) => [row.action, row.copies]));
        assert.deepEqual(auditCopies, { "tag.create": tagPaths.length, "assets.field.create": assetCodes.length }, "one audit row per write");
      } finally {
        await db.close();
      }
    });
  });
}
