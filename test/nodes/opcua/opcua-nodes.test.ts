import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import browseNode from "../../../nodes/opcua/opcua-browse/opcua-browse.js";
import endpointNode from "../../../nodes/opcua/opcua-endpoint/opcua-endpoint.js";
import readNode from "../../../nodes/opcua/opcua-read/opcua-read.js";
import subscribeNode from "../../../nodes/opcua/opcua-subscribe/opcua-subscribe.js";
import writeNode from "../../../nodes/opcua/opcua-write/opcua-write.js";
import type { PetroflowServices } from "../../../nodes/shared/petroflow-services.js";
import { OpcUaCertificateStore } from "../../../runtime/opcua-certs/certificate-store.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { fakeOilfield, freePort } from "./fake-oilfield.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { ask, nextMessage, send, until } from "./flow-support.js";

helper.init(require.resolve("node-red"));

const NODES = [endpointNode, readNode, subscribeNode, writeNode, browseNode];

function flow(endpoint: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { id: "tab", type: "tab", label: "OPC UA" },
    { id: "ep", type: "opcua-endpoint", z: "tab", endpointUrl: "", securityMode: "None", securityPolicy: "None", auth: "anonymous", reconnectMinMs: 100, reconnectMaxMs: 400, ...endpoint },
    { id: "read", type: "opcua-read", z: "tab", endpoint: "ep", items: "ns=1;s=SITE1/WELL-101/THP\nns=1;s=SITE1/SEP-TEST/LEVEL", writeTags: true, wires: [["out"]] },
    {
      id: "sub",
      type: "opcua-subscribe",
      z: "tab",
      endpoint: "ep",
      items: "ns=1;s=SITE1/WELL-101/THP\nns=1;s=SITE1/WELL-101/RUNNING\nns=1;s=SITE1/SEP-TEST/LEVEL -> SITE1/SEP-TEST/LEVEL_PCT",
      samplingInterval: 50,
      publishingInterval: 100,
      batchSize: 2,
      writeTags: true,
      sendMessages: false,
      wires: [[]],
    },
    { id: "write", type: "opcua-write", z: "tab", endpoint: "ep", nodeId: "ns=1;s=SITE1/WELL-101/CHOKE_SP", dataType: "Double", wires: [["out"]] },
    { id: "browse", type: "opcua-browse", z: "tab", endpoint: "ep", nodeId: "ns=1;s=SITE1", wires: [["out"]] },
    { id: "out", type: "helper", z: "tab", wires: [] },
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab", wires: [] },
  ];
}

