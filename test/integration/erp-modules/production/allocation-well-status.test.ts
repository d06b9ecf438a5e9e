import assert from "node:assert/strict";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, createHarness, createSite, type Harness, type SiteFixture } from "./allocation-fixtures.js";

const DAY = "2026-10-10";

for (const target of databaseTargets) {
  describe(`Allocation and the register's well status on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let site: SiteFixture;
    const wellIds: Record<"producing" | "shutInAtNoon" | "suspended", string> = { producing: "", shutInAtNoon: "", suspended: "" };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      site = await createSite(harness, 0);
      const well = async (code: string) =>
        (
          await harness.assets.create(
            { kind: "well", code, name: `Well ${code}`, parentId: site.siteId, well: { liftType: "esp", statusSince: "2026-09-01T00:00:00.000Z" } },
            ENGINEER,
          )
        ).id;
      wellIds.producing = await well(`${site.siteCode}-WA`);
      wellIds.shutInAtNoon = await well(`${site.siteCode}-WB`);
      wellIds.suspended = await well(`${site.siteCode}-WC`);
      for (const wellId of Object.values(wellIds)) await site.approvedTest(wellId, "2026-09-15T08:00:00Z", { oil: 100, gas: 0, water: 0 });
      // No downtime is recorded: the register's status alone says these wells were not producing.
      await harness.assets.changeStatus(wellIds.shutInAtNoon, { status: "shut_in", effectiveAt: `${DAY}T12:00:00.000Z`, reason: "high water cut" }, ENGINEER);
      await harness.assets.changeStatus(wellIds.suspended, { status: "suspended", effectiveAt: "2026-10-01T00:00:00.000Z", reason: "awaiting workover" }, ENGINEER);
      await site.meterReading(DAY, "oil", 150);
    });

    after(async () => {
      await database?.drop();
    });

    it("gives a well no uptime while the register has it shut in or suspended", async () => {
      const run = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: DAY, periodEnd: DAY }, ENGINEER);
      const oil = new Map(
        (await harness.allocation.getRun(run.id)).results
          .filter((result) => result.fluid === "oil")
          .map((result) => [result.wellId, { uptime: result.uptimeHours, theoretical: result.theoreticalM3, allocated: result.allocatedM3 }]),
      );
      assert.deepEqual(oil.get(wellIds.producing), { uptime: 24, theoretical: 100, allocated: 100 });
      assert.deepEqual(oil.get(wellIds.shutInAtNoon), { uptime: 12, theoretical: 50, allocated: 50 });
      assert.deepEqual(oil.get(wellIds.suspended), { uptime: 0, theoretical: 0, allocated: 0 });
    });

    it("reports a shut-in as the operator's shut-in with its deferment, and a suspended well as down without deferment", async () => {
      const report = await harness.reports.daily({ siteAssetId: site.siteId, date: DAY });
      const row = (wellId: string) => {
        const found = report.wells.find((well) => well.wellId === wellId);
        assert.ok(found, wellId);
        return { uptime: found.uptimeHours, downtime: found.downtime, deferredOil: found.deferredOilM3 };
      };
      assert.deepEqual(row(wellIds.producing), { uptime: 24, downtime: [], deferredOil: 0 });
      assert.deepEqual(row(wellIds.shutInAtNoon), { uptime: 12, downtime: [{ reasonCode: "shut_in_by_operator", hours: 12 }], deferredOil: 50 });
      assert.deepEqual(row(wellIds.suspended), { uptime: 0, downtime: [], deferredOil: 0 });
    });
  });
}
