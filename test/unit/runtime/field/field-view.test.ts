import assert from "node:assert/strict";
import type { Connection } from "../../../../erp-modules/assets/schema.js";
import type { PlantAsset } from "../../../../erp-modules/assets/service.js";
import { fieldFromRegister, siteInfoFromSettings, type PointTag } from "../../../../runtime/field/field-view.js";
import { loadSettings } from "../../../../settings.js";

const well: PlantAsset = {
  id: "0190a000-0000-7000-8000-000000000101",
  kind: "well",
  code: "WELL-101",
  name: "Well 101",
  parentCode: "BAT-1",
  siteType: null,
  equipmentType: null,
  separatorService: null,
  fluid: null,
  liftType: "esp",
  status: "shut_in",
  statusSince: "2026-03-01T08:00:00.000Z",
  tags: [
    { role: "oil_rate", tagPath: "SITE1/WELL-101/OIL_RATE" },
    { role: "secret", tagPath: "SITE1/WELL-101/SECRET" },
    { role: "thp", tagPath: "SITE1/WELL-101/THP" },
  ],
};
const separator: PlantAsset = {
  ...well,
  id: "0190a000-0000-7000-8000-000000000201",
  kind: "equipment",
  code: "SEP-TEST",
  name: "Test separator",
  liftType: null,
  status: null,
  statusSince: null,
  equipmentType: "separator",
  separatorService: "test",
  tags: [],
};
const connection: Connection = {
  id: "0190a000-0000-7000-8000-000000000301",
  fromAssetId: well.id,
  fromCode: "WELL-101",
  toAssetId: separator.id,
  toCode: "SEP-TEST",
  stream: "production",
  createdAt: "2026-03-01T08:00:00.000Z",
  createdBy: "erin",
};
const TAGS = new Map<string, PointTag>([["SITE1/WELL-101/THP", { unit: "kPa", description: "Tubing head pressure", writable: false }]]);

describe("field view from the register", () => {
  const field = fieldFromRegister("SITE1", [separator, well], [connection], (path) => TAGS.get(path), (path) => !path.endsWith("/SECRET"));

  it("keys assets by code with the register's status and only the fields that apply", () => {
    const shown = field.assets.find((asset) => asset.code === "WELL-101");
    assert.deepEqual(
      { ...shown, points: undefined },
      {
        assetId: well.id,
        code: "WELL-101",
        name: "Well 101",
        kind: "well",
        parentCode: "BAT-1",
        liftType: "esp",
        status: "shut_in",
        statusSince: "2026-03-01T08:00:00.000Z",
        points: undefined,
      },
    );
    const sep = field.assets.find((asset) => asset.code === "SEP-TEST");
    assert.deepEqual([sep?.equipmentType, sep?.separatorService, "status" in (sep ?? {})], ["separator", "test", false]);
  });

  it("turns tag links into points: the tag's unit when registered, none when not, unreadable ones left out", () => {
    assert.deepEqual(field.assets.find((asset) => asset.code === "WELL-101")?.points, [
      { role: "oil_rate", tagPath: "SITE1/WELL-101/OIL_RATE", point: "OIL_RATE", unit: "", description: "", writable: false },
      { role: "thp", tagPath: "SITE1/WELL-101/THP", point: "THP", unit: "kPa", description: "Tubing head pressure", writable: false },
    ]);
  });

  it("gives connections by code", () => {
    assert.deepEqual(field.connections, [{ fromCode: "WELL-101", toCode: "SEP-TEST", stream: "production" }]);
  });
});

describe("site info from the settings", () => {
  it("states 15 °C and 101.325 kPa by default, UTC, day from midnight, English, US dollars", () => {
    const info = siteInfoFromSettings(loadSettings({}));
    assert.deepEqual(
      [info.language, info.timeZone, info.productionDayStartHour, info.standardConditions, info.currency],
      ["en", "UTC", 0, { id: "15C_101.325kPa", temperatureDegC: 15, pressureKpaAbs: 101.325 }, "USD"],
    );
  });

  it("states the site currency approval limits are in", () => {
    assert.equal(siteInfoFromSettings(loadSettings({}, { siteCurrency: "ARS" })).currency, "ARS");
  });

  it("states 60 °F as 15.5556 °C and 14.696 psia as 101.325 kPa", () => {
    const info = siteInfoFromSettings(loadSettings({}, { standardConditions: "60F_14.696psia", siteLanguage: "es", productionDayStartHour: 6 }));
    // (60 − 32) × 5/9 = 15.5556 °C; 14.696 psia × 6.894757 kPa/psi = 101.325 kPa.
    assert.ok(Math.abs(((60 - 32) * 5) / 9 - info.standardConditions.temperatureDegC) < 1e-4);
    assert.ok(Math.abs(14.696 * 6.894757 - info.standardConditions.pressureKpaAbs) < 1e-3);
    assert.deepEqual([info.standardConditions.id, info.language, info.productionDayStartHour], ["60F_14.696psia", "es", 6]);
  });
});
