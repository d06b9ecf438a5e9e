import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import { ServiceError } from "../../../erp-modules/shared/service-error.js";
import erpProductionEntryNode from "../../../nodes/erp/erp-production-entry/erp-production-entry.js";
import erpWellTestNode from "../../../nodes/erp/erp-well-test/erp-well-test.js";
import { DatabaseUnavailableError } from "../../../runtime/db/database-errors.js";
import { REFUSED_ACTION } from "../../../runtime/flow-entries/flow-entry-spool.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { openTestFlowEntries, testServices, type TestFlowEntries } from "../../helpers/petroflow-services.js";
import { FakeProductionPort } from "./fake-production-port.js";

helper.init(require.resolve("node-red"));

const TANK_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000101";
const WELL_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000201";
const gauge = (hour: number) => ({ gaugedAt: `2026-11-28T${String(hour).padStart(2, "0")}:00:00Z`, levelM: 3 + hour / 100 });

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

interface Shown {
  fill?: string;
  shape?: string;
  text?: string;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

/** Resolves with the first status of `source` that satisfies `until` (as a Status node reports it). */
function statusOf(source: string, until: (status: Shown) => boolean): Promise<Shown> {
  return new Promise((resolve) =>
    node("helper-status").on("input", (msg) => {
      const status = msg.status as Shown & { source: { id: string } };
      if (status.source.id === source && until(status)) resolve(status);
    }),
  );
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const TAB = "tab-spool";
const flow = [
  { id: TAB, type: "tab", label: "Spool" },
  { id: "entry-gauge", type: "erp-production-entry", z: TAB, entryType: "tank-gauge", tankId: TANK_ID, wires: [["helper-out"]] },
  { id: "entry-well-test", type: "erp-well-test", z: TAB, wellId: WELL_ID, durationHours: "24", wires: [["helper-out"]] },
  { id: "catch-all", type: "catch", z: TAB, scope: null, uncaught: false, wires: [["helper-caught"]] },
  { id: "status-all", type: "status", z: TAB, scope: null, wires: [["helper-status"]] },
  { id: "helper-out", type: "helper", z: TAB },
  { id: "helper-caught", type: "helper", z: TAB },
  { id: "helper-status", type: "helper", z: TAB },
];
const NODES = [erpProductionEntryNode, erpWellTestNode];
const UNAVAILABLE = new DatabaseUnavailableError("connection reset by the database server");

describe("erp nodes while the database is away", () => {
  let production: FakeProductionPort;
  let flowEntries: TestFlowEntries;
  let caught: Record<string, unknown>[];

  async function load(options: Parameters<typeof openTestFlowEntries>[1] = {}): Promise<void> {
    flowEntries = await openTestFlowEntries(production, options);
    const services = testServices({
      siteId: "SITE1",
      flows: { latest: async () => null },
      tags: new TagStore(),
      production,
      flowEntries: flowEntries.service,
      events: { subscribe: () => () => undefined },
    });
    helper.settings({ petroflow: services });
    await helper.load(NODES, flow);
    caught = [];
    node("helper-caught").on("input", (msg) => caught.push(msg));
  }

  beforeEach(() => {
    production = new FakeProductionPort();
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await flowEntries.close();
  });

  it("queues an entry the port cannot write (database unavailable), says so, and writes it once when the database returns", async () => {
    await load();
    production.failWith = UNAVAILABLE;
    const out = next("helper-out");
    const waitingOne = statusOf("entry-gauge", (status) => status.text === "1 waiting for the database");
    node("entry-gauge").receive({ payload: gauge(6) });
    const msg = await out;
    const payload = msg.payload as { queued: boolean; sourceKey: string; waiting: number };
    assert.equal(payload.queued, true);
    assert.match(payload.sourceKey, /^tank-gauge:[0-9a-f]{64}$/);
    assert.equal(payload.waiting, 1);
    const shown = await waitingOne;
    assert.equal(shown.fill, "yellow");
    assert.equal(shown.shape, "ring");

    const secondOut = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(7) });
    assert.equal(((await secondOut).payload as { waiting: number }).waiting, 2);
    assert.equal(flowEntries.service.waiting("flow:entry-gauge"), 2);
    assert.equal(caught.length, 0, "a queued entry is not an error");
    assert.equal(production.recorded.length, 0);

    const drained = statusOf("entry-gauge", (status) => status.fill === "green");
    production.failWith = undefined;
    const done = await drained;
    assert.equal(done.text, "waiting entries recorded");
    assert.deepEqual(
      production.recorded.map((call) => call.input.gaugedAt),
      ["2026-11-28T06:00:00Z", "2026-11-28T07:00:00Z"],
      "written in the order recorded",
    );
    assert.deepEqual(
      production.recorded.map((call) => call.actor),
      ["flow:entry-gauge", "flow:entry-gauge"],
    );
    assert.equal(production.recorded[0].input.sourceKey, payload.sourceKey);
    assert.equal(flowEntries.service.waiting("flow:entry-gauge"), 0);
    assert.equal(flowEntries.spool.depth().records, 0);
  });

  it("keeps later entries behind the waiting ones, even once the database answers", async () => {
    await load({ retry: { initialMs: 60_000, maxMs: 60_000 } });
    production.failWith = UNAVAILABLE;
    const first = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(6) });
    await first;
    await eventually(() => flowEntries.service.status().retrying, "the drain to back off");
    production.failWith = undefined;
    const second = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(7) });
    assert.equal(((await second).payload as { queued: boolean }).queued, true, "queued behind the first, not written before it");
    assert.equal(production.recorded.length, 0);
  });

  it("queues an entry whose write does not answer in time (a partition)", async () => {
    await load({ writeTimeoutMs: 200 });
    production.hang = true;
    const out = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(6) });
    assert.equal(((await out).payload as { queued: boolean }).queued, true);
    production.hang = false;
    await eventually(() => production.recorded.length === 1, "the drain to write the entry");
  });

  it("passes a business error to Catch at once, never to the spool", async () => {
    await load();
    production.failWith = new ServiceError("invalid_input", "levelM: level 7 m is outside the strapping table (0–5 m)", { field: "levelM", reason: "outside_strapping_table", params: { min: 0, max: 5 } });
    const caughtMsg = next("helper-caught");
    node("entry-gauge").receive({ payload: gauge(6) });
    assert.match(((await caughtMsg).error as { message: string }).message, /outside the strapping table/);
    assert.equal(flowEntries.spool.depth().records, 0);
  });

  it("refuses an invalid entry at once while others wait, instead of queueing it", async () => {
    await load({ retry: { initialMs: 60_000, maxMs: 60_000 } });
    production.failWith = UNAVAILABLE;
    const queued = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(6) });
    await queued;
    const caughtMsg = next("helper-caught");
    node("entry-gauge").receive({ payload: { gaugedAt: "2026-11-28T08:00:00Z", levelM: -1 } });
    assert.match(((await caughtMsg).error as { message: string }).message, /levelM/);
    assert.equal(flowEntries.spool.depth().records, 1);
  });

  it("calls done(err) when the spool is full, so Catch nodes see the entry was not kept", async () => {
    await load({ maxRecords: 2, retry: { initialMs: 60_000, maxMs: 60_000 } });
    production.failWith = UNAVAILABLE;
    for (const hour of [6, 7]) {
      const out = next("helper-out");
      node("entry-gauge").receive({ payload: gauge(hour) });
      await out;
    }
    const caughtMsg = next("helper-caught");
    const red = statusOf("entry-gauge", (status) => status.fill === "red");
    node("entry-gauge").receive({ payload: gauge(8) });
    const error = (await caughtMsg).error as { message: string; source: { id: string } };
    assert.match(error.message, /entry not recorded: the database is unavailable and it could not wait in the spool: spool .* is full/);
    assert.equal(error.source.id, "entry-gauge");
    assert.match(String((await red).text), /full/);
  });

  it("records, shows and hands to Catch a waiting entry the service refuses when drained, and moves on", async () => {
    await load();
    production.failWith = UNAVAILABLE;
    for (const hour of [6, 7]) {
      const out = next("helper-out");
      node("entry-gauge").receive({ payload: gauge(hour) });
      await out;
    }
    const refusal = new ServiceError("invalid_input", "tankId is not a tank", { field: "tankId", reason: "not_a_tank" });
    // The first drained call is refused for good; the second goes through.
    const recordTankGauge = production.recordTankGauge;
    let refusedOnce = false;
    production.recordTankGauge = (input, actor) => {
      if (!refusedOnce) {
        refusedOnce = true;
        return Promise.reject(refusal);
      }
      return recordTankGauge(input, actor);
    };
    const caughtMsg = next("helper-caught");
    const red = statusOf("entry-gauge", (status) => status.fill === "red");
    production.failWith = undefined;
    const msg = await caughtMsg;
    assert.match((msg.error as { message: string }).message, /a waiting tank-gauge entry was refused when written: tankId is not a tank/);
    assert.equal((msg.payload as { gaugedAt: string }).gaugedAt, "2026-11-28T06:00:00Z", "Catch gets the refused entry");
    assert.match(String((await red).text), /refused/);
    await eventually(() => production.recorded.length === 1, "the next entry to be written");
    assert.equal(production.recorded[0].input.gaugedAt, "2026-11-28T07:00:00Z");
    assert.equal(flowEntries.audited.length, 1);
    const audit = flowEntries.audited[0];
    assert.equal(audit.action, REFUSED_ACTION);
    assert.equal(audit.actor, "flow:entry-gauge");
    assert.equal((audit.after as { gaugedAt: string }).gaugedAt, "2026-11-28T06:00:00Z");
    assert.deepEqual((audit.details as { error: unknown }).error, { code: "invalid_input", message: "tankId is not a tank" });
    assert.equal(flowEntries.service.status().refusedSinceStart, 1);
  });

  it("drains the entries of a node that was removed", async () => {
    await load();
    production.failWith = UNAVAILABLE;
    const out = next("helper-out");
    node("entry-well-test").receive({ payload: { startedAt: "2026-11-27T08:00:00Z", oilRateM3PerDay: 40, gasRateSm3PerDay: 5900, waterRateM3PerDay: 21 } });
    assert.equal(((await out).payload as { queued: boolean }).queued, true);
    await helper.unload();
    assert.equal(flowEntries.service.waiting("flow:entry-well-test"), 1, "the entry outlives its node");
    production.failWith = undefined;
    await eventually(() => production.recorded.length === 1, "the drain to write the well test of the removed node");
    assert.equal(production.recorded[0].method, "proposeWellTest");
    assert.equal(production.recorded[0].actor, "flow:entry-well-test");
    await eventually(() => flowEntries.service.waiting("flow:entry-well-test") === 0, "the count to reach 0");
  });

  it("shows a redeployed node its entries being written", async () => {
    await load();
    production.failWith = UNAVAILABLE;
    const out = next("helper-out");
    node("entry-gauge").receive({ payload: gauge(6) });
    await out;
    await helper.unload();
    await helper.load(NODES, flow);
    const drained = statusOf("entry-gauge", (status) => status.fill === "green");
    production.failWith = undefined;
    assert.equal((await drained).text, "waiting entries recorded");
  });

  it("drains what waited before a restart, in order, exactly once", async () => {
    await load({ retry: { initialMs: 60_000, maxMs: 60_000 } });
    production.failWith = UNAVAILABLE;
    for (const hour of [6, 7, 8]) {
      const out = next("helper-out");
      node("entry-gauge").receive({ payload: gauge(hour) });
      await out;
    }
    await helper.unload();
    await flowEntries.close(true);
    production.failWith = undefined;
    flowEntries = await openTestFlowEntries(production, { dir: flowEntries.dir });
    await eventually(() => production.recorded.length === 3, "the drain after the restart");
    assert.deepEqual(
      production.recorded.map((call) => call.input.gaugedAt),
      ["2026-11-28T06:00:00Z", "2026-11-28T07:00:00Z", "2026-11-28T08:00:00Z"],
    );
  });
});
