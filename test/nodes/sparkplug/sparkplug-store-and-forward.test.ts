import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import brokerNode from "../../../nodes/sparkplug/sparkplug-broker/sparkplug-broker.js";
import edgeNode from "../../../nodes/sparkplug/sparkplug-edge/sparkplug-edge.js";
import hostNode from "../../../nodes/sparkplug/sparkplug-host/sparkplug-host.js";
import type { SparkplugBrokerNode } from "../../../nodes/sparkplug/shared/broker-lookup.js";
import type { HistoryRecorder } from "../../../runtime/historian/history-types.js";
import type { TagValue } from "../../../runtime/tags/tag-types.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { TagRegistry } from "../../../runtime/tags/tag-registry.js";
import { AuditService } from "../../../runtime/audit/audit-service.js";
import { migrate } from "../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../runtime/db/migration-sources.js";
import { openHistorian, type HistorianServices } from "../../../runtime/historian/open-historian.js";
import { createLogger } from "../../../runtime/observability/logger.js";
import { loadSettings } from "../../../settings.js";
import { databaseTargets, type TestDatabase } from "../../helpers/databases.js";
import { startFaultProxy, type FaultProxy } from "../../helpers/fault-proxy.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { DATATYPE, decodeRaw, encodeRaw } from "../../helpers/sparkplug-protobuf.js";
import { Observer, delay, startAedesBroker, uniqueGroupId, until } from "./mqtt-test-broker.js";
import type { TestBroker } from "./mqtt-test-broker.js";

helper.init(require.resolve("node-red"));

const nodes = [brokerNode, edgeNode, hostNode];
const T0 = 1_780_000_000_000;

/** A recorder that keeps what it is handed, as the historian's record() would store it. */
class RecordingHistory implements HistoryRecorder {
  readonly recorded: { path: string; value: TagValue }[] = [];
  async record(values: readonly { path: string; value: TagValue }[]): Promise<void> {
    this.recorded.push(...values);
  }
}

interface StatusSpy {
  getCalls(): { thisValue: { id: string }; args: [{ text?: string }] }[];
}

function statusTexts(id: string): string[] {
  // node-red-node-test-helper wraps every node's status() in a sinon spy shared by all nodes.
  const spy = (helper.getNode(id) as { status: StatusSpy }).status;
  return spy
    .getCalls()
    .filter((call) => call.thisValue.id === id)
    .map((call) => call.args[0].text ?? "");
}

const targets: { name: string; start(): Promise<TestBroker | null> }[] = [
  { name: "the in-process aedes broker", start: startAedesBroker },
  {
    name: "Mosquitto (TEST_MQTT_URL)",
    start: async () => {
      const url = process.env.TEST_MQTT_URL;
      if (!url) return null;
      return { kind: "mosquitto", url, interrupt: async () => undefined, resume: async () => undefined, close: async () => undefined };
    },
  },
];

