import assert from "node:assert/strict";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { isServiceError } from "../erp-fixtures.js";
import { ENGINEER, allocatedSums, createHarness, createSite, resultRowsText, runRowText, type Harness, type SiteFixture } from "./allocation-fixtures.js";

for (const target of databaseTargets) {
  describe(`AllocationService on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let site: SiteFixture;
    const ids: Record<string, string> = {};

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      site = await createSite(harness, 3);
      const [w1, w2, w3] = site.wells;
      // W001: 100 m3/d oil from Sep 30, 120 from a test on Oct 2 at noon (in effect from noon: Oct 2 is pro rata).
      ids.w1Old = await site.approvedTest(w1.id, "2026-09-30T08:00:00Z", { oil: 100, gas: 5000, water: 20 });
      ids.w1New = await site.approvedTest(w1.id, "2026-10-02T12:00:00Z", { oil: 120, gas: 6000, water: 30 });
      ids.w2 = await site.approvedTest(w2.id, "2026-09-15T08:00:00Z", { oil: 50, gas: 2000, water: 40 });
      // W003 has no approved test: theoretical 0, a warning, allocated 0.
      void w3;
      // W002 down 6 h on Oct 2; a voided downtime on W001 does not count.
      await site.downtime(w2.id, "2026-10-02T06:00:00Z", "2026-10-02T12:00:00Z");
      await site.voidEntry("downtime_event", await site.downtime(w1.id, "2026-10-01T00:00:00Z", "2026-10-01T12:00:00Z"));

      await site.meterReading("2026-10-01", "oil", "140.5");
      await site.meterReading("2026-10-01", "gas", 7000);
      await site.meterReading("2026-10-01", "water", 61);
      // Oct 2 oil: the later reading corrects the first; a voided one is ignored.
      await site.meterReading("2026-10-02", "oil", 999);
      await site.meterReading("2026-10-02", "oil", "157.123456");
      await site.voidEntry("meter_reading", await site.meterReading("2026-10-02", "oil", 5));
      await site.meterReading("2026-10-02", "gas", 7100);
      await site.meterReading("2026-10-02", "water", 59);
      // Oct 3: oil from the tank balance (130 − 100 + 25 shipped = 55), no gas reading, water not gauged.
      await site.tankGauge("2026-10-02T23:00:00Z", 100);
      await site.tankGauge("2026-10-03T23:30:00Z", 130);
      await site.runTicket("2026-10-03T10:00:00Z", "oil", 25, "T-1001");
      await site.voidEntry("run_ticket", await site.runTicket("2026-10-03T11:00:00Z", "oil", 25, "T-1002"));
    });

    after(async () => {
      await database?.drop();
    });

    it("allocates every measured day and fluid exactly (sums checked in SQL) from meters, corrections and the tank balance", async () => {
      const run = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-10-01", periodEnd: "2026-10-03" }, ENGINEER);
      ids.run1 = run.id;
      assert.equal(run.version, 1);
      assert.equal(run.restates, null);
      assert.equal(run.reason, null);
      assert.equal(run.createdBy, ENGINEER);

      const sums = await allocatedSums(harness.db, run.id);
      assert.deepEqual(
        Object.fromEntries([...sums].sort()),
        {
          "2026-10-01 gas": "7000.000000",
          "2026-10-01 oil": "140.500000",
          "2026-10-01 water": "61.000000",
          "2026-10-02 gas": "7100.000000",
          "2026-10-02 oil": "157.123456",
          "2026-10-02 water": "59.000000",
          "2026-10-03 oil": "55.000000",
        },
      );
      assert.deepEqual(run.totals, {
        oil: { measuredM3: 352.623456, allocatedM3: 352.623456 },
        gas: { measuredM3: 14100, allocatedM3: 14100 },
        water: { measuredM3: 120, allocatedM3: 120 },
      });
      assert.ok(run.warnings.some((warning) => /W003 has no approved well test on 2026-10-01\.\.2026-10-03/.test(warning)), run.warnings.join("\n"));
      assert.ok(run.warnings.some((warning) => warning.startsWith("no measured gas on 2026-10-03")), run.warnings.join("\n"));
      assert.ok(run.warnings.some((warning) => /no measured water on 2026-10-03: .*the site has no water tank/.test(warning)), run.warnings.join("\n"));

      const detail = await harness.allocation.getRun(run.id);
      const row = (code: string, day: string, fluid: string) => {
        const found = detail.results.find((result) => result.wellCode.endsWith(code) && result.productionDate === day && result.fluid === fluid);
        assert.ok(found, `${code} ${day} ${fluid}`);
        return found;
      };
      // Oct 1: theoretical 100 : 50 : 0; 140.5 shared 2:1 with the leftover unit to the larger remainder.
      assert.deepEqual(
        [row("W001", "2026-10-01", "oil").allocatedM3, row("W002", "2026-10-01", "oil").allocatedM3, row("W003", "2026-10-01", "oil").allocatedM3],
        [93.666667, 46.833333, 0],
      );
      assert.equal(row("W001", "2026-10-01", "oil").uptimeHours, 24, "the voided downtime does not count");
      assert.equal(row("W001", "2026-10-01", "oil").wellTestId, ids.w1Old);
      // Oct 2: W001 on its old test until noon, its new one after (100 × 12/24 + 120 × 12/24 = 50 + 60 = 110),
      // W002 up 18 h (50 × 18/24 = 37.5).
      assert.equal(row("W001", "2026-10-02", "oil").wellTestId, ids.w1New);
      assert.equal(row("W001", "2026-10-02", "oil").theoreticalM3, 110);
      assert.equal(row("W002", "2026-10-02", "oil").theoreticalM3, 37.5);
      assert.equal(row("W002", "2026-10-02", "oil").uptimeHours, 18);
      assert.equal(row("W003", "2026-10-02", "water").wellTestId, null);
      assert.equal(detail.results.length, 7 * 3, "3 wells × 7 measured day-fluids");
      assert.ok(!detail.results.some((result) => result.productionDate === "2026-10-03" && result.fluid !== "oil"));

      const negative = await harness.db.query("SELECT 1 FROM allocation_results WHERE allocated_m3 < 0 OR theoretical_m3 < 0");
      assert.equal(negative.rows.length, 0);
    });

    it("keeps the run's inputs: measured totals with their source and entries, the tests used", async () => {
      const inputs = await harness.db.query<{ inputs: { measured: { date: string; fluid: string; source: string; volumeM3: string; runTicketIds: string[] }[]; wellTests: { wellTestId: string | null; from: string; to: string }[] } }>(
        "SELECT inputs FROM allocation_runs WHERE id = $1",
        [ids.run1],
      );
      const { measured, wellTests } = inputs.rows[0].inputs;
      const oct3 = measured.find((entry) => entry.date === "2026-10-03" && entry.fluid === "oil");
      assert.equal(oct3?.source, "tank_balance");
      assert.equal(oct3?.volumeM3, "55.000000");
      assert.equal(oct3?.runTicketIds.length, 1, "the voided ticket is left out");
      assert.deepEqual(
        wellTests.filter((use) => use.wellTestId === ids.w1Old || use.wellTestId === ids.w1New).map((use) => [use.wellTestId, use.from, use.to]),
        [
          // Oct 2 is split between the two tests: it is in both ranges.
          [ids.w1Old, "2026-10-01", "2026-10-02"],
          [ids.w1New, "2026-10-02", "2026-10-03"],
        ],
      );
    });

    it("wrote one audit row and one outbox row for the run (not one per result), and emitted the event after commit", async () => {
      const audit = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE action = 'production.allocation_run.create' AND entity_id = $1", [ids.run1]);
      const outbox = await harness.db.query<{ count: number }>("SELECT count(*)::int AS count FROM sync_outbox WHERE module = 'production' AND entity_id = $1", [ids.run1]);
      assert.equal(audit.rows[0].count, 1);
      assert.equal(outbox.rows[0].count, 1);
      const event = harness.events.find((candidate) => candidate.type === "production.allocation.completed" && candidate.payload.runId === ids.run1);
      assert.deepEqual(event?.payload, { runId: ids.run1, siteAssetId: site.siteId, periodStart: "2026-10-01", periodEnd: "2026-10-03", version: 1, restates: null });
    });

    it("refuses a restatement without a reason, naming the field", async () => {
      await assert.rejects(
        harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-10-03", periodEnd: "2026-10-05", reason: "  " }, ENGINEER),
        isServiceError("invalid_input", "reason"),
      );
    });

    it("restates as version 2 and leaves version 1 byte-identical; version 2 is current for its days", async () => {
      const runBefore = await runRowText(harness.db, ids.run1);
      const rowsBefore = await resultRowsText(harness.db, ids.run1);
      // A late correction: Oct 2 oil re-read.
      await site.meterReading("2026-10-02", "oil", 160);
      const restated = await harness.allocation.createRun(
        { siteAssetId: site.siteId, periodStart: "2026-10-02", periodEnd: "2026-10-02", reason: "Oct 2 oil meter re-read" },
        ENGINEER,
      );
      assert.equal(restated.version, 2);
      assert.equal(restated.restates, ids.run1);
      assert.equal(restated.reason, "Oct 2 oil meter re-read");
      assert.equal((await allocatedSums(harness.db, restated.id)).get("2026-10-02 oil"), "160.000000");
      assert.equal(await runRowText(harness.db, ids.run1), runBefore);
      assert.deepEqual(await resultRowsText(harness.db, ids.run1), rowsBefore);

      const runs = await harness.allocation.listRuns({ siteAssetId: site.siteId, date: "2026-10-02", limit: 10, offset: 0 });
      assert.deepEqual(runs.items.map((run) => run.version), [2, 1]);
      assert.equal(runs.total, 2);
      const oct1 = await harness.allocation.listRuns({ siteAssetId: site.siteId, date: "2026-10-01", limit: 10, offset: 0 });
      assert.deepEqual(oct1.items.map((run) => run.version), [1]);
    });

    it("rejects UPDATE and DELETE on runs and results (append-only)", async () => {
      await assert.rejects(harness.db.query("UPDATE allocation_results SET allocated_m3 = 0 WHERE run_id = $1", [ids.run1]), /append-only/);
      await assert.rejects(harness.db.query("DELETE FROM allocation_results WHERE run_id = $1", [ids.run1]), /append-only/);
      await assert.rejects(harness.db.query("UPDATE allocation_runs SET reason = 'x' WHERE id = $1", [ids.run1]), /append-only/);
      await assert.rejects(harness.db.query("DELETE FROM allocation_runs WHERE id = $1", [ids.run1]), /append-only/);
    });

    it("skips a day and fluid with no basis (every well down) with a warning, and sets a negative tank balance to 0", async () => {
      const other = await createSite(harness, 2);
      for (const well of other.wells) {
        await other.approvedTest(well.id, "2026-09-01T00:00:00Z", { oil: 10, gas: 100, water: 5 });
        await other.downtime(well.id, "2026-10-10T00:00:00Z", "2026-10-11T00:00:00Z", "power_failure");
      }
      await other.meterReading("2026-10-10", "oil", 12);
      await other.meterReading("2026-10-10", "gas", 0);
      // Oct 11: stock fell 20 m3 but nothing was shipped.
      await other.tankGauge("2026-10-11T00:00:00Z", 80);
      await other.tankGauge("2026-10-12T00:00:00Z", 60);
      const run = await harness.allocation.createRun({ siteAssetId: other.siteId, periodStart: "2026-10-10", periodEnd: "2026-10-11" }, ENGINEER);
      const sums = await allocatedSums(harness.db, run.id);
      assert.equal(sums.get("2026-10-10 oil"), undefined, "no basis: not allocated");
      assert.equal(sums.get("2026-10-10 gas"), "0.000000", "nothing measured, nothing to share: zeros");
      assert.equal(sums.get("2026-10-11 oil"), "0.000000");
      assert.ok(run.warnings.some((warning) => warning.startsWith("oil on 2026-10-10 not allocated: 12.000000 m3 measured")), run.warnings.join("\n"));
      assert.ok(run.warnings.some((warning) => warning.startsWith("oil tank balance on 2026-10-11 is -20.000000 m3")), run.warnings.join("\n"));
      assert.deepEqual(run.totals.oil, { measuredM3: 12, allocatedM3: 0 });
    });

    it("makes concurrent runs of one site one after the other: gapless versions, the later restates the earlier", async () => {
      const other = await createSite(harness, 1);
      await other.approvedTest(other.wells[0].id, "2026-09-01T00:00:00Z", { oil: 10, gas: 100, water: 5 });
      await other.meterReading("2026-10-20", "oil", 9);
      const input = { siteAssetId: other.siteId, periodStart: "2026-10-20", periodEnd: "2026-10-20", reason: "same day twice" };
      const runs = await Promise.all([harness.allocation.createRun(input, ENGINEER), harness.allocation.createRun(input, ENGINEER)]);
      const [first, second] = runs.sort((a, b) => a.version - b.version);
      assert.deepEqual([first.version, second.version], [1, 2]);
      assert.equal(first.restates, null);
      assert.equal(second.restates, first.id);
    });

    it("refuses bad periods and assets that are not sites", async () => {
      const create = (periodStart: string, periodEnd: string, siteAssetId = site.siteId) =>
        harness.allocation.createRun({ siteAssetId, periodStart, periodEnd }, ENGINEER);
      await assert.rejects(create("2026-09-01", "2026-10-02"), isServiceError("invalid_input", "periodEnd"));
      await assert.rejects(create("2026-10-02", "2026-10-01"), isServiceError("invalid_input", "periodEnd"));
      await assert.rejects(create("2099-01-01", "2099-01-02"), isServiceError("invalid_input", "periodEnd"));
      await assert.rejects(create("2026-10-01", "2026-10-01", site.wells[0].id), isServiceError("invalid_input", "siteAssetId"));
      await assert.rejects(create("2026-10-01", "2026-10-01", "0190a0b0-0000-7000-8000-000000000000"), isServiceError("not_found"));
      // 31 days inclusive is the longest period.
      const longest = await create("2026-08-01", "2026-08-31");
      assert.equal(longest.periodEnd, "2026-08-31");
    });
  });
}
