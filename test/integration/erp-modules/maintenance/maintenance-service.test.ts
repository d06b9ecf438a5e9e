import assert from "node:assert/strict";
import { InventoryService } from "../../../../erp-modules/inventory/service.js";
import { CHECK_ACTOR } from "../../../../erp-modules/maintenance/plan-service.js";
import { MaintenanceService } from "../../../../erp-modules/maintenance/service.js";
import { HistoryQueries } from "../../../../runtime/historian/history-queries.js";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { insertTag, storeSamples } from "../../../helpers/history-samples.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { countChanges, createBattery, createErpHarness, ENGINEER, isServiceError, viaService, type ErpHarness } from "../erp-fixtures.js";

const TECH = "tom-technician";
const H = 3_600_000;
const DAY = 86_400_000;
const RUN_TAG = "SITE1/ESP-101/RUNNING";

for (const target of databaseTargets) {
  describe(`maintenance work orders and plans on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let maintenance: MaintenanceService;
    let inventory: InventoryService;
    let espId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "maintenance.*");
      harness.context.tagHistory = { queries: new HistoryQueries(database.db, { timeoutMs: 30_000 }), mayRead: () => true };
      inventory = new InventoryService(harness.context);
      maintenance = new MaintenanceService(harness.context, { assets: harness.assets, inventory });
      const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "MF", site: "MB", wells: { "MW-1": "esp" }, tank: "MB-TK1" });
      const esp = await harness.assets.create({ kind: "equipment", code: "ESP-101", name: "ESP of MW-1", parentId: battery.siteId, equipment: { equipmentType: "esp" } }, ENGINEER);
      espId = esp.id;
    });

    after(async () => {
      await maintenance?.plans.stop();
      await database?.drop();
    });

    it("walks a work order through its life with audit and outbox rows, tasks, labour and failure codes", async () => {
      const before = await countChanges(harness.db, "maintenance");
      const { workOrder, created } = await maintenance.workOrders.create({ equipmentId: espId, title: "Pump noisy", tasks: ["Check bearings", "Megger the motor"] }, TECH);
      assert.equal(created, true);
      assert.equal(workOrder.status, "requested");
      assert.equal(workOrder.kind, "corrective");
      const after = await countChanges(harness.db, "maintenance");
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [1, 1]);

      const approved = await maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "approved" }, ENGINEER, "engineer");
      const scheduled = await maintenance.workOrders.transition(workOrder.id, { rowVersion: approved.rowVersion, to: "scheduled", scheduledFor: "2026-03-02T08:00:00Z" }, TECH, "operator");
      const started = await maintenance.workOrders.transition(workOrder.id, { rowVersion: scheduled.rowVersion, to: "in_progress" }, TECH, "operator");
      assert.ok(started.startedAt);
      await maintenance.workOrders.addLabour(workOrder.id, { technician: TECH, hours: 2.5, workedOn: "2026-03-02" }, TECH);
      await maintenance.workOrders.addLabour(workOrder.id, { technician: "ana", hours: 1, workedOn: "2026-03-02" }, TECH);
      const withCodes = await maintenance.workOrders.update(workOrder.id, { rowVersion: started.rowVersion + 2, problemCode: "VIB", causeCode: "BRG-WEAR", remedyCode: "REPL" }, TECH);
      const detail = await maintenance.workOrders.get(workOrder.id);
      await maintenance.workOrders.setTaskDone(workOrder.id, detail.tasks[0].id, { done: true }, TECH);
      const done = await maintenance.workOrders.transition(workOrder.id, { rowVersion: withCodes.rowVersion + 1, to: "done" }, TECH, "operator");
      assert.equal(done.status, "done");
      const final = await maintenance.workOrders.get(workOrder.id);
      assert.deepEqual([final.labourHours, final.tasks.map((task) => task.done), final.problemCode, final.nextStatuses], [3.5, [true, false], "VIB", []]);
      const events = harness.events.filter((event) => event.payload.id === workOrder.id).map((event) => `${event.type}:${String(event.payload.status)}`);
      assert.deepEqual(events.slice(0, 2), ["maintenance.work_order.created:requested", "maintenance.work_order.status_changed:approved"]);
      const audit = await harness.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", [workOrder.id]);
      assert.ok(audit.rows.some((row) => row.action === "maintenance.work_order.done"));
    });

    it("refuses a move the state does not allow (409), approval by an operator (403) and a stale row version", async () => {
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "Refusals" }, TECH);
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "done" }, TECH, "operator"), (error: unknown) => {
        isServiceError("invalid_state", "to")(error);
        return true;
      });
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "approved" }, TECH, "operator"), isServiceError("forbidden", "to"));
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: 9, to: "approved" }, ENGINEER, "engineer"), isServiceError("stale", "rowVersion"));
      const cancelled = await maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "cancelled" }, ENGINEER, "engineer");
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: cancelled.rowVersion, to: "approved" }, ENGINEER, "engineer"), isServiceError("invalid_state", "to"));
      const detail = await maintenance.workOrders.get(workOrder.id);
      assert.equal(detail.status, "cancelled");
    });

    it("lets a viewer with the technician grant make the technician moves, never approval or cancel", async () => {
      const technician = [{ grant: "technician" as const }];
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "Contractor job" }, TECH);
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "approved" }, TECH, "viewer", technician), isServiceError("forbidden", "to"));
      const approved = await maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "approved" }, ENGINEER, "engineer");
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: approved.rowVersion, to: "in_progress" }, TECH, "viewer"), isServiceError("forbidden", "to"));
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: approved.rowVersion, to: "in_progress" }, TECH, "viewer", [{ grant: "storekeeper" }]), isServiceError("forbidden", "to"));
      const started = await maintenance.workOrders.transition(workOrder.id, { rowVersion: approved.rowVersion, to: "in_progress" }, TECH, "viewer", technician);
      assert.equal(started.status, "in_progress");
      await assert.rejects(maintenance.workOrders.transition(workOrder.id, { rowVersion: started.rowVersion, to: "cancelled" }, TECH, "viewer", technician), isServiceError("forbidden", "to"));
      const done = await maintenance.workOrders.transition(workOrder.id, { rowVersion: started.rowVersion, to: "done" }, TECH, "viewer", technician);
      assert.equal(done.status, "done");
    });

    it("creates exactly one open work order under concurrent triggers of one condition, and a new one after it closes", async () => {
      const conditionKey = `alarm:${newId()}`;
      const results = await Promise.all(
        Array.from({ length: 6 }, () => maintenance.workOrders.create({ equipmentId: espId, title: "ESP vibration high", conditionKey, alarmId: "a1", trendTagPath: "SITE1/ESP-101/VIBRATION" }, "flow:n1")),
      );
      assert.equal(results.filter((result) => result.created).length, 1);
      assert.equal(new Set(results.map((result) => result.workOrder.id)).size, 1);
      const { rows } = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM maintenance_work_orders WHERE condition_key = $1", [conditionKey]);
      assert.equal(rows[0].count, 1);
      const open = results[0].workOrder;
      assert.equal(open.trendTagPath, "SITE1/ESP-101/VIBRATION");
      await maintenance.workOrders.transition(open.id, { rowVersion: 1, to: "cancelled" }, ENGINEER, "engineer");
      const again = await maintenance.workOrders.create({ equipmentId: espId, title: "ESP vibration high", conditionKey }, "flow:n1");
      assert.equal(again.created, true);
      assert.notEqual(again.workOrder.id, open.id);
    });

    it("stores an attachment and refuses a content type off the allowlist and an oversize file", async () => {
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "With a photo" }, TECH);
      await maintenance.workOrders.addAttachment(workOrder.id, { fileName: "note.txt", contentType: "text/plain", contentBase64: Buffer.from("bearing worn").toString("base64") }, TECH);
      const detail = await maintenance.workOrders.get(workOrder.id);
      assert.deepEqual(detail.attachments.map((attachment) => [attachment.fileName, attachment.sizeBytes]), [["note.txt", 12]]);
      const file = await maintenance.workOrders.attachment(workOrder.id, detail.attachments[0].id);
      assert.equal(file.content.toString(), "bearing worn");
      await assert.rejects(
        maintenance.workOrders.addAttachment(workOrder.id, { fileName: "x.html", contentType: "text/html", contentBase64: Buffer.from("<script>").toString("base64") }, TECH),
        isServiceError("invalid_input", "contentType"),
      );
      const big = Buffer.alloc(2 * 1024 * 1024 + 1).toString("base64");
      await assert.rejects(maintenance.workOrders.addAttachment(workOrder.id, { fileName: "big.pdf", contentType: "application/pdf", contentBase64: big }, TECH), isServiceError("invalid_input"));
    });

    it("A meter-based plan produces a work order when simulated run hours cross its threshold", async () => {
      const tagId = newId();
      await insertTag(harness.db, tagId, RUN_TAG, "bool");
      const start = Date.parse("2026-02-01T00:00:00Z");
      // The pump runs 20 h a day (on at 00:00, off at 20:00), a sample every hour while it runs: 20 run hours per day.
      const samples: { t: number; v: boolean; q: "good" }[] = [];
      for (let day = 0; day < 10; day++) {
        for (let hour = 0; hour < 20; hour++) samples.push({ t: start + day * DAY + hour * H, v: true, q: "good" });
        samples.push({ t: start + day * DAY + 20 * H, v: false, q: "good" });
      }
      await storeSamples(harness.db, tagId, samples);
      const plan = await maintenance.plans.create({ equipmentId: espId, name: "ESP 150 h inspection", kind: "meter", meter: "run_hours", tagPath: RUN_TAG, intervalAmount: 150, lastDoneAt: new Date(start).toISOString(), tasks: ["Inspect"] }, ENGINEER);

      // After 7 days: 140 h, not due; forecast at 20 h/d: 10 h more = half a day.
      const day7 = start + 7 * DAY;
      const [before] = await maintenance.plans.list(espId, day7);
      assert.equal(before.meterSinceDone, 140);
      assert.ok(Math.abs((before.usagePerDay ?? 0) - 20) < 1e-9);
      assert.equal(before.dueAt, new Date(day7 + 0.5 * DAY).toISOString());
      assert.deepEqual(await maintenance.plans.checkDue(day7), []);

      // After 8 days: 160 h, due: one preventive order, and no second one on the next check.
      const day8 = start + 8 * DAY;
      const opened = await maintenance.plans.checkDue(day8);
      assert.equal(opened.length, 1);
      assert.deepEqual([opened[0].kind, opened[0].planId, opened[0].conditionKey, opened[0].createdBy], ["preventive", plan.id, `plan:${plan.id}`, CHECK_ACTOR]);
      assert.deepEqual(await maintenance.plans.checkDue(day8 + H), []);

      // Done restarts the interval from its completion.
      const order = opened[0];
      const approved = await maintenance.workOrders.transition(order.id, { rowVersion: 1, to: "approved" }, ENGINEER, "engineer");
      const started = await maintenance.workOrders.transition(order.id, { rowVersion: approved.rowVersion, to: "in_progress" }, TECH, "operator");
      await maintenance.workOrders.transition(order.id, { rowVersion: started.rowVersion, to: "done", completedAt: new Date(day8).toISOString() }, TECH, "operator");
      const [after] = await maintenance.plans.list(espId, start + 9 * DAY);
      assert.deepEqual([after.lastDoneAt, after.meterSinceDone, after.due], [new Date(day8).toISOString(), 20, false]);
    });

    it("counts calendar plans and manual readings, and refuses a plan without its meter fields", async () => {
      const calendar = await maintenance.plans.create({ equipmentId: espId, name: "Monthly check", kind: "calendar", intervalDays: 30, lastDoneAt: "2026-01-01T00:00:00Z" }, ENGINEER);
      const statuses = await maintenance.plans.list(espId, Date.parse("2026-01-15T00:00:00Z"));
      const status = statuses.find((plan) => plan.id === calendar.id);
      assert.deepEqual([status?.dueAt, status?.due], ["2026-01-31T00:00:00.000Z", false]);
      await assert.rejects(maintenance.plans.create({ equipmentId: espId, name: "x", kind: "meter", meter: "run_hours", intervalAmount: 10 }, ENGINEER), isServiceError("invalid_input", "tagPath"));
      await assert.rejects(maintenance.plans.create({ equipmentId: espId, name: "x", kind: "calendar" }, ENGINEER), isServiceError("invalid_input", "intervalDays"));
      const manual = await maintenance.plans.create({ equipmentId: espId, name: "Hour counter", kind: "meter", meter: "manual", intervalAmount: 500, lastDoneReading: 1000 }, ENGINEER);
      const now = Date.now();
      await maintenance.plans.addReading(manual.id, { readAt: new Date(now - 2 * DAY).toISOString(), reading: 1300 }, TECH);
      const read = await maintenance.plans.addReading(manual.id, { readAt: new Date(now - DAY).toISOString(), reading: 1340 }, TECH);
      assert.deepEqual([read.meterSinceDone, read.usagePerDay, read.due], [340, 40, false]);
    });

    it("computes MTBF and MTTR from done corrective orders, overall and per failure code", async () => {
      const equipment = await harness.assets.create({ kind: "equipment", code: "ESP-202", name: "Second ESP", parentId: (await harness.assets.getAsset(espId))?.parentId ?? "", equipment: { equipmentType: "esp" } }, ENGINEER);
      const from = Date.parse("2026-01-01T00:00:00Z");
      const fail = async (failedH: number, repairH: number, code: string): Promise<void> => {
        const { workOrder } = await maintenance.workOrders.create({ equipmentId: equipment.id, title: code, failedAt: new Date(from + failedH * H).toISOString() }, TECH);
        const a = await maintenance.workOrders.transition(workOrder.id, { rowVersion: 1, to: "approved" }, ENGINEER, "engineer");
        const u = await maintenance.workOrders.update(workOrder.id, { rowVersion: a.rowVersion, problemCode: code }, TECH);
        const s = await maintenance.workOrders.transition(workOrder.id, { rowVersion: u.rowVersion, to: "in_progress" }, TECH, "operator");
        await maintenance.workOrders.transition(workOrder.id, { rowVersion: s.rowVersion, to: "done", completedAt: new Date(from + (failedH + repairH) * H).toISOString() }, TECH, "operator");
      };
      // 100 h observed; repairs of 2 h (VIB) and 8 h (ELEC): MTTR 5 h, MTBF (100 - 10) / 2 = 45 h.
      await fail(10, 2, "VIB");
      await fail(50, 8, "ELEC");
      const history = await maintenance.workOrders.equipmentHistory(equipment.id, { from: new Date(from).toISOString(), to: new Date(from + 100 * H).toISOString() });
      assert.deepEqual(history.reliability, { failures: 2, mtbfHours: 45, mttrHours: 5 });
      assert.deepEqual(history.byFailureCode.find((row) => row.problemCode === "VIB"), { problemCode: "VIB", failures: 1, mtbfHours: 98, mttrHours: 2 });
      assert.equal(history.workOrders.length, 2);
    });

    it("reserves parts (lower available, not on hand), consumes them (lower stock) and shows their cost on the work order", async () => {
      const item = await inventory.createItem(
        { code: "BRG-6310", name: "ESP bearing", category: "spare_part", baseUnit: "ea", unitConversions: [], tracking: "none", allowNegative: false, owner: "site", currency: "USD", notes: "" },
        ENGINEER,
      );
      const store = await inventory.createLocation({ code: "WH-1", name: "Main store", kind: "warehouse" }, ENGINEER);
      await inventory.receive({ itemId: item.id, quantity: 10, toLocationId: store.id, unitCost: 120, currency: "USD", notes: "" }, ENGINEER);
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "Replace bearing" }, TECH);
      const before = await countChanges(harness.db, "maintenance");
      const part = await maintenance.parts.reserve(workOrder.id, { itemId: item.id, locationId: store.id, quantity: 4 }, TECH);
      const afterReserve = await countChanges(harness.db, "maintenance");
      assert.deepEqual([afterReserve.audit - before.audit, afterReserve.outbox - before.outbox], [1, 1]);
      const reserved = await inventory.availability(item.id, store.id);
      assert.deepEqual([reserved.onHandQuantity, reserved.reservedQuantity, reserved.availableQuantity], [10, 4, 6]);

      const partly = await maintenance.parts.consume(workOrder.id, part.id, { quantity: 3 }, TECH);
      assert.deepEqual([partly.status, partly.consumedQuantity, partly.consumedValue, partly.currency], ["reserved", 3, 360, "USD"]);
      const rest = await maintenance.parts.consume(workOrder.id, part.id, {}, TECH);
      assert.deepEqual([rest.status, rest.consumedQuantity, rest.consumedValue], ["consumed", 4, 480]);
      const stock = await inventory.availability(item.id, store.id);
      assert.deepEqual([stock.onHandQuantity, stock.reservedQuantity, stock.availableQuantity], [6, 0, 6]);
      const detail = await maintenance.workOrders.get(workOrder.id);
      assert.deepEqual(detail.partsCost, [{ currency: "USD", value: 480 }]);
      await assert.rejects(maintenance.parts.consume(workOrder.id, part.id, {}, TECH), isServiceError("invalid_state", "partId"));

      // More than is available: inventory's refusal reaches the caller, nothing is recorded on the order.
      await assert.rejects(maintenance.parts.reserve(workOrder.id, { itemId: item.id, locationId: store.id, quantity: 7 }, TECH), isServiceError("conflict"));
      const released = await maintenance.parts.release(workOrder.id, (await maintenance.parts.reserve(workOrder.id, { itemId: item.id, locationId: store.id, quantity: 2 }, TECH)).id, TECH);
      assert.equal(released.status, "released");
      assert.equal((await inventory.availability(item.id, store.id)).availableQuantity, 6);
      assert.equal((await maintenance.workOrders.get(workOrder.id)).parts.length, 2);
    });
  });
}
