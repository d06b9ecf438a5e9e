import { creationsSettled } from "./subscription-creations.js";
import fs from "node:fs";
import { crypto_utils, OPCUAClient, type ClientSession, type OPCUACertificateManager } from "node-opcua";
import { acquireCertificateManager } from "../../../runtime/opcua-certs/certificate-store.js";
import { clientOptions, userIdentity, type EndpointAuth, type EndpointConfig } from "./connection-options.js";
import { transition, type ConnectionEvent, type ConnectionState } from "./connection-state.js";

/** Longest a close waits for subscription creations under way (see subscription-creations.ts). */
const SUBSCRIPTION_CREATION_WAIT_MS = 2_000;

/** Called on every state change (and once on register) with the session when connected. */
export type ConnectionListener = (state: ConnectionState, session: ClientSession | null) => void;

function readCertificate(file: string): Buffer {
  const content = fs.readFileSync(file);
  const text = content.toString("latin1");
  return text.includes("-----BEGIN CERTIFICATE-----") ? crypto_utils.convertPEMtoDER(text) : content;
}

/** Who the session was opened as, in a refusal. */
function userOf(auth: EndpointAuth): string {
  switch (auth.method) {
    case "anonymous":
      return "anonymous user";
    case "username":
      return `user ${JSON.stringify(auth.username)}`;
    case "certificate":
      return `user certificate ${auth.certificateFile}`;
  }
}

const USER_REFUSALS = /\b(Bad(?:IdentityTokenRejected|IdentityTokenInvalid|UserAccessDenied|UserSignatureInvalid))\b(?: \((0x[0-9a-f]{8})\))?/i;

/**
 * A readable reason for a failed connection: the way out when the server's
 * certificate is not trusted, and which user the server refused.
 */
export function failureReason(error: unknown, pkiDir: string, auth: EndpointAuth = { method: "anonymous" }): string {
  const message = error instanceof Error ? error.message : String(error);
  const refusal = USER_REFUSALS.exec(message);
  if (refusal) {
    const status = refusal[2] ? `${refusal[1]} (${refusal[2]})` : refusal[1];
    const wayOut =
      auth.method === "certificate"
        ? "the server must trust it as a user certificate (give it to the server's administrator)"
        : auth.method === "username"
          ? "check the user name and password"
          : "the server wants a user name or a user certificate";
    return `${userOf(auth)} refused by the server: ${status}; ${wayOut}`;
  }
  if (/BadCertificateUntrusted/.test(message)) {
    const thumbprint = /\b([0-9a-f]{40})\b/i.exec(message)?.[1];
    return (
      `server certificate${thumbprint ? ` ${thumbprint}` : ""} is not trusted (BadCertificateUntrusted): it is in the rejected list of ` +
      `the OPC UA certificate store ${pkiDir}; check it with the server's administrator, then trust it (petroflow opcua-certs trust <thumbprint>)`
    );
  }
  return message.split("\n")[0];
}

/**
 * One client session to one endpoint, owned by an opcua-endpoint config node.
 * Starts when the first worker registers. Until a session is open, every
 * attempt is a fresh OPCUAClient that does not retry by itself (so a trust
 * decision taken meanwhile counts, and a refusal shows its reason), and
 * attempts back off. Once a session is open, a broken link is node-opcua's
 * to repair (`reconnecting`): it reconnects, reactivates the session and
 * asks for a republish, or opens a new session and transfers or re-creates
 * the subscriptions, so the subscriptions survive the outage and the values
 * the server queued meanwhile arrive. close() frees the socket, the timers
 * and the session with its subscriptions.
 */
export class OpcUaConnection {
  private current: ConnectionState = { phase: "idle" };
  private readonly listeners = new Set<ConnectionListener>();
  private client: OPCUAClient | null = null;
  private activeSession: ClientSession | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private certificates: { manager: OPCUACertificateManager; release(): Promise<void> } | null = null;

