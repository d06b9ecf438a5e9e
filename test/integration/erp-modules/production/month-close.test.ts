import assert from "node:assert/strict";
import { EntryService } from "../../../../erp-modules/production/entry-service.js";
import { MonthCloseService } from "../../../../erp-modules/production/month-close-service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { countChanges, isServiceError } from "../erp-fixtures.js";
import { ENGINEER, createHarness, createSite, type Harness, type SiteFixture } from "./allocation-fixtures.js";

const ADMIN = { role: "admin" as const };
const AS_ENGINEER = { role: "engineer" as const };

for (const target of databaseTargets) {
  describe(`MonthCloseService on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let months: MonthCloseService;
    let entries: EntryService;
    let site: SiteFixture;
    let readingId = "";

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      months = new MonthCloseService(harness.context, harness.assets);
      entries = new EntryService(harness.context, harness.assets);
      site = await createSite(harness, 1);
      await site.approvedTest(site.wells[0].id, "2026-08-20T00:00:00Z", { oil: 50, gas: 2500, water: 10 });
      readingId = await site.meterReading("2026-09-10", "oil", 48);
      await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-09-01", periodEnd: "2026-09-30" }, ENGINEER);
      await months.close("2026-09", { siteAssetId: site.siteId }, ENGINEER);
    });

    after(async () => {
      await database?.drop();
    });

    it("refuses a month with a measured volume the run could not allocate, naming the day", async () => {
      const other = await createSite(harness, 1);
      // No approved test: the oil of Sep 5 has no basis to be shared.
      await other.meterReading("2026-09-05", "oil", 10);
      await harness.allocation.createRun({ siteAssetId: other.siteId, periodStart: "2026-09-01", periodEnd: "2026-09-30" }, ENGINEER);
      await assert.rejects(
        months.close("2026-09", { siteAssetId: other.siteId }, ENGINEER),
        (error: unknown) => {
          assert.ok(isServiceError("conflict", "month")(error));
          assert.deepEqual((error as { details?: unknown }).details, { field: "month", reason: "month_has_unallocated", params: { days: ["2026-09-05"] } });
          return true;
        },
      );
    });

    it("refuses a void of an entry in the closed month to an engineer; an admin's void is a prior-period adjustment", async () => {
      await assert.rejects(entries.voidEntry("meter_reading", readingId, "typo", ENGINEER, AS_ENGINEER), isServiceError("conflict", "productionDate"));
      const before = await countChanges(harness.db, "production");
      await entries.voidEntry("meter_reading", readingId, "meter was bypassed", "admin", ADMIN);
      const after = await countChanges(harness.db, "production");
      // One audit row (the void's), two outbox rows (the void and the adjustment).
      assert.deepEqual([after.audit - before.audit, after.outbox - before.outbox], [1, 2]);
      const state = await months.state(site.siteId, "2026-09");
      assert.deepEqual(
        state.adjustments.map((adjustment) => [adjustment.entityType, adjustment.reason]),
        [["entry_void", "meter was bypassed"]],
      );
    });

    it("refuses downtime reaching back into the closed month, and a flow's entry too", async () => {
      await assert.rejects(
        entries.recordDowntime(
          { wellId: site.wells[0].id, startedAt: "2026-09-30T20:00:00Z", endedAt: "2026-10-01T04:00:00Z", reasonCode: "esp_trip", source: "manual", notes: "" },
          ENGINEER,
          AS_ENGINEER,
        ),
        isServiceError("conflict", "startedAt"),
      );
      await assert.rejects(
        entries.recordDowntime(
          { wellId: site.wells[0].id, startedAt: "2026-09-29T20:00:00Z", endedAt: "2026-09-29T22:00:00Z", reasonCode: "esp_trip", source: "flow", sourceKey: "flow-1", notes: "" },
          "flow:abc",
        ),
        isServiceError("conflict", "startedAt"),
      );
      // October is open: an entry there goes in.
      const recorded = await entries.recordDowntime(
        { wellId: site.wells[0].id, startedAt: "2026-10-01T00:00:00Z", endedAt: "2026-10-01T04:00:00Z", reasonCode: "esp_trip", source: "manual", notes: "" },
        ENGINEER,
        AS_ENGINEER,
      );
      assert.equal(recorded.replayed, false);
    });
  });
}
