import assert from "node:assert/strict";
import type { Asset, AssetCreate } from "../../../../erp-modules/assets/schema.js";
import type { AssetService } from "../../../../erp-modules/assets/service.js";
import { EntryService } from "../../../../erp-modules/production/entry-service.js";
import {
  baseDensityFromObserved,
  ctlToBase,
  degCFromDegF,
  densityKgPerM3FromApiGravity,
  roundCtl,
} from "../../../../erp-modules/production/model/volume-correction.js";
import type { ErpContext } from "../../../../erp-modules/shared/module-context.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, TWO_SLOPE_STRAPPING, createErpHarness, isServiceError } from "../erp-fixtures.js";

const OPERATOR = "olga-operator";
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

function close(actual: number | null, expected: number, what: string, tolerance = 1e-9): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

for (const target of databaseTargets) {
  describe(`net oil on tank gauges and run tickets on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let context: ErpContext;
    let assets: AssetService;
    let battery: Asset;
    let tank: Asset;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      ({ context, assets } = await createErpHarness(database.db, "production.*"));
      const create = (input: AssetCreate) => assets.create(input, ENGINEER);
      const field = await create({ kind: "field", code: "NORTH", name: "North field" });
      battery = await create({ kind: "site", code: "BAT-1", name: "Battery 1", parentId: field.id, siteType: "battery" });
      tank = await create({
        kind: "equipment",
        code: "TK-1",
        name: "Oil tank 1",
        parentId: battery.id,
        equipment: { equipmentType: "tank", fluid: "oil", capacityM3: 160, strappingTable: TWO_SLOPE_STRAPPING },
      });
    });

    after(async () => {
      await database?.drop();
    });

    it("a tank gauge with temperature, density and BS&W stores GSV and NSV at 15 °C (metric site)", async () => {
      const entries = new EntryService(context, assets);
      const { entry } = await entries.recordTankGauge(
        { tankId: tank.id, gaugedAt: hoursAgo(2), levelM: 1.5, waterLevelM: 0.1, temperatureDegC: 30, observedDensityKgPerM3: 845, bswPercent: 0.4 },
        OPERATOR,
      );
      // Strapping 0 m → 0 m³, 2 m → 100 m³: 1.5 m = 75 m³ of liquid, 0.1 m = 5 m³ of free water; GOV = 75 − 5 = 70 m³.
      const baseDensity = baseDensityFromObserved(845, 30, "15C");
      const ctl = roundCtl(ctlToBase(baseDensity, "15C", 30));
      assert.equal(entry.volumeBase, "15C");
      close(entry.baseDensityKgPerM3, baseDensity, "ρ15", 1e-9);
      // Oil observed at 30 °C is lighter than at 15 °C: ρ15 ≈ 845 × (1 + 15 °C × ~8.5e-4 per °C) ≈ 855.8 kg/m³.
      assert.ok(baseDensity > 855 && baseDensity < 857, `ρ15 ${baseDensity}`);
      assert.equal(entry.ctl, ctl);
      close(entry.grossStandardVolumeM3, 70 * ctl, "GSV = 70 × CTL");
      close(entry.netStandardVolumeM3, 70 * ctl * (1 - 0.004), "NSV = GSV × (1 − 0.004)");
      assert.equal(entry.observedDensityKgPerM3, 845);
      assert.equal(entry.observedApiGravity, null);
      assert.equal(entry.bswPercent, 0.4);
      const listed = (await entries.listTankGauges({ tankId: tank.id })).items.find((item) => item.id === entry.id);
      assert.equal(listed?.netStandardVolumeM3, entry.netStandardVolumeM3, "the list reads the same row back");
    });

    it("a run ticket with °API read at 80 °F stores its NSV at 60 °F (oilfield site)", async () => {
      const entries = new EntryService({ ...context, standardConditions: "60F_14.696psia" }, assets);
      const temperatureDegC = degCFromDegF(80);
      const { entry } = await entries.recordRunTicket(
        {
          siteAssetId: battery.id,
          ticketNumber: "RT-NSV-1",
          shippedAt: hoursAgo(1),
          fluid: "oil",
          volumeM3: 30,
          destination: "truck",
          temperatureDegC,
          observedApiGravity: 35,
          bswPercent: 0.2,
        },
        OPERATOR,
      );
      const baseDensity = baseDensityFromObserved(densityKgPerM3FromApiGravity(35), temperatureDegC, "60F");
      const ctl = roundCtl(ctlToBase(baseDensity, "60F", temperatureDegC));
      assert.equal(entry.volumeBase, "60F");
      close(entry.temperatureDegC, temperatureDegC, "temperature");
      assert.equal(entry.ctl, ctl);
      // 35 °API at 80 °F is about 33.5 °API at 60 °F, and CTL about 0.990 for 20 °F of warming.
      assert.ok(ctl > 0.989 && ctl < 0.992, `CTL ${ctl}`);
      close(entry.grossStandardVolumeM3, 30 * ctl, "GSV = 30 × CTL");
      close(entry.netStandardVolumeM3, 30 * ctl * (1 - 0.002), "NSV = GSV × (1 − 0.002)");
    });

    it("without a temperature or a gravity keeps the readings and no standard volume; without BS&W only the GSV", async () => {
      const entries = new EntryService(context, assets);
      const { entry: noTemperature } = await entries.recordTankGauge(
        { tankId: tank.id, gaugedAt: hoursAgo(3), levelM: 1, observedDensityKgPerM3: 850, bswPercent: 1 },
        OPERATOR,
      );
      assert.equal(noTemperature.ctl, null);
      assert.equal(noTemperature.netStandardVolumeM3, null);
      assert.equal(noTemperature.bswPercent, 1);
      const { entry: noBsw } = await entries.recordTankGauge(
        { tankId: tank.id, gaugedAt: hoursAgo(4), levelM: 1, temperatureDegC: 15, observedDensityKgPerM3: 850 },
        OPERATOR,
      );
      // At 15 °C the observed density is the base density: CTL = 1, GSV = 50 m³ (1 m of the 2 m / 100 m³ slope).
      assert.equal(noBsw.ctl, 1);
      close(noBsw.grossStandardVolumeM3, 50, "GSV");
      assert.equal(noBsw.netStandardVolumeM3, null);
    });

    it("refuses a density and a gravity together, readings outside the standard, and oil quality on water", async () => {
      const entries = new EntryService(context, assets);
      const gauge = { tankId: tank.id, gaugedAt: hoursAgo(5), levelM: 1, temperatureDegC: 20 };
      await assert.rejects(
        entries.recordTankGauge({ ...gauge, observedDensityKgPerM3: 850, observedApiGravity: 35 }, OPERATOR),
        isServiceError("invalid_input", "observedApiGravity"),
      );
      await assert.rejects(
        entries.recordTankGauge({ ...gauge, temperatureDegC: 160, observedDensityKgPerM3: 850 }, OPERATOR),
        isServiceError("invalid_input", "temperatureDegC"),
      );
      await assert.rejects(entries.recordTankGauge({ ...gauge, observedDensityKgPerM3: 1500 }, OPERATOR), isServiceError("invalid_input", "observedDensityKgPerM3"));
      await assert.rejects(
        entries.recordRunTicket(
          { siteAssetId: battery.id, ticketNumber: "RT-W-1", shippedAt: hoursAgo(1), fluid: "water", volumeM3: 10, destination: "truck", bswPercent: 1 },
          OPERATOR,
        ),
        isServiceError("invalid_input", "bswPercent"),
      );
    });
  });
}
