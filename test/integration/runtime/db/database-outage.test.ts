import assert from "node:assert/strict";
import pg from "pg";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { acknowledged, describeOutcome, keyedWrite, sendKeyed, type KeyedWrite, type WriteOutcome } from "../../../helpers/keyed-writes.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createBattery, viaApi } from "../../erp-modules/erp-fixtures.js";
import { KEY_PREFIX, outageFlow } from "../flow-entries/outage-site.js";
import { adminClient, bearerClientFrom, deployViaEditorApi, nodeRedFlows, poll } from "../../support.js";

/**
 * Issue 8 §1: a running site between PostgreSQL and a TCP fault proxy,
 * 12 keyed writers, 10 cuts alternating reset and blackhole. The scenario
 * runs once (before); each `it` judges one property of what it recorded.
 */

const REQUEST_TIMEOUT_MS = 3_000;
const SHUTDOWN_TIMEOUT_MS = 8_000;
const SITE_ENV = {
  PETROFLOW_DB_CONNECT_TIMEOUT_MS: "1000",
  PETROFLOW_DB_STATEMENT_TIMEOUT_MS: "1500",
  PETROFLOW_DB_QUERY_TIMEOUT_MS: "2000",
  PETROFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3000",
  PETROFLOW_DB_KEEPALIVE_MS: "1000",
  PETROFLOW_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  PETROFLOW_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  // A flow's entry waits in the spool when its write gets no answer this soon, and the drain retries often.
  PETROFLOW_ENTRY_WRITE_TIMEOUT_MS: "1500",
  PETROFLOW_ENTRY_RETRY_MAX_MS: "3000",
};
const WRITERS = 12;
/** Tank gauges the flow records, one every 200 ms from just before the first cut: about 40 s, through most of the cuts. */
const FLOW_GAUGES = 200;
/** How long the drain may take, after the link is back for good, to write every gauge that waited. */
const FLOW_DRAIN_LIMIT_MS = 90_000;
const CUTS = 10;
const CUT_MS = 3_000;
const LINK_UP_MS = 1_500;
/** Scheduling slack on a loaded 2-core box, on top of the request deadline. */
const MARGIN_MS = 2_000;
const HEALTHZ_LIMIT_MS = 2_000;
/** After the last cut, how long an unacknowledged write may keep being refused before the scenario gives up on it. */
const RECOVERY_LIMIT_MS = 15_000;
/** The client gives up long after the site should have answered: a hang shows as "no answer". */
const CLIENT_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 10_000;

interface Attempt {
  write: KeyedWrite;
  outcome: WriteOutcome;
  mode: FaultMode;
}

/** What a signed-in operator's browser sees of the waiting entries during the cuts. */
interface WaitingProbe {
  status: number | "no answer";
  elapsedMs: number;
  mode: FaultMode;
  waiting: number | null;
}

interface HealthProbe {
  status: number | "no answer";
  elapsedMs: number;
  mode: FaultMode;
}

/** A call to Node-RED's editor and admin API made during a cut. */
interface EditorCall {
  what: string;
  mode: FaultMode;
  status: number | "no answer";
  retryAfter: string | null;
  code: string | null;
  elapsedMs: number;
}

interface Recorded {
  editor: EditorCall[];
  attempts: Attempt[];
  health: HealthProbe[];
  writes: KeyedWrite[];
  /** Writes made after the last cut healed, all acknowledged. */
  afterRecovery: Attempt[];
  exitedDuringCuts: (number | null)[];
  sigterm: { code: number | null; elapsedMs: number };
  /** The operator's view of the waiting entries, polled through the cuts with a session made before them. */
  waitingSeen: WaitingProbe[];
  /** The flow's gauges in the database once drained: times recorded per idempotency key. */
  flowGauges: Map<string, number>;
  /** Errors the flow's Catch node heard from the entry node. */
  flowCaught: string[];
  log: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function callEditor(what: string, mode: FaultMode, send: () => Promise<Response>): Promise<EditorCall> {
  const started = Date.now();
  try {
    const response = await send();
    const text = await response.text();
    let code: string | null = null;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
    } catch {
      // Node-RED's own answers are not always JSON
    }
    return { what, mode, status: response.status, retryAfter: response.headers.get("retry-after"), code, elapsedMs: Date.now() - started };
  } catch {
    return { what, mode, status: "no answer", retryAfter: null, code: null, elapsedMs: Date.now() - started };
  }
}

