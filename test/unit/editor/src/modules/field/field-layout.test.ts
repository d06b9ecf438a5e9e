import assert from "node:assert/strict";
import type { Field, FieldAsset } from "../../../../../../editor/src/api/field";
import { layoutField } from "../../../../../../editor/src/modules/field/field-layout";
import { generatedField, wellCode } from "../../../../../helpers/generated-field";

const asset = (code: string, kind: FieldAsset["kind"], extra: Partial<FieldAsset> = {}): FieldAsset => ({
  assetId: "00000000-0000-4000-8000-000000000001",
  code,
  name: code,
  kind,
  parentCode: null,
  points: [],
  ...extra,
});
const equipment = (code: string, equipmentType: FieldAsset["equipmentType"], extra: Partial<FieldAsset> = {}) =>
  asset(code, "equipment", { equipmentType, ...extra });

// A pad of three wells: two on flowlines into MAN-01, one straight into the test separator;
// MAN-01 to both separators; WELL-9 on no connection at all, under PAD-2.
const field: Field = {
  siteId: "S",
  assets: [
    asset("WELL-2", "well", { parentCode: "PAD-1", liftType: "gas_lift" }),
    asset("WELL-1", "well", { parentCode: "PAD-1", liftType: "esp" }),
    asset("WELL-3", "well", { parentCode: "PAD-1" }),
    asset("WELL-9", "well", { parentCode: "PAD-2" }),
    asset("PAD-1", "site", { siteType: "pad" }),
    asset("PAD-2", "site", { siteType: "pad" }),
    equipment("FL-1", "flowline"),
    equipment("FL-2", "flowline"),
    equipment("MAN-01", "manifold"),
    equipment("SEP-TEST", "separator", { separatorService: "test" }),
    equipment("SEP-PROD", "separator", { separatorService: "production" }),
    equipment("TK-W", "tank", { fluid: "water" }),
    equipment("TK-O", "tank", { fluid: "oil" }),
    equipment("SALES", "sales_point"),
    equipment("COMP", "compressor"),
    equipment("ESP-1", "esp", { parentCode: "WELL-1" }),
  ],
  connections: [
    { fromCode: "WELL-1", toCode: "FL-1", stream: "production" },
    { fromCode: "FL-1", toCode: "MAN-01", stream: "production" },
    { fromCode: "WELL-2", toCode: "FL-2", stream: "production" },
    { fromCode: "FL-2", toCode: "MAN-01", stream: "production" },
    { fromCode: "WELL-3", toCode: "SEP-TEST", stream: "production" },
    { fromCode: "MAN-01", toCode: "SEP-TEST", stream: "production" },
    { fromCode: "MAN-01", toCode: "SEP-PROD", stream: "production" },
    // Water listed first: the route still follows the oil.
    { fromCode: "SEP-PROD", toCode: "TK-W", stream: "water" },
    { fromCode: "SEP-PROD", toCode: "TK-O", stream: "oil" },
    { fromCode: "TK-O", toCode: "SALES", stream: "oil" },
    // A loop back must not hang the route.
    { fromCode: "SALES", toCode: "MAN-01", stream: "oil" },
    { fromCode: "COMP", toCode: "WELL-2", stream: "lift_gas" },
    { fromCode: "MAN-01", toCode: "GHOST", stream: "production" },
  ],
};

describe("web app: field layout from the register's connections", () => {
  const layout = layoutField(field);
  const codes = (assets: readonly FieldAsset[]) => assets.map((candidate) => candidate.code);

  it("groups wells by where they gather, through their flowlines, connected groups first", () => {
    assert.deepEqual(
      layout.groups.map((group) => [group.code, group.connected, codes(group.wells)]),
      [
        ["MAN-01", true, ["WELL-1", "WELL-2"]],
        ["SEP-TEST", true, ["WELL-3"]],
        ["PAD-2", false, ["WELL-9"]],
      ],
    );
  });

  it("follows the main route downstream: production before test separator, oil before water, once round a loop", () => {
    assert.deepEqual(codes(layout.groups[0].route), ["SEP-PROD", "TK-O", "SALES"]);
    assert.deepEqual(codes(layout.groups[1].route), []);
  });

  it("lists facilities in flow order, lift-gas compressor first, without flowlines or a well's own ESP", () => {
    // Longest hop count from a well: MAN-01 2 (WELL-1 → FL-1 → MAN-01); SEP-TEST 3 via MAN-01 (1 straight from
    // WELL-3); SEP-PROD 3; TK-O and TK-W 4; SALES 5 (its loop back to MAN-01 is not walked). COMP feeds lift gas: first.
    assert.deepEqual(codes(layout.facilities), ["COMP", "MAN-01", "SEP-PROD", "SEP-TEST", "TK-O", "TK-W", "SALES"]);
  });

  it("knows which compressor feeds a gas-lift well", () => {
    assert.deepEqual([...layout.liftGasFrom], [["WELL-2", "COMP"]]);
  });

  it("puts a new well with no connection yet under its parent site", () => {
    const added = layoutField({ ...field, assets: [...field.assets, asset("WELL-NEW", "well", { parentCode: "PAD-1" })] });
    const group = added.groups.find((candidate) => candidate.code === "PAD-1");
    assert.deepEqual(group && codes(group.wells), ["WELL-NEW"]);
    assert.equal(group?.connected, false);
  });

  it("lays out a generated 200-well field in 17 manifold groups of at most 12", () => {
    const big = layoutField(generatedField({ wells: 200 }));
    // ceil(200 / 12) = 17 manifolds; the last holds 200 - 16 * 12 = 8 wells.
    assert.equal(big.groups.length, 17);
    assert.deepEqual(big.groups.map((group) => group.wells.length), [...Array<number>(16).fill(12), 8]);
    assert.equal(big.groups[0].wells[0].code, wellCode(0));
    assert.deepEqual(codes(big.groups[16].route), ["SEP-PROD", "TK-OIL", "LACT-1", "SALES-1"]);
    // Every fourth well (index 1, 5, ...) is gas lift: 50 of them.
    assert.equal(big.liftGasFrom.size, 50);
  });
});
