import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import type { RecordedEntry } from "../../../erp-modules/production/ports.js";
import { ServiceError } from "../../../erp-modules/shared/service-error.js";
import erpEventNode from "../../../nodes/erp/erp-event/erp-event.js";
import erpProductionEntryNode from "../../../nodes/erp/erp-production-entry/erp-production-entry.js";
import erpWellTestNode from "../../../nodes/erp/erp-well-test/erp-well-test.js";
import type { ModuleEvent, PetroflowServices } from "../../../nodes/shared/petroflow-services.js";
import { ModuleEventBus } from "../../../runtime/events/event-bus.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { openTestFlowEntries, testServices, type TestFlowEntries } from "../../helpers/petroflow-services.js";
import { FakeProductionPort } from "./fake-production-port.js";

helper.init(require.resolve("node-red"));

const TANK_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000101";
const WELL_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000201";
const GAUGE = { gaugedAt: "2026-11-28T06:00:00Z", levelM: 3.25 };
/** The fake register behind services.assets.idByCode. */
const ASSET_IDS_BY_CODE = new Map([
  ["TK-01", TANK_ID],
  ["WELL-101", WELL_ID],
]);

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

/** The next status a node shows, as a Status node reports it. */
function nextStatusOf(source: string): Promise<{ fill?: string; text?: string }> {
  return new Promise((resolve) =>
    node("helper-status").on("input", (msg) => {
      const status = msg.status as { fill?: string; text?: string; source: { id: string } };
      if (status.source.id === source) resolve(status);
    }),
  );
}

const TAB = "tab-erp";
const flow = [
  { id: TAB, type: "tab", label: "ERP" },
  { id: "entry-tank-gauge", type: "erp-production-entry", z: TAB, entryType: "tank-gauge", tankId: TANK_ID, wires: [["helper-recorded"]] },
  { id: "entry-by-code", type: "erp-production-entry", z: TAB, entryType: "tank-gauge", tankId: "", wires: [["helper-recorded"]] },
  { id: "well-test-by-code", type: "erp-well-test", z: TAB, wellId: "code:WELL-101", durationHours: "24", wires: [["helper-recorded"]] },
  { id: "entry-downtime", type: "erp-production-entry", z: TAB, entryType: "downtime", tankId: TANK_ID, wellId: "", wires: [["helper-recorded"]] },
  { id: "well-test-payload", type: "erp-well-test", z: TAB, wellId: WELL_ID, durationHours: "24", wires: [["helper-recorded"]] },
  {
    id: "well-test-separator",
    type: "erp-well-test",
    z: TAB,
    wellId: WELL_ID,
    durationHours: "12",
    oilRateTag: "SITE1/TS-01/OIL_RATE",
    gasRateTag: "SITE1/TS-01/GAS_RATE",
    waterRateTag: "SITE1/TS-01/WATER_RATE",
    tubingPressureTag: "SITE1/WELL-101/THP",
    wires: [["helper-recorded"]],
  },
  {
    id: "well-test-downhole",
    type: "erp-well-test",
    z: TAB,
    wellId: WELL_ID,
    durationHours: "12",
    oilRateTag: "SITE1/TS-01/OIL_RATE",
    gasRateTag: "SITE1/TS-01/GAS_RATE",
    waterRateTag: "SITE1/TS-01/WATER_RATE",
    bottomholePressureTag: "SITE1/WELL-101/PDG",
    wires: [["helper-recorded"]],
  },
  { id: "event-production", type: "erp-event", z: TAB, pattern: "", wires: [["helper-events"]] },
  { id: "catch-erp", type: "catch", z: TAB, scope: null, uncaught: false, wires: [["helper-caught"]] },
  { id: "status-erp", type: "status", z: TAB, scope: null, wires: [["helper-status"]] },
  { id: "helper-recorded", type: "helper", z: TAB },
  { id: "helper-events", type: "helper", z: TAB },
  { id: "helper-caught", type: "helper", z: TAB },
  { id: "helper-status", type: "helper", z: TAB },
];
const NODES = [erpProductionEntryNode, erpWellTestNode, erpEventNode];