describe("OPC UA nodes against the simulator server", function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-nodes-"));
  const clientPki = path.join(dir, "client-pki");
  const serverPki = path.join(dir, "server-pki");
  const model = fakeOilfield();
  let port = 0;
  let server: OpcUaSimulatorServer | null = null;
  let tags: TagStore;

  const start = async () => {
    server = await startOpcUaServer({ port, host: "127.0.0.1", model, pkiDir: serverPki, stepIntervalMs: 0, sourceClock: () => model.now() });
    return server;
  };

  before(async () => {
    port = await freePort();
    await start();
  });

  beforeEach(() => {
    tags = new TagStore();
    const services: PetroflowServices = testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags, opcuaPkiDir: clientPki });
    helper.settings({ petroflow: services });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads node values into the payload and the tags, with good quality and the source timestamp", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl }));
    const msg = await ask("read", { payload: Date.now() });
    const payload = msg.payload as { nodeId: string; tag: string; v: number; q: string; t: number }[];
    assert.equal(payload.length, 2);
    assert.deepEqual(
      payload.map(({ nodeId, tag, v, q }) => ({ nodeId, tag, v, q })),
      [
        { nodeId: "ns=1;s=SITE1/WELL-101/THP", tag: "SITE1/WELL-101/THP", v: model.values.get("WELL-101/THP"), q: "good" },
        { nodeId: "ns=1;s=SITE1/SEP-TEST/LEVEL", tag: "SITE1/SEP-TEST/LEVEL", v: 50, q: "good" },
      ],
    );
    assert.equal(payload[0].t, model.now());
    assert.equal(tags.read("SITE1/SEP-TEST/LEVEL")?.q, "good");
    const single = await ask("read", { payload: "ns=1;s=SITE1/WELL-999/THP" });
    assert.equal((single.payload as { q: string }).q, "bad");
    assert.match((single.payload as { reason: string }).reason, /BadNodeIdUnknown/);
  });

  it("subscribes (in batches) and writes changes into the TagStore with good quality", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl }));
    await until("subscribed tags", () => tags.read("SITE1/SEP-TEST/LEVEL_PCT")?.q === "good" && tags.read("SITE1/WELL-101/RUNNING")?.v === true);
    const before = tags.read("SITE1/WELL-101/THP")?.v as number;
    server?.step(1);
    await until("the stepped THP", () => tags.read("SITE1/WELL-101/THP")?.v === before + 1);
    assert.equal(tags.read("SITE1/WELL-101/THP")?.q, "good");
    assert.equal(tags.read("SITE1/WELL-101/THP")?.t, model.now());
  });

  it("writes typed values that reach the model; a refused write fails with the status code", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl }));
    const msg = await ask("write", { payload: "62.5" });
    assert.deepEqual(msg.opcua, { nodeId: "ns=1;s=SITE1/WELL-101/CHOKE_SP", dataType: "Double", status: "Good (0x00000000)" });
    assert.equal(model.values.get("WELL-101/CHOKE_SP"), 62.5);
    const caught = nextMessage("caught");
    send("write", { payload: 150 });
    assert.match(((await caught).error as { message: string }).message, /refused: BadOutOfRange/);
    assert.equal(model.values.get("WELL-101/CHOKE_SP"), 62.5);
  });

  it("browses a site and lists its assets", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl }));
    const msg = await ask("browse", {});
    const references = msg.payload as { nodeId: string; browseName: string; nodeClass: string }[];
    assert.deepEqual(
      references.map((r) => [r.nodeId, r.browseName, r.nodeClass]).sort(),
      [
        ["ns=1;s=SITE1/SEP-TEST", "1:SEP-TEST", "Object"],
        ["ns=1;s=SITE1/WELL-101", "1:WELL-101", "Object"],
      ],
    );
  });

  it("refuses an untrusted server certificate (clear error, cert in the rejected list) and connects with SignAndEncrypt once trusted", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl, securityMode: "SignAndEncrypt", securityPolicy: "Basic256Sha256" }));
    const store = await OpcUaCertificateStore.open(clientPki);
    try {
      const thumbprint = server?.certificateThumbprint ?? "";
      await until("the rejected certificate", () => fs.existsSync(path.join(clientPki, "rejected")) && fs.readdirSync(path.join(clientPki, "rejected")).some((f) => f.includes(thumbprint)));
      const caught = nextMessage("caught");
      send("read", { payload: "ns=1;s=SITE1/SEP-TEST/LEVEL" });
      assert.match(((await caught).error as { message: string }).message, /not trusted \(BadCertificateUntrusted\).*rejected list/);
      const listed = (await store.list()).find((c) => c.thumbprint === thumbprint);
      assert.equal(listed?.status, "rejected");
      await store.trust(thumbprint.slice(0, 12));
      assert.equal((await store.find(thumbprint)).status, "trusted");
      const msg = await ask("read", { payload: "ns=1;s=SITE1/SEP-TEST/LEVEL" });
      assert.equal((msg.payload as { q: string }).q, "good");
    } finally {
      await store.close();
    }
  });

  it("marks the tags bad with a reason when the server stops, and recovers after it restarts", async () => {
    await helper.load(NODES, flow({ endpointUrl: server?.endpointUrl }));
    await until("subscribed tags", () => tags.read("SITE1/WELL-101/THP")?.q === "good");
    await server?.close();
    server = null;
    await until("bad tags", () => tags.read("SITE1/WELL-101/THP")?.q === "bad");
    assert.match(tags.read("SITE1/WELL-101/THP")?.reason ?? "", /OPC UA opc\.tcp:\/\/127\.0\.0\.1:\d+\/UA\/Petroflow: connection/);
    assert.equal(tags.read("SITE1/SEP-TEST/LEVEL_PCT")?.q, "bad");
    await start();
    await until("good tags after the restart", () => tags.read("SITE1/WELL-101/THP")?.q === "good" && tags.read("SITE1/SEP-TEST/LEVEL_PCT")?.q === "good");
  });
});
