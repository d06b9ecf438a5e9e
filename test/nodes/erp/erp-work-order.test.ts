import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import workOrderNode from "../../../nodes/erp/erp-work-order/erp-work-order.js";
import { alarmConditionKey, createBody, equipmentOf, holdMsOf, updateOf } from "../../../nodes/erp/erp-work-order/erp-work-order-logic.js";
import { MaintenanceService } from "../../../erp-modules/maintenance/service.js";
import type { AlarmPort } from "../../../runtime/alarms/alarm-types.js";
import type { Alarm } from "../../../runtime/alarms/schema.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { ENGINEER, createBattery, createErpHarness, viaService } from "../../integration/erp-modules/erp-fixtures.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alarm(id: string, state: Alarm["state"]): Alarm {
  return {
    id,
    kind: "hi",
    tagPath: `SITE1/${id}/VIBRATION`,
    priority: "high",
    area: "ESP",
    message: `${id} vibration high`,
    state,
    mode: "enabled",
    value: 9,
    limit: 7,
    activeSince: state === "normal" ? null : "2026-03-01T10:00:00.000Z",
    lastChangeAt: "2026-03-01T10:00:00.000Z",
    ackedAt: null,
    ackedBy: null,
    ackComment: null,
    shelvedUntil: null,
    shelvedBy: null,
    modeReason: null,
  };
}

describe("erp-work-order node: message shaping", () => {
  it("links an alarm's id, tag and start, keyed by its tag", () => {
    const body = createBody({ priority: "high" }, { payload: { transition: "activate" }, alarm: alarm("ESP-1", "active_unack") }, "eq-1", {
      id: "ESP-1",
      tagPath: "SITE1/ESP-1/VIBRATION",
      message: "ESP-1 vibration high",
      state: "active_unack",
      activeSince: "2026-03-01T10:00:00.000Z",
    });
    assert.deepEqual(body, {
      equipmentId: "eq-1",
      title: "ESP-1 vibration high",
      priority: "high",
      alarmId: "ESP-1",
      trendTagPath: "SITE1/ESP-1/VIBRATION",
      failedAt: "2026-03-01T10:00:00.000Z",
      conditionKey: "alarm:SITE1/ESP-1/VIBRATION",
    });
    assert.equal(alarmConditionKey({ id: "a", tagPath: null, message: "", state: "normal", activeSince: null }), "alarm:a");
  });

  it("keys a message without a condition by its id, and refuses what it cannot use", () => {
    assert.equal(createBody({}, { _msgid: "m1", payload: { title: "x" } }, "eq", null).conditionKey, "msg:m1");
    assert.deepEqual(equipmentOf({ equipment: "code:ESP-9" }, { payload: {} }), { code: "ESP-9" });
    assert.deepEqual(equipmentOf({}, { payload: {} }), { error: "no equipment: set the node's equipment or msg.payload.equipmentId / equipmentCode" });
    assert.deepEqual(holdMsOf({ holdMinutes: "" }, 10), 600_000);
    assert.deepEqual(holdMsOf({ holdMinutes: "-1" }, 10), { error: "holdMinutes must be a number of minutes from 0 to 1440" });
    assert.deepEqual(updateOf({ payload: {} }), { error: "no work order: set msg.payload.workOrderId" });
  });
});