for (const target of targets) {
  describe(`sparkplug store-and-forward across restarts (${target.name})`, function () {
    let broker: TestBroker | null;
    let proxy: FaultProxy;
    let tags: TagStore;
    let history: RecordingHistory;
    let group: string;
    let observer: Observer;
    let dataDir: string;

    before(async function () {
      broker = await target.start();
      if (!broker) skipWithReason(this, "TEST_MQTT_URL is not set");
      const url = new URL(broker.url);
      proxy = await startFaultProxy(url.hostname, Number(url.port || 1883));
    });

    after(async () => {
      await proxy?.close();
      await broker?.close();
    });

    beforeEach(async () => {
      assert.ok(broker);
      tags = new TagStore();
      history = new RecordingHistory();
      group = uniqueGroupId();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sparkplug-sf-"));
      helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags, history, dataDir }, userDir: path.join(dataDir, "node-red") });
      observer = await Observer.connect(broker.url, [`spBv1.0/${group}/#`]);
      proxy.setMode("pass");
    });

    afterEach(async () => {
      await helper.unload();
      helper.settings({});
      await observer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    function edgeFlow(): Record<string, unknown>[] {
      return [
        { id: "tab", type: "tab", label: "Test" },
        // Through the fault proxy: "reset" is a broker that went away, for as long as the test wants.
        { id: "b-edge", type: "sparkplug-broker", url: `mqtt://127.0.0.1:${proxy.port}`, clientId: `edge-${group}`, reconnectPeriod: 1 },
        { id: "edge", type: "sparkplug-edge", z: "tab", broker: "b-edge", groupId: group, edgeNodeId: "EDGE1", bufferSize: 1000 },
      ];
    }

    it("edge: values buffered while the broker is away survive a redeploy and are replayed once, in order, historical, with their timestamps", async () => {
      tags.write("SITE1/WELL-101/THP", { v: 1200, t: T0 });
      tags.write("SITE1/SEP-1/LEVEL", { v: 40, t: T0 });
      await helper.load(nodes, edgeFlow());
      await observer.waitFor((m) => m.topic.endsWith("/DBIRTH/EDGE1/SEP-1"));
      proxy.setMode("reset");
      const edgeSession = (helper.getNode("b-edge") as SparkplugBrokerNode).sparkplugSession;
      await until(() => !edgeSession.connected, "the edge to notice the broker is gone");
      for (const v of [1301, 1302, 1303]) tags.write("SITE1/WELL-101/THP", { v, t: T0 + v });
      tags.write("SITE1/SEP-1/LEVEL", { v: 41, t: T0 + 1304 });
      await until(() => statusTexts("edge").some((text) => text.includes("buffered 4")), "four values buffered");

      // The flows are stopped and started again (a redeploy; a restart does the same): the broker is still away.
      await helper.unload();
      await helper.load(nodes, edgeFlow());
      await until(() => statusTexts("edge").some((text) => text.includes("buffered 4")), "the four values found in the spool");
      // Changes of this life while the broker is still away follow the older ones.
      tags.write("SITE1/WELL-101/THP", { v: 1305, t: T0 + 1305 });
      await until(() => statusTexts("edge").some((text) => text.includes("buffered 5")), "a fifth value buffered");

      const from = observer.messages.length;
      proxy.setMode("pass");
      const nbirth = await observer.waitFor((m) => m.type === "NBIRTH", 15000, from);
      const afterBirth = observer.messages.indexOf(nbirth);
      await observer.waitFor((m) => m.type === "DDATA" && (decodeRaw(m.raw).metrics ?? []).some((metric) => metric.doubleValue === 1305), 8000, afterBirth);
      await delay(300); // anything replayed twice would arrive now
      const replayed = observer.messages
        .slice(from)
        .filter((m) => m.type === "DDATA")
        .flatMap((m) => (decodeRaw(m.raw).metrics ?? []).map((metric) => ({ device: m.topic.split("/").at(-1), ...metric })));
      assert.deepEqual(
        replayed.map((m) => [m.device, m.doubleValue, m.timestamp, m.isHistorical, m.datatype]),
        [
          ["WELL-101", 1301, String(T0 + 1301), true, DATATYPE.Double],
          ["WELL-101", 1302, String(T0 + 1302), true, DATATYPE.Double],
          ["WELL-101", 1303, String(T0 + 1303), true, DATATYPE.Double],
          ["SEP-1", 41, String(T0 + 1304), true, DATATYPE.Double],
          ["WELL-101", 1305, String(T0 + 1305), true, DATATYPE.Double],
        ],
      );
      const births = observer.messages.slice(from).filter((m) => m.type.endsWith("BIRTH"));
      assert.ok(observer.messages.indexOf(births.at(-1) ?? nbirth) < observer.messages.findIndex((m, i) => i >= from && m.type === "DDATA"), "the births come first");
      await until(() => statusTexts("edge").at(-1)?.startsWith("online") === true && !statusTexts("edge").at(-1)?.includes("buffered"), "the buffer empty");

      // Replayed values leave the spool: another redeploy replays nothing.
      await helper.unload();
      const again = observer.messages.length;
      await helper.load(nodes, edgeFlow());
      await observer.waitFor((m) => m.type === "DBIRTH", 8000, again);
      await delay(300);
      assert.equal(observer.messages.slice(again).filter((m) => m.type === "DDATA").length, 0);
    });

    it("host: historical metrics go to the historian's recorder at their own timestamps and never overwrite the live value", async () => {
      assert.ok(broker);
      await helper.load(nodes, [
        { id: "tab", type: "tab", label: "Test" },
        { id: "b-host", type: "sparkplug-broker", url: broker.url, clientId: `host-${group}`, reconnectPeriod: 1 },
        { id: "host", type: "sparkplug-host", z: "tab", broker: "b-host", groupId: group },
      ]);
      await until(() => (helper.getNode("b-host") as SparkplugBrokerNode).sparkplugSession.connected, "the host to connect");
      await delay(150); // its SUBSCRIBE is acknowledged
      const publish = (topic: string, payload: Parameters<typeof encodeRaw>[0]) => observer.client.publishAsync(`spBv1.0/${group}/${topic}`, encodeRaw(payload), { qos: 0 });
      // Written by the specification's schema, as another vendor's edge node would.
      await publish("NBIRTH/EDGE9", { timestamp: T0 + 100, seq: 0, metrics: [{ name: "bdSeq", alias: 0, datatype: DATATYPE.Int64, longValue: 3 }] });
      await publish("DBIRTH/EDGE9/WELL-7", { timestamp: T0 + 100, seq: 1, metrics: [{ name: "THP", alias: 10, datatype: DATATYPE.Double, doubleValue: 900, timestamp: T0 + 100 }] });
      await until(() => tags.read("SITE1/WELL-7/THP")?.v === 900, "the birth value live");
      await publish("DDATA/EDGE9/WELL-7", {
        timestamp: T0 + 101,
        seq: 2,
        metrics: [
          { alias: 10, datatype: DATATYPE.Double, doubleValue: 801, timestamp: T0 + 1, isHistorical: true },
          { alias: 10, datatype: DATATYPE.Double, doubleValue: 802, timestamp: T0 + 2, isHistorical: true },
          // Newer than the live value, but still history: the live value is what the edge's birth said.
          { alias: 10, datatype: DATATYPE.Double, doubleValue: 950, timestamp: T0 + 200, isHistorical: true },
        ],
      });
      await until(() => history.recorded.length === 3, "three historical values recorded");
      assert.deepEqual(history.recorded, [
        { path: "SITE1/WELL-7/THP", value: { v: 801, q: "good", t: T0 + 1 } },
        { path: "SITE1/WELL-7/THP", value: { v: 802, q: "good", t: T0 + 2 } },
        { path: "SITE1/WELL-7/THP", value: { v: 950, q: "good", t: T0 + 200 } },
      ]);
      assert.equal(tags.read("SITE1/WELL-7/THP")?.v, 900);
      assert.equal(tags.read("SITE1/WELL-7/THP")?.t, T0 + 100);
      // A live value still goes live.
      await publish("DDATA/EDGE9/WELL-7", { timestamp: T0 + 300, seq: 3, metrics: [{ alias: 10, datatype: DATATYPE.Double, doubleValue: 960, timestamp: T0 + 300 }] });
      await until(() => tags.read("SITE1/WELL-7/THP")?.v === 960, "the live value");
      assert.equal(history.recorded.length, 3);
    });
  });
}

