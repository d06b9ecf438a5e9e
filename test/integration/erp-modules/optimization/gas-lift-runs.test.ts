import assert from "node:assert/strict";
import type { GasLiftPlanner, PlanRequest } from "../../../../erp-modules/optimization/gas-lift-planner.js";
import { GasLiftRunService, RUN_APPROVED_EVENT } from "../../../../erp-modules/optimization/gas-lift-run-service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, countChanges, createBattery, createErpHarness, isServiceError, viaService, type Battery, type ErpHarness } from "../erp-fixtures.js";

/*
 * The closed loop's lifecycle on both databases with a planner that answers
 * fixed setpoints (the optimiser itself is tested on its own): limits, run
 * creation, approval and its refusals, rejection, and the flow's writes.
 */

const FLOW = "flow:setpoint-approval";

/** Answers `setpoints[wellCode]` for each well (or the middle of its limits), with a two-point curve. */
function fixedPlanner(setpoints: Record<string, number>): GasLiftPlanner & { requests: PlanRequest[] } {
  const requests: PlanRequest[] = [];
  return {
    requests,
    plan(request) {
      requests.push(request);
      const wells = request.wells.map((well) => {
        const value = setpoints[well.wellCode] ?? (well.minInjectionSm3PerDay + well.maxInjectionSm3PerDay) / 2;
        return {
          wellId: well.wellId,
          currentInjectionSm3PerDay: 20_000,
          recommendedInjectionSm3PerDay: value,
          currentOilM3PerDay: 50,
          expectedOilM3PerDay: 55,
          curve: [
            { injectionSm3PerDay: 0, oilM3PerDay: 20 },
            { injectionSm3PerDay: 40_000, oilM3PerDay: 60 },
          ],
        };
      });
      const gas = Math.min(request.gasAvailableSm3PerDay ?? Infinity, request.compressorCapacitySm3PerDay ?? Infinity);
      return Promise.resolve({
        gasAvailableSm3PerDay: gas,
        gasSource: request.gasAvailableSm3PerDay === undefined ? "compressor" : "request",
        wells,
        expectedOilM3PerDay: 55 * wells.length,
        expectedOilGainM3PerDay: 5 * wells.length,
        marginalOilM3PerSm3: request.objective === "net_value" ? null : 0.0004,
        ...(request.objective === "net_value" && request.prices ? { netValue: { ...request.prices, expectedGainPerDay: 1_234.5, marginalValuePerSm3: 0.16 } } : {}),
        solver: { method: "fixed" },
      });
    },
  };
}

let batteries = 0;

