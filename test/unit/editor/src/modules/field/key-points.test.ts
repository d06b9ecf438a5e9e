import assert from "node:assert/strict";
import type { FieldAsset, FieldPoint } from "../../../../../../editor/src/api/field";
import type { LiveValue } from "../../../../../../editor/src/live/live-protocol";
import { assetState, keyPointsOf, plantKindOf, wellState, worstQuality } from "../../../../../../editor/src/modules/field/key-points";

const point = (name: string, unit: string, role = name.toLowerCase()): FieldPoint => ({
  role,
  tagPath: `SITE1/X/${name}`,
  point: name,
  unit,
  description: name,
  writable: false,
});
const asset = (code: string, kind: FieldAsset["kind"], points: FieldPoint[], extra: Partial<FieldAsset> = {}): FieldAsset => ({
  assetId: "00000000-0000-4000-8000-000000000001",
  code,
  name: code,
  kind,
  parentCode: null,
  points,
  ...extra,
});
const wellPoints = [
  point("THP", "kPa"),
  point("CHP", "kPa"),
  point("WATER_RATE", "m3/d"),
  point("OIL_RATE", "m3/d"),
  point("RUNNING", "bool"),
  point("TRIPPED", "bool"),
  point("SHUT_IN", "bool"),
  point("CHOKE_SP", "%"),
];
const well = (status?: FieldAsset["status"]) => asset("W", "well", wellPoints, status === undefined ? {} : { status });

describe("web app: field key points", () => {
  it("picks a well's oil rate, THP and status flags by name, skipping other rates", () => {
    assert.deepEqual(
      keyPointsOf(well()).map((keyPoint) => `${keyPoint.role}:${keyPoint.point}`),
      ["oilRate:OIL_RATE", "thp:THP", "running:RUNNING", "tripped:TRIPPED", "shutIn:SHUT_IN"],
    );
  });

  it("takes a unitless point (the tag store's booleans) as a flag", () => {
    const stored = asset("W", "well", [point("OIL_RATE", "m3/d"), point("RUNNING", ""), point("ESP_TRIPPED", "")]);
    assert.deepEqual(keyPointsOf(stored).map((keyPoint) => `${keyPoint.role}:${keyPoint.point}`), ["oilRate:OIL_RATE", "running:RUNNING", "tripped:ESP_TRIPPED"]);
  });

  it("recognises a point by the register's role when its name says nothing", () => {
    const odd = asset("W", "well", [point("AI_07", "kPa", "thp"), point("Q_1", "m3/d", "oil_rate")]);
    assert.deepEqual(keyPointsOf(odd).map((keyPoint) => `${keyPoint.role}:${keyPoint.point}`), ["oilRate:Q_1", "thp:AI_07"]);
  });

  it("draws equipment by its register type: separators with two levels, headers as manifolds, meters by flow", () => {
    const separator = asset("SEP", "equipment", [point("PRESSURE", "kPa"), point("LEVEL_OIL", "%"), point("LEVEL_WATER", "%")], { equipmentType: "separator" });
    assert.deepEqual(keyPointsOf(separator).map((keyPoint) => keyPoint.qualifier ?? keyPoint.point), ["PRESSURE", "OIL", "WATER"]);
    assert.equal(plantKindOf({ kind: "equipment", equipmentType: "header" }), "manifold");
    assert.equal(plantKindOf({ kind: "equipment", equipmentType: "sales_point" }), "other");
    assert.equal(plantKindOf({ kind: "site", equipmentType: undefined }), "site");
    const meter = asset("LACT", "equipment", [point("P", "kPa"), point("FLOW_RATE", "m3/d")], { equipmentType: "meter" });
    assert.deepEqual(keyPointsOf(meter).map((keyPoint) => keyPoint.point), ["FLOW_RATE", "P"]);
  });
});

describe("web app: field asset state", () => {
  const keyPoints = keyPointsOf(well());
  const reading = (values: Record<string, LiveValue["v"]>, q: LiveValue["q"] = "good") => (name: string): LiveValue | undefined =>
    name in values ? { v: values[name]!, q, t: 1 } : undefined;
  const running = reading({ RUNNING: true, TRIPPED: false, SHUT_IN: false });

  it("reads running, stopped, tripped and shut in from the flags of a producing well", () => {
    assert.equal(assetState(well("producing"), keyPoints, running), "running");
    assert.equal(assetState(well("producing"), keyPoints, reading({ RUNNING: false, TRIPPED: false, SHUT_IN: false })), "stopped");
    assert.equal(assetState(well("producing"), keyPoints, reading({ RUNNING: false, TRIPPED: true, SHUT_IN: false })), "tripped");
    assert.equal(assetState(well("producing"), keyPoints, reading({ RUNNING: false, TRIPPED: false, SHUT_IN: true })), "shut-in");
  });

  it("shows the register's status over a RUN tag that still says running", () => {
    assert.equal(assetState(well("shut_in"), keyPoints, running), "shut-in");
    assert.equal(assetState(well("suspended"), keyPoints, running), "suspended");
    assert.equal(assetState(well("abandoned"), keyPoints, running), "abandoned");
    assert.equal(wellState(undefined, "tripped"), "tripped");
  });

  it("does not trust flags of bad quality or that have not arrived", () => {
    assert.equal(assetState(well(), keyPoints, reading({ RUNNING: true }, "bad")), "unknown");
    assert.equal(assetState(well(), keyPoints, reading({})), "unknown");
  });

  it("has no state for assets without flags, and runs a flagless-but-untripped one", () => {
    const tank = asset("TK", "equipment", [point("LEVEL", "m")], { equipmentType: "tank" });
    assert.equal(assetState(tank, keyPointsOf(tank), reading({})), "none");
    const tripOnly = asset("C", "equipment", [point("TRIPPED", "bool")], { equipmentType: "compressor" });
    assert.equal(assetState(tripOnly, keyPointsOf(tripOnly), reading({ TRIPPED: false })), "running");
  });

  it("reports the worst quality present", () => {
    const value = (q: LiveValue["q"]): LiveValue => ({ v: 1, q, t: 1 });
    assert.equal(worstQuality([undefined]), null);
    assert.equal(worstQuality([value("good"), value("uncertain")]), "uncertain");
    assert.equal(worstQuality([value("uncertain"), value("bad"), value("good")]), "bad");
  });
});
