/**
 * The simulator's OPC UA server: the oilfield model as an address space.
 *
 *   Objects/<site>/<asset>/<point>
 *
 * Every point is a Variable with the string node id `ns=1;s=<site>/<asset>/<point>`
 * (the tag path, so a subscription maps 1:1 onto tags), browse name `1:<point>`;
 * sites and assets are Objects with `ns=1;s=<site>` and `ns=1;s=<site>/<asset>`.
 * Values are refreshed from the model after every step (each second unless
 * told otherwise) with the model's simulated time as source timestamp.
 * Writable points accept writes, passed to model.write; a write the model
 * refuses answers BadOutOfRange.
 *
 * Float points with a known span are AnalogItems with an EURange
 * (engineering-ranges.ts), so clients can ask for percent deadbands.
 *
 * Endpoints: None/None and SignAndEncrypt/Basic256Sha256. The server keeps its
 * own PKI under pkiDir; being a simulator it accepts client certificates it
 * has not seen (a real server must not). Users: anonymous, or X.509 when
 * userCertificates is given: only certificates trusted in the user PKI
 * (pkiDir/users) are accepted, any other is refused (BadIdentityTokenRejected).
 */
import fs from "node:fs";
import path from "node:path";
import {
  AccessLevelFlag,
  crypto_utils,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  type UAVariable,
} from "node-opcua";
import { engineeringRange } from "./engineering-ranges.js";
import type { OilfieldModel, PointDataType, SimValue } from "./model/types.js";

export interface OpcUaServerOptions {
  port: number;
  /** Interface to listen on; 127.0.0.1 in tests. */
  host?: string;
  model: OilfieldModel;
  /** The server's own PKI folder (certificate, key, trusted/rejected clients). */
  pkiDir: string;
  /** Milliseconds between model steps; each step advances the model by the same simulated time. Default 1000; 0 = only on step(). */
  stepIntervalMs?: number;
  /**
   * With stepIntervalMs 0 and someone else stepping the model (the simulator
   * runner), how often to publish the model's values. Default 0: only on step().
   */
  publishIntervalMs?: number;
  /**
   * X.509 user authentication: the user certificates to trust, from a folder
   * (DER or PEM files) and/or given as DER. Without it every X.509 user is refused.
   */
  userCertificates?: { trustedDir?: string; certificates?: readonly Buffer[] };
  /**
   * The clock values are stamped with (epoch ms). Default the wall clock, as a
   * field device's own clock: the model's clock runs timeFactor times faster and
   * would put live values in the future. Tests pass the model's clock for exact times.
   */
  sourceClock?: () => number;
}

export interface OpcUaSimulatorServer {
  /** opc.tcp://<host>:<port>/UA/Petroflow */
  endpointUrl: string;
  /** SHA-1 thumbprint (hex, lower case) of the server's application certificate. */
  certificateThumbprint?: string;
  /** The server's application certificate (DER), for a client store that should trust it. */
  certificate?: Buffer;
  /** Advances the model by dtSeconds and publishes the new values. */
  step(dtSeconds: number): void;
  close(): Promise<void>;
}

export const SIMULATOR_RESOURCE_PATH = "/UA/Petroflow";

/** `ns=1;s=<site>/<asset>/<point>`: the node id of a point, the same string as its tag path. */
export function pointNodeId(siteId: string, asset: string, point: string): string {
  return `ns=1;s=${siteId}/${asset}/${point}`;
}

const DATA_TYPES: Record<PointDataType, DataType> = { float: DataType.Double, int: DataType.Int32, bool: DataType.Boolean };

function variantOf(dataType: PointDataType, value: SimValue): Variant {
  return new Variant({ dataType: DATA_TYPES[dataType], value });
}

function simValueOf(dataType: PointDataType, variant: Variant): SimValue {
  const value: unknown = variant.value;
  if (dataType === "bool") {
    if (typeof value !== "boolean") throw new Error(`expected a Boolean, got ${variant.dataType}`);
    return value;
  }
  if (typeof value !== "number") throw new Error(`expected a number, got ${variant.dataType}`);
  return value;
}

function certificatesIn(dir: string): Buffer[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const content = fs.readFileSync(path.join(dir, entry.name));
      const text = content.toString("latin1");
      return text.includes("-----BEGIN CERTIFICATE-----") ? crypto_utils.convertPEMtoDER(text) : content;
    });
}

/**
 * The user PKI (pkiDir/users, node-opcua layout): trusts exactly the configured
 * user certificates. The trusted list is rebuilt at every start, so a
 * certificate left out of the options is no longer accepted; refused ones land in rejected/.
 */
