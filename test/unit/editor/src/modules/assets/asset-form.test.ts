import assert from "node:assert/strict";
import * as server from "../../../../../../erp-modules/assets/schema";
import {
  ASSET_KINDS,
  EQUIPMENT_TYPES,
  FLUIDS,
  LIFT_TYPES,
  METER_SERVICES,
  SEPARATOR_SERVICES,
  SITE_TYPES,
  WELL_STATUSES,
  type Asset,
} from "../../../../../../editor/src/api/assets";
import {
  assetBodyFrom,
  assetFormFrom,
  assetPatchFrom,
  CODE_PATTERN,
  emptyAssetForm,
  formFieldOf,
  hasInput,
  parseStrappingPaste,
  serverFieldErrors,
  type AssetFormState,
} from "../../../../../../editor/src/modules/assets/asset-form";

const PAD_ID = "0190a000-0000-7000-8000-000000000002";

const well: Asset = {
  id: "0190a000-0000-7000-8000-000000000101",
  kind: "well",
  code: "WELL-101",
  name: "Pozo 101",
  description: "ESP well on pad A",
  parentId: PAD_ID,
  siteType: null,
  latitude: -38.95,
  longitude: -68.06,
  createdAt: "2025-01-10T12:00:00.000Z",
  updatedAt: "2025-01-10T12:00:00.000Z",
  rowVersion: 3,
  createdBy: "engineer",
  well: {
    uwi: "42-501-20130",
    liftType: "esp",
    status: "producing",
    statusSince: "2025-01-10T12:00:00.000Z",
    completion: {
      totalDepthM: 2500,
      perforations: [{ topM: 2310.5, bottomM: 2322.25, zone: "Vaca Muerta" }],
      tubingOdMm: 73.025,
      tubingDepthM: 2290,
      casingOdMm: 139.7,
    },
  },
  equipment: null,
  tags: [{ role: "thp", tagPath: "SITE1/WELL-101/THP" }],
};

const tank: Asset = {
  ...well,
  id: "0190a000-0000-7000-8000-000000000201",
  kind: "equipment",
  code: "TK-01",
  name: "Tanque 1",
  description: "",
  latitude: null,
  longitude: null,
  well: null,
  equipment: {
    equipmentType: "tank",
    manufacturer: "Tanques del Sur",
    model: null,
    serialNumber: null,
    capacityM3: 159,
    strappingTable: [
      { levelM: 0, volumeM3: 0 },
      { levelM: 1.5, volumeM3: 60.3 },
      { levelM: 3, volumeM3: 120.6 },
    ],
    meterService: null,
    fluid: "oil",
    separatorService: null,
  },
  tags: [],
};

function body(state: AssetFormState, system: "metric" | "oilfield" = "metric", original: Asset | null = null) {
  const result = assetBodyFrom(state, system, original);
  assert.ok("body" in result, `unexpected errors: ${JSON.stringify(result)}`);
  return result.body;
}

function errors(state: AssetFormState, system: "metric" | "oilfield" = "metric") {
  const result = assetBodyFrom(state, system);
  assert.ok("errors" in result, "expected the form to be refused");
  return result.errors;
}

