import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ClientSession, AttributeIds, BrowseDirection, crypto_utils, DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, StatusCodes } from "node-opcua";
import { pointNodeId, startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { fakeOilfield, freePort } from "../../nodes/opcua/fake-oilfield.js";

describe("simulator OPC UA server (real socket, node-opcua client)", function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-opcua-sim-"));
  const model = fakeOilfield();
  let server: OpcUaSimulatorServer;
  let clientCertificates: OPCUACertificateManager;

  before(async () => {
    server = await startOpcUaServer({ port: await freePort(), host: "127.0.0.1", model, pkiDir: path.join(dir, "server"), stepIntervalMs: 0 });
    clientCertificates = new OPCUACertificateManager({ rootFolder: path.join(dir, "client"), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
    await clientCertificates.initialize();
  });

  after(async () => {
    await server?.close();
    await clientCertificates?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withSession<T>(mode: MessageSecurityMode, work: (session: ClientSession) => Promise<T>): Promise<T> {
    const client = OPCUAClient.create({
      endpointMustExist: false,
      securityMode: mode,
      securityPolicy: mode === MessageSecurityMode.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256,
      clientCertificateManager: clientCertificates,
      connectionStrategy: { maxRetry: 0 },
    });
    await client.connect(server.endpointUrl);
    try {
      const session = await client.createSession();
      try {
        return await work(session);
      } finally {
        await session.close();
      }
    } finally {
      await client.disconnect();
    }
  }

  it("exposes Objects/<site>/<asset>/<point> with ns=1;s=<site>/<asset>/<point> node ids and steps the model", async () => {
    assert.match(server.endpointUrl, /^opc\.tcp:\/\/127\.0\.0\.1:\d+\/UA\/Petroflow$/);
    assert.match(server.certificateThumbprint ?? "", /^[0-9a-f]{40}$/);
    await withSession(MessageSecurityMode.None, async (session) => {
      const objects = await session.browse({ nodeId: "i=85", browseDirection: BrowseDirection.Forward, resultMask: 0x3f });
      assert.ok(objects.references?.some((r) => r.browseName.name === "SITE1"));
      const site = await session.browse({ nodeId: "ns=1;s=SITE1", browseDirection: BrowseDirection.Forward, referenceTypeId: "HierarchicalReferences", includeSubtypes: true, resultMask: 0x3f });
      assert.deepEqual(site.references?.map((r) => r.browseName.name).sort(), ["SEP-TEST", "WELL-101"]);
      const thp = await session.read({ nodeId: pointNodeId("SITE1", "WELL-101", "THP"), attributeId: AttributeIds.Value });
      assert.equal(thp.value.dataType, DataType.Double);
      assert.equal(thp.value.value, 1200);
      assert.equal(thp.sourceTimestamp?.getTime(), model.now());
      server.step(1);
      const next = await session.read({ nodeId: pointNodeId("SITE1", "WELL-101", "THP"), attributeId: AttributeIds.Value });
      assert.equal(next.value.value, 1201);
      const running = await session.read({ nodeId: pointNodeId("SITE1", "WELL-101", "RUNNING"), attributeId: AttributeIds.Value });
      assert.equal(running.value.dataType, DataType.Boolean);
    });
  });

  it("passes writes to writable points to the model; a refused write answers BadOutOfRange; read-only points refuse writes", async () => {
    await withSession(MessageSecurityMode.None, async (session) => {
      const ok = await session.write({ nodeId: pointNodeId("SITE1", "WELL-101", "CHOKE_SP"), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 55 } } });
      assert.equal(ok, StatusCodes.Good);
      assert.equal(model.values.get("WELL-101/CHOKE_SP"), 55);
      const outOfRange = await session.write({ nodeId: pointNodeId("SITE1", "WELL-101", "CHOKE_SP"), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 150 } } });
      assert.equal(outOfRange, StatusCodes.BadOutOfRange);
      assert.equal(model.values.get("WELL-101/CHOKE_SP"), 55);
      const readOnly = await session.write({ nodeId: pointNodeId("SITE1", "WELL-101", "THP"), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 1 } } });
      assert.ok(readOnly.isNotGood());
    });
  });

  it("offers a SignAndEncrypt / Basic256Sha256 endpoint whose certificate a client can trust", async () => {
    await assert.rejects(withSession(MessageSecurityMode.SignAndEncrypt, async () => undefined), /BadCertificateUntrusted/);
    const rejected = fs.readdirSync(clientCertificates.rejectedFolder);
    assert.ok(rejected.some((file) => file.includes(server.certificateThumbprint ?? "?")));
    const file = rejected.find((name) => name.includes(server.certificateThumbprint ?? "?")) ?? "";
    await clientCertificates.trustCertificate(crypto_utils.convertPEMtoDER(fs.readFileSync(path.join(clientCertificates.rejectedFolder, file), "utf8")));
    const value = await withSession(MessageSecurityMode.SignAndEncrypt, (session) => session.read({ nodeId: pointNodeId("SITE1", "SEP-TEST", "LEVEL"), attributeId: AttributeIds.Value }));
    assert.equal(value.value.value, 50);
  });
});
