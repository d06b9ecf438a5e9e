import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSparkplugPublisher, scanModel } from "../../../simulator/sparkplug-publisher.js";
import type { SparkplugPublisher } from "../../../simulator/sparkplug-publisher.js";
import type { OilfieldModel, SimPointDefinition, SimValue } from "../../../simulator/model/types.js";
import type { SparkplugMetric } from "../../../nodes/sparkplug/shared/sparkplug-codec.js";
import { DATATYPE, decodeRaw } from "../../helpers/sparkplug-protobuf.js";
import { Observer, startTestBroker, uniqueGroupId, until } from "../../nodes/sparkplug/mqtt-test-broker.js";
import type { TestBroker } from "../../nodes/sparkplug/mqtt-test-broker.js";

const T0 = 1_780_000_000_000;

/** A two-asset stand-in for the oilfield model: enough to check the Sparkplug mapping. */
function fakeModel(): OilfieldModel & { values: Map<string, SimValue> } {
  const points: SimPointDefinition[] = [
    { asset: "WELL-101", point: "THP", dataType: "float", unit: "kPa", description: "tubing head pressure", writable: false },
    { asset: "WELL-101", point: "CHOKE_SP", dataType: "float", unit: "%", description: "choke setpoint", writable: true, min: 0, max: 100 },
    { asset: "WELL-101", point: "RUNNING", dataType: "bool", unit: "bool", description: "running", writable: false },
    { asset: "TK-01", point: "STARTS", dataType: "int", unit: "", description: "pump starts", writable: false },
  ];
  const values = new Map<string, SimValue>([["WELL-101/THP", 1200.5], ["WELL-101/CHOKE_SP", 30], ["WELL-101/RUNNING", true], ["TK-01/STARTS", 3]]);
  return {
    siteId: "SITE1",
    assets: [
      { id: "WELL-101", kind: "well", liftType: "esp", description: "well" },
      { id: "TK-01", kind: "tank", description: "tank" },
    ],
    points,
    values,
    read: (asset, point) => {
      const value = values.get(`${asset}/${point}`);
      if (value === undefined) throw new Error(`unknown point ${asset}/${point}`);
      return value;
    },
    write: (asset, point, value) => {
      const definition = points.find((p) => p.asset === asset && p.point === point);
      if (!definition?.writable) throw new Error(`${asset}/${point} is read-only`);
      if (typeof value !== "number" || value < (definition.min ?? -Infinity) || value > (definition.max ?? Infinity)) throw new Error("out of range");
      values.set(`${asset}/${point}`, value);
    },
    step: () => undefined,
    now: () => T0,
    onEvent: () => () => undefined,
  };
}

function metrics(message: { payload: { metrics: unknown[] } | null }): SparkplugMetric[] {
  assert.ok(message.payload);
  return message.payload.metrics as SparkplugMetric[];
}

