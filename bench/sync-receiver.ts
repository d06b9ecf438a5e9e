/**
 * Sync receiver (issue 13 §4): the outboxes of 100 simulated sites
 * draining at once into one cloud receiver on PostgreSQL, over HTTP (the
 * real push route: credential check, schema validation, one transaction
 * per batch, ownership applied to sync_entities). Reports records/s for
 * the one replica (this process) and the lag (how long each site's backlog
 * took to be acknowledged), beside a bare COPY of the same rows into a copy
 * of sync_received in the same run.
 *
 * Then the edge side: a site's write rate (one business change per
 * transaction, with its audit and outbox rows) against the sync agent's
 * drain rate of the same rows to the receiver. Target: the drain is at
 * least 10x the write rate (issue 13 §2).
 *
 * The simulated sites run in this process too (their bodies are built
 * before the clock starts), so the receiver shares the CPU with 100 HTTP
 * clients: a floor for a replica, not a ceiling.
 * Server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local default.
 * Size: SYNC_BENCH_RECORDS_PER_SITE (default 1000), SYNC_BENCH_BATCH (500).
 * `node --import tsx bench/sync-receiver.ts` or `bench/run.ts sync-receiver`.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import express from "express";
import pg from "pg";
import { recordChange } from "../erp-modules/shared/module-context.js";
import { AuditService } from "../runtime/audit/audit-service.js";
import { ALL_MIGRATIONS } from "../runtime/db/migration-sources.js";
import { migrate } from "../runtime/db/migrator.js";
import { PostgresDatabase } from "../runtime/db/postgres.js";
import { errorHandler } from "../runtime/http/errors.js";
import { newId } from "../runtime/ids.js";
import { createLogger } from "../runtime/observability/logger.js";
import { Outbox } from "../runtime/sync/outbox.js";
import { mountSyncSiteRoutes } from "../runtime/sync/routes.js";
import { SyncAgent } from "../runtime/sync/sync-agent.js";
import { SyncPull, SyncReceiver } from "../runtime/sync/sync-receiver.js";
import type { SyncRecord } from "../runtime/sync/sync-schema.js";
import { SyncSites } from "../runtime/sync/sync-sites.js";
import type { Benchmark, BenchmarkContext, BenchmarkReport } from "./run.js";

const SITES = 100;
const RECORDS_PER_SITE = Number(process.env.SYNC_BENCH_RECORDS_PER_SITE ?? 1000);
const BATCH = Number(process.env.SYNC_BENCH_BATCH ?? 500);
const EDGE_WRITES = 2000;
const TARGET_DRAIN_FACTOR = 10;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `petroflow_bench_${randomBytes(4).toString("hex")}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** A stock move as the inventory module writes it to the outbox (~300 bytes of JSON). */
function stockMove(siteIndex: number, index: number): SyncRecord {
  return {
    sequence: index + 1,
    id: newId(),
    module: "inventory",
    entityType: "stock_move",
    entityId: newId(),
    operation: "insert",
    rowVersion: 1,
    payload: {
      moveType: "issue",
      itemCode: `ITEM-${index % 400}`,
      quantity: (index % 17) + 1,
      unit: "ea",
      fromLocation: `WH-${siteIndex}`,
      unitCost: 12.5 + (index % 9),
      currency: "USD",
      reference: `WO-${siteIndex}-${index}`,
      postedBy: "operator",
      postedAt: new Date(1_780_000_000_000 + index * 1000).toISOString(),
    },
    committedAt: new Date(1_780_000_000_000 + index * 1000).toISOString(),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** COPY text format: tab-separated, \N for null, backslash escaped. */
function copyField(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    // Waits for a push in flight (an agent's last heartbeat) before the database closes under it.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function run(context: BenchmarkContext): Promise<BenchmarkReport> {
  const receiverTarget = `sync receiver: ${SITES} sites draining at once into one replica (reported, no target)`;
  const drainTarget = `edge drain rate >= ${TARGET_DRAIN_FACTOR}x the site's write rate`;
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  let cloudDatabase: { url: string; drop(): Promise<void> };
  let edgeDatabase: { url: string; drop(): Promise<void> };
  try {
    cloudDatabase = await createDatabase(serverUrl);
    edgeDatabase = await createDatabase(serverUrl);
  } catch (error) {
    const reason = `PostgreSQL is not reachable or refused CREATE DATABASE: ${error instanceof Error ? error.message : String(error)}`;
    context.log(`!!! SKIPPED: ${reason}`);
    return {
      lines: [`!!! sync-receiver SKIPPED: ${reason}`],
      targets: [
        { target: receiverTarget, status: "SKIPPED", detail: reason },
        { target: drainTarget, status: "SKIPPED", detail: reason },
      ],
    };
  }
  const logger = createLogger("warn");
  const cloudDb = await PostgresDatabase.connect(cloudDatabase.url);
  const edgeDb = await PostgresDatabase.connect(edgeDatabase.url);
  try {
    await migrate(cloudDb, ALL_MIGRATIONS);
    await migrate(edgeDb, ALL_MIGRATIONS);
    const sites = new SyncSites(cloudDb, new AuditService(cloudDb, "CLOUD"));
    const app = express();
    mountSyncSiteRoutes(app, { sites, receiver: new SyncReceiver(cloudDb), pull: new SyncPull(cloudDb, "CLOUD"), logger });
    app.use(errorHandler(logger));
    const server = await listen(app);

    context.log(`registering ${SITES} sites, building ${SITES * RECORDS_PER_SITE} records in batches of ${BATCH} …`);
    const siteIds = Array.from({ length: SITES }, (_, index) => `S${String(index).padStart(3, "0")}`);
    const tokens: string[] = [];
    for (const siteId of siteIds) {
      await sites.add(siteId, siteId, "bench");
      tokens.push((await sites.issue(siteId, "bench")).token);
    }
    const records = siteIds.map((_, siteIndex) => Array.from({ length: RECORDS_PER_SITE }, (_, index) => stockMove(siteIndex, index)));
    const bodies = siteIds.map((siteId, siteIndex) => {
      const batches: string[] = [];
      for (let start = 0; start < RECORDS_PER_SITE; start += BATCH) {
        batches.push(
          JSON.stringify({
            siteId,
            records: records[siteIndex].slice(start, start + BATCH),
            health: { outboxPending: RECORDS_PER_SITE - start, spoolBytes: 0, appVersion: "bench" },
          }),
        );
      }
      return batches;
    });

    context.log("draining every site at once …");
    const batchMs: number[] = [];
    const siteDoneMs: number[] = [];
    const started = performance.now();
    await Promise.all(
      siteIds.map(async (_, siteIndex) => {
        for (const body of bodies[siteIndex]) {
          const sent = performance.now();
          const response = await fetch(`${server.url}/api/v1/sync/push`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${tokens[siteIndex]}` },
            body,
            signal: AbortSignal.timeout(300_000),
          });
          if (!response.ok) throw new Error(`push refused: HTTP ${response.status} ${await response.text()}`);
          await response.arrayBuffer();
          batchMs.push(performance.now() - sent);
        }
        siteDoneMs.push(performance.now() - started);
      }),
    );
    const receiverSeconds = (performance.now() - started) / 1000;
    const total = SITES * RECORDS_PER_SITE;
    const stored = Number((await cloudDb.query<{ n: string }>("SELECT count(*)::text AS n FROM sync_received")).rows[0]?.n);
    if (stored !== total) throw new Error(`the cloud stored ${stored} records, not ${total}`);
    const receiverRate = Math.round(total / receiverSeconds);
    batchMs.sort((a, b) => a - b);
    siteDoneMs.sort((a, b) => a - b);

    context.log("bare COPY of the same rows …");
    await cloudDb.exec("CREATE TABLE sync_received_copy (LIKE sync_received INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
    const lines: string[] = [];
    siteIds.forEach((siteId, siteIndex) => {
      for (const record of records[siteIndex]) {
        lines.push(
          [siteId, record.sequence, record.id, record.module, record.entityType, record.entityId, record.operation, record.rowVersion ?? null, JSON.stringify(record.payload), record.committedAt]
            .map((value) => copyField(value))
            .join("\t"),
        );
      }
    });
    const copyStarted = performance.now();
    await cloudDb.copyTransaction((tx) =>
      tx.copyFrom(
        "COPY sync_received_copy (site_id, sequence, record_id, module, entity_type, entity_id, operation, row_version, payload, committed_at) FROM STDIN",
        `${lines.join("\n")}\n`,
      ),
    );
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const copyRate = Math.round(total / copySeconds);

    context.log(`edge: ${EDGE_WRITES} business changes, one transaction each …`);
    const edgeSiteId = "EDGE1";
    await sites.add(edgeSiteId, "edge", "bench");
    const edgeToken = (await sites.issue(edgeSiteId, "bench")).token;
    const audit = new AuditService(edgeDb, edgeSiteId);
    const outbox = new Outbox(edgeDb, edgeSiteId);
    const writeStarted = performance.now();
    for (let index = 0; index < EDGE_WRITES; index++) {
      const move = stockMove(0, index);
      await edgeDb.transaction((tx) =>
        recordChange({ audit, outbox }, tx, {
          actor: "operator",
          module: "inventory",
          action: "inventory.move.post",
          entityType: "stock_move",
          entityId: move.entityId,
          operation: "insert",
          rowVersion: 1,
          after: move.payload,
        }),
      );
    }
    const writeRate = Math.round(EDGE_WRITES / ((performance.now() - writeStarted) / 1000));
    context.log("edge: the sync agent drains them …");
    const agent = new SyncAgent({
      outbox,
      siteId: edgeSiteId,
      url: server.url,
      token: edgeToken,
      batchSize: 1000,
      intervalMs: 60_000,
      timeoutMs: 30_000,
      retryMaxMs: 1000,
      appVersion: "bench",
      spoolBytes: () => 0,
      logger,
    });
    const drainStarted = performance.now();
    agent.start();
    while (agent.status().state !== "idle" || agent.status().acknowledgedThrough < EDGE_WRITES) {
      if (agent.status().state === "refused" || agent.status().state === "rejected") throw new Error(`agent: ${agent.status().lastError}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const drainRate = Math.round(EDGE_WRITES / ((performance.now() - drainStarted) / 1000));
    await agent.stop();
    await server.close();

    const factor = drainRate / writeRate;
    return {
      lines: [
        `sync receiver, one replica, ${SITES} sites x ${RECORDS_PER_SITE} records (batches of ${BATCH}), all at once:`,
        `  ${total} records in ${receiverSeconds.toFixed(1)} s = ${receiverRate} records/s per replica`,
        `  batch round trip p50 ${percentile(batchMs, 50).toFixed(0)} ms, p95 ${percentile(batchMs, 95).toFixed(0)} ms, max ${batchMs.at(-1)?.toFixed(0)} ms`,
        `  lag (a site's whole backlog acknowledged): median ${(percentile(siteDoneMs, 50) / 1000).toFixed(1)} s, max ${((siteDoneMs.at(-1) ?? 0) / 1000).toFixed(1)} s`,
        `  bare COPY of the same rows: ${copySeconds.toFixed(1)} s = ${copyRate} records/s; receiver/COPY = ${(receiverRate / copyRate).toFixed(2)}`,
        `edge: writes ${writeRate} changes/s (one transaction each, audit + outbox); agent drains ${drainRate} records/s = ${factor.toFixed(1)}x`,
      ],
      targets: [
        { target: receiverTarget, status: "PASS", detail: `${receiverRate} records/s, COPY ${copyRate} records/s` },
        { target: drainTarget, status: factor >= TARGET_DRAIN_FACTOR ? "PASS" : "FAIL", detail: `${factor.toFixed(1)}x (${drainRate} vs ${writeRate} per s)` },
      ],
    };
  } finally {
    await cloudDb.close();
    await edgeDb.close();
    await cloudDatabase.drop();
    await edgeDatabase.drop();
  }
}

export const benchmark: Benchmark = { name: "sync-receiver", run };
