import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../../../helpers/fault-proxy.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { createBattery, viaApi } from "../../erp-modules/erp-fixtures.js";
import { adminClient, bearerClientFrom, deployViaEditorApi, nodeRedFlows, poll } from "../../support.js";

/*
 * A site on PostgreSQL behind the fault proxy, with a flow that records
 * tank gauges on demand, for the tests of flow entries during an outage
 * (test/integration/runtime/flow-entries, test/e2e/waiting-entries).
 */

const TAB = "tab-spool-outage";
const ENTRY_NODE = "entry-outage-gauge";
export const KEY_PREFIX = "outage-gauge-";

/**
 * The test's flow. POST /endpoints/spool-outage/arm {start, count} arms a
 * batch; an inject then emits one gauge of it every 200 ms (so gauges keep
 * coming while the database is cut off), each with its own idempotency key.
 * The entry node's status and any Catch are kept for GET .../state.
 */
export function outageFlow(): FlowNode[] {
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

export interface Waiting {
  waiting: number;
  maxRecords: number;
  oldestAgeSeconds: number | null;
  retrying: boolean;
}

export interface LogLine {
  msg?: string;
  retryInMs?: number;
}

export function logLines(site: SiteProcess): LogLine[] {
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

/** Waits for a log line that matches, among those printed after the first `fromLine` (earlier scenarios on the same site printed the rest). */
export async function waitForLog(site: SiteProcess, what: string, matches: (line: LogLine) => boolean, timeoutMs = 60_000, fromLine = 0): Promise<void> {
  const found = await poll(async () => logLines(site).slice(fromLine).some(matches), (seen) => seen, timeoutMs);
  assert.ok(found.satisfied, `no log line for ${what} within ${timeoutMs} ms:\n${site.output().slice(-4000)}`);
}


/** The drain's last "still waiting" log says it backs off for at least this long. */
function backingOffAtLeast(ms: number): (line: LogLine) => boolean {
  return (line) => line.msg === "flow entries still wait for the database" && (line.retryInMs ?? 0) >= ms;
}

export interface OutageSite {
  site: SiteProcess;
  admin: SiteClient;
  proxy: FaultProxy;
  dataDir: string;
  /** Starts (or restarts, on the same data dir and database) the site process, and signs the admin in. */
  start(): Promise<void>;
  /** Arms the flow to record gauges start … start+count-1, one every 200 ms. */
  arm(start: number, count: number): Promise<void>;
  /**
   * Arms a batch and cuts the link at once, then waits until the batch is
   * produced and the drain backs off for at least `backoffMs`: the window
   * in which, once the link is back, the waiting entries can be seen.
   */
  cutWhileProducing(mode: FaultMode, start: number, count: number, backoffMs: number): Promise<void>;
  waiting(): Promise<Waiting>;
  /** Gauges the flow recorded, per idempotency key, read straight from PostgreSQL (not through the proxy). */
  gaugeCounts(): Promise<Map<string, number>>;
  /** Waits until gauges start … start+count-1 are all recorded, then checks none is missing or recorded twice. */
  assertWrittenOnce(start: number, count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates a database, a fault proxy in front of it and a site on it, with
 * tank TK-01 and the outage flow deployed, and checks that a first batch is
 * recorded at once while the link is up. `env` sets the site's settings.
 */
export async function startOutageSite(env: Record<string, string>): Promise<OutageSite> {
  const database = await createPostgresDatabase();
  const target = new URL(database.url);
  const proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-spool-outage-"));
  const direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
  const state = {} as OutageSite;
  Object.assign(state, {
    proxy,
    dataDir,
    async start() {
      state.site = await startSiteProcess({ backend: "postgres", databaseUrl: proxy.urlThrough(database.url), dataDir, env });
      state.admin = await adminClient(state.site.url);
    },
    async arm(start: number, count: number) {
      const armed = await state.admin.request("POST", "/endpoints/spool-outage/arm", { start, count });
      assert.equal(armed.status, 200, await armed.text());
    },
    async cutWhileProducing(mode: FaultMode, start: number, count: number, backoffMs: number) {
      // A backoff logged by an earlier cut on this site says nothing about this one.
      const before = logLines(state.site).length;
      await state.arm(start, count);
      proxy.setMode(mode);
      await waitForLog(state.site, "the batch being produced", (line) => line.msg === `armed batch produced through ${start + count - 1}`);
      await waitForLog(state.site, `a drain backoff of ${backoffMs} ms`, backingOffAtLeast(backoffMs), 120_000, before);
    },
    waiting: () => state.admin.json<Waiting>("GET", "/api/v1/flow-entries/waiting"),
    async gaugeCounts() {
      const result = await direct.query<{ source_key: string; n: number }>(
        "SELECT source_key, count(*)::int AS n FROM tank_gauges WHERE source_key LIKE $1 GROUP BY source_key",
        [`${KEY_PREFIX}%`],
      );
      return new Map(result.rows.map((row) => [row.source_key, row.n]));
    },
    async assertWrittenOnce(start: number, count: number) {
      const keys = Array.from({ length: count }, (_, index) => `${KEY_PREFIX}${start + index}`);
      const { value: counts } = await poll(() => state.gaugeCounts(), (seen) => keys.every((key) => seen.has(key)), 60_000);
      assert.deepEqual(
        keys.filter((key) => !counts.has(key)),
        [],
        "gauges recorded during the outage are missing",
      );
      assert.deepEqual(
        [...counts].filter(([, n]) => n !== 1),
        [],
        "gauges recorded more than once",
      );
    },
    async close() {
      proxy.setMode("pass");
      await state.site?.stop();
      await direct.end();
      await proxy.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
  try {
    await state.start();
    const strappingTable = [
      { levelM: 0, volumeM3: 0 },
      { levelM: 5, volumeM3: 50 },
    ];
    await createBattery(viaApi(state.admin), { field: "FLD-OUT", site: "BAT-OUT", wells: {}, tank: "TK-01", strappingTable, tankCapacityM3: 50 });
    const deployer = await bearerClientFrom(state.admin, "spool-outage-deploy");
    const running = await nodeRedFlows(deployer);
    const deployed = await deployViaEditorApi(deployer, [...running.flows, ...outageFlow()], { message: "spool outage test flow" });
    assert.equal(deployed.status, 200, await deployed.text());
    const ready = await poll(() => state.admin.request("GET", "/endpoints/spool-outage/state"), (response) => response.status === 200, 20_000);
    assert.ok(ready.satisfied, "the outage flow did not start");
    // Recorded at once while the link is up: the flow and the tank code work.
    await state.arm(0, 3);
    await state.assertWrittenOnce(0, 3);
    return state;
  } catch (error) {
    await state.close();
    throw error;
  }
}
