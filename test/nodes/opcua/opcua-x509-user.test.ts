import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import helper from "node-red-node-test-helper";
import endpointNode from "../../../nodes/opcua/opcua-endpoint/opcua-endpoint.js";
import readNode from "../../../nodes/opcua/opcua-read/opcua-read.js";
import { OpcUaCertificateStore } from "../../../runtime/opcua-certs/certificate-store.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { testServices } from "../../helpers/petroflow-services.js";
import { fakeOilfield, freePort } from "./fake-oilfield.js";
import { ask, askForError, makeUserCertificate, recordStatuses, type UserCertificate } from "./flow-support.js";

helper.init(require.resolve("node-red"));

const LEVEL = "ns=1;s=SITE1/SEP-TEST/LEVEL";

function flow(user: UserCertificate, endpointUrl: string): Record<string, unknown>[] {
  return [
    { id: "tab", type: "tab", label: "OPC UA X.509" },
    {
      id: "ep",
      type: "opcua-endpoint",
      z: "tab",
      endpointUrl,
      securityMode: "SignAndEncrypt",
      securityPolicy: "Basic256Sha256",
      auth: "certificate",
      userCertificate: user.certificateFile,
      userPrivateKey: user.privateKeyFile,
      reconnectMinMs: 100,
      reconnectMaxMs: 400,
    },
    { id: "read", type: "opcua-read", z: "tab", endpoint: "ep", items: LEVEL, wires: [["out"]] },
    { id: "out", type: "helper", z: "tab", wires: [] },
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab", wires: [] },
  ];
}

describe("OPC UA X.509 user authentication against the simulator server (real socket)", function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-x509-"));
  const clientPki = path.join(dir, "client-pki");
  let server: OpcUaSimulatorServer | null = null;
  let operator: UserCertificate;
  let stranger: UserCertificate;

  before(async () => {
    operator = await makeUserCertificate(path.join(dir, "users"), "operator-1");
    stranger = await makeUserCertificate(path.join(dir, "users"), "stranger");
    const model = fakeOilfield();
    server = await startOpcUaServer({
      port: await freePort(),
      host: "127.0.0.1",
      model,
      pkiDir: path.join(dir, "server-pki"),
      stepIntervalMs: 0,
      sourceClock: () => model.now(),
      userCertificates: { certificates: [operator.der] },
    });
    // The secure channel needs the server's application certificate trusted: not what this test is about.
    const certificate = server.certificate;
    if (!certificate) throw new Error("the simulator server has no certificate");
    await OpcUaCertificateStore.using(clientPki, (store) => store.trustCertificate(certificate));
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), opcuaPkiDir: clientPki }) });
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opens a session as a user whose certificate the server trusts, and reads", async () => {
    await helper.load([endpointNode, readNode], flow(operator, server?.endpointUrl ?? ""));
    const msg = await ask("read", { payload: LEVEL });
    assert.deepEqual(msg.payload, { nodeId: LEVEL, tag: "SITE1/SEP-TEST/LEVEL", v: 50, q: "good", t: Date.UTC(2026, 10, 28, 10, 0, 0) });
  });

  it("is refused with an untrusted user certificate: the error says BadIdentityTokenRejected, reaches done(err) and the status", async () => {
    await helper.load([endpointNode, readNode], flow(stranger, server?.endpointUrl ?? ""));
    const statuses = recordStatuses("read");
    const message = await askForError("read", { payload: LEVEL }, /BadIdentityTokenRejected/);
    assert.match(message, /not connected to opc\.tcp:\/\/127\.0\.0\.1:\d+\/UA\/Petroflow: user certificate \S+stranger\.pem refused by the server: BadIdentityTokenRejected \(0x80210000\); the server must trust it/);
    assert.ok(
      statuses.some((status) => status.fill === "red" && /BadIdentityTokenRejected/.test(status.text ?? "")),
      `statuses: ${JSON.stringify(statuses)}`,
    );
    const rejected = fs.readdirSync(path.join(dir, "server-pki", "users", "rejected"));
    assert.equal(rejected.length, 1, "the server keeps the refused user certificate in its rejected list");
  });
});