  constructor(
    readonly config: EndpointConfig,
    readonly pkiDir: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** Registers a worker; the connection starts with the first. Returns the unregister function. */
  register(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    listener(this.current, this.activeSession);
    if (this.current.phase === "idle") this.dispatch({ type: "start" });
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The live session, or an error saying why there is none. */
  session(): ClientSession {
    if (this.current.phase === "connected" && this.activeSession) return this.activeSession;
    const why = this.current.phase === "backing-off" || this.current.phase === "reconnecting" ? this.current.reason : this.current.phase;
    throw new Error(`not connected to ${this.config.endpointUrl}: ${why}`);
  }

  async close(): Promise<void> {
    this.dispatch({ type: "close" });
    await this.teardown();
    await this.certificates?.release();
    this.certificates = null;
  }

  private dispatch(event: ConnectionEvent): void {
    const previous = this.current;
    const next = transition(previous, event, this.config.backoff);
    if (next === previous) return;
    this.current = next;
    if (next.phase === "connecting") {
      this.connect().catch(this.onError);
    } else if (next.phase === "backing-off") {
      this.teardown().catch(this.onError);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.dispatch({ type: "retry" });
      }, next.retryInMs);
    }
    if (next.phase === "closed" && this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const session = next.phase === "connected" ? this.activeSession : null;
    for (const listener of [...this.listeners]) {
      try {
        listener(next, session);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private async connect(): Promise<void> {
    try {
      this.certificates ??= await acquireCertificateManager(this.pkiDir);
      if (this.current.phase === "closed") {
        await this.certificates.release();
        this.certificates = null;
        return;
      }
      // Trust decisions may have been taken since the last attempt (petroflow opcua-certs trust …).
      await this.certificates.manager.reloadCertificates();
    } catch (error) {
      this.dispatch({ type: "failed", reason: `OPC UA certificate store ${this.pkiDir}: ${(error as Error).message}` });
      return;
    }
    if (this.current.phase !== "connecting") return;
    const client = OPCUAClient.create({ ...clientOptions(this.config), clientCertificateManager: this.certificates.manager });
    this.client = client;
    try {
      await client.connect(this.config.endpointUrl);
      const session = await client.createSession(
        userIdentity(this.config.auth, { certificate: readCertificate, privateKeyPem: (file) => fs.readFileSync(file, "utf8") }),
      );
      if (this.client !== client || this.current.phase !== "connecting") {
        await session.close().catch(() => undefined);
        await client.disconnect();
        return;
      }
      this.activeSession = session;
      const mine = () => this.client === client;
      const lost = (reason: string) => {
        if (mine()) this.dispatch({ type: "lost", reason });
      };
      // From now on node-opcua repairs a broken link itself, for as long as it takes (backing off like we do).
      // A silent link is found by its session keep-alive, which then breaks the connection to start the repair.
      client.connectionStrategy.maxRetry = -1;
      client.on("connection_lost", () => {
        if (mine()) this.dispatch({ type: "interrupted", reason: "connection lost" });
      });
      session.on("session_restored", () => {
        if (mine()) this.dispatch({ type: "restored" });
      });
      // With repair on, "close" means it was given up (or we closed).
      client.on("close", (error?: Error | null) => lost(error ? `connection closed: ${error.message}` : "connection closed"));
      session.on("session_closed", () => lost("session closed by the server"));
      this.dispatch({ type: "connected" });
    } catch (error) {
      if (this.client === client) this.dispatch({ type: "failed", reason: failureReason(error, this.pkiDir, this.config.auth) });
      else await client.disconnect().catch(() => undefined);
    }
  }

  /** Drops the client of the last attempt: session (deleting its subscriptions), socket, node-opcua's own timers. */
  private async teardown(): Promise<void> {
    const client = this.client;
    const session = this.activeSession;
    this.client = null;
    this.activeSession = null;
    if (!client) return;
    if (session) {
      await creationsSettled(session, SUBSCRIPTION_CREATION_WAIT_MS);
      await session.close(true).catch(() => undefined);
    }
    await client.disconnect().catch(() => undefined);
  }
}