async function userCertificateManager(pkiDir: string, users: OpcUaServerOptions["userCertificates"]): Promise<OPCUACertificateManager> {
  const rootFolder = path.join(pkiDir, "users");
  fs.rmSync(path.join(rootFolder, "trusted"), { recursive: true, force: true });
  const manager = new OPCUACertificateManager({ rootFolder, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
  await manager.initialize();
  const certificates = [...(users?.trustedDir ? certificatesIn(users.trustedDir) : []), ...(users?.certificates ?? [])];
  for (const certificate of certificates) await manager.trustCertificate(certificate);
  return manager;
}

export async function startOpcUaServer(options: OpcUaServerOptions): Promise<OpcUaSimulatorServer> {
  const { model } = options;
  const sourceClock = options.sourceClock ?? Date.now;
  const host = options.host ?? "127.0.0.1";
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: options.pkiDir,
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  await serverCertificateManager.initialize();
  const server = new OPCUAServer({
    userCertificateManager: await userCertificateManager(options.pkiDir, options.userCertificates),
    port: options.port,
    host,
    hostname: host,
    resourcePath: SIMULATOR_RESOURCE_PATH,
    serverCertificateManager,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
    disableDiscovery: true,
    buildInfo: { productName: "Petroflow oilfield simulator", manufacturerName: "Petroflow" },
    serverCapabilities: { maxSessions: 50, operationLimits: { maxMonitoredItemsPerCall: 10000, maxNodesPerRead: 10000 } },
  });
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error("OPC UA server has no address space after initialize()");
  const namespace = addressSpace.getOwnNamespace();
  const site = namespace.addObject({
    organizedBy: addressSpace.rootFolder.objects,
    browseName: model.siteId,
    nodeId: `s=${model.siteId}`,
  });
  const assets = new Map(
    model.assets.map((asset) => [
      asset.id,
      namespace.addObject({ componentOf: site, browseName: asset.id, nodeId: `s=${model.siteId}/${asset.id}`, description: asset.description }),
    ]),
  );

  const variables: { variable: UAVariable; asset: string; point: string; dataType: PointDataType }[] = [];
  const assetById = new Map(model.assets.map((asset) => [asset.id, asset]));
  for (const point of model.points) {
    const parent = assets.get(point.asset);
    const asset = assetById.get(point.asset);
    if (!parent || !asset) throw new Error(`point ${point.asset}/${point.point} belongs to no asset of the model`);
    const range = engineeringRange(asset, point);
    const settings = {
      componentOf: parent,
      browseName: point.point,
      nodeId: `s=${model.siteId}/${point.asset}/${point.point}`,
      description: `${point.description} [${point.unit}]`,
      dataType: DATA_TYPES[point.dataType],
      accessLevel: point.writable ? AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite : AccessLevelFlag.CurrentRead,
      userAccessLevel: point.writable ? AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite : AccessLevelFlag.CurrentRead,
      // Read-only points are pushed on every step (exception-based items see each change); setpoints are read
      // from the model on demand, so they are sampled, never faster than every 100 ms.
      minimumSamplingInterval: point.writable ? 100 : 0,
    };
    const variable = range ? namespace.addAnalogDataItem({ ...settings, engineeringUnitsRange: range }) : namespace.addVariable(settings);
    if (point.writable) {
      variable.bindVariable(
        {
          get: () => variantOf(point.dataType, model.read(point.asset, point.point)),
          set: (variant: Variant) => {
            try {
              model.write(point.asset, point.point, simValueOf(point.dataType, variant));
              return StatusCodes.Good;
            } catch {
              return StatusCodes.BadOutOfRange;
            }
          },
        },
        true,
      );
    } else {
      variable.setValueFromSource(variantOf(point.dataType, model.read(point.asset, point.point)), StatusCodes.Good, new Date(sourceClock()));
      variables.push({ variable, asset: point.asset, point: point.point, dataType: point.dataType });
    }
  }

  const publish = () => {
    const sourceTimestamp = new Date(sourceClock());
    for (const { variable, asset, point, dataType } of variables) {
      variable.setValueFromSource(variantOf(dataType, model.read(asset, point)), StatusCodes.Good, sourceTimestamp);
    }
  };
  const step = (dtSeconds: number) => {
    model.step(dtSeconds);
    publish();
  };
  const stepIntervalMs = options.stepIntervalMs ?? 1000;
  const publishIntervalMs = options.publishIntervalMs ?? 0;
  const timer =
    stepIntervalMs > 0
      ? setInterval(() => step(stepIntervalMs / 1000), stepIntervalMs)
      : publishIntervalMs > 0
        ? setInterval(publish, publishIntervalMs)
        : undefined;

  await server.start();
  const certificate = server.getCertificate();
  return {
    endpointUrl: `opc.tcp://${host}:${options.port}${SIMULATOR_RESOURCE_PATH}`,
    certificateThumbprint: certificate ? crypto_utils.makeSHA1Thumbprint(certificate).toString("hex") : undefined,
    certificate: certificate ?? undefined,
    step,
    close: async () => {
      if (timer) clearInterval(timer);
      await server.shutdown(0);
      await serverCertificateManager.dispose();
    },
  };
}