for (const target of databaseTargets) {
  describe(`GasLiftRunService on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: ErpHarness;
    let battery: Battery;
    let planner: ReturnType<typeof fixedPlanner>;
    let runs: GasLiftRunService;

    const newBattery = async (): Promise<Battery> => {
      batteries += 1;
      const prefix = `GL${batteries}`;
      return createBattery(viaService(harness.assets, ENGINEER), {
        field: `${prefix}-FIELD`,
        site: `${prefix}-BAT`,
        wells: { [`${prefix}-W201`]: "gas_lift", [`${prefix}-W202`]: "gas_lift", [`${prefix}-W101`]: "esp" },
        tank: `${prefix}-TK1`,
      });
    };
    const setLimits = async (site: Battery, min = 5_000, max = 40_000) => {
      for (const well of site.wells.filter((candidate) => !candidate.code.endsWith("W101"))) {
        await runs.setLimits(well.id, { minInjectionSm3PerDay: min, maxInjectionSm3PerDay: max, setpointTagPath: `SITE1/${well.code}/GL_INJ_SP` }, ENGINEER);
      }
    };
    const writeCount = async (runId: string): Promise<number> =>
      (await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM gas_lift_setpoint_writes WHERE run_id = $1", [runId])).rows[0]?.count ?? -1;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createErpHarness(database.db, "optimization.*");
      planner = fixedPlanner({});
      runs = new GasLiftRunService(harness.context, harness.assets, planner);
      battery = await newBattery();
      await setLimits(battery);
      await runs.setSiteGas(battery.siteId, { compressorCapacitySm3PerDay: 60_000 }, ENGINEER);
    });

    after(async () => {
      await database?.drop();
    });

    it("sets a gas-lift well's limits once per well, versioned and audited; an ESP well or max below min is refused", async () => {
      const [w201] = battery.wells;
      const before = await countChanges(harness.db, "optimization");
      const updated = await runs.setLimits(w201.id, { minInjectionSm3PerDay: 6_000, maxInjectionSm3PerDay: 40_000, setpointTagPath: `SITE1/${w201.code}/GL_INJ_SP`, expectedRowVersion: 1 }, ENGINEER);
      assert.equal(updated.rowVersion, 2);
      assert.deepEqual(await countChanges(harness.db, "optimization"), { audit: before.audit + 1, outbox: before.outbox + 1 });
      await assert.rejects(
        runs.setLimits(w201.id, { minInjectionSm3PerDay: 6_000, maxInjectionSm3PerDay: 40_000, setpointTagPath: `SITE1/${w201.code}/GL_INJ_SP`, expectedRowVersion: 1 }, ENGINEER),
        isServiceError("stale", "expectedRowVersion"),
      );
      const esp = battery.wells.find((well) => well.code.endsWith("W101"));
      assert.ok(esp);
      await assert.rejects(runs.setLimits(esp.id, { minInjectionSm3PerDay: 0, maxInjectionSm3PerDay: 1, setpointTagPath: "SITE1/X/GL_INJ_SP" }, ENGINEER), isServiceError("invalid_input", "wellId"));
      await assert.rejects(
        runs.setLimits(w201.id, { minInjectionSm3PerDay: 9_000, maxInjectionSm3PerDay: 8_000, setpointTagPath: "SITE1/X/GL_INJ_SP" }, ENGINEER),
        isServiceError("invalid_input", "maxInjectionSm3PerDay"),
      );
      const listed = await runs.listLimits(battery.siteId);
      assert.deepEqual(
        listed.map((limits) => [limits.wellCode, limits.minInjectionSm3PerDay, limits.maxInjectionSm3PerDay]),
        battery.wells.filter((well) => !well.code.endsWith("W101")).map((well) => [well.code, well.code === w201.code ? 6_000 : 5_000, 40_000]),
      );
    });

    it("creates a proposed run for the gas-lift wells within their limits, handing the planner the limits", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000 }, ENGINEER);
      assert.equal(run.status, "proposed");
      assert.equal(run.gasSource, "request");
      assert.equal(run.gasAvailableSm3PerDay, 50_000);
      assert.deepEqual(
        run.setpoints.map((setpoint) => [setpoint.wellCode, setpoint.tagPath, setpoint.write]),
        battery.wells.filter((well) => !well.code.endsWith("W101")).map((well) => [well.code, `SITE1/${well.code}/GL_INJ_SP`, null]),
      );
      assert.equal(run.setpoints[0]?.curve.length, 2);
      const request = planner.requests[planner.requests.length - 1];
      assert.deepEqual(
        request?.wells.map((well) => [well.wellCode, well.minInjectionSm3PerDay, well.maxInjectionSm3PerDay]),
        run.setpoints.map((setpoint) => [setpoint.wellCode, setpoint.minInjectionSm3PerDay, setpoint.maxInjectionSm3PerDay]),
      );
      assert.deepEqual((await runs.listRuns(battery.siteId)).map((summary) => summary.id).slice(0, 1), [run.id]);
    });

    it("an oil run says so; a net-value run hands the planner its prices and keeps them with its gain in money", async () => {
      const oil = await runs.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000 }, ENGINEER);
      assert.deepEqual([oil.objective, oil.netValue, oil.marginalOilM3PerSm3], ["oil", null, 0.0004]);
      assert.equal(planner.requests[planner.requests.length - 1]?.objective, undefined);

      const prices = { currency: "USD", oilPricePerM3: 440, liftGasCostPerSm3: 0.07, waterHandlingCostPerM3: 9.4 };
      const run = await runs.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000, objective: "net_value", prices }, ENGINEER);
      const request = planner.requests[planner.requests.length - 1];
      assert.deepEqual([request?.objective, request?.prices], ["net_value", prices]);
      const expected = { ...prices, expectedGainPerDay: 1_234.5, marginalValuePerSm3: 0.16 };
      assert.deepEqual([run.objective, run.netValue, run.marginalOilM3PerSm3], ["net_value", expected, null]);
      // Read back from the database, in the list and on its own.
      assert.deepEqual((await runs.getRun(run.id)).netValue, expected);
      const listed = (await runs.listRuns(battery.siteId)).find((summary) => summary.id === run.id);
      assert.deepEqual([listed?.objective, listed?.netValue], ["net_value", expected]);
    });

    it("refuses a net-value run without prices, and prices on an oil run, naming prices; nothing is planned", async () => {
      const asked = planner.requests.length;
      await assert.rejects(runs.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000, objective: "net_value" }, ENGINEER), isServiceError("invalid_input", "prices"));
      const prices = { currency: "USD", oilPricePerM3: 440, liftGasCostPerSm3: 0.07, waterHandlingCostPerM3: 9.4 };
      await assert.rejects(runs.createRun({ siteAssetId: battery.siteId, gasAvailableSm3PerDay: 50_000, prices }, ENGINEER), isServiceError("invalid_input", "prices"));
      assert.equal(planner.requests.length, asked);
    });

    it("takes the gas from the site's compressor capacity when none is given, and needs one or the other", async () => {
      const bare = await newBattery();
      await setLimits(bare);
      await assert.rejects(runs.createRun({ siteAssetId: bare.siteId }, ENGINEER), isServiceError("invalid_input", "gasAvailableSm3PerDay"));
      const set = await runs.setSiteGas(bare.siteId, { compressorCapacitySm3PerDay: 45_000 }, ENGINEER);
      assert.deepEqual([set.compressorCapacitySm3PerDay, set.rowVersion], [45_000, 1]);
      const run = await runs.createRun({ siteAssetId: bare.siteId }, ENGINEER);
      assert.deepEqual([run.gasSource, run.gasAvailableSm3PerDay], ["compressor", 45_000]);
      const request = planner.requests[planner.requests.length - 1];
      assert.deepEqual([request?.gasAvailableSm3PerDay, request?.compressorCapacitySm3PerDay], [undefined, 45_000]);
    });

    it("refuses a run when a gas-lift well has no limits, or the planner answers a setpoint outside them", async () => {
      const bare = await newBattery();
      await assert.rejects(runs.createRun({ siteAssetId: bare.siteId }, ENGINEER), (error: unknown) => {
        assert.ok(isServiceError("conflict", "siteAssetId")(error));
        assert.equal((error as { details?: { reason?: string } }).details?.reason, "no_gas_lift_limits");
        return true;
      });
      await setLimits(bare);
      await runs.setSiteGas(bare.siteId, { compressorCapacitySm3PerDay: 60_000 }, ENGINEER);
      const [first] = bare.wells;
      const outside = new GasLiftRunService(harness.context, harness.assets, fixedPlanner({ [first.code]: 45_000 }));
      const before = await countChanges(harness.db, "optimization");
      await assert.rejects(outside.createRun({ siteAssetId: bare.siteId }, ENGINEER), (error: unknown) => {
        assert.ok(isServiceError("conflict")(error));
        assert.deepEqual((error as { details?: unknown }).details, {
          field: "siteAssetId",
          reason: "outside_gas_lift_limits",
          params: { well: first.code, value: 45_000, min: 5_000, max: 40_000 },
        });
        return true;
      });
      assert.deepEqual(await countChanges(harness.db, "optimization"), before, "a refused run writes nothing");
    });

    it("approves a fresh run once, audited with the run id, and emits the approved event after commit", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      assert.equal(run.gasSource, "compressor");
      const approved = await runs.approve(run.id, ENGINEER);
      assert.equal(approved.status, "approved");
      assert.equal(approved.decidedBy, ENGINEER);
      const event = harness.events.find((candidate) => candidate.type === RUN_APPROVED_EVENT && candidate.payload.runId === run.id);
      assert.deepEqual(event?.payload, { runId: run.id, siteAssetId: battery.siteId });
      const audit = await harness.db.query<{ actor: string; details: { runId?: string } }>("SELECT actor, details FROM audit_log WHERE action = 'optimization.gas_lift_run.approve' AND entity_id = $1", [run.id]);
      assert.deepEqual(audit.rows.map((row) => [row.actor, row.details.runId]), [[ENGINEER, run.id]]);
      await assert.rejects(runs.approve(run.id, ENGINEER), isServiceError("conflict", "runId"));
      await assert.rejects(runs.reject(run.id, { reason: "too late" }, ENGINEER), isServiceError("conflict", "runId"));
    });

    it("refuses to approve a run older than setpointApprovalMaxAgeMinutes, and writes nothing", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await harness.db.query("UPDATE gas_lift_runs SET created_at = now() - interval '31 minutes' WHERE id = $1", [run.id]);
      const before = await countChanges(harness.db, "optimization");
      await assert.rejects(runs.approve(run.id, ENGINEER), (error: unknown) => {
        assert.ok(isServiceError("conflict", "runId")(error));
        assert.deepEqual((error as { details?: unknown }).details, { field: "runId", reason: "run_too_old", params: { ageMinutes: 31, maxMinutes: 30 } });
        return true;
      });
      assert.deepEqual(await countChanges(harness.db, "optimization"), before);
      assert.equal((await runs.getRun(run.id)).status, "proposed");
      // A site allowing an hour approves it.
      const patient = new GasLiftRunService({ ...harness.context, settings: { setpointApprovalMaxAgeMinutes: 60 } }, harness.assets, planner);
      assert.equal((await patient.approve(run.id, ENGINEER)).status, "approved");
    });

    it("refuses to approve a run whose setpoint the engineer has since put outside the well's limits", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      const [first] = run.setpoints;
      assert.ok(first);
      await runs.setLimits(first.wellId, { minInjectionSm3PerDay: 5_000, maxInjectionSm3PerDay: first.recommendedInjectionSm3PerDay - 1, setpointTagPath: first.tagPath }, ENGINEER);
      await assert.rejects(runs.approve(run.id, ENGINEER), (error: unknown) => {
        assert.equal((error as { details?: { reason?: string } }).details?.reason, "outside_gas_lift_limits");
        return true;
      });
      await setLimits(battery);
    });

    it("rejects with a reason; a rejected or proposed run is never handed to the flow", async () => {
      const proposed = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await assert.rejects(runs.startWrites(proposed.id, FLOW), (error: unknown) => {
        assert.deepEqual((error as { details?: unknown }).details, { field: "runId", reason: "run_not_approved", params: { status: "proposed" } });
        return true;
      });
      const rejected = await runs.reject(proposed.id, { reason: "  compressor on maintenance " }, ENGINEER);
      assert.deepEqual([rejected.status, rejected.reason, rejected.decidedBy], ["rejected", "compressor on maintenance", ENGINEER]);
      await assert.rejects(runs.startWrites(proposed.id, FLOW), isServiceError("conflict", "runId"));
      await assert.rejects(runs.reject(proposed.id, { reason: "   " }, ENGINEER), isServiceError("invalid_input", "reason"));
      assert.equal(await writeCount(proposed.id), 0);
    });

    it("hands an approved run to the flow once; each write is audited with its run and the last settles the run", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await runs.approve(run.id, ENGINEER);
      const toWrite = await runs.startWrites(run.id, FLOW);
      assert.deepEqual(
        toWrite.map((setpoint) => [setpoint.tagPath, setpoint.valueSm3PerDay]),
        run.setpoints.map((setpoint) => [setpoint.tagPath, setpoint.recommendedInjectionSm3PerDay]),
      );
      assert.equal((await runs.getRun(run.id)).status, "writing");
      await assert.rejects(runs.startWrites(run.id, FLOW), isServiceError("conflict", "runId"), "a replayed approval writes nothing twice");
      const [first, second] = toWrite;
      assert.ok(first && second);
      await runs.recordWrite(run.id, first.setpointId, { outcome: "confirmed", readBackSm3PerDay: first.valueSm3PerDay }, FLOW);
      await assert.rejects(runs.recordWrite(run.id, first.setpointId, { outcome: "confirmed" }, FLOW), isServiceError("conflict", "setpointId"));
      await runs.recordWrite(run.id, second.setpointId, { outcome: "failed", detail: "device timeout" }, FLOW);
      const done = await runs.getRun(run.id);
      assert.equal(done.status, "partially_failed");
      assert.ok(done.writesFinishedAt);
      assert.deepEqual(
        done.setpoints.map((setpoint) => [setpoint.write?.outcome, setpoint.write?.by]),
        [
          ["confirmed", FLOW],
          ["failed", FLOW],
        ],
      );
      const audit = await harness.db.query<{ details: { runId?: string; tagPath?: string; outcome?: string } }>(
        "SELECT details FROM audit_log WHERE action = 'optimization.gas_lift_setpoint.write' AND details->>'runId' = $1 ORDER BY occurred_at, id",
        [run.id],
      );
      assert.deepEqual(
        audit.rows.map((row) => [row.details.tagPath, row.details.outcome]).sort(),
        [
          [first.tagPath, "confirmed"],
          [second.tagPath, "failed"],
        ].sort(),
      );
      assert.ok(harness.events.some((event) => event.type === "optimization.gas_lift_run.written" && event.payload.runId === run.id));
    });

    it("refuses, at write time, a setpoint whose limits changed since approval, and an approval older than the max age", async () => {
      const run = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await runs.approve(run.id, ENGINEER);
      const [first, second] = run.setpoints;
      assert.ok(first && second);
      await runs.setLimits(first.wellId, { minInjectionSm3PerDay: first.recommendedInjectionSm3PerDay + 1, maxInjectionSm3PerDay: 40_000, setpointTagPath: first.tagPath }, ENGINEER);
      const toWrite = await runs.startWrites(run.id, FLOW);
      assert.deepEqual(toWrite.map((setpoint) => setpoint.wellCode), [second.wellCode]);
      const refused = (await runs.getRun(run.id)).setpoints.find((setpoint) => setpoint.id === first.id);
      assert.equal(refused?.write?.outcome, "refused");
      await runs.recordWrite(run.id, second.id, { outcome: "confirmed", readBackSm3PerDay: second.recommendedInjectionSm3PerDay }, FLOW);
      assert.equal((await runs.getRun(run.id)).status, "partially_failed");
      await setLimits(battery);

      // Every setpoint outside its well's limits by write time: nothing is handed out and the run fails at once.
      const narrowed = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await runs.approve(narrowed.id, ENGINEER);
      await setLimits(battery, 1_000, 2_000);
      assert.deepEqual(await runs.startWrites(narrowed.id, FLOW), []);
      const failed = await runs.getRun(narrowed.id);
      assert.equal(failed.status, "failed");
      assert.deepEqual(failed.setpoints.map((setpoint) => setpoint.write?.outcome), ["refused", "refused"]);
      await setLimits(battery);

      const stale = await runs.createRun({ siteAssetId: battery.siteId }, ENGINEER);
      await runs.approve(stale.id, ENGINEER);
      await harness.db.query("UPDATE gas_lift_runs SET decided_at = now() - interval '45 minutes' WHERE id = $1", [stale.id]);
      await assert.rejects(runs.startWrites(stale.id, FLOW), (error: unknown) => {
        assert.equal((error as { details?: { reason?: string } }).details?.reason, "approval_too_old");
        return true;
      });
      assert.equal(await writeCount(stale.id), 0);
    });
  });
}
