import assert from "node:assert/strict";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { SITE_ID } from "../erp-fixtures.js";
import { ENGINEER, allocatedSums, createHarness, createSite, type Harness, type SiteFixture } from "./allocation-fixtures.js";

for (const target of databaseTargets) {
  describe(`Allocation meters on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    let site: SiteFixture;
    let checkMeterId: string;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      site = await createSite(harness, 2);
      const [w1, w2] = site.wells;
      await site.approvedTest(w1.id, "2026-09-01T08:00:00Z", { oil: 60, gas: 3000, water: 10 });
      await site.approvedTest(w2.id, "2026-09-01T08:00:00Z", { oil: 40, gas: 2000, water: 10 });
      // A check meter on the same oil line, read the same day: it verifies the fiscal meter, it does not add to it.
      const checkMeter = await harness.assets.create(
        {
          kind: "equipment",
          code: `${site.siteCode}-M-OIL-CHECK`,
          name: "Oil check meter",
          parentId: site.siteId,
          equipment: { equipmentType: "meter", meterService: "check", fluid: "oil" },
        },
        ENGINEER,
      );
      checkMeterId = checkMeter.id;
      await site.meterReading("2026-10-05", "oil", 100);
      await database.db.query(
        `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, '2026-10-05', 'oil', '101.5', 'manual', 'oscar-operator')`,
        [newId(), SITE_ID, checkMeterId, site.siteId],
      );
    });

    after(async () => {
      await database?.drop();
    });

    it("lists the site's meters with their service, and measures oil with the fiscal meter only", async () => {
      const meters = await harness.assets.metersUnder(site.siteId);
      assert.deepEqual(
        meters.map((meter) => [meter.id === checkMeterId, meter.meterService, meter.fluid]).filter(([isCheck]) => isCheck),
        [[true, "check", "oil"]],
      );
      const run = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-10-05", periodEnd: "2026-10-05" }, ENGINEER);
      assert.equal(run.totals.oil.measuredM3, 100, "the check meter's 101.5 m3 is not added to the fiscal 100 m3");
      assert.deepEqual(await allocatedSums(harness.db, run.id), new Map([["2026-10-05 oil", "100.000000"]]));
      const detail = await harness.allocation.getRun(run.id);
      const oil = new Map(detail.results.filter((result) => result.fluid === "oil").map((result) => [result.wellCode, result.allocatedM3]));
      assert.deepEqual([...oil.values()].sort((a, b) => a - b), [40, 60]);
    });
  });
}
