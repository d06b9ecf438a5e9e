import assert from "node:assert/strict";
import { CorporateService } from "../../../../erp-modules/corporate/service.js";
import { AlarmKpiPublisher } from "../../../../runtime/alarms/alarm-kpi-publisher.js";
import { computeAlarmKpis } from "../../../../runtime/alarms/alarm-kpis.js";
import type { Database } from "../../../../runtime/db/database.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { Outbox } from "../../../../runtime/sync/outbox.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { SITE_ID } from "../erp-fixtures.js";
import { ENGINEER, allocatedSums, createHarness, createSite, type Harness } from "../production/allocation-fixtures.js";

/**
 * What the receiver does with a site's outbox (docs/sync.md), reduced to
 * what consolidation reads: the latest payload per entity. The sync
 * receiver (its own module) is tested apart; here the site's real outbox
 * rows must be what the corporate reader understands.
 */
async function applyOutbox(db: Database, siteId: string): Promise<void> {
  await db.query("INSERT INTO sync_sites (site_id, name, last_contact_at, created_by) VALUES ($1, 'Site under test', now(), 'test') ON CONFLICT DO NOTHING", [siteId]);
  const rows = await new Outbox(db, siteId).unsent(10_000);
  for (const row of rows.filter((candidate) => candidate.siteId === siteId)) {
    await db.query(
      `INSERT INTO sync_entities (entity_type, entity_id, module, owner, site_id, row_version, deleted, payload, last_site_sequence, committed_at)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT (entity_type, entity_id) DO UPDATE SET payload = EXCLUDED.payload, deleted = EXCLUDED.deleted, last_site_sequence = EXCLUDED.last_site_sequence`,
      [row.entityType, row.entityId, row.module, siteId, row.rowVersion ?? null, row.operation === "delete", JSON.stringify(row.payload), row.sequence, row.createdAt],
    );
  }
}

for (const target of databaseTargets) {
  describe(`a site's outbox rows as the corporate reader sees them (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: Harness;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
    });

    after(async () => {
      await database?.drop();
    });

    it("consolidates a real allocation run and its restatement to the sums of their result rows, and lists the synced wells", async () => {
      const site = await createSite(harness, 2);
      const [w1, w2] = site.wells;
      await site.approvedTest(w1.id, "2026-09-20T08:00:00Z", { oil: 100, gas: 5000, water: 20 });
      await site.approvedTest(w2.id, "2026-09-20T08:00:00Z", { oil: 50, gas: 2000, water: 40 });
      for (const day of ["2026-09-30", "2026-10-01", "2026-10-02"]) {
        await site.meterReading(day, "oil", "140.5");
        await site.meterReading(day, "gas", 7000);
        await site.meterReading(day, "water", 61);
      }
      const first = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-09-30", periodEnd: "2026-10-02" }, ENGINEER);
      await site.meterReading("2026-10-02", "oil", "151.25");
      const restated = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: "2026-10-02", periodEnd: "2026-10-02", reason: "corrected oil meter" }, ENGINEER);

      const [row] = await new Outbox(harness.db, SITE_ID).unsent(1, { entityId: first.id });
      const payload = row.payload as { id: string; wellVolumes: { site: { code: string }; field: { code: string } | null; days: string[]; wells: { code: string; oilM3: number[] }[] } };
      assert.equal(payload.id, first.id, "the run itself, as the API returns it");
      assert.deepEqual([payload.wellVolumes.site.code, payload.wellVolumes.field?.code, payload.wellVolumes.days], [site.siteCode, site.siteCode.replace("-BAT", "-FIELD"), ["2026-09-30", "2026-10-01", "2026-10-02"]]);
      assert.deepEqual(payload.wellVolumes.wells.map((well) => well.code), [w1.code, w2.code]);

      await applyOutbox(harness.db, SITE_ID);
      const corporate = new CorporateService(harness.db);
      const answer = await corporate.production({ fromMonth: "2026-09", toMonth: "2026-10" });

      // Expected from the result rows in SQL: Sep 30 and Oct 1 from run 1, Oct 2 from the restatement.
      const firstSums = await allocatedSums(harness.db, first.id);
      const restatedSums = await allocatedSums(harness.db, restated.id);
      const sum = (keys: [Map<string, string>, string][]) => keys.reduce((total, [sums, key]) => total + Number(sums.get(key) ?? 0), 0);
      const october = (fluid: string) => sum([[firstSums, `2026-10-01 ${fluid}`], [restatedSums, `2026-10-02 ${fluid}`]]);
      const rows = answer.rows.map((entry) => [entry.month, entry.oilM3, entry.gasSm3, entry.waterM3]);
      assert.deepEqual(rows, [
        ["2026-09", Number(firstSums.get("2026-09-30 oil")), Number(firstSums.get("2026-09-30 gas")), Number(firstSums.get("2026-09-30 water"))],
        ["2026-10", Math.round(october("oil") * 1e6) / 1e6, Math.round(october("gas") * 1e6) / 1e6, Math.round(october("water") * 1e6) / 1e6],
      ]);
      assert.equal(Number(restatedSums.get("2026-10-02 oil")), 151.25, "the restatement allocated the corrected reading");

      const wells = await corporate.remoteWells(SITE_ID);
      assert.deepEqual(wells.wells.map((well) => [well.code, well.siteAssetCode, well.status]), [[w1.code, site.siteCode, "producing"], [w2.code, site.siteCode, "producing"]]);
    });

    it("sends the alarm journal as one summary per UTC day that the corporate KPIs read", async () => {
      const db = harness.db;
      const outbox = new Outbox(db, "ALARMS1");
      const now = Date.parse("2026-10-02T06:00:00Z");
      const day1 = Date.parse("2026-10-01T00:00:00Z");
      const activations = Array.from({ length: 12 }, (_, index) => ({ alarmId: "a1", tagPath: "ALARMS1/W/THP", message: "high THP", area: "a", priority: "high" as const, at: day1 + index * 7200_000 }));
      const asked: [number, number][] = [];
      const publisher = new AlarmKpiPublisher({
        kpis: async (from, to) => {
          asked.push([from, to]);
          return computeAlarmKpis(activations, [], from, to);
        },
        outbox,
        db,
        siteId: "ALARMS1",
        logger: createLogger("silent"),
        now: () => now,
      });
      await publisher.tick();
      await publisher.tick();
      // Yesterday once (final), today on every tick, up to now.
      assert.deepEqual(asked.map(([from, to]) => [new Date(from).toISOString(), new Date(to).toISOString()]), [
        ["2026-10-01T00:00:00.000Z", "2026-10-02T00:00:00.000Z"],
        ["2026-10-02T00:00:00.000Z", "2026-10-02T06:00:00.000Z"],
        ["2026-10-02T00:00:00.000Z", "2026-10-02T06:00:00.000Z"],
      ]);
      const rows = await outbox.unsent(10, { module: "alarms" });
      assert.equal(rows.length, 3);
      assert.equal(new Set(rows.map((entry) => entry.entityId)).size, 2, "one entity per day: the cloud keeps the latest");
      await applyOutbox(db, "ALARMS1");
      const kpis = await new CorporateService(db).alarmKpis({ fromDay: "2026-10-01", toDay: "2026-10-02" });
      const site = kpis.sites.find((entry) => entry.siteId === "ALARMS1");
      // 12 on Oct 1, none by 06:00 on Oct 2: 12 over 2 days = 6 a day, 12 / 48 h = 0.25 an hour.
      assert.deepEqual([site?.daysReported, site?.activations, site?.perDay, site?.perOperatorHour], [2, 12, 6, 0.25]);
    });
  });
}
