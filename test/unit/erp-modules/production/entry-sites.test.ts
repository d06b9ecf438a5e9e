import assert from "node:assert/strict";
import type { AssetLookup, AssetRef, MeterRef, TankAssetRef, WellRef, WellStatusChange } from "../../../../erp-modules/shared/asset-lookup.js";
import type { ErpContext } from "../../../../erp-modules/shared/module-context.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import {
  EntryService,
  resolveEquipmentSite,
  resolveSite,
  resolveWellSite,
  siteAbove,
} from "../../../../erp-modules/production/entry-service.js";

/*
 * Field F-1 > battery SITE-A > well W-1 > ESP; SITE-A also has tank TK-1 and
 * meter M-1 directly, and well W-1 carries tank TK-W. ORPHAN-W hangs under the
 * field with no site (bad data), LOOP-1/LOOP-2 point at each other.
 */
const ID = {
  field: "00000000-0000-7000-8000-000000000001",
  site: "00000000-0000-7000-8000-000000000002",
  well: "00000000-0000-7000-8000-000000000003",
  tank: "00000000-0000-7000-8000-000000000004",
  meter: "00000000-0000-7000-8000-000000000005",
  wellTank: "00000000-0000-7000-8000-000000000006",
  esp: "00000000-0000-7000-8000-000000000007",
  orphanWell: "00000000-0000-7000-8000-000000000008",
  loop1: "00000000-0000-7000-8000-000000000009",
  loop2: "00000000-0000-7000-8000-00000000000a",
  missing: "00000000-0000-7000-8000-0000000000ff",
};

function asset(id: string, kind: string, code: string, parentId: string | null, equipmentType?: string): AssetRef {
  return { id, kind, code, name: code, parentId, ...(equipmentType ? { equipmentType } : {}) };
}

class FakeAssets implements AssetLookup {
  readonly lookups: string[] = [];
  private readonly assets = new Map<string, AssetRef>(
    [
      asset(ID.field, "field", "F-1", null),
      asset(ID.site, "site", "SITE-A", ID.field),
      asset(ID.well, "well", "W-1", ID.site),
      asset(ID.tank, "equipment", "TK-1", ID.site, "tank"),
      asset(ID.meter, "equipment", "M-1", ID.site, "meter"),
      asset(ID.wellTank, "equipment", "TK-W", ID.well, "tank"),
      asset(ID.esp, "equipment", "ESP-1", ID.well, "esp"),
      asset(ID.orphanWell, "well", "ORPHAN-W", ID.field),
      asset(ID.loop1, "equipment", "LOOP-1", ID.loop2, "tank"),
      asset(ID.loop2, "equipment", "LOOP-2", ID.loop1, "tank"),
    ].map((entry) => [entry.id, entry]),
  );

  async getAsset(id: string): Promise<AssetRef | null> {
    this.lookups.push(id);
    return this.assets.get(id) ?? null;
  }

  async getWell(id: string): Promise<WellRef | null> {
    const found = this.assets.get(id);
    if (!found || found.kind !== "well" || found.parentId === null) return null;
    return { id, code: found.code, name: found.name, uwi: null, liftType: "esp", status: "producing", parentId: found.parentId };
  }

  async wellsUnder(): Promise<WellRef[]> {
    return [];
  }

  async tanksUnder(): Promise<TankAssetRef[]> {
    return [];
  }

  async metersUnder(): Promise<MeterRef[]> {
    return [];
  }

  async wellStatusChanges(): Promise<WellStatusChange[]> {
    return [];
  }

  async tankVolumeM3(_tankId: string, levelM: number): Promise<number> {
    return levelM * 10;
  }
}

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  assert.fail("expected a ServiceError");
}

describe("production entries: the site an entry belongs to (fake AssetLookup)", () => {
  it("walks up from wells and equipment to the first site", async () => {
    const assets = new FakeAssets();
    assert.equal(await resolveWellSite(assets, ID.well), ID.site);
    assert.equal(await resolveEquipmentSite(assets, ID.tank, "tank", "tankId"), ID.site);
    assert.equal(await resolveEquipmentSite(assets, ID.meter, "meter", "meterId"), ID.site);
    // A tank on a well belongs to the well's site.
    assert.equal(await resolveEquipmentSite(assets, ID.wellTank, "tank", "tankId"), ID.site);
    assert.equal(await resolveSite(assets, ID.site), ID.site);
  });

  it("answers invalid_input naming the field for a missing asset or one of the wrong kind or equipment type", async () => {
    const assets = new FakeAssets();
    assert.deepEqual((await rejection(resolveEquipmentSite(assets, ID.missing, "tank", "tankId"))).details, {
      field: "tankId",
      reason: "not_a_tank",
    });
    assert.equal((await rejection(resolveEquipmentSite(assets, ID.meter, "tank", "tankId"))).details?.field, "tankId");
    assert.equal((await rejection(resolveEquipmentSite(assets, ID.esp, "meter", "meterId"))).details?.field, "meterId");
    assert.equal((await rejection(resolveEquipmentSite(assets, ID.well, "tank", "tankId"))).code, "invalid_input");
    assert.deepEqual((await rejection(resolveWellSite(assets, ID.tank))).details, { field: "wellId", reason: "not_a_well" });
    assert.deepEqual((await rejection(resolveSite(assets, ID.well))).details, { field: "siteAssetId", reason: "not_a_site" });
  });

  it("refuses an asset with no site above it, and stops on a parent cycle instead of looping", async () => {
    const assets = new FakeAssets();
    assert.deepEqual((await rejection(resolveWellSite(assets, ID.orphanWell))).details, { field: "wellId", reason: "not_under_site" });
    const cycle = await rejection(siteAbove(assets, ID.loop1, "tankId"));
    assert.equal(cycle.details?.field, "tankId");
    assert.ok(assets.lookups.length < 40, `bounded walk, got ${assets.lookups.length} lookups`);
  });
});