describe("erp-work-order node over PGlite with the maintenance module", function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let maintenance: MaintenanceService;
  let espId = "";
  const alarms = new Map<string, Alarm>();
  const HOLD_MS = 300;

  const flow = [
    { id: "tab", type: "tab", label: "WO" },
    { id: "wo-alarm", type: "erp-work-order", z: "tab", version: 1, action: "create", equipment: "code:ESP-101", priority: "high", holdMinutes: String(HOLD_MS / 60_000), wires: [["out"]] },
    { id: "wo-create", type: "erp-work-order", z: "tab", version: 1, action: "create", equipment: "", wires: [["out"]] },
    { id: "wo-update", type: "erp-work-order", z: "tab", version: 1, action: "update", wires: [["out"]] },
    { id: "catch-wo", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "out", type: "helper", z: "tab" },
    { id: "caught", type: "helper", z: "tab" },
  ];

  before(async () => {
    database = await databaseTargets[0].create();
    const harness = await createErpHarness(database.db, "maintenance.*");
    maintenance = new MaintenanceService(harness.context, { assets: harness.assets });
    const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "W-FIELD", site: "W-BAT", wells: { "WELL-401": "esp" }, tank: "W-TK" });
    espId = (await harness.assets.create({ kind: "equipment", code: "ESP-101", name: "ESP", parentId: battery.siteId, equipment: { equipmentType: "esp" } }, ENGINEER)).id;
    const alarmPort: Pick<AlarmPort, "list"> = { list: () => [...alarms.values()] };
    helper.settings({
      petroflow: testServices({
        siteId: "SITE1",
        flows: { latest: async () => null },
        tags: new TagStore(),
        assets: { list: async () => [], idByCode: async (code) => (code === "ESP-101" ? espId : null) },
        alarms: alarmPort as AlarmPort,
        maintenance: { workOrders: maintenance.workOrders, alarmDelayMinutes: 10 },
      }),
    });
  });

  beforeEach(async () => {
    await helper.load(workOrderNode, flow);
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await database?.drop();
  });

  const openOrders = async (alarmId: string) => (await maintenance.workOrders.list({ equipmentId: espId })).filter((order) => order.alarmId === alarmId);

  it("opens one work order for an alarm that stays active past the hold, linked to the alarm and its trend", async () => {
    alarms.set("ESP-A", alarm("ESP-A", "active_unack"));
    const out = next("out");
    // The activation arrives twice (a re-deploy, a second alarm-events node): still one hold, one order.
    node("wo-alarm").receive({ payload: { transition: "activate" }, alarm: alarm("ESP-A", "active_unack") });
    node("wo-alarm").receive({ payload: { transition: "activate" }, alarm: alarm("ESP-A", "active_unack") });
    const msg = await out;
    const order = msg.payload as { alarmId: string; trendTagPath: string; conditionKey: string; priority: string; equipmentId: string };
    assert.deepEqual([order.alarmId, order.trendTagPath, order.conditionKey, order.priority, order.equipmentId], ["ESP-A", "SITE1/ESP-A/VIBRATION", "alarm:SITE1/ESP-A/VIBRATION", "high", espId]);
    await sleep(HOLD_MS * 2);
    assert.equal((await openOrders("ESP-A")).length, 1);
  });

  it("opens nothing for an alarm that returns before the hold runs out", async () => {
    alarms.set("ESP-B", alarm("ESP-B", "active_unack"));
    node("wo-alarm").receive({ payload: { transition: "activate" }, alarm: alarm("ESP-B", "active_unack") });
    await sleep(HOLD_MS / 3);
    alarms.set("ESP-B", alarm("ESP-B", "rtn_unack"));
    node("wo-alarm").receive({ payload: { transition: "return" }, alarm: alarm("ESP-B", "rtn_unack") });
    await sleep(HOLD_MS * 2);
    assert.equal((await openOrders("ESP-B")).length, 0);
  });

  it("opens from a payload once per message id, and moves an order with technician rights only", async () => {
    const first = next("out");
    node("wo-create").receive({ _msgid: "fixed-1", payload: { equipmentCode: "ESP-101", title: "Check seal" } });
    const created = (await first) as { payload: { id: string; status: string }; created: boolean };
    assert.deepEqual([created.payload.status, created.created], ["requested", true]);
    const second = next("out");
    node("wo-create").receive({ _msgid: "fixed-1", payload: { equipmentCode: "ESP-101", title: "Check seal" } });
    const again = (await second) as { payload: { id: string }; created: boolean };
    assert.deepEqual([again.payload.id, again.created], [created.payload.id, false]);

    const caught = next("caught");
    node("wo-update").receive({ payload: { workOrderId: created.payload.id, to: "approved" } });
    assert.match(((await caught).error as { message: string }).message, /needs the engineer role/);

    await maintenance.workOrders.transition(created.payload.id, { rowVersion: 1, to: "approved" }, ENGINEER, "engineer");
    const moved = next("out");
    node("wo-update").receive({ payload: { workOrderId: created.payload.id, to: "in_progress", problemCode: "VIB" } });
    const after = (await moved).payload as { status: string; problemCode: string };
    assert.deepEqual([after.status, after.problemCode], ["in_progress", "VIB"]);
  });
});
