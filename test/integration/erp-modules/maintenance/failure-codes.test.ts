import assert from "node:assert/strict";
import { SEED_FAILURE_CODES } from "../../../../erp-modules/maintenance/model/failure-code-seed.js";
import { MaintenanceService } from "../../../../erp-modules/maintenance/service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { countChanges, createBattery, createErpHarness, ENGINEER, isServiceError, viaService, type ErpHarness } from "../erp-fixtures.js";

const TECH = "tom-technician";
const H = 3_600_000;

for (const target of databaseTargets) {
  describe(`maintenance failure-code catalogue on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let maintenance: MaintenanceService;
    let espId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "maintenance.*");
      maintenance = new MaintenanceService(harness.context, { assets: harness.assets });
      const battery = await createBattery(viaService(harness.assets, ENGINEER), { field: "FF", site: "FB", wells: { "FW-1": "esp" }, tank: "FB-TK1" });
      espId = (await harness.assets.create({ kind: "equipment", code: "ESP-301", name: "ESP of FW-1", parentId: battery.siteId, equipment: { equipmentType: "esp" } }, ENGINEER)).id;
    });

    after(async () => {
      await database?.drop();
    });

    it("seeds the starting set once, with an audit and an outbox row per code, and never on a read", async () => {
      assert.deepEqual(await maintenance.failureCodes.list(), []);
      const before = await countChanges(harness.db, "maintenance");
      // Two starts at once (two services on one database) insert each code once.
      await Promise.all([maintenance.failureCodes.ensureSeeded(), new MaintenanceService(harness.context, { assets: harness.assets }).failureCodes.ensureSeeded()]);
      await new MaintenanceService(harness.context, { assets: harness.assets }).failureCodes.ensureSeeded();
      const after = await countChanges(harness.db, "maintenance");
      const first = await maintenance.failureCodes.list();
      assert.deepEqual(
        first.map((code) => `${code.kind}:${code.code}`).sort(),
        SEED_FAILURE_CODES.map((code) => `${code.kind}:${code.code}`).sort(),
      );
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [SEED_FAILURE_CODES.length, SEED_FAILURE_CODES.length]);
      const vibration = first.find((code) => code.kind === "problem" && code.code === "VIB");
      assert.deepEqual([vibration?.descriptionEn, vibration?.descriptionEs, vibration?.active], ["Vibration", "Vibración", true]);
      assert.deepEqual((await maintenance.failureCodes.list({ kind: "remedy" })).map((code) => code.code), ["ADJ", "CLEAN", "REP", "REPL"]);
    });

    it("adds a code unique per kind, rewords and deactivates it, refusing a duplicate (409) and a stale version", async () => {
      const created = await maintenance.failureCodes.create({ kind: "cause", code: "GAS-LOCK", descriptionEn: "Gas lock", descriptionEs: "Bloqueo por gas" }, ENGINEER);
      assert.deepEqual([created.kind, created.code, created.active, created.rowVersion], ["cause", "GAS-LOCK", true, 1]);
      await assert.rejects(maintenance.failureCodes.create({ kind: "cause", code: "GAS-LOCK", descriptionEn: "x", descriptionEs: "x" }, ENGINEER), isServiceError("conflict", "code"));
      // The same code under another kind is another code.
      await maintenance.failureCodes.create({ kind: "remedy", code: "GAS-LOCK", descriptionEn: "Vent the gas", descriptionEs: "Ventear el gas" }, ENGINEER);
      await assert.rejects(maintenance.failureCodes.create({ kind: "cause", code: "no spaces", descriptionEn: "x", descriptionEs: "x" }, ENGINEER), isServiceError("invalid_input", "code"));
      const off = await maintenance.failureCodes.update(created.id, { rowVersion: 1, active: false, descriptionEs: "Bloqueo de gas" }, ENGINEER);
      assert.deepEqual([off.active, off.descriptionEs, off.descriptionEn, off.rowVersion], [false, "Bloqueo de gas", "Gas lock", 2]);
      await assert.rejects(maintenance.failureCodes.update(created.id, { rowVersion: 1, active: true }, ENGINEER), isServiceError("stale", "rowVersion"));
      assert.ok(!(await maintenance.failureCodes.list({ kind: "cause" })).some((code) => code.code === "GAS-LOCK"));
      assert.ok((await maintenance.failureCodes.list({ kind: "cause", includeInactive: true })).some((code) => code.code === "GAS-LOCK" && !code.active));
      const audit = await harness.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", [created.id]);
      assert.deepEqual(
        audit.rows.map((row) => row.action),
        ["maintenance.failure_code.create", "maintenance.failure_code.update"],
      );
    });

    it("takes a work order's codes from the active catalogue, keeps old free text it already holds, and MTBF/MTTR group by it", async () => {
      const { workOrder } = await maintenance.workOrders.create({ equipmentId: espId, title: "Old record", failedAt: "2026-01-01T10:00:00Z" }, TECH);
      // An order from before the catalogue: its free-text code written straight to the row, as the old API stored it.
      await harness.db.query("UPDATE maintenance_work_orders SET problem_code = 'SEAL-LEAK' WHERE id = $1", [workOrder.id]);
      await assert.rejects(maintenance.workOrders.update(workOrder.id, { rowVersion: 1, problemCode: "NOISY" }, TECH), isServiceError("invalid_input", "problemCode"));
      // A cause code is not a problem code, and a deactivated code is no longer offered.
      await assert.rejects(maintenance.workOrders.update(workOrder.id, { rowVersion: 1, problemCode: "WEAR" }, TECH), isServiceError("invalid_input", "problemCode"));
      await assert.rejects(maintenance.workOrders.update(workOrder.id, { rowVersion: 1, causeCode: "GAS-LOCK" }, TECH), isServiceError("invalid_input", "causeCode"));
      // Sending back the value the order holds is accepted, with codes from the catalogue beside it.
      const legacy = await maintenance.workOrders.update(workOrder.id, { rowVersion: 1, problemCode: "SEAL-LEAK", causeCode: "WEAR", remedyCode: "REPL" }, TECH);
      assert.deepEqual([legacy.problemCode, legacy.causeCode, legacy.remedyCode], ["SEAL-LEAK", "WEAR", "REPL"]);
      const a = await maintenance.workOrders.transition(workOrder.id, { rowVersion: legacy.rowVersion, to: "approved" }, ENGINEER, "engineer");
      const s = await maintenance.workOrders.transition(workOrder.id, { rowVersion: a.rowVersion, to: "in_progress" }, TECH, "operator");
      await maintenance.workOrders.transition(workOrder.id, { rowVersion: s.rowVersion, to: "done", completedAt: "2026-01-01T14:00:00Z" }, TECH, "operator");

      const next = (await maintenance.workOrders.create({ equipmentId: espId, title: "Vibration", failedAt: "2026-01-02T10:00:00Z" }, TECH)).workOrder;
      const coded = await maintenance.workOrders.update(next.id, { rowVersion: 1, problemCode: "VIB" }, TECH);
      const a2 = await maintenance.workOrders.transition(next.id, { rowVersion: coded.rowVersion, to: "approved" }, ENGINEER, "engineer");
      const s2 = await maintenance.workOrders.transition(next.id, { rowVersion: a2.rowVersion, to: "in_progress" }, TECH, "operator");
      await maintenance.workOrders.transition(next.id, { rowVersion: s2.rowVersion, to: "done", completedAt: "2026-01-02T12:00:00Z" }, TECH, "operator");

      const from = Date.parse("2026-01-01T00:00:00Z");
      const history = await maintenance.workOrders.equipmentHistory(espId, { from: new Date(from).toISOString(), to: new Date(from + 100 * H).toISOString() });
      const byCode = new Map(history.byFailureCode.map((row) => [row.problemCode, row]));
      assert.deepEqual([byCode.get("SEAL-LEAK")?.failures, byCode.get("SEAL-LEAK")?.mttrHours], [1, 4]);
      assert.deepEqual([byCode.get("VIB")?.failures, byCode.get("VIB")?.mttrHours], [1, 2]);
    });
  });
}
