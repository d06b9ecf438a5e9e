import assert from "node:assert/strict";
import pg from "pg";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { createBattery, viaApi } from "../erp-fixtures.js";
import { adminClient, poll } from "../../support.js";

/**
 * The periodic maintenance due check (PlanService.start) through a
 * PostgreSQL outage behind the fault proxy: a reset cut, then a blackhole,
 * while a calendar plan comes due. The checks that run during the cut fail
 * and are logged, the site lives, and the first check after the link is back
 * opens the plan's work order: once, like the order of a plan that was due
 * before the cut, which no check opens again.
 */

const CHECK_INTERVAL_S = 10;
const SITE_ENV = {
  PETROFLOW_DB_CONNECT_TIMEOUT_MS: "1000",
  PETROFLOW_DB_STATEMENT_TIMEOUT_MS: "1500",
  PETROFLOW_DB_QUERY_TIMEOUT_MS: "2000",
  PETROFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3000",
  PETROFLOW_DB_KEEPALIVE_MS: "1000",
  PETROFLOW_REQUEST_TIMEOUT_MS: "3000",
  PETROFLOW_MAINTENANCE_CHECK_INTERVAL_SECONDS: String(CHECK_INTERVAL_S),
};
const DAY_MS = 86_400_000;
/** Each cut outlasts a check interval, so at least one check runs into each kind of failure. */
const RESET_MS = CHECK_INTERVAL_S * 1000 + 3_000;
const BLACKHOLE_MS = CHECK_INTERVAL_S * 1000 + 5_000;
/** The plan made just before the cuts falls due inside them. */
const DUE_AFTER_MS = 8_000;
/** After the link is back: the next check, plus slack for a loaded machine. */
const CATCH_UP_LIMIT_MS = 3 * CHECK_INTERVAL_S * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LogLine {
  msg?: string;
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

describe("the maintenance due check through a PostgreSQL outage (fault proxy)", function () {
  this.timeout(5 * 60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let site: SiteProcess | undefined;
  let direct: pg.Client | undefined;
  let admin: SiteClient;
  let equipmentId = "";

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    site = await startSiteProcess({ backend: "postgres", databaseUrl: proxy.urlThrough(created.url), env: SITE_ENV });
    admin = await adminClient(site.url);
    const battery = await createBattery(viaApi(admin), { field: "FLD-MO", site: "BAT-MO", wells: {}, tank: "TK-MO" });
    equipmentId = (
      await admin.json<{ id: string }>("POST", "/api/v1/assets", { kind: "equipment", code: "ESP-MO", name: "ESP", parentId: battery.siteId, equipment: { equipmentType: "esp" } }, 201)
    ).id;
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

  const createPlan = (name: string, lastDoneAt: number) =>
    admin.json<{ id: string }>("POST", "/api/v1/maintenance/plans", { equipmentId, name, kind: "calendar", intervalDays: 1, lastDoneAt: new Date(lastDoneAt).toISOString() }, 201);

  /** Work orders per plan, and audit rows of their creation, read straight from PostgreSQL (not through the proxy). */
  async function ordersOf(planId: string): Promise<{ orders: string[]; audited: number }> {
    const orders = await direct!.query<{ id: string }>("SELECT id FROM maintenance_work_orders WHERE plan_id = $1", [planId]);
    const audited = await direct!.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'maintenance.work_order.create' AND entity_id = ANY($1::text[])",
      [orders.rows.map((row) => row.id)],
    );
    return { orders: orders.rows.map((row) => row.id), audited: audited.rows[0]?.n ?? 0 };
  }

  it("fails the checks during a reset and a blackhole cut without dying, then opens the plan that fell due once, and none twice", async () => {
    const dueBefore = await createPlan("Monthly inspection (due before the cut)", Date.now() - 2 * DAY_MS);
    const openedBefore = await poll(() => ordersOf(dueBefore.id), (seen) => seen.orders.length > 0, CATCH_UP_LIMIT_MS);
    assert.ok(openedBefore.satisfied, "the plan due before the cut opened no work order");

    const dueDuring = await createPlan("Seal check (falls due during the cut)", Date.now() - DAY_MS + DUE_AFTER_MS);
    const linesBefore = logLines(site!).length;
    proxy!.setMode("reset");
    await sleep(RESET_MS);
    assert.equal(site!.child.exitCode, null, `the site died during the reset cut:\n${site!.output().slice(-3000)}`);
    proxy!.setMode("blackhole");
    await sleep(BLACKHOLE_MS);
    assert.equal(site!.child.exitCode, null, `the site died during the blackhole cut:\n${site!.output().slice(-3000)}`);
    const failures = logLines(site!)
      .slice(linesBefore)
      .filter((line) => line.msg === "the maintenance due check failed" || line.msg === "a maintenance plan could not be checked");
    assert.ok(failures.length >= 2, `the checks during the cuts left no failure in the log:\n${site!.output().slice(-3000)}`);
    assert.deepEqual((await ordersOf(dueDuring.id)).orders, [], "a work order was opened while the database was cut off");
    proxy!.setMode("pass");

    const caughtUp = await poll(() => ordersOf(dueDuring.id), (seen) => seen.orders.length > 0, CATCH_UP_LIMIT_MS);
    assert.ok(caughtUp.satisfied, `the check did not catch up within ${CATCH_UP_LIMIT_MS} ms after the link came back:\n${site!.output().slice(-3000)}`);
    // Another check or two run with both plans still due: neither may open a second order.
    await sleep(2 * CHECK_INTERVAL_S * 1000);
    for (const plan of [dueBefore, dueDuring]) {
      const { orders, audited } = await ordersOf(plan.id);
      assert.equal(orders.length, 1, `plan ${plan.id} has ${orders.length} work orders`);
      assert.equal(audited, 1, `plan ${plan.id}'s work order has ${audited} creation audit rows`);
    }
    assert.equal(site!.child.exitCode, null, "the site died after the cuts");
    const health = await fetch(`${site!.url}/healthz`);
    assert.equal(health.status, 200);
  });
});
