import assert from "node:assert/strict";
import pg from "pg";
import type { Item, Location } from "../../../../erp-modules/inventory/schema.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { acknowledged, describeOutcome, sendKeyed, type KeyedWrite, type WriteOutcome } from "../../../helpers/keyed-writes.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { adminClient, bearerClientFrom } from "../../support.js";

/**
 * Stock moves posted over HTTP while the link to PostgreSQL is cut (reset,
 * then blackhole) through the fault proxy: each gets a clear 503 within the
 * request deadline, the site never dies, a move acknowledged before a cut is
 * there after it, and once the link is back the ledger, the balances, the
 * audit log and the outbox agree (nothing half-written, nothing twice).
 */

const REQUEST_TIMEOUT_MS = 3_000;
const SITE_ENV = {
  PETROFLOW_DB_CONNECT_TIMEOUT_MS: "1000",
  PETROFLOW_DB_STATEMENT_TIMEOUT_MS: "1500",
  PETROFLOW_DB_QUERY_TIMEOUT_MS: "2000",
  PETROFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3000",
  PETROFLOW_DB_KEEPALIVE_MS: "1000",
  PETROFLOW_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
};
/** Scheduling slack on a loaded 2-core box, on top of the request deadline. */
const MARGIN_MS = 2_000;
/** The client gives up long after the site should have answered: a hang shows as "no answer". */
const CLIENT_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 10_000;
/** After the link is back, how long a refused write may keep being refused. */
const RECOVERY_LIMIT_MS = 20_000;
const WRITES_PER_CUT = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attempt {
  write: KeyedWrite;
  mode: FaultMode;
  outcome: WriteOutcome;
}

