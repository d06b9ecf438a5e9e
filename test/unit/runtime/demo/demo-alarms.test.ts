import assert from "node:assert/strict";
import { DEMO_ALARMS, demoAlarmDefinitions } from "../../../../runtime/demo/demo-alarms.js";
import { demoHistoryPolicy } from "../../../../runtime/demo/demo-history-policy.js";
import type { AlarmDefinitionInput } from "../../../../runtime/alarms/schema.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import type { Oilfield } from "../../../../simulator/model/oilfield.js";

const START = Date.UTC(2026, 0, 1);

/** Whether a value is beyond the definition's limit (or in its abnormal state). */
function crossed(definition: AlarmDefinitionInput, value: number | boolean): boolean {
  switch (definition.kind) {
    case "hihi":
    case "hi":
      return typeof value === "number" && definition.limit !== null && value > definition.limit;
    case "lo":
    case "lolo":
      return typeof value === "number" && definition.limit !== null && value < definition.limit;
    case "discrete":
      return JSON.stringify(value) === definition.alarmState;
    default:
      return false;
  }
}

function field(eventsPerDay: number): Oilfield {
  const model = createOilfield({ siteId: "SITE1", seed: 1, startTime: START, declineTimeFactor: 30, eventsPerDay });
  // An hour to settle from the initial state, as the live demo does before anyone looks.
  for (let i = 0; i < 60; i++) model.step(60);
  return model;
}

function read(model: Oilfield, definition: AlarmDefinitionInput): number | boolean {
  const [, asset = "", point = ""] = definition.tagPath.split("/");
  return model.read(asset, point);
}

describe("demo alarm limits against the simulator's model", () => {
  const model = field(0);
  const definitions = demoAlarmDefinitions(model);

  it("defines alarms on real points of every well and facility, with areas per pad", () => {
    const points = new Set(model.points.map((point) => `SITE1/${point.asset}/${point.point}`));
    for (const definition of definitions) assert.ok(points.has(definition.tagPath), `${definition.tagPath} is a simulator point`);
    const assets = new Set(definitions.map((definition) => definition.tagPath.split("/")[1]));
    for (const asset of model.assets) assert.ok(assets.has(asset.id), `${asset.id} has alarms`);
    assert.deepEqual([...new Set(definitions.map((definition) => definition.area))].sort(), ["BATTERY", "COMPRESSION", "PAD-100", "PAD-200", "PAD-300"]);
    assert.equal(new Set(definitions.map((definition) => `${definition.tagPath} ${definition.kind}`)).size, definitions.length, "one per tag and kind");
    for (const definition of definitions.filter((candidate) => candidate.kind === "hihi")) {
      const hi = definitions.find((candidate) => candidate.tagPath === definition.tagPath && candidate.kind === "hi");
      if (hi?.limit != null && definition.limit !== null) assert.ok(definition.limit > hi.limit, `${definition.tagPath}: HiHi above Hi`);
    }
  });

  it("seven days of normal operation (tank pump-outs included) sit inside every limit, also at the demo's history deviations", () => {
    const worst = new Map<string, number | boolean>();
    for (let minute = 0; minute < 7 * 24 * 60; minute++) {
      model.step(60);
      for (const definition of definitions) {
        const value = read(model, definition);
        assert.ok(!crossed(definition, value), `${definition.tagPath} ${definition.kind} ${definition.limit ?? definition.alarmState}: ${String(value)} at minute ${minute}`);
        worst.set(definition.tagPath, value);
      }
    }
    // A stored (compressed) value is within the history deviation of the raw one: that margin is inside every limit too.
    for (const definition of definitions.filter((candidate) => candidate.limit !== null)) {
      const [, asset = "", point = ""] = definition.tagPath.split("/");
      const spec = model.points.find((candidate) => candidate.asset === asset && candidate.point === point);
      assert.ok(spec);
      const { historyDeviation } = demoHistoryPolicy(spec);
      assert.ok(historyDeviation <= definition.deadband, `${definition.tagPath}: history deviation ${historyDeviation} within the alarm deadband ${definition.deadband}`);
    }
    assert.ok(worst.size > 0);
  });

  for (const [asset, kind, expected] of [
    ["WELL-102", "esp-trip", ["ESP_TRIPPED discrete", "ESP_CURRENT lo"]],
    ["WELL-101", "esp-vibration", ["VIBRATION hi"]],
    ["WELL-301", "shut-in", ["THP hi", "PUMP_FILL lolo"]],
    ["WELL-203", "gas-lift-valve-failure", ["GLV_FAILED discrete", "CHP lo"]],
  ] as const) {
    it(`a ${kind} of ${asset} crosses its limits within two hours: ${expected.join(", ")}`, () => {
      const live = field(0);
      live.triggerEvent(asset, kind);
      const raised = new Set<string>();
      const ofAsset = definitions.filter((definition) => definition.tagPath.split("/")[1] === asset);
      for (let minute = 0; minute < 120; minute++) {
        live.step(60);
        for (const definition of ofAsset) if (crossed(definition, read(live, definition))) raised.add(`${definition.tagPath.split("/")[2]} ${definition.kind}`);
      }
      for (const alarm of expected) assert.ok(raised.has(alarm), `${alarm} raised (got ${[...raised].join(", ")})`);
    });
  }

  it("the table names only lift types and facility ids the model has", () => {
    const keys = new Set([...model.assets.map((asset) => asset.id), ...model.assets.flatMap((asset) => (asset.liftType ? [asset.liftType] : []))]);
    for (const key of Object.keys(DEMO_ALARMS)) assert.ok(keys.has(key), key);
  });
});