async function probeHealth(url: string): Promise<{ status: number | "no answer"; elapsedMs: number }> {
  const started = Date.now();
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await response.text();
    return { status: response.status, elapsedMs: Date.now() - started };
  } catch {
    return { status: "no answer", elapsedMs: Date.now() - started };
  }
}

describe("a PostgreSQL outage under load: 12 keyed writers, 10 cuts (reset and blackhole) through a fault proxy", function () {
  this.timeout(10 * 60_000);
  let created: { url: string; drop(): Promise<void> } | undefined;
  let proxy: FaultProxy | undefined;
  let site: SiteProcess | undefined;
  let recorded: Recorded | undefined;

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startFaultProxy(target.hostname, Number(target.port || 5432));
    site = await startSiteProcess({ backend: "postgres", databaseUrl: proxy.urlThrough(created.url), env: SITE_ENV });
    const admin = await adminClient(site.url);
    const deployer = await bearerClientFrom(admin, "outage-test");
    const bearer = deployer.bearer;
    // A flow records tank gauges right through the cuts (test/integration/runtime/flow-entries/outage-site.ts).
    const strappingTable = [
      { levelM: 0, volumeM3: 0 },
      { levelM: 5, volumeM3: 50 },
    ];
    await createBattery(viaApi(admin), { field: "FLD-OUT", site: "BAT-OUT", wells: {}, tank: "TK-01", strappingTable, tankCapacityM3: 50 });
    const running = await nodeRedFlows(deployer);
    const deployed = await deployViaEditorApi(deployer, [...running.flows, ...outageFlow()], { message: "database outage test flow" });
    assert.equal(deployed.status, 200, await deployed.text());
    const ready = await poll(() => admin.request("GET", "/endpoints/spool-outage/state"), (response) => response.status === 200, 20_000);
    assert.ok(ready.satisfied, "the gauge flow did not start");
    const armed = await admin.request("POST", "/endpoints/spool-outage/arm", { start: 0, count: FLOW_GAUGES });
    assert.equal(armed.status, 200, await armed.text());
    const direct = new pg.Client({ connectionString: created.url });
    await direct.connect();
    try {
      recorded = await runOutage(site, proxy, bearer, {
        async gaugeCounts() {
          const rows = await direct.query<{ source_key: string; n: number }>(
            "SELECT source_key, count(*)::int AS n FROM tank_gauges WHERE source_key LIKE $1 GROUP BY source_key",
            [`${KEY_PREFIX}%`],
          );
          return new Map(rows.rows.map((row) => [row.source_key, row.n]));
        },
        async caught() {
          const state = await admin.json<{ caught: string[] }>("GET", "/endpoints/spool-outage/state");
          return state.caught;
        },
        async waiting() {
          const started = Date.now();
          try {
            const response = await admin.request("GET", "/api/v1/flow-entries/waiting");
            const body = (await response.json()) as { waiting?: number };
            return { status: response.status, elapsedMs: Date.now() - started, waiting: typeof body.waiting === "number" ? body.waiting : null };
          } catch {
            return { status: "no answer" as const, elapsedMs: Date.now() - started, waiting: null };
          }
        },
      });
    } finally {
      await direct.end();
    }
  });

  after(async function () {
    this.timeout(60_000);
    proxy?.setMode("pass");
    await site?.dispose();
    await proxy?.close();
    await created?.drop();
  });

  interface FlowProbe {
    gaugeCounts(): Promise<Map<string, number>>;
    caught(): Promise<string[]>;
    /** GET /api/v1/flow-entries/waiting with the admin's browser session (cookie). */
    waiting(): Promise<Omit<WaitingProbe, "mode">>;
  }

  async function runOutage(running: SiteProcess, link: FaultProxy, bearer: string, flow: FlowProbe): Promise<Recorded> {
    const attempts: Attempt[] = [];
    const health: HealthProbe[] = [];
    const writes: KeyedWrite[] = [];
    const exitedDuringCuts: (number | null)[] = [];
    let stopping = false;
    let stoppedAt = 0;
    const gone = () => running.child.exitCode !== null || running.child.signalCode !== null;

    const writer = async (index: number) => {
      for (let sequence = 0; !stopping; sequence++) {
        const write = keyedWrite(`w${index}`, sequence);
        writes.push(write);
        // Until acknowledged, the same write is sent again with its key, as a
        // careful client does; a dead site, or one still refusing well after
        // the last cut, ends the wait (and fails the checks below).
        for (;;) {
          const mode = link.mode();
          const outcome = await sendKeyed(running.url, bearer, write, CLIENT_TIMEOUT_MS);
          attempts.push({ write, outcome, mode });
          if (acknowledged(outcome) || gone() || (stopping && Date.now() - stoppedAt > RECOVERY_LIMIT_MS)) break;
          await sleep(250);
        }
      }
    };
    const monitor = async () => {
      while (!stopping && !gone()) {
        const mode = link.mode();
        health.push({ ...(await probeHealth(running.url)), mode });
        await sleep(200);
      }
    };
    const waitingSeen: WaitingProbe[] = [];
    const operator = async () => {
      while (!stopping && !gone()) {
        const mode = link.mode();
        waitingSeen.push({ ...(await flow.waiting()), mode });
        await sleep(300);
      }
    };

    const editor: EditorCall[] = [];
    const editorCalls = async (mode: FaultMode, withLogin: boolean) => {
      const signal = () => AbortSignal.timeout(CLIENT_TIMEOUT_MS);
      const calls = [
        callEditor("GET /editor/flows (bearer)", mode, () =>
          fetch(`${running.url}/editor/flows`, { headers: { authorization: `Bearer ${bearer}` }, signal: signal() }),
        ),
      ];
      // Node-RED refuses a 6th password grant for a user within 10 minutes, so only a few.
      if (withLogin) {
        calls.push(
          callEditor("POST /editor/auth/token (password grant)", mode, () =>
            fetch(`${running.url}/editor/auth/token`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({ client_id: "node-red-admin", grant_type: "password", scope: "*", username: "admin", password: ADMIN_PASSWORD }).toString(),
              signal: signal(),
            }),
          ),
        );
      }
      editor.push(...(await Promise.all(calls)));
    };

    const writers = Array.from({ length: WRITERS }, (_, index) => writer(index));
    const healthMonitor = monitor();
    const operatorScreen = operator();
    for (let cut = 0; cut < CUTS && !gone(); cut++) {
      await sleep(LINK_UP_MS);
      const mode: FaultMode = cut % 2 === 0 ? "reset" : "blackhole";
      link.setMode(mode);
      // Into the cut, once the pool has noticed.
      await sleep(CUT_MS / 3);
      await editorCalls(mode, cut < 2);
      await sleep(Math.max(0, CUT_MS - CUT_MS / 3 - (editor.at(-1)?.elapsedMs ?? 0)));
      link.setMode("pass");
      exitedDuringCuts.push(running.child.exitCode);
    }
    // The site must come back by itself: writes flow again.
    await sleep(LINK_UP_MS * 2);
    stopping = true;
    stoppedAt = Date.now();
    await Promise.all([...writers, healthMonitor, operatorScreen]);

    const afterRecovery: Attempt[] = [];
    for (let index = 0; index < 6; index++) {
      const write = keyedWrite("after", index);
      writes.push(write);
      afterRecovery.push({ write, outcome: await sendKeyed(running.url, bearer, write, CLIENT_TIMEOUT_MS), mode: link.mode() });
    }

    // Every gauge the flow recorded during the cuts is written once the spool drains.
    const gaugeKeys = Array.from({ length: FLOW_GAUGES }, (_, index) => `${KEY_PREFIX}${index}`);
    const drained = await poll(() => flow.gaugeCounts(), (counts) => gaugeKeys.every((key) => counts.has(key)), FLOW_DRAIN_LIMIT_MS);
    const flowCaught = await flow.caught();

    // SIGTERM during another blackhole, with writes in flight: still exit 0, in time.
    link.setMode("blackhole");
    const inFlight = Array.from({ length: 4 }, (_, index) => sendKeyed(running.url, bearer, keyedWrite("shutdown", index), CLIENT_TIMEOUT_MS));
    await sleep(300);
    const stopStarted = Date.now();
    const code = await running.stop();
    const sigterm = { code, elapsedMs: Date.now() - stopStarted };
    await Promise.all(inFlight);
    link.setMode("pass");
    return { editor, attempts, health, writes, afterRecovery, exitedDuringCuts, sigterm, waitingSeen, flowGauges: drained.value, flowCaught, log: running.output() };
  }

  const result = (): Recorded => {
    assert.ok(recorded, "the outage scenario ran");
    return recorded;
  };

  it("the process never exits, and logs no unhandled rejection", () => {
    const { exitedDuringCuts, log } = result();
    assert.deepEqual(
      exitedDuringCuts,
      Array.from({ length: CUTS }, () => null),
    );
    assert.doesNotMatch(log, /unhandled promise rejection|uncaughtException/i);
  });

  it("no request takes longer than the request deadline (plus scheduling slack); none goes unanswered", () => {
    const { attempts } = result();
    const slow = attempts.filter((attempt) => attempt.outcome.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS);
    assert.deepEqual(
      slow.map((attempt) => `${attempt.write.key} (${attempt.mode}): ${describeOutcome(attempt.outcome)} after ${attempt.outcome.elapsedMs} ms`),
      [],
    );
    const unanswered = attempts.filter((attempt) => attempt.outcome.kind === "no answer");
    assert.deepEqual(
      unanswered.map((attempt) => `${attempt.write.key}: ${describeOutcome(attempt.outcome)}`),
      [],
    );
  });

  it("while the database is away the API answers 503 with Retry-After and a clear code, never a 500", () => {
    const { attempts } = result();
    const refused = attempts.filter((attempt) => attempt.outcome.kind === "answered" && !acknowledged(attempt.outcome));
    assert.ok(refused.length > 0, "the cuts refused some writes");
    const wrong = refused.filter(
      (attempt) =>
        attempt.outcome.kind !== "answered" ||
        attempt.outcome.status !== 503 ||
        !attempt.outcome.retryAfter ||
        !["database_unavailable", "request_timeout"].includes(attempt.outcome.code ?? ""),
    );
    assert.deepEqual(
      wrong.map((attempt) => `${attempt.write.key} (${attempt.mode}): ${describeOutcome(attempt.outcome)} retry-after=${attempt.outcome.kind === "answered" ? attempt.outcome.retryAfter : "-"}`),
      [],
    );
    const codes = new Set(refused.map((attempt) => (attempt.outcome.kind === "answered" ? attempt.outcome.code : null)));
    assert.ok(codes.has("database_unavailable"), `codes seen: ${[...codes].join(", ")}`);
  });

  it("Node-RED's editor API and its password grant answer 503 with Retry-After during a cut, in time, never 401 or 500", () => {
    const { editor } = result();
    assert.ok(editor.length >= CUTS, "the editor was called during every cut");
    const wrong = editor.filter(
      (call) =>
        call.status !== 503 ||
        !call.retryAfter ||
        !["database_unavailable", "request_timeout"].includes(call.code ?? "") ||
        call.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS,
    );
    assert.deepEqual(
      wrong.map((call) => `${call.what} (${call.mode}): ${call.status} ${call.code ?? ""} retry-after=${call.retryAfter ?? "-"} after ${call.elapsedMs} ms`),
      [],
    );
  });

  it("/healthz answers within 2 s throughout, and says the database is unreachable during a cut", () => {
    const { health } = result();
    const slow = health.filter((probe) => probe.status === "no answer" || probe.elapsedMs >= HEALTHZ_LIMIT_MS);
    assert.deepEqual(
      slow.map((probe) => `${probe.mode}: ${probe.status} after ${probe.elapsedMs} ms`),
      [],
    );
    for (const mode of ["reset", "blackhole"] as const) {
      assert.ok(
        health.some((probe) => probe.mode === mode && probe.status === 503),
        `healthz reported the database away during a ${mode}`,
      );
    }
  });

  it("comes back by itself: every write refused during a cut is acknowledged on a retry with its key", () => {
    const { attempts, writes } = result();
    const acknowledgedKeys = new Set(attempts.filter((attempt) => acknowledged(attempt.outcome)).map((attempt) => attempt.write.key));
    const never = writes.filter((write) => attempts.some((attempt) => attempt.write.key === write.key) && !acknowledgedKeys.has(write.key));
    assert.deepEqual(
      never.map((write) => write.key),
      [],
    );
  });

  it("writes after the last cut succeed at once, and /healthz is 200", () => {
    const { afterRecovery, health } = result();
    assert.deepEqual(
      afterRecovery.filter((attempt) => !acknowledged(attempt.outcome)).map((attempt) => describeOutcome(attempt.outcome)),
      [],
    );
    assert.equal(health.at(-1)?.status, 200);
  });

  it("0 acknowledged writes lost, 0 duplicates, 0 keys left claimed (rows counted in the database)", async () => {
    const { writes, attempts } = result();
    assert.ok(created);
    const acknowledgedKeys = new Set(attempts.filter((attempt) => acknowledged(attempt.outcome)).map((attempt) => attempt.write.key));
    for (const attempt of result().afterRecovery) if (acknowledged(attempt.outcome)) acknowledgedKeys.add(attempt.write.key);
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    try {
      const tagPaths = writes.filter((write) => write.path === "/api/v1/tags").map((write) => String(write.body.path));
      const assetCodes = writes.filter((write) => write.path === "/api/v1/assets").map((write) => String(write.body.code));
      const tags = await client.query<{ path: string; copies: number }>(
        "SELECT path, count(*)::int AS copies FROM tags WHERE path = ANY($1::text[]) GROUP BY path",
        [tagPaths],
      );
      const assets = await client.query<{ code: string; copies: number }>(
        "SELECT code, count(*)::int AS copies FROM assets WHERE code = ANY($1::text[]) GROUP BY code",
        [assetCodes],
      );
      const audits = await client.query<{ entity: string; copies: number }>(
        `SELECT coalesce(after->>'path', after->>'code') AS entity, count(*)::int AS copies FROM audit_log
         WHERE action IN ('tag.create', 'assets.field.create') GROUP BY 1`,
      );
      const stuck = await client.query("SELECT key FROM idempotency_keys WHERE status IS NULL");
      const present = new Map<string, number>([
        ...tags.rows.map((row): [string, number] => [row.path, row.copies]),
        ...assets.rows.map((row): [string, number] => [row.code, row.copies]),
      ]);
      const lost = writes
        .filter((write) => acknowledgedKeys.has(write.key))
        .map((write) => String(write.body.path ?? write.body.code))
        .filter((entity) => !present.has(entity));
      assert.deepEqual(lost, [], "every acknowledged write is in the database");
      assert.deepEqual(
        [...present].filter(([, copies]) => copies !== 1),
        [],
        "no write twice",
      );
      assert.deepEqual(
        audits.rows.filter((row) => row.copies !== 1),
        [],
        "one audit row per write",
      );
      assert.deepEqual(stuck.rows, []);
      assert.ok(acknowledgedKeys.size >= WRITERS, `writes got through (${acknowledgedKeys.size} acknowledged)`);
    } finally {
      await client.end();
    }
  });

  it("an operator signed in before the cuts keeps seeing how many entries wait, during reset and blackhole alike", () => {
    const { waitingSeen } = result();
    const wrong = waitingSeen.filter((probe) => probe.status !== 200 || probe.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS);
    assert.deepEqual(
      wrong.map((probe) => `${probe.mode}: ${probe.status} after ${probe.elapsedMs} ms`),
      [],
    );
    for (const mode of ["reset", "blackhole"] as const) {
      assert.ok(
        waitingSeen.some((probe) => probe.mode === mode && (probe.waiting ?? 0) > 0),
        `during a ${mode} the operator saw entries waiting: ${JSON.stringify(waitingSeen.filter((probe) => probe.mode === mode).slice(0, 5))}`,
      );
    }
  });

  it("every tank gauge the flow recorded during the cuts is in the database exactly once, none refused to Catch", () => {
    const { flowGauges, flowCaught } = result();
    const missing = Array.from({ length: FLOW_GAUGES }, (_, index) => `${KEY_PREFIX}${index}`).filter((key) => !flowGauges.has(key));
    assert.deepEqual(missing, [], "gauges recorded during the cuts are missing");
    assert.deepEqual(
      [...flowGauges].filter(([, times]) => times !== 1),
      [],
      "gauges recorded more than once",
    );
    assert.deepEqual(flowCaught, [], "no gauge went to the flow's Catch");
  });

  it("SIGTERM during a blackhole, with writes in flight, exits 0 within the shutdown timeout", () => {
    const { sigterm } = result();
    assert.equal(sigterm.code, 0);
    assert.ok(sigterm.elapsedMs < SHUTDOWN_TIMEOUT_MS, `shutdown took ${sigterm.elapsedMs} ms`);
  });
});
