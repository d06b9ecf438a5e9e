import assert from "node:assert/strict";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

/** Short timeouts, as the fault tests use them: every wait below is bounded by these. */
const TIMEOUTS = {
  connectTimeoutMs: 1_000,
  statementTimeoutMs: 1_500,
  queryTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 3_000,
  keepAliveMs: 1_000,
  closeTimeoutMs: 1_000,
};
/** How long past its timeout a call may take to fail (scheduling on a loaded 2-core box). */
const MARGIN_MS = 1_500;

interface Settled {
  ok: boolean;
  error?: unknown;
  elapsedMs: number;
}

async function settle(work: Promise<unknown>): Promise<Settled> {
  const started = Date.now();
  try {
    await work;
    return { ok: true, elapsedMs: Date.now() - started };
  } catch (error) {
    return { ok: false, error, elapsedMs: Date.now() - started };
  }
}

/** Twelve transactions that each hold their client across a round trip, so a cut finds them checked out. */
function twelveWriters(db: PostgresDatabase, round: number): Promise<Settled>[] {
  return Array.from({ length: 12 }, (_, index) =>
    settle(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO writes (writer, round) VALUES ($1, $2)", [index, round]);
        await tx.query("SELECT pg_sleep(0.3)");
        await tx.query("INSERT INTO writes (writer, round) VALUES ($1, $2)", [index + 100, round]);
      }),
    ),
  );
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("PostgreSQL through a faulty link (PostgresDatabase)", function () {
  this.timeout(60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let db: PostgresDatabase | undefined;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    db = await PostgresDatabase.connect(proxy.urlThrough(created.url), { ...TIMEOUTS, max: 12 });
    await db.exec("CREATE TABLE writes (writer integer NOT NULL, round integer NOT NULL)");
    // Mocha turns an uncaught exception into a failure of whatever runs; this makes it an explicit assertion.
    process.prependListener("uncaughtException", onUncaught);
  });

  after(async function () {
    process.off("uncaughtException", onUncaught);
    proxy?.setMode("pass");
    await db?.close();
    await proxy?.close();
    await created?.drop();
  });

  const running = () => {
    assert.ok(db && proxy, "set up");
    return { db, proxy };
  };

  it("a reset with 12 transactions in flight rejects each with DatabaseUnavailableError and crashes nothing", async () => {
    const { db, proxy } = running();
    const writers = twelveWriters(db, 1);
    // Let every writer get its client and start its sleep.
    await new Promise((resolve) => setTimeout(resolve, 150));
    proxy.setMode("reset");
    const results = await Promise.all(writers);
    proxy.setMode("pass");
    assert.deepEqual(uncaught, [], "no uncaught exception (an 'error' event on a checked-out client)");
    const failed = results.filter((result) => !result.ok);
    assert.ok(failed.length > 0, "the cut hit transactions in flight");
    for (const result of failed) {
      assert.ok(result.error instanceof DatabaseUnavailableError, `expected DatabaseUnavailableError, got ${String(result.error)}`);
    }
    // No half-written transaction: each writer has both rows or neither.
    const rows = await db.query<{ writer: number }>("SELECT writer FROM writes WHERE round = 1");
    const writers1 = new Set(rows.rows.map((row) => row.writer));
    for (let index = 0; index < 12; index++) assert.equal(writers1.has(index), writers1.has(index + 100), `writer ${index} committed half`);
  });

  it("a blackhole fails queries within the query timeout (no hang), then the pool recovers on its own", async () => {
    const { db, proxy } = running();
    proxy.setMode("blackhole");
    const results = await Promise.all([...twelveWriters(db, 2), settle(db.query("SELECT 1"))]);
    for (const result of results) {
      assert.equal(result.ok, false, "nothing succeeds through a blackhole");
      assert.ok(result.error instanceof DatabaseUnavailableError, `expected DatabaseUnavailableError, got ${String(result.error)}`);
      assert.ok(
        result.elapsedMs < TIMEOUTS.queryTimeoutMs + TIMEOUTS.connectTimeoutMs + MARGIN_MS,
        `a call took ${result.elapsedMs} ms during the blackhole`,
      );
    }
    proxy.setMode("pass");
    assert.ok(await waitFor(async () => (await settle(db.query("SELECT 1"))).ok, 10_000), "queries work again once the link is back");
    const after = await Promise.all(twelveWriters(db, 3));
    assert.ok(after.every((result) => result.ok), "12 writers succeed after the outage");
    assert.deepEqual(uncaught, []);
  });

  it("close() returns within its bound while the link is blackholed", async () => {
    const { proxy } = running();
    assert.ok(created);
    const other = await PostgresDatabase.connect(proxy.urlThrough(created.url), { ...TIMEOUTS, max: 4 });
    // Park clients in the pool, then cut the link under them.
    await Promise.all([other.query("SELECT 1"), other.query("SELECT 1"), other.query("SELECT 1")]);
    proxy.setMode("blackhole");
    const pending = settle(other.query("SELECT pg_sleep(10)"));
    const closed = await settle(other.close());
    proxy.setMode("pass");
    await pending;
    assert.ok(closed.elapsedMs < TIMEOUTS.closeTimeoutMs + MARGIN_MS, `close took ${closed.elapsedMs} ms`);
  });
});
