import { crypto_utils, is_valid_endpointUrl, MessageSecurityMode, SecurityPolicy, UserTokenType, type OPCUAClientOptions, type UserIdentityInfo } from "node-opcua";
import type { BackoffPolicy } from "./connection-state.js";

export const SECURITY_MODES = ["None", "Sign", "SignAndEncrypt"] as const;
export const SECURITY_POLICIES = ["None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"] as const;
export const AUTH_METHODS = ["anonymous", "username", "certificate"] as const;

export type SecurityModeName = (typeof SECURITY_MODES)[number];
export type SecurityPolicyName = (typeof SECURITY_POLICIES)[number];

export type EndpointAuth =
  | { method: "anonymous" }
  | { method: "username"; username: string; password: string }
  | { method: "certificate"; certificateFile: string; privateKeyFile: string };

/** An opcua-endpoint node's settings, validated. */
export interface EndpointConfig {
  endpointUrl: string;
  securityMode: SecurityModeName;
  securityPolicy: SecurityPolicyName;
  auth: EndpointAuth;
  backoff: BackoffPolicy;
}

export interface EndpointCredentials {
  username?: string;
  password?: string;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], value: unknown, fallback: T): T {
  const chosen = value === undefined || value === "" ? fallback : value;
  const match = allowed.find((candidate) => candidate === chosen);
  if (match === undefined) throw new Error(`${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  return match;
}

function milliseconds(name: string, value: unknown, fallback: number): number {
  const number = value === undefined || value === "" ? fallback : Number(value);
  if (!Number.isFinite(number) || number < 10) throw new Error(`${name} must be a number of milliseconds ≥ 10, got ${JSON.stringify(value)}`);
  return number;
}

/** Validates the editor's fields (and Node-RED credentials) into an EndpointConfig; throws a readable error. */
export function endpointConfig(raw: Record<string, unknown>, credentials: EndpointCredentials = {}): EndpointConfig {
  const endpointUrl = typeof raw.endpointUrl === "string" ? raw.endpointUrl.trim() : "";
  if (!endpointUrl.startsWith("opc.tcp://") || !is_valid_endpointUrl(endpointUrl)) {
    throw new Error(`endpoint URL must look like opc.tcp://host:port/path, got ${JSON.stringify(raw.endpointUrl)}`);
  }
  const securityMode = oneOf("security mode", SECURITY_MODES, raw.securityMode, "None");
  const securityPolicy = oneOf("security policy", SECURITY_POLICIES, raw.securityPolicy, securityMode === "None" ? "None" : "Basic256Sha256");
  if ((securityMode === "None") !== (securityPolicy === "None")) {
    throw new Error(`security mode ${securityMode} cannot go with policy ${securityPolicy}: None goes with None, Sign and SignAndEncrypt need a real policy`);
  }
  const method = oneOf("authentication", AUTH_METHODS, raw.auth, "anonymous");
  let auth: EndpointAuth;
  if (method === "username") {
    if (!credentials.username) throw new Error("username authentication needs a user name");
    auth = { method, username: credentials.username, password: credentials.password ?? "" };
  } else if (method === "certificate") {
    const certificateFile = typeof raw.userCertificate === "string" ? raw.userCertificate.trim() : "";
    const privateKeyFile = typeof raw.userPrivateKey === "string" ? raw.userPrivateKey.trim() : "";
    if (!certificateFile || !privateKeyFile) throw new Error("X.509 authentication needs a user certificate file and its private key file");
    if (securityMode === "None") throw new Error("X.509 user authentication needs a secure channel (Sign or SignAndEncrypt)");
    auth = { method, certificateFile, privateKeyFile };
  } else {
    auth = { method };
  }
  const initialMs = milliseconds("reconnect delay", raw.reconnectMinMs, 1000);
  const maxMs = Math.max(initialMs, milliseconds("maximum reconnect delay", raw.reconnectMaxMs, 30_000));
  return { endpointUrl, securityMode, securityPolicy, auth, backoff: { initialMs, maxMs } };
}

const MODES: Record<SecurityModeName, MessageSecurityMode> = {
  None: MessageSecurityMode.None,
  Sign: MessageSecurityMode.Sign,
  SignAndEncrypt: MessageSecurityMode.SignAndEncrypt,
};

const POLICIES: Record<SecurityPolicyName, SecurityPolicy> = {
  None: SecurityPolicy.None,
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
  Aes128_Sha256_RsaOaep: SecurityPolicy.Aes128_Sha256_RsaOaep,
  Aes256_Sha256_RsaPss: SecurityPolicy.Aes256_Sha256_RsaPss,
};

/**
 * How long the server keeps a session (and, see subscriptionParameters, its
 * subscriptions) without hearing from us: an outage shorter than this loses
 * no value the server queued.
 */
export const SESSION_TIMEOUT_MS = 60_000;

/**
 * OPCUAClient options for one connection attempt. No retries inside node-opcua
 * until a session is open (the endpoint's own state machine decides when to
 * try again); then opcua-connection.ts lets node-opcua repair broken links.
 */
export function clientOptions(config: EndpointConfig): OPCUAClientOptions {
  return {
    applicationName: "Petroflow",
    applicationUri: "urn:petroflow:opcua-client",
    endpointMustExist: false,
    securityMode: MODES[config.securityMode],
    securityPolicy: POLICIES[config.securityPolicy],
    connectionStrategy: { maxRetry: 0, initialDelay: config.backoff.initialMs, maxDelay: config.backoff.maxMs },
    requestedSessionTimeout: SESSION_TIMEOUT_MS,
    keepSessionAlive: true,
    keepAliveInterval: 5000,
  };
}

function userKeyOperations(pem: string, file: string): ReturnType<typeof crypto_utils.keyOperationsFromPrivateKey> {
  try {
    return crypto_utils.keyOperationsFromPrivateKey(crypto_utils.makePrivateKeyFromPem(pem));
  } catch (error) {
    throw new Error(`user private key ${file} is not a PEM private key: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The session's user identity; X.509 reads the certificate (DER or PEM) and key
 * through the given readers. The key signs the server's nonce (proof of possession)
 * as key operations, node-opcua's successor of a raw PEM in the identity.
 */
export function userIdentity(
  auth: EndpointAuth,
  read: { certificate(file: string): Buffer; privateKeyPem(file: string): string },
): UserIdentityInfo {
  switch (auth.method) {
    case "anonymous":
      return { type: UserTokenType.Anonymous };
    case "username":
      return { type: UserTokenType.UserName, userName: auth.username, password: auth.password };
    case "certificate":
      return {
        type: UserTokenType.Certificate,
        certificateData: read.certificate(auth.certificateFile),
        keyOperations: userKeyOperations(read.privateKeyPem(auth.privateKeyFile), auth.privateKeyFile),
      };
  }
}
