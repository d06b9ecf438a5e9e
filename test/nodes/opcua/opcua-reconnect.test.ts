/**
 * An opcua-subscribe across a dropped connection: the link cut by a TCP
 * fault proxy (reset, blackhole) and the server restarted. After a cut
 * shorter than the session timeout the session is reactivated and the
 * subscription kept, so the values that changed during the outage (queued
 * on the server, queue size 10) arrive afterwards, in order, with their
 * source timestamps.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import endpointNode from "../../../nodes/opcua/opcua-endpoint/opcua-endpoint.js";
import subscribeNode from "../../../nodes/opcua/opcua-subscribe/opcua-subscribe.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { SIMULATOR_RESOURCE_PATH, startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { startFaultProxy, type FaultProxy } from "../../helpers/fault-proxy.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { fakeOilfield, freePort } from "./fake-oilfield.js";
import { collect, until } from "./flow-support.js";

helper.init(require.resolve("node-red"));

const THP = "SITE1/WELL-101/THP";
/** Constant during the tests: the server has nothing to queue for it. */
const RUNNING = "SITE1/WELL-101/RUNNING";

interface Change {
  v: number;
  t: number;
}

describe("opcua-subscribe across a dropped connection", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-reconnect-"));
  const model = fakeOilfield();
  let port = 0;
  let server: OpcUaSimulatorServer | null = null;
  let proxy: FaultProxy;
  let tags: TagStore;

  const startServer = async (): Promise<OpcUaSimulatorServer> => {
    server = await startOpcUaServer({ port, host: "127.0.0.1", model, pkiDir: path.join(dir, "server-pki"), stepIntervalMs: 0, sourceClock: () => model.now() });
    return server;
  };

  before(async () => {
    port = await freePort();
    await startServer();
    proxy = await startFaultProxy("127.0.0.1", port);
  });

  beforeEach(() => {
    tags = new TagStore();
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags, opcuaPkiDir: path.join(dir, "client-pki") }) });
    proxy.setMode("pass");
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  after(async () => {
    await proxy.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function subscribed(): Promise<Record<string, unknown>[]> {
    await helper.load(
      [endpointNode, subscribeNode],
      [
        { id: "tab", type: "tab", label: "OPC UA" },
        {
          id: "ep",
          type: "opcua-endpoint",
          z: "tab",
          endpointUrl: `opc.tcp://127.0.0.1:${proxy.port}${SIMULATOR_RESOURCE_PATH}`,
          securityMode: "None",
          securityPolicy: "None",
          auth: "anonymous",
          reconnectMinMs: 100,
          reconnectMaxMs: 1000,
        },
        {
          id: "sub",
          type: "opcua-subscribe",
          z: "tab",
          endpoint: "ep",
          items: `ns=1;s=${THP}\nns=1;s=${RUNNING}`,
          samplingInterval: 0,
          publishingInterval: 100,
          queueSize: 10,
          writeTags: true,
          sendMessages: true,
          wires: [["out"]],
        },
        { id: "out", type: "helper", z: "tab", wires: [] },
      ],
    );
    const messages = collect("out");
    await until("the subscribed tags", () => tags.read(THP)?.q === "good" && tags.read(RUNNING)?.q === "good");
    return messages;
  }

  /** THP changes the subscription delivered (value and source time), in order. */
  function delivered(messages: Record<string, unknown>[]): Change[] {
    return messages
      .map((m) => m.payload as { nodeId: string; v: number; q: string; t: number })
      .filter((p) => p.q === "good" && p.nodeId === `ns=1;s=${THP}`)
      .map(({ v, t }) => ({ v, t }));
  }

  /** Steps the model three times, 200 ms apart, while the link is down: what the server samples and queues. */
  async function changeDuringOutage(): Promise<Change[]> {
    const changes: Change[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      server?.step(1);
      changes.push({ v: model.values.get("WELL-101/THP") as number, t: model.now() });
    }
    return changes;
  }

  async function expectOutageValues(messages: Record<string, unknown>[], during: Change[]): Promise<void> {
    const last = during[during.length - 1];
    await until("the values of the outage", () => delivered(messages).some((c) => c.v === last.v), 60_000);
    const after = delivered(messages).filter((c) => c.t >= during[0].t);
    assert.deepEqual(after, during, "every change of the outage, in order, with its source timestamp, once");
    await until("good again", () => tags.read(THP)?.q === "good" && tags.read(RUNNING)?.q === "good");
    assert.deepEqual(tags.read(THP), { v: last.v, q: "good", t: last.t });
    assert.equal(tags.read(RUNNING)?.v, true, "an item that did not change is read once and good again");
  }

  it("proxy resets the link: tags go bad with the reason, then the outage's values arrive in order with their source timestamps", async () => {
    const messages = await subscribed();
    const connectionsBefore = proxy.connectionsAccepted();
    proxy.setMode("reset");
    await until("bad while cut", () => tags.read(THP)?.q === "bad" && tags.read(RUNNING)?.q === "bad");
    assert.match(tags.read(THP)?.reason ?? "", /OPC UA opc\.tcp:\/\/127\.0\.0\.1:\d+\/UA\/Petroflow: connection lost/);
    const during = await changeDuringOutage();
    proxy.setMode("pass");
    await expectOutageValues(messages, during);
    assert.ok(proxy.connectionsAccepted() > connectionsBefore, "the client reconnected through the proxy");
    server?.step(1);
    await until("live again", () => tags.read(THP)?.v === model.values.get("WELL-101/THP"));
  });

  it("proxy blackholes the link (nothing closes it): detected by the keep-alive, then the outage's values arrive", async () => {
    const messages = await subscribed();
    proxy.setMode("blackhole");
    const during = await changeDuringOutage();
    await until("bad once the silence is noticed", () => tags.read(THP)?.q === "bad", 60_000);
    proxy.setMode("reset");
    proxy.setMode("pass");
    await expectOutageValues(messages, during);
  });

  it("a redeploy while reconnecting stops the repair and frees the endpoint", async () => {
    await subscribed();
    proxy.setMode("reset");
    await until("reconnecting", () => tags.read(THP)?.q === "bad");
    const connections = proxy.connectionsAccepted();
    const unloaded = helper.unload().then(() => "unloaded");
    const hung = new Promise((resolve) => setTimeout(() => resolve("still closing after 15 s"), 15_000).unref());
    assert.equal(await Promise.race([unloaded, hung]), "unloaded");
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.ok(proxy.connectionsAccepted() - connections <= 1, "no more reconnection attempts after close");
  });

  it("server restart: the subscription is made again on the new server, once; values flow with their source timestamps", async () => {
    const messages = await subscribed();
    await server?.close();
    server = null;
    await until("bad while the server is down", () => tags.read(THP)?.q === "bad");
    model.step(1);
    const restarted = await startServer();
    await until("the current value after the restart", () => tags.read(THP)?.q === "good" && tags.read(THP)?.v === model.values.get("WELL-101/THP"), 60_000);
    await until("every tag good after the restart", () => tags.read(RUNNING)?.q === "good");
    const from = messages.length;
    restarted.step(1);
    const expected = { v: model.values.get("WELL-101/THP") as number, t: model.now() };
    await until("the next change", () => delivered(messages.slice(from)).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(delivered(messages.slice(from)), [expected], "one subscription: the change arrives once");
  });
});
