import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import type { ModuleEvent } from "../../../../runtime/events/event-bus.js";
import { DEMO_ACTOR, demoAssetPlan, ensureDemoAssets } from "../../../../runtime/demo/demo-assets-erp.js";
import type { Asset, AssetCreate } from "../../../../erp-modules/assets/schema.js";
import type { AssetService } from "../../../../erp-modules/assets/service.js";
import type { ServiceErrorCode } from "../../../../erp-modules/shared/service-error.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, TWO_SLOPE_STRAPPING, countChanges, createErpHarness, isServiceError } from "../erp-fixtures.js";

const PAGE = { limit: 50, offset: 0 };

for (const target of databaseTargets) {
  describe(`AssetService on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let assets: AssetService;
    let events: ModuleEvent[];
    const db = (): Database => {
      if (!database) throw new Error("database not created");
      return database.db;
    };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      ({ assets, events } = await createErpHarness(database.db, "assets.*"));
    });

    after(async () => {
      await database?.drop();
    });

    const changeRows = () => countChanges(db(), "assets");

    /** Runs one write and checks it left exactly one audit row and one outbox row, for this asset. */
    async function oneChange(action: string, write: () => Promise<Asset>): Promise<Asset> {
      const before = await changeRows();
      const asset = await write();
      assert.deepEqual(await changeRows(), { audit: before.audit + 1, outbox: before.outbox + 1 }, action);
      const audit = await db().query<{ action: string; entity_id: string; actor: string }>(
        "SELECT action, entity_id, actor FROM audit_log ORDER BY occurred_at DESC, id DESC LIMIT 1",
      );
      assert.equal(audit.rows[0]?.action, action);
      assert.equal(audit.rows[0]?.entity_id, asset.id);
      const outbox = await db().query<{ entity_type: string; entity_id: string; row_version: number; payload: Asset }>(
        "SELECT entity_type, entity_id, row_version, payload FROM sync_outbox ORDER BY id DESC LIMIT 1",
      );
      assert.equal(outbox.rows[0]?.entity_type, "asset");
      assert.equal(outbox.rows[0]?.entity_id, asset.id);
      assert.equal(outbox.rows[0]?.row_version, asset.rowVersion);
      assert.equal(outbox.rows[0]?.payload.code, asset.code);
      return asset;
    }

    /** A write that must fail as expected and leave no audit or outbox row behind. */
    async function rejected(write: () => Promise<unknown>, code: ServiceErrorCode, field?: string): Promise<void> {
      const before = await changeRows();
      await assert.rejects(write(), isServiceError(code, field));
      assert.deepEqual(await changeRows(), before, "a failed write leaves no audit or outbox row");
    }

    const create = (input: AssetCreate) => assets.create(input, ENGINEER);

    describe("a small field", () => {
      let field: Asset;
      let pad: Asset;
      let battery: Asset;
      let esp: Asset;
      let rod: Asset;
      let tank: Asset;

      before(async function () {
        if (target.unavailable) skipWithReason(this, target.unavailable);
        field = await create({ kind: "field", code: "NORTH", name: "North field", latitude: 0, longitude: 0 });
        pad = await create({ kind: "site", code: "PAD-A", name: "Pad A", parentId: field.id, siteType: "pad" });
        battery = await create({ kind: "site", code: "BAT-9", name: "Battery 9", parentId: field.id, siteType: "battery" });
        esp = await create({
          kind: "well",
          code: "W-010",
          name: "Esperanza 10",
          parentId: pad.id,
          well: {
            uwi: "42-501-20130",
            liftType: "esp",
            completion: { totalDepthM: 2500, perforations: [{ topM: 2300, bottomM: 2350, zone: "Main" }], tubingDepthM: 2200 },
          },
          tags: [
            { role: "thp", tagPath: "SITE1/W-010/THP" },
            { role: "oil_rate", tagPath: "SITE1/W-010/OIL_RATE" },
          ],
        });
        rod = await create({ kind: "well", code: "W-020", name: "Rodeo 20", parentId: battery.id, well: { liftType: "rod_pump", status: "shut_in" } });
        tank = await create({
          kind: "equipment",
          code: "TK-9",
          name: "Oil tank 9",
          parentId: battery.id,
          equipment: { equipmentType: "tank", fluid: "oil", capacityM3: 170, strappingTable: TWO_SLOPE_STRAPPING },
        });
      });

      it("keeps what it was given: zero coordinates, well fields, tags, the first status", () => {
        assert.equal(field.latitude, 0, "0° is a latitude, not a missing one");
        assert.equal(field.parentId, null);
        assert.equal(pad.siteType, "pad");
        assert.equal(esp.well?.uwi, "42-501-20130");
        assert.deepEqual(esp.well?.completion.perforations, [{ topM: 2300, bottomM: 2350, zone: "Main" }]);
        assert.deepEqual(esp.tags, [
          { role: "oil_rate", tagPath: "SITE1/W-010/OIL_RATE" },
          { role: "thp", tagPath: "SITE1/W-010/THP" },
        ]);
        assert.equal(esp.well?.status, "producing");
        assert.equal(rod.well?.status, "shut_in");
        assert.deepEqual(rod.statusHistory?.map((entry) => [entry.status, entry.recordedBy]), [["shut_in", ENGINEER]]);
        assert.equal(tank.equipment?.capacityM3, 170);
        assert.deepEqual(tank.equipment?.strappingTable, TWO_SLOPE_STRAPPING);
        assert.equal(esp.rowVersion, 1);
        assert.equal(esp.createdBy, ENGINEER);
      });

      it("enforces the hierarchy, naming the field at fault, and writes nothing", async () => {
        await rejected(() => create({ kind: "field", code: "F-2", name: "Sub-field", parentId: field.id }), "invalid_input", "parentId");
        await rejected(() => create({ kind: "site", code: "PAD-X", name: "Orphan", siteType: "pad" }), "invalid_input", "parentId");
        await rejected(() => create({ kind: "site", code: "PAD-X", name: "Pad in pad", parentId: pad.id, siteType: "pad" }), "invalid_input", "parentId");
        await rejected(() => create({ kind: "well", code: "W-X", name: "Well in field", parentId: field.id, well: { liftType: "esp" } }), "invalid_input", "parentId");
        await rejected(() => create({ kind: "well", code: "W-X", name: "Well in well", parentId: esp.id, well: { liftType: "esp" } }), "invalid_input", "parentId");
        await rejected(
          () => create({ kind: "equipment", code: "EQ-X", name: "Pump in field", parentId: field.id, equipment: { equipmentType: "other" } }),
          "invalid_input",
          "parentId",
        );
        await rejected(
          () => create({ kind: "equipment", code: "EQ-X", name: "In a tank", parentId: tank.id, equipment: { equipmentType: "other" } }),
          "invalid_input",
          "parentId",
        );
        await rejected(
          () => create({ kind: "well", code: "W-X", name: "Nowhere", parentId: "01900000-0000-7000-8000-000000000000", well: { liftType: "esp" } }),
          "invalid_input",
          "parentId",
        );
        await rejected(() => assets.update(esp.id, { rowVersion: esp.rowVersion, parentId: field.id }, ENGINEER), "invalid_input", "parentId");
        await rejected(() => assets.update(pad.id, { rowVersion: pad.rowVersion, parentId: null }, ENGINEER), "invalid_input", "parentId");
        const esp1 = await oneChange("assets.equipment.create", () =>
          create({ kind: "equipment", code: "ESP-010", name: "ESP of W-010", parentId: esp.id, equipment: { equipmentType: "esp", manufacturer: "Acme" } }),
        );
        assert.equal(esp1.parentId, esp.id);
      });

      it("checks the fields each kind needs and may have", async () => {
        await rejected(() => create({ kind: "site", code: "S-X", name: "No type", parentId: field.id }), "invalid_input", "siteType");
        await rejected(() => create({ kind: "field", code: "F-X", name: "Typed", siteType: "pad" }), "invalid_input", "siteType");
        await rejected(() => create({ kind: "well", code: "W-X", name: "Bare", parentId: pad.id }), "invalid_input", "well");
        await rejected(() => create({ kind: "site", code: "S-X", name: "Well-ish", parentId: field.id, siteType: "pad", well: { liftType: "esp" } }), "invalid_input", "well");
        await rejected(() => create({ kind: "equipment", code: "EQ-X", name: "Bare", parentId: pad.id }), "invalid_input", "equipment");
        const equipment = (equipmentFields: NonNullable<AssetCreate["equipment"]>): AssetCreate => ({
          kind: "equipment",
          code: "EQ-X",
          name: "Equipment",
          parentId: battery.id,
          equipment: equipmentFields,
        });
        await rejected(() => create(equipment({ equipmentType: "separator", strappingTable: TWO_SLOPE_STRAPPING })), "invalid_input", "equipment.strappingTable");
        await rejected(() => create(equipment({ equipmentType: "compressor", capacityM3: 10 })), "invalid_input", "equipment.capacityM3");
        await rejected(() => create(equipment({ equipmentType: "meter" })), "invalid_input", "equipment.fluid");
        await rejected(() => create(equipment({ equipmentType: "tank", meterService: "sales" })), "invalid_input", "equipment.meterService");
        await rejected(() => create(equipment({ equipmentType: "esp", fluid: "oil" })), "invalid_input", "equipment.fluid");
        await rejected(
          () => create(equipment({ equipmentType: "tank", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 0, volumeM3: 5 }] })),
          "invalid_input",
          "equipment.strappingTable.1",
        );
        await rejected(() => create(equipment({ equipmentType: "tank", capacityM3: 150, strappingTable: TWO_SLOPE_STRAPPING })), "invalid_input", "equipment.capacityM3");
        await rejected(
          () =>
            create({
              kind: "well",
              code: "W-X",
              name: "Upside down",
              parentId: pad.id,
              well: { liftType: "esp", completion: { totalDepthM: 1000, perforations: [{ topM: 900, bottomM: 800 }] } },
            }),
          "invalid_input",
          "well.completion.perforations.0",
        );
        await rejected(
          () => create({ kind: "well", code: "W-X", name: "Too deep", parentId: pad.id, well: { liftType: "esp", completion: { totalDepthM: 1000, tubingDepthM: 1200 } } }),
          "invalid_input",
          "well.completion.tubingDepthM",
        );
        await rejected(
          () =>
            create({
              kind: "well",
              code: "W-X",
              name: "Two THPs",
              parentId: pad.id,
              well: { liftType: "esp" },
              tags: [
                { role: "thp", tagPath: "SITE1/W-X/THP" },
                { role: "thp", tagPath: "SITE1/W-X/THP2" },
              ],
            }),
          "invalid_input",
          "tags",
        );
        const list = await assets.list({ ...PAGE, search: "X" });
        assert.deepEqual(list.assets.map((asset) => asset.code), [], "no half-created asset");
      });

      it("refuses a duplicate code or UWI as a conflict and rolls everything back", async () => {
        await rejected(() => create({ kind: "site", code: "PAD-A", name: "Pad A again", parentId: field.id, siteType: "pad" }), "conflict", "code");
        await rejected(
          () => create({ kind: "well", code: "W-011", name: "Twin", parentId: pad.id, well: { liftType: "esp", uwi: "42-501-20130" } }),
          "conflict",
          "well.uwi",
        );
        await rejected(() => assets.update(rod.id, { rowVersion: rod.rowVersion, code: "W-010" }, ENGINEER), "conflict", "code");
        const wells = await db().query<{ count: number }>("SELECT count(*)::int AS count FROM wells WHERE uwi = '42-501-20130'");
        assert.equal(wells.rows[0]?.count, 1);
      });

      it("searches code, name and UWI case-insensitively, filters, orders by code and pages", async () => {
        const byName = await assets.list({ ...PAGE, search: "esperanza" });
        assert.deepEqual(byName.assets.map((asset) => asset.code), ["W-010"]);
        assert.deepEqual((await assets.list({ ...PAGE, search: "501-201" })).assets.map((asset) => asset.code), ["W-010"], "by UWI");
        assert.deepEqual(
          (await assets.list({ ...PAGE, search: "w-0" })).assets.map((asset) => asset.code),
          ["ESP-010", "W-010", "W-020"],
          "ESP-010 by its name, ESP of W-010",
        );
        assert.equal((await assets.list({ ...PAGE, search: "%" })).total, 0, "% is a character to find, not a wildcard");
        const wells = await assets.list({ kind: "well", limit: 1, offset: 1 });
        assert.equal(wells.total, 2);
        assert.deepEqual(wells.assets.map((asset) => asset.code), ["W-020"]);
        assert.deepEqual((await assets.list({ ...PAGE, liftType: "rod_pump" })).assets.map((asset) => asset.code), ["W-020"]);
        assert.deepEqual((await assets.list({ ...PAGE, status: "shut_in" })).assets.map((asset) => asset.code), ["W-020"]);
        const underField = await assets.list({ ...PAGE, parentId: field.id });
        assert.deepEqual(underField.assets.map((asset) => asset.code), ["BAT-9", "PAD-A"]);
        assert.deepEqual(
          (await assets.list({ ...PAGE, kind: "well", search: "W-010" })).assets[0]?.tags.map((tag) => tag.role),
          ["oil_rate", "thp"],
          "a page carries the tag links",
        );
      });

      it("answers the tree and an asset's children", async () => {
        const nodes = await assets.tree();
        const node = (code: string) => nodes.find((candidate) => candidate.code === code);
        assert.deepEqual(node("NORTH"), { id: field.id, parentId: null, kind: "field", code: "NORTH", name: "North field" });
        assert.equal(node("PAD-A")?.siteType, "pad");
        assert.equal(node("W-010")?.liftType, "esp");
        assert.equal(node("W-020")?.status, "shut_in");
        assert.equal(node("TK-9")?.equipmentType, "tank");
        assert.deepEqual(
          (await assets.children(battery.id)).map((child) => child.code),
          ["TK-9", "W-020"],
        );
        await assert.rejects(assets.children("01900000-0000-7000-8000-000000000000"), isServiceError("not_found"));
      });

      it("finds wells and tanks anywhere below an asset", async () => {
        assert.deepEqual(
          (await assets.wellsUnder(field.id)).map((well) => [well.code, well.liftType, well.status, well.parentId]),
          [
            ["W-010", "esp", "producing", pad.id],
            ["W-020", "rod_pump", "shut_in", battery.id],
          ],
        );
        assert.deepEqual((await assets.wellsUnder(pad.id)).map((well) => well.code), ["W-010"]);
        assert.deepEqual(await assets.wellsUnder(esp.id), [], "a well has no wells under it");
        assert.deepEqual((await assets.tanksUnder(field.id)).map((found) => [found.code, found.equipmentType]), [["TK-9", "tank"]]);
        assert.deepEqual(await assets.tanksUnder(pad.id), []);
        assert.equal((await assets.getWell(esp.id))?.uwi, "42-501-20130");
        assert.equal(await assets.getWell(tank.id), null, "a tank is not a well");
        assert.equal((await assets.getAsset(tank.id))?.equipmentType, "tank");
        assert.equal(await assets.getAsset("not-a-uuid"), null);
      });

      it("turns a gauged level into a volume by the strapping table", async () => {
        assert.equal(await assets.tankVolumeM3(tank.id, 1), 50);
        assert.equal(await assets.tankVolumeM3(tank.id, 3), 130);
        await assert.rejects(assets.tankVolumeM3(tank.id, 4.5), isServiceError("invalid_input", "levelM"));
        await assert.rejects(assets.tankVolumeM3(esp.id, 1), isServiceError("not_found"));
        const bare = await create({ kind: "equipment", code: "TK-BARE", name: "Unstrapped", parentId: battery.id, equipment: { equipmentType: "tank" } });
        await assert.rejects(assets.tankVolumeM3(bare.id, 1), isServiceError("invalid_input", "tankId"));
        const inTx = await db().transaction((tx) => assets.tankVolumeM3(tank.id, 2, tx));
        assert.equal(inTx, 100);
      });

      it("updates with the current rowVersion, refuses a stale one", async () => {
        const current = await assets.get(rod.id);
        const updated = await oneChange("assets.well.update", () =>
          assets.update(
            rod.id,
            { rowVersion: current.rowVersion, name: "Rodeo 20 (renamed)", well: { uwi: "42-501-20999" }, tags: [{ role: "spm", tagPath: "SITE1/W-020/SPM" }] },
            ENGINEER,
          ),
        );
        assert.equal(updated.rowVersion, current.rowVersion + 1);
        assert.equal(updated.name, "Rodeo 20 (renamed)");
        assert.equal(updated.well?.uwi, "42-501-20999");
        assert.equal(updated.well?.liftType, "rod_pump", "fields not sent stay as they were");
        assert.deepEqual(updated.tags, [{ role: "spm", tagPath: "SITE1/W-020/SPM" }]);
        await rejected(() => assets.update(rod.id, { rowVersion: current.rowVersion, name: "Lost update" }, ENGINEER), "stale", "rowVersion");
        assert.equal((await assets.get(rod.id)).name, "Rodeo 20 (renamed)");
        await rejected(() => assets.update(tank.id, { rowVersion: tank.rowVersion, well: { liftType: "esp" } }, ENGINEER), "invalid_input", "well");
        await rejected(() => assets.update("01900000-0000-7000-8000-000000000000", { rowVersion: 1 }, ENGINEER), "not_found");
        const restrapped = await oneChange("assets.equipment.update", () =>
          assets.update(tank.id, { rowVersion: tank.rowVersion, equipment: { capacityM3: 200, manufacturer: "Tanks SA" } }, ENGINEER),
        );
        assert.deepEqual(restrapped.equipment?.strappingTable, TWO_SLOPE_STRAPPING);
        assert.equal(restrapped.equipment?.capacityM3, 200);
        const moved = await oneChange("assets.well.update", () => assets.update(esp.id, { rowVersion: esp.rowVersion, parentId: battery.id }, ENGINEER));
        assert.equal(moved.parentId, battery.id);
        assert.deepEqual((await assets.wellsUnder(pad.id)).map((well) => well.code), []);
      });

      it("changes a well's status with its history, in one audited write", async () => {
        const before = await assets.get(esp.id);
        const since = new Date().toISOString();
        assert.ok(since >= (before.well?.statusSince ?? ""));
        const shutIn = await oneChange("assets.well.status", () =>
          assets.changeStatus(esp.id, { status: "shut_in", effectiveAt: since, reason: "ESP trip" }, "oscar-operator"),
        );
        assert.equal(shutIn.well?.status, "shut_in");
        assert.equal(shutIn.well?.statusSince, since);
        assert.equal(shutIn.rowVersion, before.rowVersion + 1);
        assert.deepEqual(
          shutIn.statusHistory?.map((entry) => [entry.status, entry.reason, entry.recordedBy]),
          [
            ["shut_in", "ESP trip", "oscar-operator"],
            ["producing", "well registered", ENGINEER],
          ],
        );
        const event = events.find((candidate) => candidate.type === "assets.well.status_changed");
        assert.deepEqual(event?.payload, { assetId: esp.id, code: "W-010", from: "producing", to: "shut_in", effectiveAt: since, reason: "ESP trip" });

        await rejected(() => assets.changeStatus(esp.id, { status: "shut_in", reason: "again" }, "oscar-operator"), "invalid_state", "status");
        await rejected(
          () => assets.changeStatus(esp.id, { status: "producing", effectiveAt: before.well?.statusSince ?? "", reason: "back in time" }, "oscar-operator"),
          "invalid_input",
          "effectiveAt",
        );
        const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
        await rejected(() => assets.changeStatus(esp.id, { status: "producing", effectiveAt: tomorrow, reason: "later" }, "oscar-operator"), "invalid_input", "effectiveAt");
        await rejected(() => assets.changeStatus(tank.id, { status: "shut_in", reason: "tanks have no status" }, "oscar-operator"), "invalid_input", "id");

        await oneChange("assets.well.status", () => assets.changeStatus(esp.id, { status: "abandoned", reason: "plugged" }, "oscar-operator"));
        await rejected(() => assets.changeStatus(esp.id, { status: "producing", reason: "revived" }, "oscar-operator"), "invalid_state", "status");
        assert.deepEqual((await assets.get(esp.id)).statusHistory?.map((entry) => entry.status), ["abandoned", "shut_in", "producing"]);
      });

      it("keeps the status history append-only", async () => {
        await assert.rejects(db().query("UPDATE well_status_history SET reason = 'rewritten'"), /append-only/);
        await assert.rejects(db().query("DELETE FROM well_status_history"), /append-only/);
      });
    });

    describe("demo seeding", () => {
      it("enters the simulated field once, through the service, as the demo", async function () {
        if (target.unavailable) skipWithReason(this, target.unavailable);
        const model = createOilfield({ seed: 1 });
        const now = new Date();
        const planned = demoAssetPlan(model, now).length;
        assert.ok(planned >= 27, `field, battery, 12 wells, 4 ESPs, plant and meters: ${planned}`);
        const before = await changeRows();
        assert.equal((await ensureDemoAssets(assets, model, now)).size, planned);
        assert.deepEqual(await changeRows(), { audit: before.audit + planned, outbox: before.outbox + planned });
        assert.equal((await ensureDemoAssets(assets, model, now)).size, 0, "a second start creates nothing");
        const actors = await db().query<{ actor: string }>(
          "SELECT DISTINCT actor FROM audit_log WHERE entity_id IN (SELECT id::text FROM assets WHERE code = ANY($1::text[]))",
          [demoAssetPlan(model, now).map((entry) => entry.input.code)],
        );
        assert.deepEqual(actors.rows.map((row) => row.actor), [DEMO_ACTOR]);
        const battery = await assets.findByCode("BAT-1");
        assert.ok(battery);
        const wells = await assets.wellsUnder(battery.id);
        assert.equal(wells.length, 12);
        assert.deepEqual(
          [...new Set(wells.map((well) => well.liftType))].sort(),
          ["esp", "gas_lift", "rod_pump"],
        );
        assert.deepEqual((await assets.tanksUnder(battery.id)).map((found) => found.code), ["TK-01", "TK-02", "TK-W1"]);
        const tk01 = await assets.findByCode("TK-01");
        assert.ok(tk01);
        const areaM2 = (Math.PI * 10 * 10) / 4;
        assert.ok(Math.abs((await assets.tankVolumeM3(tk01.id, 3)) - areaM2 * 3) < 0.01);
        const meters = await assets.list({ ...PAGE, search: "MTR-" });
        assert.deepEqual(
          meters.assets.map((meter) => [meter.code, meter.equipment?.fluid]),
          [
            ["MTR-GAS", "gas"],
            ["MTR-OIL", "oil"],
            ["MTR-WATER", "water"],
          ],
        );
        const well101 = await assets.findByCode("WELL-101");
        assert.ok(well101?.tags.some((tag) => tag.role === "thp" && tag.tagPath === "SITE1/WELL-101/THP"));
      });
    });
  });
}
