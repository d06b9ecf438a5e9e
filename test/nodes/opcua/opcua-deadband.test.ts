import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import endpointNode from "../../../nodes/opcua/opcua-endpoint/opcua-endpoint.js";
import subscribeNode from "../../../nodes/opcua/opcua-subscribe/opcua-subscribe.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { fakeOilfield, freePort } from "./fake-oilfield.js";
import { collect, recordStatuses, until } from "./flow-support.js";

helper.init(require.resolve("node-red"));

/** EURange 0–1000 m3/d: a 10 % deadband is 100 m3/d. */
const OIL_OUT = "ns=1;s=SITE1/SEP-TEST/OIL_OUT";
/** An Int32 without EURange. */
const TEST_WELL = "ns=1;s=SITE1/SEP-TEST/TEST_WELL";
/** A Boolean: no deadband applies. */
const RUNNING = "ns=1;s=SITE1/WELL-101/RUNNING";

interface Change {
  nodeId: string;
  v: unknown;
  q: string;
  reason?: string;
}

function flow(endpointUrl: string, deadband: "absolute" | "percent", deadbandValue: number): Record<string, unknown>[] {
  return [
    { id: "tab", type: "tab", label: "OPC UA deadband" },
    { id: "ep", type: "opcua-endpoint", z: "tab", endpointUrl, securityMode: "None", securityPolicy: "None", auth: "anonymous", reconnectMinMs: 100, reconnectMaxMs: 400 },
    {
      id: "sub",
      type: "opcua-subscribe",
      z: "tab",
      endpoint: "ep",
      items: [OIL_OUT, TEST_WELL, RUNNING].join("\n"),
      // Exception-based, and a queue long enough that a change the deadband let through could not be overwritten by the next one.
      samplingInterval: 0,
      publishingInterval: 50,
      queueSize: 10,
      deadband,
      deadbandValue,
      writeTags: false,
      sendMessages: true,
      wires: [["out"]],
    },
    { id: "out", type: "helper", z: "tab", wires: [] },
  ];
}

describe("OPC UA subscription deadbands against the simulator server (real socket)", function () {
  this.timeout(20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-deadband-"));
  const model = fakeOilfield();
  let server: OpcUaSimulatorServer | null = null;

  /** Changes OIL_OUT the way the simulator does: the model moves, the server publishes it with setValueFromSource. */
  const setOilOut = (m3PerDay: number) => {
    model.values.set("SEP-TEST/OIL_OUT", m3PerDay);
    server?.step(1);
  };

  /** Lets a change travel (publishing 50 ms) before the next one, so the server judges each against the last value it sent. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  before(async () => {
    server = await startOpcUaServer({ port: await freePort(), host: "127.0.0.1", model, pkiDir: path.join(dir, "server-pki"), stepIntervalMs: 0, sourceClock: () => model.now() });
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), opcuaPkiDir: path.join(dir, "client-pki") }) });
  });

  beforeEach(() => setOilOut(400));

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Loads a flow subscribing OIL_OUT, TEST_WELL and RUNNING with the deadband, and waits for the first values. */
  async function subscribed(deadband: "absolute" | "percent", deadbandValue: number) {
    await helper.load([endpointNode, subscribeNode], flow(server?.endpointUrl ?? "", deadband, deadbandValue));
    const statuses = recordStatuses("sub");
    const received = collect("out");
    const changes = (nodeId: string) => received.map((msg) => msg.payload as Change).filter((change) => change.nodeId === nodeId);
    const oilOut = () => changes(OIL_OUT).map((change) => change.v);
    await until("the first values", () => oilOut().length === 1 && changes(TEST_WELL).length === 1 && changes(RUNNING).length === 1);
    return { statuses, changes, oilOut };
  }

  it("percent (10 % of EURange 0–1000): a change of 50 is held back, a change of 150 comes through", async () => {
    const { statuses, changes, oilOut } = await subscribed("percent", 10);
    assert.deepEqual(oilOut(), [400]);
    setOilOut(450);
    await settle();
    setOilOut(550);
    await until("the change of 150", () => oilOut().length === 2);
    await settle();
    assert.deepEqual(oilOut(), [400, 550], "450 is within 100 m3/d of 400, the last value sent");

    // The server refuses a percent deadband where there is no EURange, and the node says so; the Boolean is monitored without a deadband.
    const [testWell] = changes(TEST_WELL);
    assert.equal(testWell.q, "bad");
    assert.match(testWell.reason ?? "", /BadMonitoredItemFilterUnsupported \(0x80440000\): a percent deadband needs an EURange/);
    assert.deepEqual(changes(RUNNING).map(({ v, q }) => ({ v, q })), [{ v: true, q: "good" }]);
    await until("the status", () => statuses.some((status) => /items/.test(status.text ?? "")));
    const status = statuses.find((shown) => /items/.test(shown.text ?? ""));
    assert.equal(status?.fill, "yellow");
    assert.match(status?.text ?? "", /^2\/3 items; ns=1;s=SITE1\/SEP-TEST\/TEST_WELL: .*BadMonitoredItemFilterUnsupported/);
  });

  it("absolute (100 m3/d): a change of 50 is held back, a change of 150 comes through; it applies without EURange too", async () => {
    const { statuses, changes, oilOut } = await subscribed("absolute", 100);
    setOilOut(450);
    await settle();
    setOilOut(550);
    await until("the change of 150", () => oilOut().length === 2);
    await settle();
    assert.deepEqual(oilOut(), [400, 550]);
    assert.deepEqual(changes(TEST_WELL).map(({ v, q }) => ({ v, q })), [{ v: 101, q: "good" }]);
    assert.deepEqual(changes(RUNNING).map(({ v, q }) => ({ v, q })), [{ v: true, q: "good" }]);
    await until("the status", () => statuses.some((status) => /items/.test(status.text ?? "")));
    assert.deepEqual(statuses.find((status) => /items/.test(status.text ?? "")), { fill: "green", shape: "dot", text: "3/3 items" });
  });
});