describe("erp nodes", () => {
  let production: FakeProductionPort;
  let tags: TagStore;
  let bus: ModuleEventBus;
  /** Events the bus delivered to the erp-event node's listener. */
  let delivered: ModuleEvent[];

  let flowEntries: TestFlowEntries;

  beforeEach(async () => {
    production = new FakeProductionPort();
    flowEntries = await openTestFlowEntries(production);
    tags = new TagStore();
    bus = new ModuleEventBus("SITE1");
    delivered = [];
    const services: PetroflowServices = testServices({
      siteId: "SITE1",
      flows: { latest: async () => null },
      tags,
      production,
      flowEntries: flowEntries.service,
      assets: { list: async () => [], idByCode: async (code) => ASSET_IDS_BY_CODE.get(code) ?? null },
      events: {
        subscribe: (pattern, listener) =>
          bus.subscribe(pattern, (event) => {
            delivered.push(event);
            listener(event);
          }),
      },
    });
    helper.settings({ petroflow: services });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await flowEntries.close();
  });

  describe("erp-production-entry", () => {
    it("records the payload with the node's tank, source flow, its actor and a derived key; the output is the recorded entry", async () => {
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      const status = nextStatusOf("entry-tank-gauge");
      node("entry-tank-gauge").receive({ payload: GAUGE, wellCode: "kept" });
      const msg = await recorded;
      assert.equal(production.calls.length, 1);
      const call = production.calls[0];
      assert.equal(call.method, "recordTankGauge");
      assert.equal(call.actor, "flow:entry-tank-gauge");
      const { sourceKey, ...input } = call.input;
      assert.deepEqual(input, { ...GAUGE, tankId: TANK_ID, source: "flow" });
      assert.match(String(sourceKey), /^tank-gauge:[0-9a-f]{64}$/);
      const payload = msg.payload as RecordedEntry;
      assert.equal(payload.replayed, false);
      assert.equal(payload.entry.tankId, TANK_ID);
      assert.equal(msg.wellCode, "kept", "the message's other properties pass through");
      const shown = await status;
      assert.equal(shown.fill, "green");
      assert.match(String(shown.text), /^tank-gauge recorded/);
    });

    it("derives the same key for the same message twice, so the second replays the first", async () => {
      await helper.load(NODES, flow);
      const first = next("helper-recorded");
      node("entry-tank-gauge").receive({ payload: GAUGE });
      const firstEntry = (await first).payload as RecordedEntry;
      const second = next("helper-recorded");
      node("entry-tank-gauge").receive({ payload: { levelM: 3.25, gaugedAt: "2026-11-28T06:00:00Z" } });
      const secondEntry = (await second).payload as RecordedEntry;
      assert.equal(production.calls[0]?.input.sourceKey, production.calls[1]?.input.sourceKey);
      assert.equal(secondEntry.replayed, true);
      assert.equal(secondEntry.id, firstEntry.id);
      const third = next("helper-recorded");
      node("entry-tank-gauge").receive({ payload: { ...GAUGE, levelM: 3.3 } });
      await third;
      assert.notEqual(production.calls[2]?.input.sourceKey, production.calls[0]?.input.sourceKey);
    });

    it("uses msg.idempotencyKey as the key", async () => {
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("entry-tank-gauge").receive({ payload: GAUGE, idempotencyKey: "historian-batch-7/TK-01" });
      await recorded;
      assert.equal(production.calls[0]?.input.sourceKey, "historian-batch-7/TK-01");
    });

    it("takes the well from the payload when the node has none (its tank id does not apply to downtime)", async () => {
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("entry-downtime").receive({ payload: { wellId: WELL_ID, startedAt: "2026-11-28T02:00:00Z", reasonCode: "esp_trip" } });
      await recorded;
      const call = production.calls[0];
      assert.equal(call.method, "recordDowntime");
      assert.equal(call.input.wellId, WELL_ID);
      assert.equal("tankId" in call.input, false);
    });

    it("passes a ServiceError from the port to Catch nodes and shows it in red", async () => {
      await helper.load(NODES, flow);
      production.failWith = new ServiceError("invalid_input", "levelM 14.2 is above the tank's strapping table (12 m)", { field: "levelM", reason: "outside_strapping_table", params: { min: 0, max: 12 } });
      const caught = next("helper-caught");
      const status = nextStatusOf("entry-tank-gauge");
      node("entry-tank-gauge").receive({ payload: { ...GAUGE, levelM: 14.2 } });
      const error = (await caught).error as { message: string; source: { id: string } };
      assert.match(error.message, /above the tank's strapping table/);
      assert.equal(error.source.id, "entry-tank-gauge");
      const shown = await status;
      assert.equal(shown.fill, "red");
      assert.match(String(shown.text), /strapping table/);
    });

    it("records a gauge by tank code as the same entry as by id", async () => {
      await helper.load(NODES, flow);
      const first = next("helper-recorded");
      node("entry-by-code").receive({ payload: { ...GAUGE, tankCode: "TK-01" } });
      const byCode = (await first).payload as RecordedEntry;
      const second = next("helper-recorded");
      node("entry-tank-gauge").receive({ payload: GAUGE });
      const byId = (await second).payload as RecordedEntry;
      assert.equal(production.calls[0]?.input.tankId, TANK_ID);
      assert.equal("tankCode" in production.calls[0].input, false);
      assert.equal(production.calls[0]?.input.sourceKey, production.calls[1]?.input.sourceKey);
      assert.equal(byId.replayed, true);
      assert.equal(byId.id, byCode.id);
    });

    it("refuses an unknown tank code, and a code of another tank than the payload's id, before calling the port", async () => {
      await helper.load(NODES, flow);
      const unknown = next("helper-caught");
      const status = nextStatusOf("entry-by-code");
      node("entry-by-code").receive({ payload: { ...GAUGE, tankCode: "TK-09" } });
      assert.match(((await unknown).error as { message: string }).message, /msg\.payload\.tankCode: no asset with code "TK-09" in the asset register/);
      assert.equal((await status).fill, "red");
      const disagreeing = next("helper-caught");
      node("entry-by-code").receive({ payload: { ...GAUGE, tankCode: "TK-01", tankId: "0190a3c2-7d7e-7c3e-8a4b-000000000999" } });
      assert.match(((await disagreeing).error as { message: string }).message, /msg\.payload\.tankCode "TK-01" is asset .* but msg\.payload\.tankId is/);
      assert.equal(production.calls.length, 0);
    });

    it("refuses, before calling the port, a payload for another tank than the node's", async () => {
      await helper.load(NODES, flow);
      const caught = next("helper-caught");
      node("entry-tank-gauge").receive({ payload: { ...GAUGE, tankId: "0190a3c2-7d7e-7c3e-8a4b-000000000999" } });
      assert.match(((await caught).error as { message: string }).message, /differs from the node's tankId/);
      assert.equal(production.calls.length, 0);
    });
  });

  describe("erp-well-test", () => {
    const TEST_END_MS = Date.parse("2026-11-28T08:00:00Z");

    function writeSeparatorTags(): void {
      tags.write("SITE1/TS-01/OIL_RATE", { v: 42.5, t: TEST_END_MS });
      tags.write("SITE1/TS-01/GAS_RATE", { v: 6100, t: TEST_END_MS });
      tags.write("SITE1/TS-01/WATER_RATE", { v: 18, t: TEST_END_MS });
      tags.write("SITE1/WELL-101/THP", { v: 1450, t: TEST_END_MS - 5_000 });
    }

    it("proposes a test from msg.payload, with the node's well and default duration", async () => {
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("well-test-payload").receive({ payload: { startedAt: "2026-11-27T08:00:00Z", oilRateM3PerDay: 40, gasRateSm3PerDay: 5900, waterRateM3PerDay: 21 } });
      await recorded;
      const call = production.calls[0];
      assert.equal(call.method, "proposeWellTest");
      assert.equal(call.actor, "flow:well-test-payload");
      assert.equal(call.input.wellId, WELL_ID);
      assert.equal(call.input.durationHours, 24);
      assert.equal(call.input.source, "flow");
      assert.match(String(call.input.sourceKey), /^well-test:[0-9a-f]{64}$/);
    });

    it("proposes a test for the well the config names by code", async () => {
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("well-test-by-code").receive({ payload: { startedAt: "2026-11-27T08:00:00Z", oilRateM3PerDay: 40, gasRateSm3PerDay: 5900, waterRateM3PerDay: 21 } });
      await recorded;
      assert.equal(production.calls[0]?.input.wellId, WELL_ID);
    });

    it("reads the test separator's tags when they are good", async () => {
      writeSeparatorTags();
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("well-test-separator").receive({ payload: Date.now() });
      await recorded;
      const { sourceKey, ...input } = production.calls[0].input;
      assert.deepEqual(input, {
        wellId: WELL_ID,
        durationHours: 12,
        startedAt: "2026-11-27T20:00:00.000Z",
        oilRateM3PerDay: 42.5,
        gasRateSm3PerDay: 6100,
        waterRateM3PerDay: 18,
        tubingPressureKpa: 1450,
        source: "flow",
      });
      assert.match(String(sourceKey), /^well-test:/);
    });

    it("takes the bottomhole pressure from a downhole gauge's tag, its source gauge", async () => {
      writeSeparatorTags();
      tags.write("SITE1/WELL-101/PDG", { v: 9800, t: TEST_END_MS });
      await helper.load(NODES, flow);
      const recorded = next("helper-recorded");
      node("well-test-downhole").receive({ payload: true });
      await recorded;
      const { input } = production.calls[0];
      assert.deepEqual([input.bottomholePressureKpa, input.bottomholePressureSource], [9800, "gauge"]);
    });

    it("refuses a test when a tag's quality is not good", async () => {
      writeSeparatorTags();
      tags.write("SITE1/TS-01/WATER_RATE", { v: 18, q: "bad", reason: "timeout after 1000 ms" });
      await helper.load(NODES, flow);
      const caught = next("helper-caught");
      const status = nextStatusOf("well-test-separator");
      node("well-test-separator").receive({ payload: true });
      assert.match(((await caught).error as { message: string }).message, /SITE1\/TS-01\/WATER_RATE \(waterRateM3PerDay\) is bad: timeout after 1000 ms/);
      assert.equal((await status).fill, "red");
      assert.equal(production.calls.length, 0);
    });

    it("refuses a test when a tag has no value", async () => {
      tags.write("SITE1/TS-01/OIL_RATE", { v: 42.5 });
      await helper.load(NODES, flow);
      const caught = next("helper-caught");
      node("well-test-separator").receive({ payload: true });
      assert.match(((await caught).error as { message: string }).message, /GAS_RATE \(gasRateSm3PerDay\) has no value/);
      assert.equal(production.calls.length, 0);
    });
  });

  describe("erp-event", () => {
    it("sends production events (the default pattern) and nothing for other modules' events", async () => {
      await helper.load(NODES, flow);
      const received = next("helper-events");
      const status = nextStatusOf("event-production");
      // Messages go out in order: had the assets event been sent, it would arrive first.
      bus.emit("assets.asset.created", { id: "a" });
      const emitted = bus.emit("production.entry.recorded", { entryType: "tank_gauge", id: "e1" });
      const msg = await received;
      assert.deepEqual({ ...msg, _msgid: undefined }, { _msgid: undefined, topic: "production.entry.recorded", payload: { entryType: "tank_gauge", id: "e1" }, event: emitted });
      assert.deepEqual(delivered.map((event) => event.type), ["production.entry.recorded"]);
      const shown = await status;
      assert.equal(shown.fill, "green");
      assert.equal(shown.text, `production.entry.recorded ${emitted.at.slice(11, 19)}Z`);
    });

    it("stops listening when the flow stops", async () => {
      await helper.load(NODES, flow);
      bus.emit("production.entry.recorded", { id: "before" });
      assert.equal(delivered.length, 1);
      await helper.unload();
      bus.emit("production.entry.recorded", { id: "after" });
      assert.equal(delivered.length, 1);
    });
  });
});