describe("inventory during a PostgreSQL outage: stock moves over HTTP through a fault proxy", function () {
  this.timeout(5 * 60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let site: SiteProcess | undefined;
  let direct: pg.Client | undefined;
  let bearer = "";
  let item: Item;
  let store: Location;
  const acknowledgedBeforeCut: string[] = [];

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    site = await startSiteProcess({ backend: "postgres", databaseUrl: proxy.urlThrough(created.url), env: SITE_ENV });
    const admin = await adminClient(site.url);
    bearer = (await bearerClientFrom(admin, "inventory-outage")).bearer;
    store = await admin.json<Location>("POST", "/api/v1/inventory/locations", { code: "WH-OUT", name: "Outage store", kind: "warehouse" }, 201);
    item = await admin.json<Item>(
      "POST",
      "/api/v1/inventory/items",
      { code: "SEAL-OUT", name: "ESP seal section", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" },
      201,
    );
    direct = new pg.Client({ connectionString: created.url });
    await direct.connect();
  });

  after(async function () {
    this.timeout(60_000);
    proxy?.setMode("pass");
    await direct?.end();
    await site?.dispose();
    await proxy?.close();
    await created?.drop();
  });

  const receipt = (key: string, quantity: number): KeyedWrite => ({
    key,
    path: "/api/v1/inventory/receipts",
    body: { itemId: item.id, toLocationId: store.id, quantity, unitCost: 100 + quantity, currency: "USD" },
  });
  const issue = (key: string, quantity: number): KeyedWrite => ({
    key,
    path: "/api/v1/inventory/issues",
    body: { itemId: item.id, fromLocationId: store.id, quantity, costObject: { type: "well", id: "WELL-OUT" } },
  });

  it("a receipt acknowledged before the cuts is posted", async () => {
    const first = receipt("outage-before-1", 50);
    const outcome = await sendKeyed(site!.url, bearer, first, CLIENT_TIMEOUT_MS);
    assert.ok(acknowledged(outcome), describeOutcome(outcome));
    acknowledgedBeforeCut.push(first.key);
    const moves = await direct!.query<{ n: number }>("SELECT count(*)::int AS n FROM stock_moves WHERE item_id = $1", [item.id]);
    assert.equal(moves.rows[0]?.n, 1);
  });

  /** Retries each write with its key until the site takes it, as a careful client does after a refusal. */
  async function retryUntilTaken(writes: readonly KeyedWrite[]): Promise<void> {
    const deadline = Date.now() + RECOVERY_LIMIT_MS;
    for (const write of writes) {
      let outcome = await sendKeyed(site!.url, bearer, write, CLIENT_TIMEOUT_MS);
      while (!acknowledged(outcome) && Date.now() < deadline) {
        await sleep(500);
        outcome = await sendKeyed(site!.url, bearer, write, CLIENT_TIMEOUT_MS);
      }
      assert.ok(acknowledged(outcome), `${write.key} was still refused ${RECOVERY_LIMIT_MS} ms after the link came back: ${describeOutcome(outcome)}`);
    }
  }

  const movesOf = (prefix: string) =>
    Array.from({ length: WRITES_PER_CUT }, (_, index) => (index % 2 === 0 ? receipt(`${prefix}-${index}`, 2) : issue(`${prefix}-${index}`, 1)));

  it("moves posted while the link is cut get a 503 with Retry-After in time, the site lives, and each is posted once after the link is back", async () => {
    const attempts: Attempt[] = [];
    for (const mode of ["reset", "blackhole"] as const) {
      proxy!.setMode(mode);
      // Let the pool notice (reset) or hang on (blackhole) the link before posting.
      await sleep(300);
      const writes = movesOf(`outage-${mode}`);
      const outcomes = await Promise.all(writes.map((write) => sendKeyed(site!.url, bearer, write, CLIENT_TIMEOUT_MS)));
      writes.forEach((write, index) => attempts.push({ write, mode, outcome: outcomes[index] }));
      assert.equal(site!.child.exitCode, null, `the site died during the ${mode} cut:\n${site!.output().slice(-3000)}`);
      proxy!.setMode("pass");
      await retryUntilTaken(writes);
    }
    const wrong = attempts.filter(
      ({ outcome }) => outcome.kind !== "answered" || outcome.status !== 503 || outcome.retryAfter === null || outcome.code === null || outcome.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS,
    );
    assert.deepEqual(
      wrong.map(({ write, mode, outcome }) => `${write.key} (${mode}): ${describeOutcome(outcome)} after ${outcome.elapsedMs} ms`),
      [],
      "a stock move during a cut was not refused with a 503 in time",
    );
    assert.equal(site!.child.exitCode, null, "the site died after the cuts");
  });

  it("a cut in the middle of moves in flight answers each with its move or a 503 in time; retried with its key, each is posted once", async () => {
    for (const mode of ["reset", "blackhole"] as const) {
      const writes = movesOf(`in-flight-${mode}`);
      // The link goes as the first move is answered: the others wait on the item's lock or are between their statements.
      let cut = false;
      const outcomes = await Promise.all(
        writes.map((write) =>
          sendKeyed(site!.url, bearer, write, CLIENT_TIMEOUT_MS).then((outcome) => {
            if (!cut) proxy!.setMode(mode);
            cut = true;
            return outcome;
          }),
        ),
      );
      assert.ok(
        outcomes.some((outcome) => outcome.kind === "answered" && outcome.status === 503),
        `no move was caught in flight by the ${mode} cut: ${outcomes.map(describeOutcome).join(", ")}`,
      );
      const wrong = outcomes.filter((outcome) => !(acknowledged(outcome) || (outcome.kind === "answered" && outcome.status === 503)) || outcome.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS);
      assert.deepEqual(wrong.map(describeOutcome), [], `moves in flight at a ${mode} cut were answered neither with their move nor with a 503 in time`);
      assert.equal(site!.child.exitCode, null, `the site died at the ${mode} cut in flight`);
      await sleep(500);
      proxy!.setMode("pass");
      await retryUntilTaken(writes);
    }
  });

  it("after the cuts nothing is half-written: ledger sum == on hand, one audit and one outbox row per move, the early receipt kept", async () => {
    const moves = await direct!.query<{ id: string; move_type: string; quantity: string }>("SELECT id, move_type, quantity::text FROM stock_moves WHERE item_id = $1", [item.id]);
    // One receipt before the cuts and WRITES_PER_CUT moves per cut (four cuts), each posted once: retries replayed, never posted twice.
    assert.equal(moves.rows.length, 1 + 4 * WRITES_PER_CUT);
    const receipts = moves.rows.filter((move) => move.move_type === "receipt");
    assert.ok(receipts.some((move) => Number(move.quantity) === 50), "the receipt acknowledged before the cuts is gone");
    // Per cut, half the moves receive 2 and half issue 1.
    const expectedOnHand = 50 + 4 * ((WRITES_PER_CUT / 2) * 2 - (WRITES_PER_CUT / 2) * 1);
    const balance = await direct!.query<{ on_hand: string; ledger: string }>(
      `SELECT b.on_hand_quantity::text AS on_hand,
              (COALESCE((SELECT sum(quantity) FROM stock_moves m WHERE m.item_id = b.item_id AND m.to_location_id = b.location_id AND m.lot = b.lot), 0)
             - COALESCE((SELECT sum(quantity) FROM stock_moves m WHERE m.item_id = b.item_id AND m.from_location_id = b.location_id AND m.lot = b.lot), 0))::text AS ledger
         FROM stock_balances b WHERE b.item_id = $1 AND b.location_id = $2`,
      [item.id, store.id],
    );
    assert.equal(balance.rows.length, 1);
    assert.equal(Number(balance.rows[0]?.on_hand), expectedOnHand);
    assert.equal(Number(balance.rows[0]?.ledger), expectedOnHand);
    const audit = await direct!.query<{ entity_id: string; n: number }>(
      "SELECT entity_id, count(*)::int AS n FROM audit_log WHERE entity_type = 'stock_move' GROUP BY entity_id",
    );
    const outbox = await direct!.query<{ entity_id: string; n: number }>(
      "SELECT entity_id::text AS entity_id, count(*)::int AS n FROM sync_outbox WHERE entity_type = 'stock_move' GROUP BY entity_id",
    );
    const moveIds = moves.rows.map((move) => move.id).sort();
    assert.deepEqual(audit.rows.map((row) => row.entity_id).sort(), moveIds, "an audit row without its move, or a move without its audit row");
    assert.deepEqual(outbox.rows.map((row) => row.entity_id).sort(), moveIds, "an outbox row without its move, or a move without its outbox row");
    assert.deepEqual([...audit.rows, ...outbox.rows].filter((row) => row.n !== 1), [], "a move audited or queued twice");
  });
});
