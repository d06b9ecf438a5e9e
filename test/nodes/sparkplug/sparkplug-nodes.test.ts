import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import brokerNode from "../../../nodes/sparkplug/sparkplug-broker/sparkplug-broker.js";
import edgeNode from "../../../nodes/sparkplug/sparkplug-edge/sparkplug-edge.js";
import hostNode from "../../../nodes/sparkplug/sparkplug-host/sparkplug-host.js";
import type { SparkplugBrokerNode } from "../../../nodes/sparkplug/shared/broker-lookup.js";
import type { SparkplugMetric } from "../../../nodes/sparkplug/shared/sparkplug-codec.js";
import { parseHostState } from "../../../nodes/sparkplug/shared/sparkplug-topic.js";
import type { HistoryRecorder } from "../../../runtime/historian/history-types.js";
import type { TagValue } from "../../../runtime/tags/tag-types.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { DATATYPE, decodeRaw, encodeRaw } from "../../helpers/sparkplug-protobuf.js";
import { Observer, delay, startTestBroker, uniqueGroupId, until } from "./mqtt-test-broker.js";
import type { TestBroker } from "./mqtt-test-broker.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}

const nodes = [brokerNode, edgeNode, hostNode];
const T0 = 1_780_000_000_000;

function metricsOf(message: { payload: { metrics: unknown[] } | null }): SparkplugMetric[] {
  assert.ok(message.payload);
  return message.payload.metrics as SparkplugMetric[];
}

function session(id: string) {
  return (helper.getNode(id) as SparkplugBrokerNode).sparkplugSession;
}