describe("simulator: Sparkplug B publisher", () => {
  let broker: TestBroker;
  let observer: Observer;
  let publisher: SparkplugPublisher | null = null;
  let group: string;

  before(async () => {
    broker = await startTestBroker();
  });

  after(async () => {
    await broker.close();
  });

  beforeEach(async () => {
    group = uniqueGroupId();
    observer = await Observer.connect(broker.url, [`spBv1.0/${group}/#`]);
  });

  afterEach(async () => {
    await publisher?.close();
    publisher = null;
    await observer.close();
  });

  it("scans every point with its Sparkplug type (pure)", () => {
    assert.deepEqual(scanModel(fakeModel()).map((c) => [c.deviceId, c.name, c.type, c.value]), [
      ["WELL-101", "THP", "Double", 1200.5],
      ["WELL-101", "CHOKE_SP", "Double", 30],
      ["WELL-101", "RUNNING", "Boolean", true],
      ["TK-01", "STARTS", "Int64", 3],
    ]);
  });

  it("publishes assets as devices and points as metrics, then changes by exception", async () => {
    const model = fakeModel();
    publisher = createSparkplugPublisher({ brokerUrl: broker.url, groupId: group, edgeNodeId: "SIM", model, scanMs: 50 });
    await publisher.start();
    await observer.waitFor((m) => m.type === "NBIRTH");
    const well = await observer.waitFor((m) => m.topic === `spBv1.0/${group}/DBIRTH/SIM/WELL-101`);
    const tank = await observer.waitFor((m) => m.topic === `spBv1.0/${group}/DBIRTH/SIM/TK-01`);
    assert.deepEqual(metrics(well).map((m) => [m.name, m.type, m.value]), [["THP", "Double", 1200.5], ["CHOKE_SP", "Double", 30], ["RUNNING", "Boolean", true]]);
    assert.deepEqual(metrics(tank).map((m) => [m.name, m.type, m.value]), [["STARTS", "Int64", 3]]);
    const from = observer.messages.length;
    model.values.set("WELL-101/THP", 1190);
    const ddata = await observer.waitFor((m) => m.type === "DDATA", 5000, from);
    assert.deepEqual(metrics(ddata).map((m) => [m.alias, m.value]), [[metrics(well)[0].alias, 1190]]);
    assert.equal(observer.messages.slice(from).length, 1, "unchanged points are not republished");
  });

  it("NBIRTH as another decoder reads it: Node Control/Rebirth without alias, bdSeq Int64, an Int64 point in long_value", async () => {
    const model = fakeModel();
    model.values.set("TK-01/STARTS", -9876543210);
    publisher = createSparkplugPublisher({ brokerUrl: broker.url, groupId: group, edgeNodeId: "SIM", model, scanMs: 50 });
    await publisher.start();
    const nbirth = decodeRaw((await observer.waitFor((m) => m.type === "NBIRTH")).raw);
    const rebirth = nbirth.metrics?.find((m) => m.name === "Node Control/Rebirth");
    assert.deepEqual([rebirth?.datatype, rebirth?.booleanValue, rebirth && "alias" in rebirth], [DATATYPE.Boolean, false, false]);
    const bdSeq = nbirth.metrics?.find((m) => m.name === "bdSeq");
    assert.deepEqual([bdSeq?.datatype, bdSeq?.longValue, typeof bdSeq?.alias], [DATATYPE.Int64, "0", "string"]);
    const tank = decodeRaw((await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/SIM/TK-01"))).raw);
    assert.deepEqual([tank.metrics?.[0].datatype, tank.metrics?.[0].longValue], [DATATYPE.Int64, "18446744063833008406"], "two's complement on the wire");
  });

  it("keeps bdSeq across restarts in its state directory", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sim-sparkplug-"));
    try {
      const bdSeqOf = async (from: number) => metrics(await observer.waitFor((m) => m.type === "NBIRTH", 8000, from)).find((m) => m.name === "bdSeq")?.value;
      publisher = createSparkplugPublisher({ brokerUrl: broker.url, groupId: group, edgeNodeId: "SIM", model: fakeModel(), scanMs: 50, stateDir });
      await publisher.start();
      assert.equal(await bdSeqOf(0), 0);
      await publisher.close();
      const from = observer.messages.length;
      publisher = createSparkplugPublisher({ brokerUrl: broker.url, groupId: group, edgeNodeId: "SIM", model: fakeModel(), scanMs: 50, stateDir });
      await publisher.start();
      assert.equal(await bdSeqOf(from), 1);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("a DCMD to a writable point reaches model.write; a read-only point is refused", async () => {
    const model = fakeModel();
    const errors: string[] = [];
    publisher = createSparkplugPublisher({ brokerUrl: broker.url, groupId: group, edgeNodeId: "SIM", model, scanMs: 50, onError: (e) => errors.push(e.message) });
    await publisher.start();
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/SIM/TK-01"));
    await observer.publish(`spBv1.0/${group}/DCMD/SIM/WELL-101`, { timestamp: T0, metrics: [{ name: "CHOKE_SP", type: "Double", value: 55 }] });
    await until(() => model.values.get("WELL-101/CHOKE_SP") === 55, "the setpoint in the model");
    const ddata = await observer.waitFor((m) => m.type === "DDATA");
    assert.deepEqual(metrics(ddata).map((m) => m.value), [55]);
    await observer.publish(`spBv1.0/${group}/DCMD/SIM/WELL-101`, { timestamp: T0, metrics: [{ name: "THP", type: "Double", value: 1 }] });
    await until(() => errors.length > 0, "the refusal");
    assert.match(errors[0], /THP is not writable/);
    assert.equal(model.values.get("WELL-101/THP"), 1200.5);
  });
});
