import assert from "node:assert/strict";
import { PGliteDatabase } from "../../../../runtime/db/pglite.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { probeDatabase } from "../../../../runtime/db/probe.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const PROBE_MS = 300;

describe("the /healthz database probe", function () {
  this.timeout(30_000);

  it("PGlite: busy behind a long transaction is still reachable; closed is not", async () => {
    const db = await PGliteDatabase.open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query("SELECT 1");
      await held;
    });
    try {
      assert.equal(await probeDatabase(db, PROBE_MS), true);
    } finally {
      release();
      await transaction;
    }
    await db.close();
    assert.equal(await probeDatabase(db, PROBE_MS), false);
  });

  it("PostgreSQL: unreachable within its bound through a blackhole, reachable again after", async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    const created = await createPostgresDatabase();
    const target = new URL(created.url);
    const proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    const db = await PostgresDatabase.connect(proxy.urlThrough(created.url), { connectTimeoutMs: 1_000, queryTimeoutMs: 2_000, closeTimeoutMs: 500 });
    try {
      assert.equal(await probeDatabase(db, PROBE_MS), true);
      proxy.setMode("blackhole");
      // Several callers while one probe hangs: each answers at the bound, sharing that probe.
      const answers = await Promise.all([probeDatabase(db, PROBE_MS), probeDatabase(db, PROBE_MS), probeDatabase(db, PROBE_MS)]);
      assert.deepEqual(answers, [false, false, false]);
      proxy.setMode("pass");
      let reachable = false;
      for (let attempt = 0; attempt < 50 && !reachable; attempt++) {
        reachable = await probeDatabase(db, PROBE_MS);
        if (!reachable) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(reachable, true);
    } finally {
      proxy.setMode("pass");
      await db.close();
      await proxy.close();
      await created.drop();
    }
  });
});
