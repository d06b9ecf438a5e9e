import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../db/database.js";
import { probeDatabase } from "../db/probe.js";
import type { FlowEntryWaiting } from "../flow-entries/schema.js";
import type { Logger } from "../observability/logger.js";
import type { SystemAlarms } from "./alarm-types.js";

/**
 * The runtime's own alarms that nothing else raises: the database not
 * answering, the flow-entry spool filling, OPC UA certificates about to
 * expire. (Device communication is judged by the engine from tag quality;
 * the historian raises its own spool alarm.) Each check is bounded and its
 * failure is logged, never thrown.
 */

export const DATABASE_ALARM_KEY = "database:unreachable";
export const FLOW_ENTRY_SPOOL_ALARM_KEY = "spool:flow-entries:filling";

export interface CertificateInfo {
  thumbprint: string;
  subject: string;
  /** ISO time. */
  notAfter: string;
}

export interface SystemAlarmMonitorOptions {
  alarms: SystemAlarms;
  db: Database;
  logger: Logger;
  /** The OPC UA certificates the site trusts and presents. */
  certificates?: () => Promise<CertificateInfo[]>;
  certificateWarnDays: number;
  /** The flow-entry spool raises its alarm at this fill (percent of records or bytes). */
  spoolWarnPercent?: number;
  /** Database and spool checks. */
  intervalMs?: number;
  /** Certificates change rarely: checked this often. */
  certificateIntervalMs?: number;
  probeTimeoutMs?: number;
  now?: () => number;
}

/**
 * The site's own OPC UA client certificate (own/certs) and the server
 * certificates it trusts (trusted/certs), read straight from the PKI folder
 * (node:crypto parses PEM and DER): no certificate manager, no lock, and
 * nothing created when the site has no OPC UA at all.
 */
export async function readPkiCertificates(pkiDir: string): Promise<CertificateInfo[]> {
  const found: CertificateInfo[] = [];
  for (const folder of [path.join(pkiDir, "own", "certs"), path.join(pkiDir, "trusted", "certs")]) {
    let names: string[];
    try {
      names = await fs.promises.readdir(folder);
    } catch {
      continue;
    }
    for (const name of names.filter((file) => /\.(pem|der|crt|cer)$/i.test(file))) {
      try {
        const certificate = new X509Certificate(await fs.promises.readFile(path.join(folder, name)));
        const subject = /CN=([^\n,]+)/.exec(certificate.subject)?.[1] ?? certificate.subject;
        found.push({ thumbprint: certificate.fingerprint.replace(/:/g, "").toLowerCase(), subject, notAfter: new Date(certificate.validTo).toISOString() });
      } catch {
        // Not a certificate (a key or a CRL in the same folder): nothing to expire.
      }
    }
  }
  return found;
}

/** How full the spool is: the larger of records and bytes, in percent. */
export function spoolFillPercent(status: FlowEntryWaiting): number {
  return Math.max(status.waiting / status.maxRecords, status.bytes / status.maxBytes) * 100;
}

export class SystemAlarmMonitors {
  private flowEntries: (() => FlowEntryWaiting) | null = null;
  private readonly raisedCertificates = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(private readonly options: SystemAlarmMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The flow-entry spool opens after the site's services (main.ts hands it over). */
  watchFlowEntrySpool(status: () => FlowEntryWaiting): void {
    this.flowEntries = status;
  }

  start(): void {
    const fast = setInterval(() => void this.checkDatabaseAndSpool(), this.options.intervalMs ?? 15_000);
    const slow = setInterval(() => void this.checkCertificates(), this.options.certificateIntervalMs ?? 3600_000);
    fast.unref();
    slow.unref();
    this.timers.push(fast, slow);
    void this.checkCertificates();
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  async checkDatabaseAndSpool(): Promise<void> {
    const { alarms } = this.options;
    const answered = await probeDatabase(this.options.db, this.options.probeTimeoutMs ?? 5_000);
    if (answered) alarms.clear(DATABASE_ALARM_KEY);
    else alarms.raise(DATABASE_ALARM_KEY, { priority: "critical", area: "system", message: "Database unreachable: history, journal and entries wait in memory or on disk" });
    if (!this.flowEntries) return;
    try {
      const status = this.flowEntries();
      const percent = spoolFillPercent(status);
      if (percent >= (this.options.spoolWarnPercent ?? 80)) {
        alarms.raise(FLOW_ENTRY_SPOOL_ALARM_KEY, {
          priority: percent >= 95 ? "critical" : "high",
          area: "system",
          message: `Flow-entry spool ${Math.floor(percent)}% full (${status.waiting} entries waiting for the database)`,
          value: Math.floor(percent),
        });
      } else {
        alarms.clear(FLOW_ENTRY_SPOOL_ALARM_KEY);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, "reading the flow-entry spool for its alarm failed");
    }
  }

  async checkCertificates(): Promise<void> {
    const read = this.options.certificates;
    if (!read) return;
    let certificates: CertificateInfo[];
    try {
      certificates = await read();
    } catch (error) {
      this.options.logger.warn({ err: error }, "reading OPC UA certificates for their expiry alarms failed");
      return;
    }
    const { alarms } = this.options;
    const warnMs = this.options.certificateWarnDays * 86_400_000;
    const expiring = new Set<string>();
    for (const certificate of certificates) {
      const leftMs = Date.parse(certificate.notAfter) - this.now();
      if (!(leftMs < warnMs)) continue;
      const key = `opcua-cert:${certificate.thumbprint}`;
      expiring.add(key);
      const days = Math.floor(leftMs / 86_400_000);
      alarms.raise(key, {
        priority: leftMs <= 0 ? "critical" : days < 7 ? "high" : "medium",
        area: "system",
        message: leftMs <= 0 ? `OPC UA certificate ${certificate.subject} has expired` : `OPC UA certificate ${certificate.subject} expires in ${days} days`,
        value: days,
      });
    }
    for (const key of this.raisedCertificates) if (!expiring.has(key)) alarms.clear(key);
    this.raisedCertificates.clear();
    for (const key of expiring) this.raisedCertificates.add(key);
  }
}