describe("web app: asset form", () => {
  it("offers exactly the server's kinds, types and statuses", () => {
    assert.deepEqual(ASSET_KINDS, server.ASSET_KINDS);
    assert.deepEqual(SITE_TYPES, server.SITE_TYPES);
    assert.deepEqual(EQUIPMENT_TYPES, server.EQUIPMENT_TYPES);
    assert.deepEqual(LIFT_TYPES, server.LIFT_TYPES);
    assert.deepEqual(WELL_STATUSES, server.WELL_STATUSES);
    assert.deepEqual(METER_SERVICES, server.METER_SERVICES);
    assert.deepEqual(SEPARATOR_SERVICES, server.SEPARATOR_SERVICES);
    assert.deepEqual(FLUIDS, server.FLUIDS);
    assert.equal(CODE_PATTERN.source, server.ASSET_CODE_PATTERN);
  });

  it("builds a new well's body in SI from inputs in oilfield units", () => {
    const state: AssetFormState = {
      ...emptyAssetForm("well", PAD_ID),
      code: " WELL-7 ",
      name: "Pozo 7",
      liftType: "gas_lift",
      status: "shut_in",
      latitude: "-38,9",
      completion: { totalDepth: "8000", tubingOd: "2.875", tubingDepth: "7500", casingOd: "", kickoffDepth: "3000" },
      perforations: [{ top: "7600", bottom: "7650", zone: "" }],
      tags: [{ role: "oil_rate", tagPath: "SITE1/WELL-7/OIL_RATE" }, { role: "", tagPath: "" }],
    };
    assert.deepEqual(body(state, "oilfield"), {
      kind: "well",
      code: "WELL-7",
      name: "Pozo 7",
      parentId: PAD_ID,
      description: "",
      latitude: -38.9,
      longitude: null,
      tags: [{ role: "oil_rate", tagPath: "SITE1/WELL-7/OIL_RATE" }],
      well: {
        uwi: null,
        liftType: "gas_lift",
        status: "shut_in",
        completion: {
          totalDepthM: 2438.4,
          tubingOdMm: 73.025,
          tubingDepthM: 2286,
          kickoffDepthM: 914.4,
          perforations: [{ topM: 2316.48, bottomM: 2331.72 }],
        },
      },
    });
  });

  it("sends a site's type, and no parent for a field", () => {
    const site = body({ ...emptyAssetForm("site", "f"), code: "BAT-1", name: "Batería 1", siteType: "battery" });
    assert.equal(site.siteType, "battery");
    const field = body({ ...emptyAssetForm("field", null), code: "CAMPO", name: "Campo", parentId: "ignored" });
    assert.equal(field.parentId, null);
    assert.equal(field.siteType, undefined);
  });

  it("refuses what the server would: codes, names, parents, coordinates", () => {
    assert.deepEqual(errors({ ...emptyAssetForm("well", null), code: "WELL 7", latitude: "91", longitude: "west" }), {
      code: "pattern",
      name: "required",
      parentId: "required",
      latitude: "latitudeRange",
      longitude: "notANumber",
    });
  });

  it("checks a completion: positive depths, perforations inside the well, top above bottom", () => {
    const state: AssetFormState = {
      ...assetFormFrom(well, "metric"),
      completion: { totalDepth: "2500", tubingOd: "0", tubingDepth: "2600", casingOd: "x", kickoffDepth: "" },
      perforations: [
        { top: "2400", bottom: "2390", zone: "" },
        { top: "2450", bottom: "2510", zone: "" },
        { top: "", bottom: "2000", zone: "" },
      ],
    };
    assert.deepEqual(errors(state), {
      "completion.tubingOd": "positive",
      "completion.casingOd": "notANumber",
      "completion.tubingDepth": "belowTotalDepth",
      "perforations.0.bottom": "topNotAboveBottom",
      "perforations.1.bottom": "belowTotalDepth",
      "perforations.2.top": "required",
    });
  });

  it("checks a tank's strapping table: two points at least, levels rising, volumes never falling", () => {
    const form = assetFormFrom(tank, "metric");
    assert.deepEqual(errors({ ...form, strapping: [{ level: "0", volume: "0" }] }), { strapping: "minPoints" });
    assert.deepEqual(
      errors({
        ...form,
        strapping: [
          { level: "0", volume: "0" },
          { level: "1", volume: "40" },
          { level: "1", volume: "30" },
          { level: "", volume: "50" },
          { level: "-1", volume: "60" },
        ],
      }),
      {
        "strapping.2.level": "levelNotIncreasing",
        "strapping.2.volume": "volumeDecreasing",
        "strapping.3.level": "required",
        "strapping.4.level": "notNegative",
      },
    );
    assert.deepEqual(errors({ ...form, capacity: "100" }), { capacity: "belowTableTop" });
  });

  it("converts a strapping table typed in feet and barrels", () => {
    const state: AssetFormState = {
      ...emptyAssetForm("equipment", PAD_ID),
      code: "TK-02",
      name: "Tanque 2",
      equipmentType: "tank",
      capacity: "1000",
      fluid: "water",
      strapping: [
        { level: "0", volume: "0" },
        { level: "10", volume: "500" },
      ],
    };
    assert.deepEqual(body(state, "oilfield").equipment, {
      equipmentType: "tank",
      manufacturer: null,
      model: null,
      serialNumber: null,
      capacityM3: 158.987295,
      strappingTable: [
        { levelM: 0, volumeM3: 0 },
        { levelM: 3.048, volumeM3: 79.493647 },
      ],
      meterService: null,
      separatorService: null,
      fluid: "water",
    });
  });

  it("sends tank and meter fields only for tanks and meters, and wants a meter's fluid", () => {
    const separator = body({ ...assetFormFrom(tank, "metric"), equipmentType: "separator", meterService: "fiscal", separatorService: "test" });
    assert.equal(separator.equipment?.separatorService, "test");
    assert.equal(body({ ...assetFormFrom(tank, "metric"), separatorService: "test" }).equipment?.separatorService, null);
    assert.equal(separator.equipment?.capacityM3, null);
    assert.equal(separator.equipment?.strappingTable, null);
    assert.equal(separator.equipment?.fluid, null);
    assert.equal(separator.equipment?.meterService, null);
    const meter = { ...emptyAssetForm("equipment", PAD_ID), code: "FT-1", name: "Meter", equipmentType: "meter" as const };
    assert.deepEqual(errors(meter), { fluid: "required" });
    assert.equal(body({ ...meter, fluid: "gas", meterService: "fiscal" }).equipment?.meterService, "fiscal");
  });

  it("checks tag links: role format, one tag per role, a <site>/<asset>/<point> path", () => {
    const state: AssetFormState = {
      ...assetFormFrom(well, "metric"),
      tags: [
        { role: "thp", tagPath: "SITE1/WELL-101/THP" },
        { role: "thp", tagPath: "SITE1/WELL-101/THP2" },
        { role: "Oil Rate", tagPath: "WELL-101/OIL" },
        { role: "", tagPath: "SITE1/WELL-101/CHP" },
      ],
    };
    assert.deepEqual(errors(state), {
      "tags.1.role": "duplicateRole",
      "tags.2.role": "roleFormat",
      "tags.2.tagPath": "tagPath",
      "tags.3.role": "required",
    });
  });

  it("patches nothing when an asset is opened and saved in either unit system", () => {
    for (const system of ["metric", "oilfield"] as const) {
      assert.deepEqual(assetPatchFrom(well, assetFormFrom(well, system), system), { changes: {} });
      assert.deepEqual(assetPatchFrom(tank, assetFormFrom(tank, system), system), { changes: {} });
    }
  });

  it("patches only what changed, the completion as a whole", () => {
    const form = assetFormFrom(well, "oilfield");
    const edited: AssetFormState = {
      ...form,
      name: "Pozo 101 (re-completado)",
      completion: { ...form.completion, tubingDepth: "7600" },
    };
    assert.deepEqual(assetPatchFrom(well, edited, "oilfield"), {
      changes: {
        name: "Pozo 101 (re-completado)",
        well: { completion: { ...well.well!.completion, tubingDepthM: 2316.48 } },
      },
    });
  });

  it("clears the tank fields when a tank becomes another kind of equipment", () => {
    const edited: AssetFormState = { ...assetFormFrom(tank, "metric"), equipmentType: "separator" };
    assert.deepEqual(assetPatchFrom(tank, edited, "metric"), {
      changes: { equipment: { equipmentType: "separator", capacityM3: null, strappingTable: null, fluid: null } },
    });
  });

  it("changes one strapping point and keeps the others exact", () => {
    const form = assetFormFrom(tank, "oilfield");
    const strapping = form.strapping.map((row, index) => (index === 2 ? { ...row, volume: "760" } : row));
    const result = assetPatchFrom(tank, { ...form, strapping }, "oilfield");
    assert.deepEqual(result, {
      changes: {
        equipment: {
          strappingTable: [
            { levelM: 0, volumeM3: 0 },
            { levelM: 1.5, volumeM3: 60.3 },
            { levelM: 3, volumeM3: 120.830344 },
          ],
        },
      },
    });
  });

  it("reads strapping points pasted from a spreadsheet, skipping the header", () => {
    const pasted = "Level ft\tVolume bbl\n0\t0\n1,5\t60,3\r\n3;120.6\n\n4.5   180\nnot a point\n1 2 3\n";
    assert.deepEqual(parseStrappingPaste(pasted), [
      { level: "0", volume: "0" },
      { level: "1,5", volume: "60,3" },
      { level: "3", volume: "120.6" },
      { level: "4.5", volume: "180" },
    ]);
  });

  it("puts the server's field errors on the inputs they name", () => {
    assert.equal(formFieldOf("code"), "code");
    assert.equal(formFieldOf("well.uwi"), "uwi");
    assert.equal(formFieldOf("/well/completion/totalDepthM"), "completion.totalDepth");
    assert.equal(formFieldOf("body.well.completion.tubingOdMm"), "completion.tubingOd");
    assert.equal(formFieldOf("body.equipment.strappingTable.1.volumeM3"), "strapping.1.volume");
    assert.equal(formFieldOf("well.completion.perforations[1]"), "perforations.1.top");
    assert.equal(formFieldOf("well.completion.perforations.1"), "perforations.1.top");
    assert.equal(formFieldOf("equipment.strappingTable.2"), "strapping.2.level");
    assert.equal(formFieldOf("/well/completion/perforations/0/bottomM"), "perforations.0.bottom");
    assert.equal(formFieldOf("equipment.strappingTable[2]"), "strapping.2.level");
    assert.equal(formFieldOf("equipment.strappingTable"), "strapping");
    assert.equal(formFieldOf("tags.0.tagPath"), "tags.0.tagPath");
    assert.deepEqual(serverFieldErrors([{ field: "well.uwi", reason: "already exists" }, { field: "tags", reason: "role thp twice" }, "junk"]), {
      uwi: "already exists",
      tags: "role thp twice",
    });
    const form = assetFormFrom(well, "metric");
    assert.ok(hasInput(form, "uwi"));
    assert.ok(hasInput(form, "perforations.0.top"));
    assert.ok(!hasInput(form, "perforations.3.top"));
    assert.ok(!hasInput(form, "tags"));
    assert.ok(!hasInput(form, "capacity"));
  });
});
