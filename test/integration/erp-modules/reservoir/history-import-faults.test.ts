import assert from "node:assert/strict";
import type { Database, Queryable, QueryResult, SqlValue } from "../../../../runtime/db/database.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { ProductionService } from "../../../../erp-modules/production/service.js";
import { ReservoirService } from "../../../../erp-modules/reservoir/service.js";
import { createPostgresDatabase, databaseTargets } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, createErpHarness, ENGINEER, viaService, type ErpHarness } from "../erp-fixtures.js";

/*
 * A history import is one transaction: when the database fails in the middle
 * of it (after the batch and its rows were written, before the audit row),
 * nothing of it stays, and the same import succeeds once the database is back.
 */

const QUERY = { unitSystem: "metric", frequency: "monthly", fileName: "history.csv" } as const;

/** The database, with `fault` run just before a transaction sends a statement matching `pattern` (once armed). */
function faultBefore(db: Database, pattern: RegExp, fault: () => Promise<void>): { db: Database; arm(): void } {
  let armed = false;
  const wrap = (tx: Queryable): Queryable => ({
    async query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
      if (armed && pattern.test(sql)) {
        armed = false;
        await fault();
      }
      return tx.query<Row>(sql, params);
    },
    exec: (sql) => tx.exec(sql),
  });
  const faulty: Database = {
    kind: db.kind,
    get availability() {
      return db.availability;
    },
    query: <Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]) => db.query<Row>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    copyTransaction: (fn) => db.copyTransaction(fn),
    close: () => db.close(),
  };
  return { db: faulty, arm: () => (armed = true) };
}

async function stored(db: Queryable): Promise<{ imports: number; rows: number; audit: number }> {
  const count = async (sql: string) => Number((await db.query<{ count: number }>(sql)).rows[0]?.count);
  return {
    imports: await count("SELECT count(*)::int AS count FROM reservoir_history_imports"),
    rows: await count("SELECT count(*)::int AS count FROM reservoir_production_history"),
    audit: await count("SELECT count(*)::int AS count FROM audit_log WHERE action = 'reservoir.history.import'"),
  };
}

function reservoirOn(harness: ErpHarness, db: Database): ReservoirService {
  const context = { ...harness.context, db };
  return new ReservoirService(context, { assets: harness.assets, production: new ProductionService(context, harness.assets) });
}

describe("history import when the database fails mid-import (PGlite: an injected error)", function () {
  this.timeout(60_000);
  const pglite = databaseTargets.find((target) => target.name === "pglite");

  it("stores nothing, and the same import succeeds afterwards", async () => {
    assert.ok(pglite);
    const database = await pglite.create();
    try {
      const harness = await createErpHarness(database.db, "reservoir.*");
      const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "FX", site: "FX-BAT", wells: { "FX-1": "esp" }, tank: "FX-TK" });
      const faulty = faultBefore(database.db, /INSERT INTO audit_log/, () => Promise.reject(new Error("injected: the disk went away")));
      const reservoir = reservoirOn(harness, faulty.db);
      const csv = "Well,Date,Oil m3,Days On\nFX-1,2023-01-01,300,31\nFX-1,2023-02-01,250,28";
      faulty.arm();
      await assert.rejects(reservoir.history.importCsv(csv, { ...QUERY, assetId: battery.siteId }, ENGINEER), /injected/);
      assert.deepEqual(await stored(database.db), { imports: 0, rows: 0, audit: 0 });
      await reservoir.history.importCsv(csv, { ...QUERY, assetId: battery.siteId }, ENGINEER);
      assert.deepEqual(await stored(database.db), { imports: 1, rows: 2, audit: 1 });
    } finally {
      await database.drop();
    }
  });
});

describe("history import when the PostgreSQL link is cut mid-import (fault proxy)", function () {
  this.timeout(60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let direct: PostgresDatabase | undefined;
  let proxied: PostgresDatabase | undefined;

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    direct = await PostgresDatabase.connect(created.url);
    proxied = await PostgresDatabase.connect(proxy.urlThrough(created.url), {
      connectTimeoutMs: 1_000,
      statementTimeoutMs: 2_000,
      queryTimeoutMs: 3_000,
      idleInTransactionTimeoutMs: 3_000,
      keepAliveMs: 1_000,
      closeTimeoutMs: 1_000,
      max: 2,
    });
  });

  after(async () => {
    proxy?.setMode("pass");
    await proxied?.close();
    await direct?.close();
    await proxy?.close();
    await created?.drop();
  });

  it("stores nothing when the connection resets before the audit row, and imports once the link is back", async () => {
    if (!direct || !proxied || !proxy) throw new Error("set-up did not run");
    const link = proxy;
    const harness = await createErpHarness(direct, "reservoir.*");
    const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "FP", site: "FP-BAT", wells: { "FP-1": "esp" }, tank: "FP-TK" });
    const faulty = faultBefore(proxied, /INSERT INTO audit_log/, async () => link.setMode("reset"));
    const reservoir = reservoirOn(harness, faulty.db);
    const csv = "Well,Date,Oil m3,Days On\nFP-1,2023-01-01,300,31\nFP-1,2023-02-01,250,28";
    faulty.arm();
    await assert.rejects(reservoir.history.importCsv(csv, { ...QUERY, assetId: battery.siteId }, ENGINEER));
    link.setMode("pass");
    assert.deepEqual(await stored(direct), { imports: 0, rows: 0, audit: 0 });
    await reservoir.history.importCsv(csv, { ...QUERY, assetId: battery.siteId }, ENGINEER);
    assert.deepEqual(await stored(direct), { imports: 1, rows: 2, audit: 1 });
  });
});
