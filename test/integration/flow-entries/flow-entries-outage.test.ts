import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { FlowNode } from "../../../runtime/flows/flow-validation.js";
import { flowEntrySpoolDir } from "../../../runtime/flow-entries/open-flow-entries.js";
import { Spool } from "../../../runtime/spool/spool.js";
import { createPostgresDatabase } from "../../helpers/databases.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../../helpers/fault-proxy.js";
import type { SiteClient } from "../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../helpers/site-process.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { adminClient, bearerClientFrom, deployViaEditorApi, nodeRedFlows, poll } from "../support.js";
import { createBattery, viaApi } from "../erp-modules/erp-fixtures.js";

/*
 * A flow records tank gauges while the link to PostgreSQL is cut (the fault
 * proxy resets or blackholes it). The gauges wait in the site's spool, the
 * node status and the API say how many, and once the link is back each is
 * written exactly once, also when the site is killed with SIGKILL while
 * they wait.
 */

const TAB = "tab-spool-outage";
const ENTRY_NODE = "entry-outage-gauge";
const KEY_PREFIX = "outage-gauge-";

/**
 * The test's flow. POST /endpoints/spool-outage/arm {start, count} arms a
 * batch; an inject then emits one gauge of it every 200 ms (so gauges keep
 * coming while the database is cut off), each with its own idempotency key.
 * The entry node's status and any Catch are kept for GET .../state.
 */
function outageFlow(): FlowNode[] {
  return [
    { id: TAB, type: "tab", label: "Spool outage" },
    { id: "arm-in", type: "http in", z: TAB, url: "/spool-outage/arm", method: "post", upload: false, wires: [["arm-fn"]] },
    {
      id: "arm-fn",
      type: "function",
      z: TAB,
      func: "flow.set('next', msg.payload.start); flow.set('end', msg.payload.start + msg.payload.count); msg.payload = { armed: true }; return msg;",
      outputs: 1,
      wires: [["arm-out"]],
    },
    { id: "arm-out", type: "http response", z: TAB, statusCode: "", headers: {}, wires: [] },
    { id: "tick", type: "inject", z: TAB, props: [], repeat: "0.2", crontab: "", once: true, onceDelay: "0.1", wires: [["gauge-fn"]] },
    {
      id: "gauge-fn",
      type: "function",
      z: TAB,
      func: [
        "const next = flow.get('next'); const end = flow.get('end');",
        "if (typeof next !== 'number' || next >= end) return null;",
        "flow.set('next', next + 1);",
        "if (next + 1 === end) node.warn(`armed batch produced through ${next}`);",
        "const gaugedAt = new Date(Date.UTC(2026, 5, 1) + next * 60000).toISOString();",
        `msg.idempotencyKey = '${KEY_PREFIX}' + next;`,
        "msg.payload = { tankCode: 'TK-01', gaugedAt, levelM: 1 + (next % 30) / 10 };",
        "return msg;",
      ].join("\n"),
      outputs: 1,
      wires: [[ENTRY_NODE]],
    },
    { id: ENTRY_NODE, type: "erp-production-entry", z: TAB, entryType: "tank-gauge", tankId: "", meterId: "", wellId: "", siteAssetId: "", wires: [] },
    { id: "entry-status", type: "status", z: TAB, scope: [ENTRY_NODE], wires: [["keep-status"]] },
    { id: "keep-status", type: "function", z: TAB, func: "flow.set('status', msg.status.text); return null;", outputs: 1, wires: [] },
    { id: "entry-catch", type: "catch", z: TAB, scope: [ENTRY_NODE], uncaught: false, wires: [["keep-caught"]] },
    {
      id: "keep-caught",
      type: "function",
      z: TAB,
      func: "flow.set('caught', (flow.get('caught') || []).concat([msg.error.message])); return null;",
      outputs: 1,
      wires: [],
    },
    { id: "state-in", type: "http in", z: TAB, url: "/spool-outage/state", method: "get", upload: false, wires: [["state-fn"]] },
    {
      id: "state-fn",
      type: "function",
      z: TAB,
      func: "msg.payload = { status: flow.get('status') || null, caught: flow.get('caught') || [] }; return msg;",
      outputs: 1,
      wires: [["state-out"]],
    },
    { id: "state-out", type: "http response", z: TAB, statusCode: "", headers: {}, wires: [] },
  ];
}

interface Waiting {
  waiting: number;
  oldestAgeSeconds: number | null;
  retrying: boolean;
}

interface LogLine {
  msg?: string;
  retryInMs?: number;
}

