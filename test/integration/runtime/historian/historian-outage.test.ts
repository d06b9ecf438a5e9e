import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSettings } from "../../../../settings.js";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { openHistorian, type HistorianServices } from "../../../../runtime/historian/open-historian.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { createMetrics } from "../../../../runtime/observability/metrics.js";
import { TagRegistry } from "../../../../runtime/tags/tag-registry.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

/**
 * How long the link to PostgreSQL is cut, per mode: the partition (packets
 * dropped, nothing closed) for the minute the issue names, the reset for
 * long enough that many batches spool.
 */
const OUTAGE_MS: Readonly<Record<"reset" | "blackhole", number>> = { reset: 5_000, blackhole: 60_000 };
const INGEST_INTERVAL_MS = 10;
const TAGS = 5;

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/*
 * The historian ingests live values (every change stored: deviation 0)
 * while the link to PostgreSQL is reset, then blackholed for a minute. The values wait
 * in the spool and, once the link is back, every one is in the history
 * table exactly once, in order.
 */
describe("historian during a PostgreSQL outage (fault proxy)", function () {
  this.timeout(180_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let direct: PostgresDatabase | undefined;
  let proxied: PostgresDatabase | undefined;
  let proxy: FaultProxy | undefined;
  let history: HistorianServices | undefined;
  let dataDir: string | undefined;

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    direct = await PostgresDatabase.connect(created.url);
    await migrate(direct, ALL_MIGRATIONS);
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    proxied = await PostgresDatabase.connect(proxy.urlThrough(created.url), { connectTimeoutMs: 1000, queryTimeoutMs: 3000, statementTimeoutMs: 2500 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-historian-outage-"));
  });

  after(async () => {
    await history?.close();
    await proxied?.close();
    await proxy?.close();
    await direct?.close();
    await created?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps every value through a reset and a blackhole outage and stores each once, in order", async () => {
    const registry = new TagRegistry(proxied!, new AuditService(proxied!, "SITE1"), "SITE1");
    for (let i = 0; i < TAGS; i++) await registry.create({ path: `SITE1/OUT-${i}/PV`, dataType: "float", historyEnabled: true }, "tester");
    const tags = new TagStore();
    const metrics = createMetrics();
    const settings = loadSettings({}, { dataDir: dataDir!, historyFlushMs: 50, historyWriteTimeoutMs: 1000 });
    history = await openHistorian({ db: proxied!, settings, tags, policies: registry, logger: createLogger("silent"), metrics });

    let sequence = 0;
    const base = Date.now() - 60_000;
    const ingest = setInterval(() => {
      sequence += 1;
      for (let i = 0; i < TAGS; i++) tags.write(`SITE1/OUT-${i}/PV`, { v: sequence, t: base + sequence * 10 });
    }, INGEST_INTERVAL_MS);
    try {
      for (const mode of ["reset", "blackhole"] as const satisfies readonly FaultMode[]) {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        proxy!.setMode(mode);
        await until(() => history!.writer.isForwarding, `the writer to spool during the ${mode}`, OUTAGE_MS[mode]);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS[mode]));
        assert.ok(history.spool.depth().records > 0, `values wait in the spool during the ${mode}`);
        proxy!.setMode("pass");
        await until(() => !history!.writer.isForwarding, `the spool to drain after the ${mode}`, 40_000);
      }
    } finally {
      clearInterval(ingest);
    }
    await history.close();
    history = undefined;

    const text = await metrics.registry.metrics();
    assert.match(text, /petroflow_history_values_total\{outcome="spooled"\} [1-9]/);
    assert.match(text, /petroflow_history_values_total\{outcome="drained"\} [1-9]/);
    assert.doesNotMatch(text, /outcome="dropped"/);
    for (let i = 0; i < TAGS; i++) {
      const tagId = registry.idOf(`SITE1/OUT-${i}/PV`)!;
      const rows = await direct!.query<{ value_num: number }>("SELECT value_num FROM history WHERE tag_id = $1 ORDER BY ts", [tagId]);
      const values = rows.rows.map((row) => row.value_num);
      assert.equal(values.length, sequence, `tag ${i}: ${values.length} rows for ${sequence} values`);
      assert.deepEqual(values, Array.from({ length: sequence }, (_, index) => index + 1), `tag ${i}: every value once, in order`);
    }
  });
});
