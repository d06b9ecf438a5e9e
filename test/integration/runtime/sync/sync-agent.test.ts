import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { recordChange } from "../../../../erp-modules/shared/module-context.js";
import type { Database } from "../../../../runtime/db/database.js";
import { newId } from "../../../../runtime/ids.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { SyncAgent, type SyncAgentStatus } from "../../../../runtime/sync/sync-agent.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { startInProcessSite, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const pglite = databaseTargets.find((target) => target.name === "pglite");

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, describe?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${describe?.() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** n business changes on the site, each in its own transaction as a service writes them. */
async function writeChanges(site: InProcessSite, n: number): Promise<void> {
  const { audit, outbox } = { audit: site.services.audit, outbox: site.services.sync.outbox };
  for (let index = 0; index < n; index++) {
    await site.db.transaction(async (tx) => {
      await recordChange({ audit, outbox }, tx, {
        actor: "operator",
        module: "inventory",
        action: "inventory.move.post",
        entityType: "stock_move",
        entityId: newId(),
        operation: "insert",
        rowVersion: 1,
        after: { quantity: index + 1 },
      });
    });
  }
}

async function receivedIds(db: Database, siteId: string): Promise<string[]> {
  const rows = await db.query<{ record_id: string }>("SELECT record_id FROM sync_received WHERE site_id = $1 ORDER BY sequence", [siteId]);
  return rows.rows.map((row) => row.record_id);
}

async function outboxIds(db: Database): Promise<string[]> {
  const rows = await db.query<{ id: string }>("SELECT id FROM sync_outbox ORDER BY sequence");
  return rows.rows.map((row) => row.id);
}

describe("Sync agent (edge) against a cloud through a fault proxy", function () {
  this.timeout(120_000);
  const databases: TestDatabase[] = [];
  let cloud: InProcessSite | undefined;
  let edge: InProcessSite | undefined;
  let proxy: FaultProxy | undefined;
  let agent: SyncAgent | undefined;
  let credentialId = "";
  const status = (): SyncAgentStatus => {
    if (!agent) throw new Error("agent not started");
    return agent.status();
  };

  before(async function () {
    if (!pglite || pglite.unavailable) skipWithReason(this, pglite?.unavailable ?? "no PGlite target");
    const cloudDb = await pglite.create();
    const edgeDb = await pglite.create();
    databases.push(cloudDb, edgeDb);
    cloud = await startInProcessSite(cloudDb.db, { role: "cloud" });
    edge = await startInProcessSite(edgeDb.db, { siteId: "NORTH" });
    await cloud.services.sync.sites.add("NORTH", "North field", "test");
    const issued = await cloud.services.sync.sites.issue("NORTH", "test");
    credentialId = issued.credentialId;
    const port = Number(new URL(cloud.url).port);
    proxy = await startFaultProxy("127.0.0.1", port);
    agent = new SyncAgent({
      outbox: edge.services.sync.outbox,
      siteId: "NORTH",
      url: `http://127.0.0.1:${proxy.port}`,
      token: issued.token,
      batchSize: 50,
      intervalMs: 100,
      timeoutMs: 1000,
      retryMaxMs: 400,
      appVersion: "test",
      spoolBytes: () => 0,
      logger: createLogger("silent"),
      registry: new Registry(),
    });
  });

  after(async () => {
    await agent?.stop();
    await proxy?.close();
    await edge?.close();
    await cloud?.close();
    for (const database of databases) await database.drop();
  });

  it("drains the outbox in order, keeps writing through an outage, and loses or repeats nothing", async () => {
    const edgeSite = edge as InProcessSite;
    const cloudSite = cloud as InProcessSite;
    await writeChanges(edgeSite, 120);
    agent?.start();
    await until("the first drain", () => status().state === "idle" && status().pending === 0, 20_000, () => JSON.stringify(status()));
    assert.deepEqual(await receivedIds(cloudSite.db, "NORTH"), await outboxIds(edgeSite.db));

    proxy?.setMode("blackhole");
    const started = Date.now();
    await writeChanges(edgeSite, 200);
    const writeMs = Date.now() - started;
    await until("the agent to notice the link is down", () => status().state === "retrying");
    assert.ok(status().lastError, "the failure is reported");
    // The site's writes did not wait for the cloud: 200 transactions took no push timeout.
    assert.ok(writeMs < 20_000, `writes took ${writeMs} ms`);
    await until("the pending count", () => status().pending >= 200 || status().state === "retrying");

    proxy?.setMode("pass");
    agent?.nudge();
    await until("the drain after the outage", () => status().state === "idle" && status().pending === 0, 60_000);
    const received = await receivedIds(cloudSite.db, "NORTH");
    const sent = await outboxIds(edgeSite.db);
    // The site writes outbox rows of its own too (the daily alarm KPI summary), so the 320 are counted by their type.
    const written = await edgeSite.db.query<{ n: string }>("SELECT count(*) AS n FROM sync_outbox WHERE entity_type = 'stock_move'");
    assert.equal(Number(written.rows[0]?.n), 320);
    const storedMoves = await cloudSite.db.query<{ n: string }>("SELECT count(*) AS n FROM sync_received WHERE site_id = 'NORTH' AND entity_type = 'stock_move'");
    assert.equal(Number(storedMoves.rows[0]?.n), 320, "every stock move written reached the cloud");
    assert.equal(new Set(received).size, received.length, "no duplicates");
    assert.deepEqual(received, sent, "every record, in the site's commit order");
    const unsent = await edgeSite.db.query<{ n: string }>("SELECT count(*) AS n FROM sync_outbox WHERE sent_at IS NULL");
    assert.equal(Number(unsent.rows[0]?.n), 0);
  });

  it("stops and reports when the site's credential is revoked", async () => {
    await (cloud as InProcessSite).services.sync.sites.revoke(credentialId, "test");
    await writeChanges(edge as InProcessSite, 1);
    agent?.nudge();
    await until("the refusal", () => status().state === "refused");
    assert.match(status().lastError ?? "", /HTTP 401/);
    assert.equal(status().pending, 1);
  });
});
