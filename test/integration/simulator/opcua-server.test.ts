import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type ClientSession,
  type UserIdentityInfo,
  AttributeIds,
  BrowseDirection,
  crypto_utils,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  Range,
  SecurityPolicy,
  StatusCodes,
  UserTokenType,
} from "node-opcua";
import { pointNodeId, startOpcUaServer, type OpcUaSimulatorServer } from "../../../simulator/opcua-server.js";
import { fakeOilfield, freePort } from "../../nodes/opcua/fake-oilfield.js";
import { makeUserCertificate, type UserCertificate } from "../../nodes/opcua/flow-support.js";

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

  async function withSession<T>(
    mode: MessageSecurityMode,
    work: (session: ClientSession) => Promise<T>,
    user: UserIdentityInfo = { type: UserTokenType.Anonymous },
    endpointUrl = server.endpointUrl,
  ): Promise<T> {
    const client = OPCUAClient.create({
      endpointMustExist: false,
      securityMode: mode,
      securityPolicy: mode === MessageSecurityMode.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256,
      clientCertificateManager: clientCertificates,
      connectionStrategy: { maxRetry: 0 },
    });
    await client.connect(endpointUrl);
    try {
      const session = await client.createSession(user);
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
      // Stamped with the wall clock like a field device, not with the model's faster clock.
      const stampedAt = thp.sourceTimestamp?.getTime() ?? 0;
      assert.ok(Math.abs(stampedAt - Date.now()) < 10_000, `source timestamp ${new Date(stampedAt).toISOString()} is not now`);
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

  it("gives analog points an EURange (AnalogItemType), integers none", async () => {
    await withSession(MessageSecurityMode.None, async (session) => {
      const euRangeOf = async (nodeId: string): Promise<unknown> => {
        const properties = await session.browse({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: "HasProperty", resultMask: 0x3f });
        const euRange = properties.references?.find((reference) => reference.browseName.name === "EURange");
        return euRange ? (await session.read({ nodeId: euRange.nodeId, attributeId: AttributeIds.Value })).value.value : undefined;
      };
      const oilOut = await euRangeOf(pointNodeId("SITE1", "SEP-TEST", "OIL_OUT"));
      assert.ok(oilOut instanceof Range);
      assert.deepEqual({ low: oilOut.low, high: oilOut.high }, { low: 0, high: 1000 });
      const choke = await euRangeOf(pointNodeId("SITE1", "WELL-101", "CHOKE_SP"));
      assert.deepEqual(choke instanceof Range ? { low: choke.low, high: choke.high } : choke, { low: 0, high: 100 });
      assert.equal(await euRangeOf(pointNodeId("SITE1", "SEP-TEST", "TEST_WELL")), undefined);
      const typeDefinition = await session.browse({ nodeId: pointNodeId("SITE1", "SEP-TEST", "OIL_OUT"), browseDirection: BrowseDirection.Forward, referenceTypeId: "HasTypeDefinition", resultMask: 0x3f });
      assert.equal(typeDefinition.references?.[0]?.browseName.name, "AnalogItemType");
    });
  });

  describe("X.509 users", () => {
    let operator: UserCertificate;
    let trustingServer: OpcUaSimulatorServer | undefined;
    const asUser = (user: UserCertificate): UserIdentityInfo => ({
      type: UserTokenType.Certificate,
      certificateData: user.der,
      keyOperations: crypto_utils.keyOperationsFromPrivateKey(crypto_utils.makePrivateKeyFromPem(fs.readFileSync(user.privateKeyFile, "utf8"))),
    });
    const readLevel = (session: ClientSession) => session.read({ nodeId: pointNodeId("SITE1", "SEP-TEST", "LEVEL"), attributeId: AttributeIds.Value });

    before(async () => {
      operator = await makeUserCertificate(path.join(dir, "users"), "operator-1");
      const trustedDir = path.join(dir, "trusted-users");
      fs.mkdirSync(trustedDir);
      fs.copyFileSync(operator.certificateFile, path.join(trustedDir, "operator-1.pem"));
      trustingServer = await startOpcUaServer({ port: await freePort(), host: "127.0.0.1", model, pkiDir: path.join(dir, "trusting-server"), stepIntervalMs: 0, userCertificates: { trustedDir } });
      for (const trusted of [server, trustingServer]) await clientCertificates.trustCertificate(trusted.certificate ?? Buffer.alloc(0));
    });

    after(async () => {
      await trustingServer?.close();
    });

    it("are refused unless userCertificates trusts them (off by default)", async () => {
      await assert.rejects(withSession(MessageSecurityMode.SignAndEncrypt, readLevel, asUser(operator)), /BadIdentityTokenRejected/);
      const value = await withSession(MessageSecurityMode.SignAndEncrypt, readLevel, asUser(operator), trustingServer?.endpointUrl);
      assert.equal(value.value.value, 50);
    });

    it("a certificate from trustedDir is trusted, another one is refused and lands in users/rejected", async () => {
      const stranger = await makeUserCertificate(path.join(dir, "users"), "stranger");
      await assert.rejects(withSession(MessageSecurityMode.SignAndEncrypt, readLevel, asUser(stranger), trustingServer?.endpointUrl), /BadIdentityTokenRejected/);
      const thumbprint = crypto_utils.makeSHA1Thumbprint(stranger.der).toString("hex");
      assert.ok(fs.readdirSync(path.join(dir, "trusting-server", "users", "rejected")).some((file) => file.includes(thumbprint)));
    });
  });
});
