/**
 * The site's OPC UA certificate store: the PKI folder the OPC UA client nodes
 * use (node-opcua layout: own/, trusted/certs/, rejected/, issuers/), in the
 * data dir. A server certificate nobody trusted yet is refused and lands in
 * rejected/; an operator lists it, checks the thumbprint with the server's
 * administrator and trusts it. Small API meant for `petroflow opcua-certs
 * list|trust|reject|remove` and the HTTP admin routes.
 */
import fs from "node:fs";
import path from "node:path";
import { crypto_utils, OPCUACertificateManager } from "node-opcua";

export type CertificateStatus = "trusted" | "rejected";

export interface StoredCertificate {
  /** SHA-1 thumbprint, hex lower case (what node-opcua and UaExpert show). */
  thumbprint: string;
  status: CertificateStatus;
  /** Subject common name (else the whole subject). */
  subject: string;
  applicationUri: string | null;
  notBefore: string;
  notAfter: string;
  /** Outside its validity period now. */
  expired: boolean;
  file: string;
}

/** A thumbprint that names no certificate, several, or is not a thumbprint at all. */
export class CertificateLookupError extends Error {
  constructor(
    readonly kind: "not_found" | "ambiguous" | "invalid",
    message: string,
    readonly count = 0,
  ) {
    super(message);
    this.name = "CertificateLookupError";
  }
}

/** `<dataDir>/pki/opcua`: where a site keeps its OPC UA client PKI. */
export { opcUaPkiDir } from "./pki-dir.js";

const managers = new Map<string, { manager: OPCUACertificateManager; ready: Promise<void>; users: number }>();

/**
 * The process-wide client certificate manager of a PKI folder (one per folder,
 * reference counted). Unknown server certificates are NEVER accepted
 * automatically: they are refused and written to rejected/.
 */
export async function acquireCertificateManager(pkiDir: string): Promise<{ manager: OPCUACertificateManager; release: () => Promise<void> }> {
  const key = path.resolve(pkiDir);
  let entry = managers.get(key);
  if (!entry) {
    const manager = new OPCUACertificateManager({ rootFolder: key, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true, name: "PetroflowOpcUaClient" });
    entry = { manager, ready: manager.initialize(), users: 0 };
    managers.set(key, entry);
  }
  entry.users++;
  const acquired = entry;
  try {
    await acquired.ready;
  } catch (error) {
    acquired.users--;
    if (acquired.users === 0) managers.delete(key);
    throw error;
  }
  let released = false;
  return {
    manager: acquired.manager,
    release: async () => {
      if (released) return;
      released = true;
      acquired.users--;
      if (acquired.users === 0 && managers.get(key) === acquired) {
        managers.delete(key);
        await acquired.manager.dispose();
      }
    },
  };
}

function derOf(file: string): Buffer {
  const content = fs.readFileSync(file);
  const text = content.toString("latin1");
  return text.includes("-----BEGIN CERTIFICATE-----") ? crypto_utils.convertPEMtoDER(text) : content;
}

function describe(file: string, status: CertificateStatus, now: number): StoredCertificate {
  const der = derOf(file);
  const { tbsCertificate } = crypto_utils.exploreCertificate(der);
  const subject = tbsCertificate.subject;
  const subjectText = subject.commonName ?? Object.entries(subject).map(([key, value]) => `${key}=${String(value)}`).join(", ");
  const notBefore = tbsCertificate.validity.notBefore;
  const notAfter = tbsCertificate.validity.notAfter;
  return {
    thumbprint: crypto_utils.makeSHA1Thumbprint(der).toString("hex").toLowerCase(),
    status,
    subject: subjectText,
    applicationUri: tbsCertificate.extensions?.subjectAltName?.uniformResourceIdentifier?.[0] ?? null,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    expired: now < notBefore.getTime() || now > notAfter.getTime(),
    file,
  };
}

function certificateFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.(pem|der|crt|cer)$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export class OpcUaCertificateStore {
  private constructor(
    readonly pkiDir: string,
    private readonly manager: OPCUACertificateManager,
    private readonly releaseManager: () => Promise<void>,
  ) {}

  /** Opens (creating if needed) the store in pkiDir. close() it when done. */
  static async open(pkiDir: string): Promise<OpcUaCertificateStore> {
    const { manager, release } = await acquireCertificateManager(pkiDir);
    return new OpcUaCertificateStore(path.resolve(pkiDir), manager, release);
  }

  /** Opens the store, runs action, and closes it whatever happens. */
  static async using<T>(pkiDir: string, action: (store: OpcUaCertificateStore) => Promise<T>): Promise<T> {
    const store = await OpcUaCertificateStore.open(pkiDir);
    try {
      return await action(store);
    } finally {
      await store.close();
    }
  }

  /** Trusted and rejected server certificates, trusted first. */
  async list(now: number = Date.now()): Promise<StoredCertificate[]> {
    return [
      ...certificateFiles(this.manager.trustedFolder).map((file) => describe(file, "trusted", now)),
      ...certificateFiles(this.manager.rejectedFolder).map((file) => describe(file, "rejected", now)),
    ];
  }

  /** Finds one certificate by thumbprint or a unique prefix of it (≥ 8 hex digits, case and colons ignored). */
  async find(thumbprint: string): Promise<StoredCertificate> {
    const wanted = thumbprint.replace(/:/g, "").toLowerCase();
    if (!/^[0-9a-f]{8,40}$/.test(wanted)) throw new CertificateLookupError("invalid", `a thumbprint is 8 to 40 hex digits, got ${JSON.stringify(thumbprint)}`);
    const matches = (await this.list()).filter((certificate) => certificate.thumbprint.startsWith(wanted));
    const distinct = new Set(matches.map((certificate) => certificate.thumbprint));
    if (distinct.size === 0) throw new CertificateLookupError("not_found", `no certificate ${wanted} in the OPC UA certificate store ${this.pkiDir}`);
    if (distinct.size > 1) {
      throw new CertificateLookupError("ambiguous", `thumbprint prefix ${wanted} matches ${distinct.size} certificates: give more digits`, distinct.size);
    }
    return matches.find((certificate) => certificate.status === "trusted") ?? matches[0];
  }

  /** Trusts a (usually rejected) server certificate: the clients accept it from their next connection. */
  async trust(thumbprint: string): Promise<StoredCertificate> {
    const certificate = await this.find(thumbprint);
    await this.manager.trustCertificate(derOf(certificate.file));
    return this.find(certificate.thumbprint);
  }

  /**
   * Trusts a certificate handed over directly rather than met on a
   * connection: the demo trusts its own in-process simulator this way.
   */
  async trustCertificate(der: Buffer): Promise<StoredCertificate> {
    await this.manager.trustCertificate(der);
    return this.find(crypto_utils.makeSHA1Thumbprint(der).toString("hex"));
  }

  /** Moves a certificate to rejected: servers presenting it are refused. */
  async reject(thumbprint: string): Promise<StoredCertificate> {
    const certificate = await this.find(thumbprint);
    await this.manager.rejectCertificate(derOf(certificate.file));
    return this.find(certificate.thumbprint);
  }

  /** Forgets a certificate (trusted or rejected); a server presenting it again is rejected as unknown. */
  async remove(thumbprint: string): Promise<StoredCertificate> {
    const certificate = await this.find(thumbprint);
    if (certificate.status === "trusted") await this.manager.removeTrustedCertificate(certificate.thumbprint);
    for (const file of (await this.list()).filter((c) => c.thumbprint === certificate.thumbprint).map((c) => c.file)) fs.rmSync(file, { force: true });
    return certificate;
  }

  async close(): Promise<void> {
    await this.releaseManager();
  }
}

/** Lines for `petroflow opcua-certs list`: one certificate a line. */
export function formatCertificates(certificates: readonly StoredCertificate[]): string[] {
  if (certificates.length === 0) return ["no OPC UA server certificates in the store"];
  return certificates.map(
    (c) => `${c.status.padEnd(8)} ${c.thumbprint}  ${c.subject}  valid ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}${c.expired ? " (EXPIRED)" : ""}`,
  );
}