describe("production entries: EntryService refuses bad inputs before touching the database", () => {
  /** A context whose database fails the test if the service reaches it. */
  function contextWithoutDatabase(): ErpContext {
    const untouchable = () => {
      throw new Error("the database must not be used for a refused input");
    };
    return {
      db: { kind: "pglite", query: untouchable, exec: untouchable, transaction: untouchable, close: untouchable },
      siteId: "SITE1",
    } as unknown as ErpContext;
  }

  it("names the field for a tank that is a meter, a wrong well, a future time and a water level above the level", async () => {
    const service = new EntryService(contextWithoutDatabase(), new FakeAssets());
    const gauge = { tankId: ID.meter, gaugedAt: "2026-01-01T00:00:00Z", levelM: 2 };
    assert.equal((await rejection(service.recordTankGauge(gauge, "op"))).details?.field, "tankId");
    assert.equal((await rejection(service.recordTankGauge({ ...gauge, tankId: ID.tank, waterLevelM: 3 }, "op"))).details?.field, "waterLevelM");
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.deepEqual((await rejection(service.recordTankGauge({ ...gauge, tankId: ID.tank, gaugedAt: future }, "op"))).details, {
      field: "gaugedAt",
      reason: "in_future",
    });
    const downtime = { wellId: ID.meter, startedAt: "2026-01-01T00:00:00Z", reasonCode: "esp_trip" as const };
    assert.equal((await rejection(service.recordDowntime(downtime, "op"))).details?.field, "wellId");
    assert.deepEqual((await rejection(service.recordDowntime({ ...downtime, wellId: ID.well, endedAt: "2025-12-31T23:00:00Z" }, "op"))).details, {
      field: "endedAt",
      reason: "before_field",
      params: { other: "startedAt" },
    });
  });

  it("judges a daily entry's future by the site's production day, not the UTC day", async () => {
    // 20:00 UTC is 10:00 next day on Kiritimati (UTC+14): with days starting at 06:00 the site is on 2026-06-02 while UTC is on 2026-06-01.
    const service = new EntryService(
      { ...contextWithoutDatabase(), productionDay: { timeZone: "Pacific/Kiritimati", startHour: 6 } },
      new FakeAssets(),
    );
    const realNow = Date.now;
    Date.now = () => Date.parse("2026-06-01T20:00:00Z");
    try {
      const disposition = { siteAssetId: ID.site, disposition: "sales" as const, volumeSm3: 1000 };
      const meter = { meterId: ID.meter, fluid: "oil" as const, volumeM3: 10 };
      // The site's today passes the rule and reaches the database (which this context refuses); its tomorrow is in the future.
      for (const today of [service.recordGasDisposition({ ...disposition, productionDate: "2026-06-02" }, "op"), service.recordMeterReading({ ...meter, productionDate: "2026-06-02" }, "op")]) {
        assert.match((await today.then(() => assert.fail("the database must be reached"), (error: unknown) => error as Error)).message, /database must not be used/);
      }
      assert.deepEqual((await rejection(service.recordGasDisposition({ ...disposition, productionDate: "2026-06-03" }, "op"))).details, {
        field: "productionDate",
        reason: "in_future",
      });
      assert.deepEqual((await rejection(service.recordMeterReading({ ...meter, productionDate: "2026-06-03" }, "op"))).details, {
        field: "productionDate",
        reason: "in_future",
      });
    } finally {
      Date.now = realNow;
    }
  });

  it("refuses a run ticket whose tank is at another site, and malformed ids on closes, voids and decisions", async () => {
    const service = new EntryService(contextWithoutDatabase(), new FakeAssets());
    const ticket = {
      siteAssetId: ID.site,
      tankId: ID.loop1,
      ticketNumber: "RT-1",
      shippedAt: "2026-01-01T00:00:00Z",
      fluid: "oil" as const,
      volumeM3: 30,
      destination: "truck" as const,
      carrier: "",
    };
    assert.equal((await rejection(service.recordRunTicket(ticket, "op"))).details?.field, "tankId");
    assert.equal((await rejection(service.recordRunTicket({ ...ticket, siteAssetId: ID.well }, "op"))).details?.field, "siteAssetId");
    assert.equal((await rejection(service.closeDowntime("nope", "2026-01-01T00:00:00Z", "op"))).details?.field, "id");
    assert.equal((await rejection(service.voidEntry("tank_gauge", ID.tank, "", "op"))).details?.field, "reason");
    assert.equal((await rejection(service.approveWellTest(ID.tank, { rowVersion: -1 }, "eng"))).details?.field, "rowVersion");
  });
});
