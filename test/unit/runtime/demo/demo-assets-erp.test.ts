import assert from "node:assert/strict";
import { strappingTableProblem } from "../../../../erp-modules/assets/model/strapping.js";
import { connectionProblem, type ConnectionEnd } from "../../../../erp-modules/assets/model/connectivity.js";
import {
  DEMO_BATTERY_CODE,
  DEMO_DISPOSAL_POINT_CODE,
  DEMO_FIELD_CODE,
  DEMO_SALES_POINT_CODE,
  demoAssetPlan,
  demoConnectionPlan,
  type PlannedAsset,
} from "../../../../runtime/demo/demo-assets-erp.js";
import { tagDefinitionsFromModel } from "../../../../runtime/demo/demo-tags.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";

describe("demo asset plan from the simulator model", () => {
  const model = createOilfield({ seed: 1 });
  const now = new Date("2026-03-15T10:30:00Z");
  const plan = demoAssetPlan(model, now);
  const byCode = new Map(plan.map((entry) => [entry.input.code, entry]));

  it("plans one field, one battery and the 12 simulated wells with their lift types", () => {
    assert.deepEqual(
      plan.filter((entry) => entry.input.kind === "field").map((entry) => [entry.input.code, entry.parentCode]),
      [[DEMO_FIELD_CODE, null]],
    );
    const battery = byCode.get(DEMO_BATTERY_CODE);
    assert.equal(battery?.input.siteType, "battery");
    assert.equal(battery?.parentCode, DEMO_FIELD_CODE);
    const wells = plan.filter((entry) => entry.input.kind === "well");
    assert.equal(wells.length, 12);
    assert.ok(wells.every((entry) => entry.parentCode === DEMO_BATTERY_CODE));
    assert.equal(byCode.get("WELL-101")?.input.well?.liftType, "esp");
    assert.equal(byCode.get("WELL-204")?.input.well?.liftType, "gas_lift");
    assert.equal(byCode.get("WELL-303")?.input.well?.liftType, "rod_pump");
    assert.ok(byCode.get("WELL-201")?.input.well?.completion?.kickoffDepthM, "gas-lift wells have a kick-off depth");
    assert.ok(
      wells.every((entry) => entry.input.well?.statusSince === "2025-12-15T00:00:00.000Z"),
      "producing since 90 days before today (UTC), before the week of demo production history",
    );
  });

  it("puts an ESP under each ESP well and the plant at the battery", () => {
    const esps = plan.filter((entry) => entry.input.equipment?.equipmentType === "esp");
    assert.deepEqual(
      esps.map((entry) => [entry.input.code, entry.parentCode]),
      [
        ["ESP-101", "WELL-101"],
        ["ESP-102", "WELL-102"],
        ["ESP-103", "WELL-103"],
        ["ESP-104", "WELL-104"],
      ],
    );
    for (const code of ["MAN-01", "SEP-TEST", "SEP-PROD", "COMP-01", "TK-01", "TK-02", "TK-W1", "MTR-OIL", "MTR-GAS", "MTR-WATER", "SALES-01", "SWD-01"]) {
      assert.equal(byCode.get(code)?.parentCode, DEMO_BATTERY_CODE, code);
    }
    assert.deepEqual(
      ["MTR-OIL", "MTR-GAS", "MTR-WATER"].map((code) => byCode.get(code)?.input.equipment?.fluid),
      ["oil", "gas", "water"],
    );
    // Allocation measures with every meter but check meters: each fluid needs one, or the demo allocates no water.
    assert.deepEqual(
      ["MTR-OIL", "MTR-GAS", "MTR-WATER"].map((code) => byCode.get(code)?.input.equipment?.meterService),
      ["sales", "fiscal", "fiscal"],
    );
  });

  it("gives each tank a usable strapping table within its capacity and its fluid", () => {
    for (const code of ["TK-01", "TK-02", "TK-W1"]) {
      const tank = byCode.get(code)?.input.equipment;
      assert.ok(tank?.strappingTable, code);
      assert.equal(strappingTableProblem(tank.strappingTable), null);
      assert.equal(tank.strappingTable.length, 5);
      assert.ok((tank.strappingTable.at(-1)?.volumeM3 ?? Infinity) <= (tank.capacityM3 ?? 0));
    }
    assert.equal(byCode.get("TK-01")?.input.equipment?.strappingTable?.at(-1)?.levelM, 8);
    assert.equal(byCode.get("TK-W1")?.input.equipment?.fluid, "water");
  });

  it("plans parents before children, with unique codes", () => {
    const seen = new Set<string>();
    for (const entry of plan) {
      if (entry.parentCode !== null) assert.ok(seen.has(entry.parentCode), `${entry.input.code} before its parent ${entry.parentCode}`);
      assert.ok(!seen.has(entry.input.code), `${entry.input.code} planned twice`);
      seen.add(entry.input.code);
    }
  });

  it("links assets only to tags the demo creates, one tag per role", () => {
    const demoTags = new Set(tagDefinitionsFromModel(model).map((tag) => tag.path));
    for (const entry of plan) {
      const tags = entry.input.tags ?? [];
      for (const tag of tags) assert.ok(demoTags.has(tag.tagPath), `${entry.input.code}: ${tag.tagPath}`);
      assert.equal(new Set(tags.map((tag) => tag.role)).size, tags.length, entry.input.code);
    }
    const wellTags = byCode.get("WELL-101")?.input.tags ?? [];
    assert.deepEqual(
      wellTags.filter((tag) => ["thp", "oil_rate"].includes(tag.role)),
      [
        { role: "thp", tagPath: "SITE1/WELL-101/THP" },
        { role: "oil_rate", tagPath: "SITE1/WELL-101/OIL_RATE" },
      ],
    );
    assert.ok(byCode.get("TK-01")?.input.tags?.some((tag) => tag.role === "level" && tag.tagPath === "SITE1/TK-01/LEVEL"));
  });

  it("plans the plant with the register's equipment types and separator services", () => {
    const equipment = (code: string) => byCode.get(code)?.input.equipment;
    assert.equal(equipment("MAN-01")?.equipmentType, "manifold");
    assert.deepEqual([equipment("SEP-TEST")?.equipmentType, equipment("SEP-TEST")?.separatorService], ["separator", "test"]);
    assert.deepEqual([equipment("SEP-PROD")?.equipmentType, equipment("SEP-PROD")?.separatorService], ["separator", "production"]);
    assert.equal(equipment(DEMO_SALES_POINT_CODE)?.equipmentType, "sales_point");
    assert.equal(equipment(DEMO_DISPOSAL_POINT_CODE)?.equipmentType, "disposal_point");
    assert.ok(!plan.some((entry) => entry.input.equipment?.equipmentType === "other"), "no plant left as other");
  });

  it("links every simulated tag to an asset", () => {
    const linked = new Set(plan.flatMap((entry) => (entry.input.tags ?? []).map((tag) => tag.tagPath)));
    const unlinked = tagDefinitionsFromModel(model).filter((tag) => !linked.has(tag.path));
    assert.deepEqual(unlinked.map((tag) => tag.path), []);
  });

  describe("connections", () => {
    const connections = demoConnectionPlan(model);
    const key = (from: string, to: string, stream: string) => `${from}>${to}:${stream}`;
    const keys = new Set(connections.map((connection) => key(connection.fromCode, connection.toCode, connection.stream)));

    /** A planned asset as the connectivity rules see it. */
    function endOf(entry: PlannedAsset | undefined): ConnectionEnd {
      assert.ok(entry);
      const { input } = entry;
      if (input.kind === "well" && input.well) return { kind: "well", liftType: input.well.liftType };
      if (input.kind === "equipment" && input.equipment) return { kind: "equipment", equipmentType: input.equipment.equipmentType, fluid: input.equipment.fluid ?? null };
      return { kind: input.kind === "field" ? "field" : "site" };
    }

    it("joins only planned assets, each stream legal for its pair, none twice", () => {
      for (const { fromCode, toCode, stream } of connections) {
        assert.equal(connectionProblem(endOf(byCode.get(fromCode)), endOf(byCode.get(toCode)), stream, fromCode === toCode), null, key(fromCode, toCode, stream));
      }
      assert.equal(keys.size, connections.length);
    });

    it("sends every well to the manifold and the manifold to both separators", () => {
      for (const well of plan.filter((entry) => entry.input.kind === "well")) assert.ok(keys.has(key(well.input.code, "MAN-01", "production")), well.input.code);
      assert.ok(keys.has(key("MAN-01", "SEP-TEST", "production")));
      assert.ok(keys.has(key("MAN-01", "SEP-PROD", "production")));
    });

    it("sends oil to the oil tanks, water to the water tank and gas to the compressor, then on to sales and disposal", () => {
      for (const separator of ["SEP-TEST", "SEP-PROD"]) {
        assert.ok(keys.has(key(separator, "TK-01", "oil")) && keys.has(key(separator, "TK-02", "oil")), separator);
        assert.ok(keys.has(key(separator, "TK-W1", "water")), separator);
        assert.ok(!keys.has(key(separator, "TK-W1", "oil")), separator);
        assert.ok(keys.has(key(separator, "COMP-01", "gas")), separator);
      }
      assert.ok(keys.has(key("TK-01", "MTR-OIL", "oil")) && keys.has(key("MTR-OIL", "SALES-01", "oil")));
      assert.ok(keys.has(key("COMP-01", "MTR-GAS", "gas")) && keys.has(key("MTR-GAS", "SALES-01", "gas")));
      assert.ok(keys.has(key("TK-W1", "MTR-WATER", "water")) && keys.has(key("MTR-WATER", "SWD-01", "water")));
    });

    it("sends lift gas from the compressor to the four gas-lift wells only", () => {
      const lift = connections.filter((connection) => connection.stream === "lift_gas");
      assert.deepEqual(
        lift.map((connection) => `${connection.fromCode}>${connection.toCode}`),
        ["COMP-01>WELL-201", "COMP-01>WELL-202", "COMP-01>WELL-203", "COMP-01>WELL-204"],
      );
    });
  });
});
