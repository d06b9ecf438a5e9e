import assert from "node:assert/strict";
import { connectionProblem, endLabel, type ConnectionEnd } from "../../../../../erp-modules/assets/model/connectivity.js";
import type { ConnectionStream, EquipmentType, Fluid } from "../../../../../erp-modules/assets/schema.js";

const well = (liftType = "esp"): ConnectionEnd => ({ kind: "well", liftType });
const gasLiftWell = well("gas_lift");
const equipment = (equipmentType: EquipmentType, fluid: Fluid | null = null): ConnectionEnd => ({ kind: "equipment", equipmentType, fluid });
const site: ConnectionEnd = { kind: "site" };

/** [from, to, stream, the problem's reason (null: allowed)] */
const CASES: [ConnectionEnd, ConnectionEnd, ConnectionStream, string | null][] = [
  // Production: wells and carriers into carriers and separators.
  [well(), equipment("flowline"), "production", null],
  [well("rod_pump"), equipment("manifold"), "production", null],
  [gasLiftWell, equipment("header"), "production", null],
  [equipment("flowline"), equipment("manifold"), "production", null],
  [equipment("manifold"), equipment("separator"), "production", null],
  [equipment("header"), equipment("separator"), "production", null],
  [well(), equipment("separator"), "production", null],
  [well(), equipment("tank", "oil"), "production", "stream_not_allowed"],
  [equipment("separator"), equipment("manifold"), "production", "stream_not_allowed"],
  [well(), well(), "production", "stream_not_allowed"],
  // Lift gas: from the compressor (or a carrier) to gas-lift wells or carriers only.
  [equipment("compressor"), gasLiftWell, "lift_gas", null],
  [equipment("compressor"), equipment("manifold"), "lift_gas", null],
  [equipment("header"), gasLiftWell, "lift_gas", null],
  [equipment("flowline"), gasLiftWell, "lift_gas", null],
  [equipment("compressor"), well("esp"), "lift_gas", "stream_not_allowed"],
  [equipment("separator"), gasLiftWell, "lift_gas", "stream_not_allowed"],
  [gasLiftWell, equipment("compressor"), "lift_gas", "stream_not_allowed"],
  // Oil, water, gas onward from separators, tanks and meters.
  [equipment("separator"), equipment("tank", "oil"), "oil", null],
  [equipment("separator"), equipment("tank", "water"), "water", null],
  [equipment("separator"), equipment("compressor"), "gas", null],
  [equipment("tank", "oil"), equipment("meter", "oil"), "oil", null],
  [equipment("meter", "oil"), equipment("sales_point"), "oil", null],
  [equipment("tank", "water"), equipment("disposal_point"), "water", null],
  [equipment("compressor"), equipment("sales_point"), "gas", null],
  [equipment("compressor"), equipment("meter", "gas"), "gas", null],
  [equipment("separator"), equipment("disposal_point"), "gas", null],
  [equipment("separator"), equipment("tank"), "oil", null],
  [equipment("separator"), equipment("compressor"), "oil", "stream_not_allowed"],
  [equipment("tank", "water"), equipment("sales_point"), "water", "stream_not_allowed"],
  [equipment("sales_point"), equipment("tank", "oil"), "oil", "stream_not_allowed"],
  [well(), equipment("tank", "oil"), "oil", "stream_not_allowed"],
  // The stream must match the fluid a tank or meter holds, at either end.
  [equipment("separator"), equipment("tank", "water"), "oil", "stream_fluid_mismatch"],
  [equipment("tank", "oil"), equipment("meter", "water"), "oil", "stream_fluid_mismatch"],
  [equipment("tank", "water"), equipment("meter", "oil"), "oil", "stream_fluid_mismatch"],
  // Places and parts of wells join no stream.
  [site, equipment("separator"), "production", "not_a_process_asset"],
  [well(), { kind: "field" }, "production", "not_a_process_asset"],
  [equipment("esp"), equipment("manifold"), "production", "stream_not_allowed"],
  [equipment("other"), equipment("separator"), "production", "stream_not_allowed"],
];

describe("connectivity rules", () => {
  for (const [from, to, stream, reason] of CASES) {
    it(`${stream} from a ${endLabel(from)} to a ${endLabel(to)}: ${reason ?? "allowed"}`, () => {
      assert.equal(connectionProblem(from, to, stream)?.reason ?? null, reason);
    });
  }

  it("names the field a problem is about", () => {
    assert.equal(connectionProblem(site, equipment("separator"), "production")?.field, "fromAssetId");
    assert.equal(connectionProblem(well(), site, "production")?.field, "toAssetId");
    assert.equal(connectionProblem(equipment("tank", "water"), equipment("meter", "oil"), "water")?.field, "toAssetId");
    assert.equal(connectionProblem(equipment("tank", "water"), equipment("meter", "oil"), "oil")?.field, "fromAssetId");
    assert.deepEqual(connectionProblem(equipment("compressor"), well("esp"), "lift_gas"), {
      field: "stream",
      reason: "stream_not_allowed",
      params: { stream: "lift_gas", from: "compressor", to: "esp well" },
    });
  });

  it("refuses a connection from an asset to itself before anything else", () => {
    assert.deepEqual(connectionProblem(equipment("manifold"), equipment("manifold"), "production", true), {
      field: "toAssetId",
      reason: "connection_to_self",
      params: {},
    });
  });
});