describe("sparkplug host → the real historian (PGlite, in-process broker)", function () {
  this.timeout(120_000);
  let broker: TestBroker;
  let database: TestDatabase;
  let dataDir: string;
  let historian: HistorianServices;
  let observer: Observer;
  let tags: TagStore;
  const group = uniqueGroupId();

  before(async () => {
    broker = await startAedesBroker();
    database = await databaseTargets[0].create();
    await migrate(database.db, ALL_MIGRATIONS);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sparkplug-hist-"));
    const registry = new TagRegistry(database.db, new AuditService(database.db, "SITE1"), "SITE1");
    await registry.load();
    await registry.create({ path: "SITE1/WELL-7/THP", dataType: "float", historyEnabled: true }, "test");
    tags = new TagStore({ deadbandOf: (tagPath) => registry.deadbandOf(tagPath) });
    historian = await openHistorian({ db: database.db, settings: loadSettings({}, { dataDir, historyFlushMs: 20 }), tags, policies: registry, logger: createLogger("silent") });
    helper.settings({ petroflow: { siteId: "SITE1", flows: { latest: async () => null }, tags, history: historian.historian, dataDir }, userDir: path.join(dataDir, "node-red") });
    observer = await Observer.connect(broker.url, [`spBv1.0/${group}/#`]);
  });

  after(async () => {
    await helper.unload();
    helper.settings({});
    await observer?.close();
    await historian?.close();
    await database?.drop();
    await broker?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("historical metrics are stored at their own timestamps, once, and the live value stays", async () => {
    await helper.load(nodes, [
      { id: "tab", type: "tab", label: "Test" },
      { id: "b-host", type: "sparkplug-broker", url: broker.url, clientId: `host-${group}`, reconnectPeriod: 1 },
      { id: "host", type: "sparkplug-host", z: "tab", broker: "b-host", groupId: group },
    ]);
    await until(() => (helper.getNode("b-host") as SparkplugBrokerNode).sparkplugSession.connected, "the host to connect");
    await delay(150);
    const publish = (topic: string, payload: Parameters<typeof encodeRaw>[0]) => observer.client.publishAsync(`spBv1.0/${group}/${topic}`, encodeRaw(payload), { qos: 0 });
    const now = Date.now();
    await publish("NBIRTH/EDGE9", { timestamp: now, seq: 0, metrics: [{ name: "bdSeq", alias: 0, datatype: DATATYPE.Int64, longValue: 1 }] });
    await publish("DBIRTH/EDGE9/WELL-7", { timestamp: now, seq: 1, metrics: [{ name: "THP", alias: 10, datatype: DATATYPE.Double, doubleValue: 900, timestamp: now }] });
    await until(() => tags.read("SITE1/WELL-7/THP")?.v === 900, "the birth value live");
    const replayed = [801, 802, 803].map((v, index) => ({ v, t: now - 60_000 + index * 1000 }));
    await publish("DDATA/EDGE9/WELL-7", {
      timestamp: now + 1,
      seq: 2,
      metrics: replayed.map(({ v, t }) => ({ alias: 10, datatype: DATATYPE.Double, doubleValue: v, timestamp: t, isHistorical: true })),
    });
    const rows = async () =>
      (await database.db.query<{ ts: Date | string; value_num: number }>(
        "SELECT h.ts, h.value_num FROM history h JOIN tags t ON t.id = h.tag_id WHERE t.path = 'SITE1/WELL-7/THP' AND h.ts < $1 ORDER BY h.ts",
        [new Date(now).toISOString()],
      )).rows.map((row) => ({ v: Number(row.value_num), t: new Date(row.ts).getTime() }));
    const deadline = Date.now() + 15_000;
    while ((await rows()).length < 3 && Date.now() < deadline) await delay(100);
    assert.deepEqual(await rows(), replayed);
    assert.equal(tags.read("SITE1/WELL-7/THP")?.v, 900, "the live value is the birth's");
  });
});
