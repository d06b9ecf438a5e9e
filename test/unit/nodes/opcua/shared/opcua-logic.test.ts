import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { DataChangeFilter, DataType, DataValue, DeadbandType, MessageSecurityMode, SecurityPolicy, StatusCodes, UserTokenType, Variant } from "node-opcua";
import { SESSION_TIMEOUT_MS, clientOptions, endpointConfig, userIdentity } from "../../../../../nodes/opcua/shared/connection-options.js";
import { backoffDelay, connectionStatus, notLiveReason, transition, type ConnectionState } from "../../../../../nodes/opcua/shared/connection-state.js";
import { qualityOf, tagValueOf } from "../../../../../nodes/opcua/shared/data-value.js";
import { itemsFromPayload, parseItems } from "../../../../../nodes/opcua/shared/items.js";
import { batches, monitoringConfig, monitoringParameters, refusalReason, subscriptionParameters } from "../../../../../nodes/opcua/shared/monitoring.js";
import { failureReason } from "../../../../../nodes/opcua/shared/opcua-connection.js";
import { writeVariant } from "../../../../../nodes/opcua/shared/write-value.js";

const policy = { initialMs: 1000, maxMs: 8000 };

describe("OPC UA pure logic", () => {
  it("connection state machine: connect, fail with backoff, lose, retry, close", () => {
    let state: ConnectionState = { phase: "idle" };
    state = transition(state, { type: "start" }, policy);
    assert.deepEqual(state, { phase: "connecting", attempt: 1 });
    state = transition(state, { type: "failed", reason: "refused" }, policy);
    assert.deepEqual(state, { phase: "backing-off", attempt: 1, retryInMs: 1000, reason: "refused" });
    state = transition(transition(state, { type: "retry" }, policy), { type: "failed", reason: "refused" }, policy);
    assert.deepEqual(state, { phase: "backing-off", attempt: 2, retryInMs: 2000, reason: "refused" });
    state = transition(transition(state, { type: "retry" }, policy), { type: "connected" }, policy);
    assert.deepEqual(state, { phase: "connected" });
    assert.equal(transition(state, { type: "retry" }, policy), state);
    state = transition(state, { type: "lost", reason: "connection lost" }, policy);
    assert.deepEqual(state, { phase: "backing-off", attempt: 0, retryInMs: 1000, reason: "connection lost" });
    state = transition(state, { type: "close" }, policy);
    assert.deepEqual(transition(state, { type: "start" }, policy), { phase: "closed" });
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, policy)), [1000, 2000, 4000, 8000, 8000, 8000]);
    assert.equal(connectionStatus({ phase: "backing-off", attempt: 1, retryInMs: 1500, reason: "x" }).text, "x — retry in 2 s");
  });

  it("a link broken under a live session is repaired in place (reconnecting → connected), or given up (→ backing-off)", () => {
    const connected: ConnectionState = { phase: "connected" };
    const reconnecting = transition(connected, { type: "interrupted", reason: "connection lost" }, policy);
    assert.deepEqual(reconnecting, { phase: "reconnecting", reason: "connection lost" });
    assert.deepEqual(transition(reconnecting, { type: "restored" }, policy), { phase: "connected" });
    assert.deepEqual(transition(reconnecting, { type: "lost", reason: "connection closed" }, policy), { phase: "backing-off", attempt: 0, retryInMs: 1000, reason: "connection closed" });
    assert.equal(transition(reconnecting, { type: "retry" }, policy), reconnecting);
    assert.equal(transition({ phase: "backing-off", attempt: 1, retryInMs: 1000, reason: "x" }, { type: "restored" }, policy).phase, "backing-off");
    assert.equal(notLiveReason(reconnecting, "opc.tcp://h:4840"), "OPC UA opc.tcp://h:4840: connection lost; reconnecting");
    assert.deepEqual(connectionStatus(reconnecting), { fill: "yellow", shape: "ring", text: "connection lost — reconnecting" });
  });

  it("a subscription outlives the session timeout, so an outage the session survives does not kill it", () => {
    for (const publishingIntervalMs of [100, 1000, 5000, 60_000]) {
      const parameters = subscriptionParameters(monitoringConfig({ publishingInterval: publishingIntervalMs }));
      assert.ok(parameters.requestedLifetimeCount * publishingIntervalMs >= SESSION_TIMEOUT_MS, `publishing ${publishingIntervalMs} ms`);
      assert.ok(parameters.requestedLifetimeCount >= 3 * parameters.requestedMaxKeepAliveCount, "OPC UA: lifetime ≥ 3 keep-alives");
    }
    assert.equal(clientOptions(endpointConfig({ endpointUrl: "opc.tcp://h:4840" })).requestedSessionTimeout, SESSION_TIMEOUT_MS);
  });

  it("endpoint config → client options and user identity; refuses inconsistent security", () => {
    const config = endpointConfig({ endpointUrl: "opc.tcp://10.0.0.20:4840", securityMode: "SignAndEncrypt", securityPolicy: "Aes256_Sha256_RsaPss", auth: "username" }, { username: "op", password: "pw" });
    const options = clientOptions(config);
    assert.equal(options.securityMode, MessageSecurityMode.SignAndEncrypt);
    assert.equal(options.securityPolicy, SecurityPolicy.Aes256_Sha256_RsaPss);
    assert.equal(options.connectionStrategy?.maxRetry, 0);
    const noFiles = { certificate: () => Buffer.alloc(0), privateKeyPem: () => "" };
    assert.deepEqual(userIdentity(config.auth, noFiles), { type: UserTokenType.UserName, userName: "op", password: "pw" });
    assert.throws(() => endpointConfig({ endpointUrl: "opc.tcp://h:4840", securityMode: "None", securityPolicy: "Basic256Sha256" }), /cannot go with/);
    assert.throws(() => endpointConfig({ endpointUrl: "http://h" }), /opc\.tcp/);
    assert.throws(() => endpointConfig({ endpointUrl: "opc.tcp://h:4840", auth: "certificate", userCertificate: "c", userPrivateKey: "k" }), /secure channel/);
    const x509 = endpointConfig({ endpointUrl: "opc.tcp://h:4840", securityMode: "Sign", auth: "certificate", userCertificate: "c.der", userPrivateKey: "k.pem" });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const identity = userIdentity(x509.auth, { certificate: () => Buffer.from([1]), privateKeyPem: () => pem });
    assert.equal(identity.type, UserTokenType.Certificate);
    assert.ok(identity.type === UserTokenType.Certificate && identity.keyOperations && !identity.privateKey);
    assert.throws(() => userIdentity(x509.auth, { certificate: () => Buffer.from([1]), privateKeyPem: () => "KEY" }), /user private key k\.pem is not a PEM private key/);
  });

  it("maps DataValues to {v,q,t} with quality from the status code severity", () => {
    assert.equal(qualityOf(StatusCodes.Good), "good");
    assert.equal(qualityOf(StatusCodes.UncertainLastUsableValue), "uncertain");
    assert.equal(qualityOf(StatusCodes.BadCommunicationError), "bad");
    const t = new Date("2026-11-28T10:00:00Z");
    assert.deepEqual(tagValueOf(new DataValue({ value: new Variant({ dataType: DataType.Double, value: 12.5 }), sourceTimestamp: t })), { v: 12.5, q: "good", t: t.getTime() });
    const bad = tagValueOf(new DataValue({ value: new Variant({ dataType: DataType.Null }), statusCode: StatusCodes.BadNodeIdUnknown }), 42);
    assert.deepEqual(bad, { v: null, q: "bad", t: 42, reason: "OPC UA status BadNodeIdUnknown (0x80340000)" });
  });

  it("parses items, infers tags from tag-path node ids, batches and builds deadband parameters", () => {
    assert.deepEqual(parseItems("ns=1;s=SITE1/WELL-101/THP\n# comment\n\nns=2;i=7 -> SITE1/WELL-101/CHP"), [
      { nodeId: "ns=1;s=SITE1/WELL-101/THP", tag: "SITE1/WELL-101/THP" },
      { nodeId: "ns=2;i=7", tag: "SITE1/WELL-101/CHP" },
    ]);
    assert.deepEqual(itemsFromPayload("ns=2;s=Pump.Speed"), [{ nodeId: "ns=2;s=Pump.Speed" }]);
    assert.throws(() => parseItems("ns=2;i=7 -> not-a-tag"), /line 1: invalid tag path/);
    assert.deepEqual(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.equal(batches(Array.from({ length: 5000 }), 500).length, 10);
    const absolute = monitoringParameters(monitoringConfig({ samplingInterval: "250", deadband: "absolute", deadbandValue: "0.5" }));
    assert.equal(absolute.samplingInterval, 250);
    assert.ok(absolute.filter instanceof DataChangeFilter);
    assert.equal(absolute.filter.deadbandType, DeadbandType.Absolute);
    assert.equal(absolute.filter.deadbandValue, 0.5);
    assert.equal(monitoringParameters(monitoringConfig({})).filter, undefined);
    assert.throws(() => monitoringConfig({ deadband: "percent", deadbandValue: 150 }), /0–100/);
    assert.equal(
      refusalReason(StatusCodes.BadMonitoredItemFilterUnsupported, "percent"),
      "OPC UA monitored item refused: BadMonitoredItemFilterUnsupported (0x80440000): a percent deadband needs an EURange on the server's variable (an AnalogItem) and this one has none; use an absolute deadband",
    );
    assert.equal(refusalReason(StatusCodes.BadNodeIdUnknown, "percent"), "OPC UA monitored item refused: BadNodeIdUnknown (0x80340000)");
  });

  it("says which user the server refused, and what to do", () => {
    const refused = new Error("ActivateSession failed: BadIdentityTokenRejected (0x80210000)");
    assert.equal(
      failureReason(refused, "/pki", { method: "certificate", certificateFile: "/certs/op.pem", privateKeyFile: "/certs/op.key" }),
      "user certificate /certs/op.pem refused by the server: BadIdentityTokenRejected (0x80210000); the server must trust it as a user certificate (give it to the server's administrator)",
    );
    assert.match(failureReason(new Error("BadUserAccessDenied (0x801f0000)"), "/pki", { method: "username", username: "op", password: "x" }), /^user "op" refused by the server: BadUserAccessDenied \(0x801f0000\); check the user name and password$/);
    assert.equal(failureReason(new Error("connect ECONNREFUSED 127.0.0.1:4840\nstack"), "/pki"), "connect ECONNREFUSED 127.0.0.1:4840");
  });

  it("converts written values to the DataType, checking ranges", () => {
    assert.equal(writeVariant("62.5", "Double").value, 62.5);
    assert.equal(writeVariant("1", "Boolean").value, true);
    assert.equal(writeVariant(300, "UInt16").dataType, DataType.UInt16);
    assert.throws(() => writeVariant(70000, "UInt16"), /UInt16 takes whole numbers 0…65535/);
    assert.throws(() => writeVariant("abc", "Float"), /expected a number/);
  });
});
