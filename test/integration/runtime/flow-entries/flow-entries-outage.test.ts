import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flowEntrySpoolDir } from "../../../../runtime/flow-entries/open-flow-entries.js";
import { Spool } from "../../../../runtime/spool/spool.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, viaApi } from "../../erp-modules/erp-fixtures.js";
import { adminClient, createUser, poll, sessionAs } from "../../support.js";
import { logLines, startOutageSite, waitForLog, type OutageSite, type Waiting } from "../flow-entries/outage-site.js";

/*
 * A flow records tank gauges while the link to PostgreSQL is cut (the fault
 * proxy resets or blackholes it). The gauges wait in the site's spool, the
 * node status and the API say how many, and once the link is back each is
 * written exactly once, also when the site is killed with SIGKILL while
 * they wait.
 */
describe("flow entries during a PostgreSQL outage (real site behind a fault proxy)", function () {
  this.timeout(240_000);
  let outage: OutageSite | undefined;

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    outage = await startOutageSite({ PETROFLOW_ENTRY_WRITE_TIMEOUT_MS: "1500", PETROFLOW_ENTRY_RETRY_MAX_MS: "20000" });
  });

  after(async () => {
    await outage?.close();
  });

  for (const mode of ["reset", "blackhole"] as const) {
    it(`keeps the gauges of a ${mode} outage, shows how many wait, and writes each once when the link returns`, async () => {
      const { proxy, admin } = outage!;
      const start = mode === "reset" ? 100 : 200;
      const count = 10;
      await outage!.cutWhileProducing(mode, start, count, 6_000);
      proxy.setMode("pass");
      // The drain is backing off for several seconds: what waits is visible meanwhile.
      const shown = await outage!.waiting();
      assert.ok(shown.waiting >= 1, `the API shows nothing waiting: ${JSON.stringify(shown)}`);
      assert.ok((shown.oldestAgeSeconds ?? 0) > 0);
      assert.equal(shown.retrying, true);
      const state = await admin.json<{ status: string | null; caught: string[] }>("GET", "/endpoints/spool-outage/state");
      assert.match(String(state.status), /^\d+ waiting for the database$/);
      assert.deepEqual(state.caught, [], "no entry went to Catch");

      await outage!.assertWrittenOnce(start, count);
      const drained = await poll(() => outage!.waiting(), (now) => now.waiting === 0, 60_000);
      assert.ok(drained.satisfied, `still waiting: ${JSON.stringify(drained.value)}`);
      const after = await admin.json<{ status: string | null }>("GET", "/endpoints/spool-outage/state");
      assert.equal(after.status, "waiting entries recorded");
    });
  }

  it("writes each waiting gauge once after the site is killed with SIGKILL while they wait", async () => {
    const start = 300;
    const count = 8;
    await outage!.cutWhileProducing("reset", start, count, 2_000);
    assert.ok(
      logLines(outage!.site).some((line) => line.msg === "database unavailable: the flow entry waits in the spool"),
      "the gauges went to the spool",
    );
    outage!.site.child.kill("SIGKILL");
    await new Promise((resolve) => outage!.site.child.once("exit", resolve));
    outage!.proxy.setMode("pass");
    await outage!.start();
    await waitForLog(outage!.site, "the restart finding the waiting gauges", (line) => line.msg === "flow entries wait in the spool from before the restart; writing them when the database answers");
    await outage!.assertWrittenOnce(start, count);
    const drained = await poll(() => outage!.waiting(), (now) => now.waiting === 0, 60_000);
    assert.ok(drained.satisfied, `still waiting: ${JSON.stringify(drained.value)}`);
    // Nothing from earlier cuts came back twice either.
    await outage!.assertWrittenOnce(100, 10);
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

  it("lets every signed-in role read what waits, and no anonymous caller; /metrics has the spool's depth", async () => {
    const admin = await adminClient(site!.url);
    await createUser(admin, "vera-viewer", "viewer");
    const viewer = await sessionAs(site!.url, "vera-viewer");
    const status = await viewer.json<Waiting>("GET", "/api/v1/flow-entries/waiting");
    assert.equal(status.waiting, 0);
    assert.equal(status.retrying, false);
    assert.equal(status.maxRecords, 50_000, "the default bound");
    const anonymous = await fetch(`${site!.url}/api/v1/flow-entries/waiting`, { headers: { accept: "application/json" } });
    assert.equal(anonymous.status, 401);
    const openapi = await admin.json<{ paths: Record<string, unknown> }>("GET", "/api/v1/openapi.json");
    assert.ok("/api/v1/flow-entries/waiting" in openapi.paths);
    const metrics = await (await admin.request("GET", "/metrics")).text();
    assert.match(metrics, /^petroflow_spool_records\{spool="flow-entries"\} 0$/m);
    assert.match(metrics, /^petroflow_spool_bytes\{spool="flow-entries"\} 0$/m);
    assert.match(metrics, /^petroflow_flow_entries_total\{outcome="drained"\} 3$/m, "the three spooled entries were drained");
  });
});
