import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import alarmAckNode from "../../../nodes/alarms/alarm-ack/alarm-ack.js";
import alarmEventsNode from "../../../nodes/alarms/alarm-events/alarm-events.js";
import alarmShelveNode from "../../../nodes/alarms/alarm-shelve/alarm-shelve.js";
import { ackInput, shelveInput } from "../../../nodes/alarms/shared/alarm-node-logic.js";
import { AlarmEngine } from "../../../runtime/alarms/alarm-engine.js";
import type { Alarm, AlarmJournalEntry } from "../../../runtime/alarms/schema.js";
import { AuditService } from "../../../runtime/audit/audit-service.js";
import { ALL_MIGRATIONS } from "../../../runtime/db/migration-sources.js";
import { migrate } from "../../../runtime/db/migrator.js";
import { PGliteDatabase } from "../../../runtime/db/pglite.js";
import { createLogger } from "../../../runtime/observability/logger.js";
import { TagRegistry } from "../../../runtime/tags/tag-registry.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { defineAlarm } from "../../integration/runtime/alarms/alarm-fixtures.js";

helper.init(require.resolve("node-red"));

const THP = "SITE1/WELL-101/THP";
const CHP = "SITE1/WELL-101/CHP";

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
  once(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).once("input", resolve));

const TAB = "tab-alarms";
const flow = [
  { id: TAB, type: "tab", label: "Alarms" },
  { id: "events-critical", type: "alarm-events", z: TAB, area: "", priorities: "critical", transitions: "activate, shelve_expired", wires: [["helper-events"]] },
  { id: "ack", type: "alarm-ack", z: TAB, alarmId: "", comment: "acknowledged by the flow", wires: [["helper-acked"]] },
  { id: "shelve", type: "alarm-shelve", z: TAB, alarmId: "", reason: "pump swap", minutes: "15", wires: [["helper-shelved"]] },
  { id: "catch-alarms", type: "catch", z: TAB, scope: null, uncaught: false, wires: [["helper-caught"]] },
  { id: "helper-events", type: "helper", z: TAB },
  { id: "helper-acked", type: "helper", z: TAB },
  { id: "helper-shelved", type: "helper", z: TAB },
  { id: "helper-caught", type: "helper", z: TAB },
];
const NODES = [alarmEventsNode, alarmAckNode, alarmShelveNode];

describe("alarm nodes (real engine on PGlite)", function () {
  this.timeout(60_000);
  let db: PGliteDatabase;
  let audit: AuditService;
  let tags: TagStore;
  let engine: AlarmEngine;
  let thpAlarm: string;
  let chpAlarm: string;

  before(async () => {
    db = await PGliteDatabase.open();
    await migrate(db, ALL_MIGRATIONS);
    audit = new AuditService(db, "SITE1");
    const registry = new TagRegistry(db, audit, "SITE1");
    thpAlarm = await defineAlarm(db, registry, "SITE1", { tagPath: THP, limit: 100, priority: "critical", area: "north" });
    chpAlarm = await defineAlarm(db, registry, "SITE1", { tagPath: CHP, limit: 50, priority: "low", area: "north" });
    tags = new TagStore();
    engine = new AlarmEngine({ db, audit, tags, siteId: "SITE1", logger: createLogger("silent"), tickIntervalMs: 3_600_000, flushIntervalMs: 3_600_000 });
    await engine.start();
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags, alarms: engine }) });
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await engine.stop();
    await db.close();
  });

  it("alarm-events sends the transitions its filters pass, with the journal entry and the alarm", async () => {
    await helper.load(NODES, flow);
    const events: Record<string, unknown>[] = [];
    node("helper-events").on("input", (msg) => events.push(msg));
    tags.write(CHP, { v: 80 });
    tags.write(THP, { v: 150 });
    await engine.acknowledge(thpAlarm, "ana", "");
    // Node-RED delivers sent messages asynchronously: a later, unfiltered transition would be here by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(events.length, 1, "only the critical activation passes");
    const [msg] = events;
    assert.equal(msg.topic, "north/critical/activate");
    const entry = msg.payload as AlarmJournalEntry;
    assert.deepEqual([entry.alarmId, entry.transition, entry.toState, entry.value], [thpAlarm, "activate", "active_unack", 150]);
    assert.equal((msg.alarm as Alarm).id, thpAlarm);
  });

  it("alarm-ack acknowledges msg.payload.alarmId as flow:<node id>, journaled and audited; a second one fails to Catch", async () => {
    await helper.load(NODES, flow);
    const acked = next("helper-acked");
    node("ack").receive({ payload: { alarmId: chpAlarm } });
    const alarm = (await acked).payload as Alarm;
    assert.deepEqual([alarm.state, alarm.ackedBy, alarm.ackComment], ["active_ack", "flow:ack", "acknowledged by the flow"]);
    const { entries } = await engine.journal({ alarmId: chpAlarm, limit: 10, offset: 0 });
    assert.deepEqual([entries[0].transition, entries[0].user], ["acknowledge", "flow:ack"]);
    const audited = await audit.list({ entityType: "alarm", entityId: chpAlarm, action: "alarm.acknowledge", limit: 5 });
    assert.deepEqual(
      audited.map((row) => row.actor),
      ["flow:ack"],
    );
    const caught = next("helper-caught");
    node("ack").receive({ payload: { alarmId: chpAlarm } });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /not unacknowledged/);
  });

  it("alarm-shelve shelves with the node's reason and minutes, and unshelves on msg.payload.unshelve", async () => {
    await helper.load(NODES, flow);
    const shelved = next("helper-shelved");
    node("shelve").receive({ payload: { alarmId: thpAlarm } });
    const alarm = (await shelved).payload as Alarm;
    assert.deepEqual([alarm.mode, alarm.shelvedBy, alarm.modeReason], ["shelved", "flow:shelve", "pump swap"]);
    const minutes = (Date.parse(alarm.shelvedUntil ?? "") - Date.now()) / 60_000;
    assert.ok(minutes > 14 && minutes <= 15, `about 15 minutes, got ${minutes}`);
    const back = next("helper-shelved");
    node("shelve").receive({ payload: { alarmId: thpAlarm, unshelve: true } });
    assert.equal(((await back).payload as Alarm).mode, "enabled");
  });

  it("reads its inputs from the message over the node's config, and says what is missing", () => {
    assert.deepEqual(ackInput({ payload: { alarmId: "a", comment: "c" } }, { alarmId: "b", comment: "d" }), { alarmId: "a", comment: "c" });
    assert.deepEqual(ackInput({ payload: 1 }, { alarmId: "b" }), { alarmId: "b", comment: "" });
    assert.ok("error" in ackInput({}, {}));
    assert.deepEqual(shelveInput({ payload: { minutes: 5 } }, { alarmId: "a", reason: "r", minutes: "60" }), { unshelve: false, alarmId: "a", reason: "r", minutes: 5 });
    assert.ok("error" in shelveInput({ payload: {} }, { alarmId: "a", minutes: "60" }), "a shelve needs a reason");
    assert.ok("error" in shelveInput({ payload: { minutes: -1 } }, { alarmId: "a", reason: "r" }));
  });
});