function logLines(site: SiteProcess): LogLine[] {
  return site
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

async function waitForLog(site: SiteProcess, what: string, matches: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<void> {
  const found = await poll(async () => logLines(site).some(matches), (seen) => seen, timeoutMs);
  assert.ok(found.satisfied, `no log line for ${what} within ${timeoutMs} ms:\n${site.output().slice(-4000)}`);
}

describe("flow entries during a PostgreSQL outage (real site behind a fault proxy)", function () {
  this.timeout(240_000);
  let database: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let site: SiteProcess | undefined;
  let dataDir = "";
  let direct: pg.Client | undefined;
  let admin: SiteClient;

  const siteEnv = {
    PETROFLOW_ENTRY_WRITE_TIMEOUT_MS: "1500",
    PETROFLOW_ENTRY_RETRY_MAX_MS: "20000",
  };

  async function startSite(): Promise<void> {
    site = await startSiteProcess({ backend: "postgres", databaseUrl: proxy!.urlThrough(database!.url), dataDir, env: siteEnv });
    admin = await adminClient(site.url);
  }

  /** Gauges the flow recorded, per idempotency key, read straight from PostgreSQL (not through the proxy). */
  async function gaugeCounts(): Promise<Map<string, number>> {
    const result = await direct!.query<{ source_key: string; n: number }>(
      "SELECT source_key, count(*)::int AS n FROM tank_gauges WHERE source_key LIKE $1 GROUP BY source_key",
      [`${KEY_PREFIX}%`],
    );
    return new Map(result.rows.map((row) => [row.source_key, row.n]));
  }

  async function arm(start: number, count: number): Promise<void> {
    const armed = await admin.request("POST", "/endpoints/spool-outage/arm", { start, count });
    assert.equal(armed.status, 200, await armed.text());
  }

  async function waiting(): Promise<Waiting> {
    return admin.json<Waiting>("GET", "/api/v1/flow-entries/waiting");
  }

  /** Cuts the link while a batch is produced, then waits until the drain has backed off for a while, so the count can be read once the link is back. */
  async function cutWhileProducing(mode: FaultMode, start: number, count: number): Promise<void> {
    await arm(start, count);
    proxy!.setMode(mode);
    await waitForLog(site!, "the batch being produced", (line) => line.msg === `armed batch produced through ${start + count - 1}`);
    await waitForLog(site!, "a long drain backoff", (line) => line.msg === "flow entries still wait for the database" && (line.retryInMs ?? 0) >= 6_000, 90_000);
  }

  async function assertWrittenOnce(start: number, count: number): Promise<void> {
    const all = await poll(gaugeCounts, (counts) => [...Array(count).keys()].every((index) => counts.has(`${KEY_PREFIX}${start + index}`)), 60_000);
    const counts = all.value;
    const missing = [...Array(count).keys()].map((index) => `${KEY_PREFIX}${start + index}`).filter((key) => !counts.has(key));
    assert.deepEqual(missing, [], "gauges recorded during the outage are missing");
    const duplicated = [...counts].filter(([, n]) => n !== 1);
    assert.deepEqual(duplicated, [], "gauges recorded more than once");
  }

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    database = await createPostgresDatabase();
    const target = new URL(database.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-spool-outage-"));
    direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    await startSite();
    const strappingTable = [
      { levelM: 0, volumeM3: 0 },
      { levelM: 5, volumeM3: 50 },
    ];
    await createBattery(viaApi(admin), { field: "FLD-OUT", site: "BAT-OUT", wells: {}, tank: "TK-01", strappingTable, tankCapacityM3: 50 });
    const deployer = await bearerClientFrom(admin, "spool-outage-deploy");
    const running = await nodeRedFlows(deployer);
    const deployed = await deployViaEditorApi(deployer, [...running.flows, ...outageFlow()], { message: "spool outage test flow" });
    assert.equal(deployed.status, 200, await deployed.text());
    // Recorded at once while the link is up: the flow and the tank code work.
    const ready = await poll(() => admin.request("GET", "/endpoints/spool-outage/state"), (response) => response.status === 200, 20_000);
    assert.ok(ready.satisfied, "the test flow did not start");
    await arm(0, 3);
    await assertWrittenOnce(0, 3);
  });

  after(async () => {
    proxy?.setMode("pass");
    await site?.stop();
    await direct?.end();
    await proxy?.close();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const mode of ["reset", "blackhole"] as const) {
    it(`keeps the gauges of a ${mode} outage, shows how many wait, and writes each once when the link returns`, async () => {
      const start = mode === "reset" ? 100 : 200;
      const count = 10;
      await cutWhileProducing(mode, start, count);
      proxy!.setMode("pass");
      // The drain is backing off for several seconds: what waits is visible meanwhile.
      const shown = await waiting();
      assert.ok(shown.waiting >= 1, `the API shows nothing waiting: ${JSON.stringify(shown)}`);
      assert.ok((shown.oldestAgeSeconds ?? 0) > 0);
      assert.equal(shown.retrying, true);
      const state = await admin.json<{ status: string | null; caught: string[] }>("GET", "/endpoints/spool-outage/state");
      assert.match(String(state.status), /^\d+ waiting for the database$/);
      assert.deepEqual(state.caught, [], "no entry went to Catch");

      await assertWrittenOnce(start, count);
      const drained = await poll(waiting, (now) => now.waiting === 0, 60_000);
      assert.ok(drained.satisfied, `still waiting: ${JSON.stringify(drained.value)}`);
      const after = await admin.json<{ status: string | null }>("GET", "/endpoints/spool-outage/state");
      assert.equal(after.status, "waiting entries recorded");
    });
  }

  it("writes each waiting gauge once after the site is killed with SIGKILL while they wait", async () => {
    const start = 300;
    const count = 8;
    await cutWhileProducing("reset", start, count);
    const spooled = logLines(site!).some((line) => line.msg === "database unavailable: the flow entry waits in the spool");
    assert.ok(spooled, "the gauges went to the spool");
    site!.child.kill("SIGKILL");
    await new Promise((resolve) => site!.child.once("exit", resolve));
    proxy!.setMode("pass");
    await startSite();
    await waitForLog(site!, "the restart finding the waiting gauges", (line) => line.msg === "flow entries wait in the spool from before the restart; writing them when the database answers");
    await assertWrittenOnce(start, count);
    const drained = await poll(waiting, (now) => now.waiting === 0, 60_000);
    assert.ok(drained.satisfied, `still waiting: ${JSON.stringify(drained.value)}`);
    // Nothing from earlier cuts came back twice either.
    await assertWrittenOnce(100, 10);
  });
});

describe("flow entries waiting at start on PGlite", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let dataDir = "";

  after(async () => {
    await site?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes entries found in the spool at start, once, even when they were already written", async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-spool-pglite-"));
    site = await startSiteProcess({ backend: "pglite", dataDir });
    let admin = await adminClient(site.url);
    const strappingTable = [
      { levelM: 0, volumeM3: 0 },
      { levelM: 5, volumeM3: 50 },
    ];
    const { tankId } = await createBattery(viaApi(admin), { field: "FLD-PGL", site: "BAT-PGL", wells: {}, tank: "TK-01", strappingTable });
    const gauge = (minute: number) => ({ tankId, gaugedAt: `2026-06-01T00:${String(minute).padStart(2, "0")}:00Z`, levelM: 2, source: "flow", sourceKey: `pglite-spool-${minute}` });
    // One of them is recorded now, as if the write had committed just before a crash that kept it in the spool.
    await admin.json("POST", "/api/v1/production/tank-gauges", gauge(1), 201);
    assert.equal(await site.stop(), 0);

    const spool = await Spool.open({ dir: flowEntrySpoolDir(dataDir), maxRecords: 100, maxBytes: 1 << 20 });
    await spool.appendBatch([0, 1, 2].map((minute) => Buffer.from(JSON.stringify({ v: 1, operation: "recordTankGauge", input: gauge(minute), actor: "flow:gone-node" }))));
    await spool.close();

    site = await startSiteProcess({ backend: "pglite", dataDir });
    admin = await adminClient(site.url);
    const listed = await poll(
      () => admin.json<{ items: { sourceKey: string | null; createdBy: string }[] }>("GET", `/api/v1/production/tank-gauges?tankId=${tankId}&limit=100`),
      (page) => page.items.length >= 3,
      30_000,
    );
    const keys = listed.value.items.map((item) => item.sourceKey).sort();
    assert.deepEqual(keys, ["pglite-spool-0", "pglite-spool-1", "pglite-spool-2"]);
    const drained = await poll(() => admin.json<Waiting>("GET", "/api/v1/flow-entries/waiting"), (now) => now.waiting === 0, 30_000);
    assert.ok(drained.satisfied);
    assert.deepEqual(fs.statSync(flowEntrySpoolDir(dataDir)).mode & 0o777, 0o700);
  });
});