describe("sparkplug nodes (against a real MQTT broker)", function () {
  let broker: TestBroker;
  let tags: TagStore;
  let group: string;
  let observer: Observer;
  let userDir: string;

  before(async () => {
    broker = await startTestBroker();
  });

  after(async () => {
    await broker.close();
  });

  beforeEach(async () => {
    tags = new TagStore();
    group = uniqueGroupId();
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sparkplug-"));
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags }, userDir });
    observer = await Observer.connect(broker.url, [`spBv1.0/${group}/#`]);
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    await observer.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  function edgeFlow(extra: Record<string, unknown> = {}): Record<string, unknown>[] {
    return [
      { id: "tab", type: "tab", label: "Test" },
      { id: "b-edge", type: "sparkplug-broker", url: broker.url, clientId: `edge-${group}`, reconnectPeriod: 1 },
      { id: "edge", type: "sparkplug-edge", z: "tab", broker: "b-edge", groupId: group, edgeNodeId: "EDGE1", nodeAsset: "RTU", bufferSize: 1000, wires: [["out"]], ...extra },
      { id: "out", type: "helper", z: "tab" },
    ];
  }

  function seedTags(): void {
    tags.write("SITE1/WELL-101/THP", { v: 1200, t: T0 });
    tags.write("SITE1/WELL-101/CHOKE_SP", { v: 30, t: T0 });
    tags.write("SITE1/SEP-1/LEVEL", { v: 40, t: T0 });
    tags.write("SITE1/RTU/UPTIME", { v: 1, t: T0 });
  }

  it("births: NBIRTH (seq 0, bdSeq, node metrics) then DBIRTH per device, every metric with an alias", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    const nbirth = await observer.waitFor((m) => m.type === "NBIRTH");
    assert.equal(nbirth.topic, `spBv1.0/${group}/NBIRTH/EDGE1`);
    assert.equal(nbirth.payload?.seq, 0);
    const nodeMetrics = metricsOf(nbirth);
    assert.deepEqual(nodeMetrics.map((m) => [m.name, m.value]), [["bdSeq", 0], ["Node Control/Rebirth", false], ["UPTIME", 1]]);
    const well = await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/WELL-101"));
    const sep = await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
    assert.deepEqual([well.payload?.seq, sep.payload?.seq].sort(), [1, 2]);
    assert.deepEqual(metricsOf(well).map((m) => [m.name, m.type, m.value]), [["THP", "Double", 1200], ["CHOKE_SP", "Double", 30]]);
    const aliases = [...nodeMetrics, ...metricsOf(well), ...metricsOf(sep)].filter((m) => m.name !== "Node Control/Rebirth").map((m) => m.alias);
    assert.ok(aliases.every((a) => typeof a === "number"));
    assert.equal(new Set(aliases).size, aliases.length, "aliases are unique per edge node");
    // Read by another decoder: Node Control/Rebirth has no alias on the wire (Sparkplug 3.0), so any host can ask by name.
    const rebirth = decodeRaw(nbirth.raw).metrics?.find((m) => m.name === "Node Control/Rebirth");
    assert.deepEqual([rebirth?.datatype, rebirth?.booleanValue, rebirth && "alias" in rebirth], [DATATYPE.Boolean, false, false]);
  });

  it("keeps bdSeq across restarts: the next NBIRTH and its Will carry the previous bdSeq + 1", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    const first = await observer.waitFor((m) => m.type === "NBIRTH");
    assert.equal(metricsOf(first).find((m) => m.name === "bdSeq")?.value, 0);
    await helper.unload();
    const closed = await observer.waitFor((m) => m.type === "NDEATH");
    assert.deepEqual(metricsOf(closed).map((m) => [m.name, m.value]), [["bdSeq", 0]]);
    const from = observer.messages.length;
    await helper.load(nodes, edgeFlow());
    const second = await observer.waitFor((m) => m.type === "NBIRTH", 8000, from);
    assert.equal(metricsOf(second).find((m) => m.name === "bdSeq")?.value, 1, "the restarted edge node goes on from the saved bdSeq");
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"), 8000, from);
    await broker.interrupt(`edge-${group}`, session("b-edge"));
    const will = await observer.waitFor((m) => m.type === "NDEATH", 8000, from);
    assert.deepEqual(metricsOf(will).map((m) => [m.name, m.value]), [["bdSeq", 1]], "the Will carries the NBIRTH's bdSeq");
    await broker.resume();
  });

  it("NDATA/DDATA by exception: only changed values, by alias, seq continuing", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    const dbirth = await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/WELL-101"));
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
    const thpAlias = metricsOf(dbirth).find((m) => m.name === "THP")?.alias;
    const from = observer.messages.length;
    tags.write("SITE1/WELL-101/THP", { v: 1200, t: T0 + 1 }); // unchanged: no message
    tags.write("SITE1/WELL-101/THP", { v: 1250, t: T0 + 2 });
    tags.write("SITE1/RTU/UPTIME", { v: 2, t: T0 + 2 });
    const ddata = await observer.waitFor((m) => m.type === "DDATA", 5000, from);
    const ndata = await observer.waitFor((m) => m.type === "NDATA", 5000, from);
    assert.deepEqual(metricsOf(ddata).map((m) => [m.alias, m.value, m.timestamp, m.name]), [[thpAlias, 1250, T0 + 2, undefined]]);
    assert.deepEqual(metricsOf(ndata).map((m) => m.value), [2]);
    assert.deepEqual([ddata.payload?.seq, ndata.payload?.seq], [3, 4]);
    await delay(100);
    assert.equal(observer.messages.slice(from).length, 2, "nothing else was published");
  });

  it("seq runs 0–255 across all messages and wraps to 0", async function () {
    seedTags();
    await helper.load(nodes, edgeFlow());
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
    for (let i = 1; i <= 300; i++) {
      tags.write("SITE1/WELL-101/THP", { v: 1200 + i, t: T0 + i });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await observer.waitFor((m) => m.type === "DDATA" && metricsOf(m)[0].value === 1500, 15000);
    const seqs = observer.messages.filter((m) => m.type !== "NDEATH").map((m) => m.payload?.seq ?? -1);
    assert.equal(seqs.length, 303);
    seqs.forEach((seq, index) => assert.equal(seq, index % 256, `message ${index}`));
    assert.ok(seqs.includes(255) && seqs.lastIndexOf(0) > 255, "wrapped 255 → 0");
  });

  it("NCMD Node Control/Rebirth → NBIRTH (same bdSeq, seq 0) and all DBIRTHs again", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
    const from = observer.messages.length;
    await observer.publish(`spBv1.0/${group}/NCMD/EDGE1`, { timestamp: Date.now(), metrics: [{ name: "Node Control/Rebirth", type: "Boolean", value: true }] });
    const nbirth = await observer.waitFor((m) => m.type === "NBIRTH", 5000, from);
    assert.equal(nbirth.payload?.seq, 0);
    assert.equal(metricsOf(nbirth)[0].value, 0);
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/WELL-101"), 5000, from);
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"), 5000, from);
  });

  it("connection loss: NDEATH delivered as the Will, NBIRTH with bdSeq + 1, buffered values as is_historical in order", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
    const edgeSession = session("b-edge");
    const from = observer.messages.length;
    await broker.interrupt(`edge-${group}`, edgeSession);
    const death = await observer.waitFor((m) => m.type === "NDEATH", 8000, from);
    assert.deepEqual(metricsOf(death).map((m) => [m.name, m.value]), [["bdSeq", 0]]);
    await until(() => !edgeSession.connected, "the edge to notice the lost connection");
    for (const v of [1301, 1302, 1303]) tags.write("SITE1/WELL-101/THP", { v, t: T0 + v });
    tags.write("SITE1/SEP-1/LEVEL", { v: 41, t: T0 + 1304 });
    await broker.resume();
    const nbirth = await observer.waitFor((m) => m.type === "NBIRTH", 15000, from);
    assert.equal(metricsOf(nbirth).find((m) => m.name === "bdSeq")?.value, 1);
    const afterBirth = observer.messages.indexOf(nbirth);
    await observer.waitFor((m) => m.topic.endsWith("/DDATA/EDGE1/SEP-1"), 5000, afterBirth);
    const historical = observer.messages.slice(afterBirth).filter((m) => m.type === "DDATA").flatMap((m) => metricsOf(m));
    assert.deepEqual(historical.map((m) => [m.value, m.timestamp, m.isHistorical]), [
      [1301, T0 + 1301, true],
      [1302, T0 + 1302, true],
      [1303, T0 + 1303, true],
      [41, T0 + 1304, true],
    ]);
    const dbirth = observer.messages.slice(afterBirth).find((m) => m.topic.endsWith("/DBIRTH/EDGE1/WELL-101"));
    assert.equal(metricsOf(dbirth ?? { payload: null }).find((m) => m.name === "THP")?.value, 1303, "the birth carries the current value");
  });

  it("primary host STATE offline → buffering; online again → rebirth then the buffer as is_historical", async () => {
    const hostId = `HOST-${group}`;
    const stateTopic = `spBv1.0/STATE/${hostId}`;
    const stateClient = await Observer.connect(broker.url, [stateTopic]);
    try {
      await stateClient.client.publishAsync(stateTopic, JSON.stringify({ online: true, timestamp: Date.now() }), { qos: 1, retain: true });
      seedTags();
      await helper.load(nodes, edgeFlow({ primaryHostId: hostId }));
      await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
      await stateClient.client.publishAsync(stateTopic, JSON.stringify({ online: false, timestamp: Date.now() + 1 }), { qos: 1, retain: true });
      await delay(200);
      const from = observer.messages.length;
      tags.write("SITE1/WELL-101/THP", { v: 900, t: T0 + 900 });
      tags.write("SITE1/WELL-101/THP", { v: 901, t: T0 + 901 });
      await delay(300);
      assert.equal(observer.messages.length, from, "nothing is published while the primary host is offline");
      await stateClient.client.publishAsync(stateTopic, JSON.stringify({ online: true, timestamp: Date.now() + 2 }), { qos: 1, retain: true });
      const nbirth = await observer.waitFor((m) => m.type === "NBIRTH", 5000, from);
      const ddata = await observer.waitFor((m) => m.type === "DDATA", 5000, from);
      assert.ok(observer.messages.indexOf(ddata) > observer.messages.indexOf(nbirth));
      assert.deepEqual(metricsOf(ddata).map((m) => [m.value, m.isHistorical]), [[900, true], [901, true]]);
    } finally {
      await stateClient.client.publishAsync(stateTopic, "", { qos: 1, retain: true });
      await stateClient.close();
    }
  });

  it("DCMD write (by alias) reaches the tag store and the output", async () => {
    seedTags();
    await helper.load(nodes, edgeFlow());
    const dbirth = await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/WELL-101"));
    const alias = metricsOf(dbirth).find((m) => m.name === "CHOKE_SP")?.alias;
    const output = new Promise<Record<string, unknown>>((resolve) => (helper.getNode("out") as TestNode).on("input", resolve));
    await observer.publish(`spBv1.0/${group}/DCMD/EDGE1/WELL-101`, { timestamp: Date.now(), metrics: [{ alias, type: "Double", value: 45 }] });
    const msg = await output;
    assert.equal(msg.topic, "SITE1/WELL-101/CHOKE_SP");
    assert.equal(msg.payload, 45);
    assert.equal(tags.read("SITE1/WELL-101/CHOKE_SP")?.v, 45);
    const ddata = await observer.waitFor((m) => m.type === "DDATA");
    assert.deepEqual(metricsOf(ddata).map((m) => [m.alias, m.value]), [[alias, 45]], "the new value is reported back");
  });

  describe("sparkplug-host", () => {
    function hostFlow(primaryHostId?: string): Record<string, unknown>[] {
      return [
        { id: "tab", type: "tab", label: "Test" },
        { id: "b-host", type: "sparkplug-broker", url: broker.url, clientId: `host-${group}`, reconnectPeriod: 1 },
        { id: "host", type: "sparkplug-host", z: "tab", broker: "b-host", groupId: group, primaryHostId: primaryHostId ?? "", wires: [["out"]] },
        { id: "out", type: "helper", z: "tab" },
      ];
    }

    async function hostReady(): Promise<void> {
      await until(() => session("b-host").connected, "the host to connect");
      await delay(150); // its SUBSCRIBE is acknowledged
    }

    async function birth(): Promise<void> {
      await observer.publish(`spBv1.0/${group}/NBIRTH/EDGE9`, {
        timestamp: T0,
        seq: 0,
        metrics: [
          { name: "bdSeq", alias: 0, type: "Int64", value: 4 },
          { name: "Node Control/Rebirth", alias: 1, type: "Boolean", value: false },
          { name: "Power/Battery V", alias: 2, type: "Float", value: 12.5, timestamp: T0 },
        ],
      });
      await observer.publish(`spBv1.0/${group}/DBIRTH/EDGE9/WELL-7`, { timestamp: T0, seq: 1, metrics: [{ name: "THP", alias: 10, type: "Double", value: 800, timestamp: T0 }] });
    }

    it("maps births and data to tags, publishes its STATE (retained JSON) and marks tags bad on NDEATH", async () => {
      const hostId = `HOST-${group}`;
      await helper.load(nodes, hostFlow(hostId));
      await hostReady();
      const stateObserver = await Observer.connect(broker.url, [`spBv1.0/STATE/${hostId}`]);
      try {
        const state = await stateObserver.waitFor(() => true);
        assert.equal(state.retain, true, "STATE is retained");
        assert.equal(parseHostState(state.raw)?.online, true);
        await birth();
        await until(() => tags.read("SITE1/WELL-7/THP")?.v === 800, "the DBIRTH value in the tag store");
        assert.equal(tags.read("SITE1/EDGE9/Power_Battery_V")?.v, 12.5);
        await observer.publish(`spBv1.0/${group}/DDATA/EDGE9/WELL-7`, { timestamp: T0 + 5, seq: 2, metrics: [{ alias: 10, type: "Double", value: 810, timestamp: T0 + 5 }] });
        await until(() => tags.read("SITE1/WELL-7/THP")?.v === 810, "the DDATA value (by alias) in the tag store");
        await observer.publish(`spBv1.0/${group}/NDEATH/EDGE9`, { timestamp: T0 + 6, metrics: [{ name: "bdSeq", type: "Int64", value: 4 }] });
        await until(() => tags.read("SITE1/WELL-7/THP")?.q === "bad", "bad quality after NDEATH");
        assert.match(tags.read("SITE1/WELL-7/THP")?.reason ?? "", /NDEATH/);
        assert.equal(tags.read("SITE1/EDGE9/Power_Battery_V")?.q, "bad");
        assert.equal(observer.messages.filter((m) => m.type === "NCMD").length, 0, "no rebirth was needed");
      } finally {
        await stateObserver.client.publishAsync(`spBv1.0/STATE/${hostId}`, "", { qos: 1, retain: true });
        await stateObserver.close();
      }
    });

    it("the offline STATE of a clean disconnect carries the disconnect time; the Will keeps the CONNECT time", async () => {
      const hostId = `HOST-${group}`;
      const stateObserver = await Observer.connect(broker.url, [`spBv1.0/STATE/${hostId}`]);
      try {
        await helper.load(nodes, hostFlow(hostId));
        await hostReady();
        const online = parseHostState((await stateObserver.waitFor((m) => parseHostState(m.raw)?.online === true)).raw);
        assert.ok(online);
        await delay(50);
        const closing = Date.now();
        await helper.unload();
        const offline = parseHostState((await stateObserver.waitFor((m) => parseHostState(m.raw)?.online === false)).raw);
        assert.ok(offline);
        assert.ok(offline.timestamp >= closing && offline.timestamp <= Date.now(), `offline at ${offline.timestamp}, closing at ${closing}`);
        assert.ok(offline.timestamp > online.timestamp, "newer than the online STATE, so edge nodes do not ignore it");
      } finally {
        await stateObserver.client.publishAsync(`spBv1.0/STATE/${hostId}`, "", { qos: 1, retain: true });
        await stateObserver.close();
      }
    });

    it("the Will is the offline STATE with the CONNECT time, the same as that session's online STATE", async () => {
      const hostId = `HOST-${group}`;
      const stateObserver = await Observer.connect(broker.url, [`spBv1.0/STATE/${hostId}`]);
      try {
        await helper.load(nodes, hostFlow(hostId));
        await hostReady();
        const online = parseHostState((await stateObserver.waitFor((m) => parseHostState(m.raw)?.online === true)).raw);
        assert.ok(online);
        // A broken link, not a DISCONNECT: the broker publishes the Will.
        session("b-host").dropConnection();
        const will = await stateObserver.waitFor((m) => parseHostState(m.raw)?.online === false);
        assert.deepEqual(parseHostState(will.raw), { online: false, timestamp: online.timestamp });
        const back = await stateObserver.waitFor((m) => stateObserver.messages.indexOf(m) > stateObserver.messages.indexOf(will) && parseHostState(m.raw)?.online === true, 15_000);
        assert.ok((parseHostState(back.raw)?.timestamp ?? 0) > online.timestamp, "the next session has a newer timestamp");
      } finally {
        await stateObserver.client.publishAsync(`spBv1.0/STATE/${hostId}`, "", { qos: 1, retain: true });
        await stateObserver.close();
      }
    });

    it("reads another vendor's encoding: signed two's complement, UInt32 in int_value, DATA without datatype; an undecodable value goes bad with the reason", async () => {
      await helper.load(nodes, hostFlow());
      await hostReady();
      const publishRaw = (topic: string, bytes: Buffer) => observer.client.publishAsync(topic, bytes, { qos: 0 });
      await publishRaw(
        `spBv1.0/${group}/NBIRTH/EDGE9`,
        encodeRaw({
          timestamp: T0,
          seq: 0,
          metrics: [
            { name: "bdSeq", alias: 0, datatype: DATATYPE.Int64, longValue: 2, timestamp: T0 },
            { name: "Node Control/Rebirth", datatype: DATATYPE.Boolean, booleanValue: false, timestamp: T0 },
            { name: "Counter", alias: 1, datatype: DATATYPE.Int64, longValue: "-9876543210", timestamp: T0 },
            { name: "Flags", alias: 2, datatype: DATATYPE.UInt32, intValue: 4000000000, timestamp: T0 },
            { name: "Offset", alias: 3, datatype: DATATYPE.Int8, intValue: 0xfffffffb, timestamp: T0 },
            { name: "Level", alias: 4, datatype: DATATYPE.Int16, intValue: 12, timestamp: T0 },
          ],
        }),
      );
      await until(() => tags.read("SITE1/EDGE9/Level")?.v === 12, "the NBIRTH values");
      assert.deepEqual(tags.read("SITE1/EDGE9/Counter"), { v: -9876543210, q: "good", t: T0 });
      assert.deepEqual(tags.read("SITE1/EDGE9/Flags"), { v: 4000000000, q: "good", t: T0 });
      assert.deepEqual(tags.read("SITE1/EDGE9/Offset"), { v: -5, q: "good", t: T0 });
      await publishRaw(
        `spBv1.0/${group}/NDATA/EDGE9`,
        encodeRaw({ timestamp: T0 + 1, seq: 1, metrics: [{ alias: 1, longValue: "-1", timestamp: T0 + 1 }, { alias: 4, intValue: 0x12345, timestamp: T0 + 1 }] }),
      );
      await until(() => tags.read("SITE1/EDGE9/Level")?.q === "bad", "the undecodable Int16 marked bad");
      assert.equal(tags.read("SITE1/EDGE9/Counter")?.v, -1);
      const level = tags.read("SITE1/EDGE9/Level");
      assert.equal(level?.v, 12, "the last good value is kept");
      assert.match(level?.reason ?? "", /Level.*Int16 cannot hold 74565/);
      assert.equal(observer.messages.filter((m) => m.type === "NCMD").length, 0, "no rebirth was needed");
    });

    it("asks for a rebirth on a seq gap", async () => {
      await helper.load(nodes, hostFlow());
      await hostReady();
      await birth();
      await until(() => tags.read("SITE1/WELL-7/THP")?.v === 800, "the births");
      await observer.publish(`spBv1.0/${group}/DDATA/EDGE9/WELL-7`, { timestamp: T0, seq: 5, metrics: [{ alias: 10, type: "Double", value: 820 }] });
      const ncmd = await observer.waitFor((m) => m.type === "NCMD");
      assert.equal(ncmd.topic, `spBv1.0/${group}/NCMD/EDGE9`);
      assert.deepEqual(metricsOf(ncmd).map((m) => [m.name, m.value]), [["Node Control/Rebirth", true]]);
    });

    it("asks for a rebirth on an unknown alias", async () => {
      await helper.load(nodes, hostFlow());
      await hostReady();
      await birth();
      await until(() => tags.read("SITE1/WELL-7/THP")?.v === 800, "the births");
      await observer.publish(`spBv1.0/${group}/DDATA/EDGE9/WELL-7`, { timestamp: T0, seq: 2, metrics: [{ alias: 99, type: "Double", value: 1 }] });
      const ncmd = await observer.waitFor((m) => m.type === "NCMD");
      assert.deepEqual(metricsOf(ncmd).map((m) => [m.name, m.value]), [["Node Control/Rebirth", true]]);
    });

    it("an input message becomes a DCMD typed as the birth said; a bad one goes to done(err)", async () => {
      const flow = [...hostFlow(), { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] }, { id: "caught", type: "helper", z: "tab" }];
      await helper.load(nodes, flow);
      await hostReady();
      await birth();
      await until(() => tags.read("SITE1/WELL-7/THP")?.v === 800, "the births");
      (helper.getNode("host") as TestNode).receive({ payload: { groupId: group, edgeNodeId: "EDGE9", deviceId: "WELL-7", metrics: { THP: 805 } } });
      const dcmd = await observer.waitFor((m) => m.type === "DCMD");
      assert.equal(dcmd.topic, `spBv1.0/${group}/DCMD/EDGE9/WELL-7`);
      assert.deepEqual(metricsOf(dcmd).map((m) => [m.name, m.type, m.value]), [["THP", "Double", 805]]);
      const caught = new Promise<Record<string, unknown>>((resolve) => (helper.getNode("caught") as TestNode).on("input", resolve));
      (helper.getNode("host") as TestNode).receive({ payload: { groupId: group, edgeNodeId: "EDGE9", metrics: { NOPE: 1 } } });
      assert.match(((await caught).error as { message: string }).message, /not in the birth/);
    });

    describe("file tags under the publishing group id (the cloud)", () => {
      /** Group ids that are valid site ids and unique on the shared broker. */
      const siteIds = () => ({ a: `${group.toUpperCase()}-A`, b: `${group.toUpperCase()}-B` });

      function cloudHost(tagSite: "own" | "group", groupId = ""): Record<string, unknown>[] {
        return [
          { id: "tab", type: "tab", label: "Test" },
          { id: "b-host", type: "sparkplug-broker", url: broker.url, clientId: `host-${group}`, reconnectPeriod: 1 },
          { id: "host", type: "sparkplug-host", z: "tab", broker: "b-host", groupId, primaryHostId: "", version: 2, tagSite, wires: [["out"]] },
          { id: "out", type: "helper", z: "tab" },
        ];
      }

      async function siteBirth(site: string, edge: string, value: number): Promise<void> {
        await observer.publish(`spBv1.0/${site}/NBIRTH/${edge}`, { timestamp: T0, seq: 0, metrics: [{ name: "bdSeq", alias: 0, type: "Int64", value: 1 }] });
        await observer.publish(`spBv1.0/${site}/DBIRTH/${edge}/WELL-7`, { timestamp: T0, seq: 1, metrics: [{ name: "THP", alias: 10, type: "Double", value, timestamp: T0 }] });
      }

      it("metrics of two groups land under each group's site id", async () => {
        const { a, b } = siteIds();
        await helper.load(nodes, cloudHost("group"));
        await hostReady();
        await siteBirth(a, "EDGE1", 701);
        await siteBirth(b, "EDGE2", 702);
        await until(() => tags.read(`${a}/WELL-7/THP`)?.v === 701 && tags.read(`${b}/WELL-7/THP`)?.v === 702, "both sites' tags");
        await observer.publish(`spBv1.0/${a}/DDATA/EDGE1/WELL-7`, { timestamp: T0 + 5, seq: 2, metrics: [{ alias: 10, type: "Double", value: 711, timestamp: T0 + 5 }] });
        await until(() => tags.read(`${a}/WELL-7/THP`)?.v === 711, "site A's DDATA under site A");
        assert.equal(tags.read(`${b}/WELL-7/THP`)?.v, 702, "site B's tag is its own");
        assert.equal(tags.read("SITE1/WELL-7/THP"), undefined, "nothing under the host's own site");
      });

      it("default (own): metrics stay under the host's own site", async () => {
        const { a } = siteIds();
        await helper.load(nodes, cloudHost("own", a));
        await hostReady();
        await siteBirth(a, "EDGE1", 703);
        await until(() => tags.read("SITE1/WELL-7/THP")?.v === 703, "the tag under SITE1");
        assert.equal(tags.read(`${a}/WELL-7/THP`), undefined);
      });

      it("a group id that is not a valid site id is refused: status, no tags", async () => {
        const bad = `x${group}`;
        await helper.load(nodes, cloudHost("group", bad));
        await hostReady();
        await siteBirth(bad, "EDGE1", 704);
        const texts = () =>
          (helper.getNode("host") as { status: { getCalls(): { thisValue: { id: string }; args: [{ text?: string }] }[] } }).status
            .getCalls()
            .filter((call) => call.thisValue.id === "host")
            .map((call) => call.args[0].text ?? "");
        await until(() => texts().some((text) => text.includes(`group id "${bad}" is not a valid site id`)), "the refusal in the status");
        await delay(100);
        assert.deepEqual(tags.match("#").filter(({ path: tagPath }) => tagPath.includes("WELL-7")), [], "no tag written, not even under a sanitised id");
      });

      it("a historical metric goes to the historian under the group's site, at its own timestamp", async () => {
        const { a } = siteIds();
        const recorded: { path: string; value: TagValue }[] = [];
        const history: HistoryRecorder = { record: async (values) => void recorded.push(...values) };
        helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags, history }, userDir });
        await helper.load(nodes, cloudHost("group", a));
        await hostReady();
        await siteBirth(a, "EDGE1", 705);
        await until(() => tags.read(`${a}/WELL-7/THP`)?.v === 705, "the birth value live");
        await observer.publish(`spBv1.0/${a}/DDATA/EDGE1/WELL-7`, { timestamp: T0 + 9, seq: 2, metrics: [{ alias: 10, type: "Double", value: 690, timestamp: T0 - 60_000, isHistorical: true }] });
        await until(() => recorded.length === 1, "the historical value recorded");
        assert.deepEqual(recorded, [{ path: `${a}/WELL-7/THP`, value: { v: 690, q: "good", t: T0 - 60_000 } }]);
        assert.equal(tags.read(`${a}/WELL-7/THP`)?.v, 705, "the live value stays");
      });
    });
  });

  it("without a broker config node it reports the error and the flows still start", async () => {
    await helper.load(nodes, [
      { id: "tab", type: "tab", label: "Test" },
      { id: "edge", type: "sparkplug-edge", z: "tab", groupId: group, edgeNodeId: "E", wires: [] },
    ]);
    const edge = helper.getNode("edge");
    assert.ok(edge, "the node exists and reported its error instead of throwing");
  });
});
