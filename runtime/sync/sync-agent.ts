import fs from "node:fs";
import path from "node:path";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Logger } from "../observability/logger.js";
import type { Outbox, OutboxRecord } from "./outbox.js";
import type { SyncPushRequest, SyncPushResponse, SyncRecord } from "./sync-schema.js";

/** The file in the data dir that holds the site's push credential when PETROFLOW_SYNC_TOKEN is not set. */
export const SYNC_CREDENTIAL_FILE = "sync-credential";

/**
 * The site's push credential: the setting, else `<data dir>/sync-credential`,
 * which must be readable by the service user alone (a secret on disk).
 */
export function loadSyncCredential(dataDir: string, fromSetting: string | undefined): string | undefined {
  if (fromSetting) return fromSetting;
  const file = path.join(dataDir, SYNC_CREDENTIAL_FILE);
  if (!fs.existsSync(file)) return undefined;
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}): chmod 600 it; the sync credential is a secret`);
  }
  const token = fs.readFileSync(file, "utf8").trim();
  return token.length > 0 ? token : undefined;
}

/**
 * What the agent is doing: `idle` (nothing waits), `sending`, `retrying`
 * (the link or the cloud failed; it retries with backoff), `refused` (401
 * or 403: the credential is wrong, revoked or the site disabled; it stops
 * until restarted), `rejected` (the cloud refused a batch as malformed or
 * not matching what it stored: a bug to report; it stops).
 */
export type SyncAgentState = "starting" | "idle" | "sending" | "retrying" | "refused" | "rejected" | "stopped";

export interface SyncAgentStatus {
  state: SyncAgentState;
  /** Rows committed but not acknowledged by the cloud. */
  pending: number;
  acknowledgedThrough: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Age in seconds of the oldest row not acknowledged (0 when none waits). */
  lagSeconds: number;
  nextAttemptAt: string | null;
  conflictsReported: number;
}

export interface SyncAgentOptions {
  outbox: Outbox;
  siteId: string;
  /** The cloud's base URL; the agent posts to <url>/api/v1/sync/push. */
  url: string;
  token: string;
  batchSize: number;
  intervalMs: number;
  timeoutMs: number;
  retryMaxMs: number;
  appVersion: string;
  /** Bytes waiting in the site's spools, reported with each push. */
  spoolBytes: () => number;
  logger: Logger;
  registry?: Registry;
  /** Tests: a deterministic jitter. */
  random?: () => number;
}

/** First retry delay; doubles per failure up to retryMaxMs. */
const RETRY_BASE_MS = 1000;

/**
 * The edge's sync agent (docs/sync.md): an independent loop that drains
 * the outbox to the cloud in sequence order, batch by batch, and marks rows
 * sent up to what the cloud acknowledged. It only reads the outbox and
 * marks rows sent, so a site's writes never wait on it or on the link;
 * every push has a timeout. A dead link retries with capped exponential
 * backoff and jitter; the outbox grows meanwhile and drains in order when
 * the link returns.
 */
export class SyncAgent {
  private state: SyncAgentState = "starting";
  private acknowledged = 0;
  private pending = 0;
  private oldestPendingAtMs: number | null = null;
  private lastSuccessAtMs: number | null = null;
  private lastError: string | null = null;
  private nextAttemptAtMs: number | null = null;
  private failures = 0;
  private conflictsReported = 0;
  /** After a 409 sync_gap: the sequence the cloud expects, sent again even if marked sent here. */
  private resendFrom: number | null = null;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private inFlight: AbortController | undefined;
  private readonly sent: Counter | undefined;

  constructor(private readonly options: SyncAgentOptions) {
    const registry = options.registry;
    if (registry) {
      const gauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      gauge("petroflow_sync_outbox_pending", "Outbox rows committed but not yet acknowledged by the cloud", () => this.pending);
      gauge("petroflow_sync_lag_seconds", "Age of the oldest outbox row the cloud has not acknowledged (0 when none waits)", () => this.lagSeconds());
      gauge("petroflow_sync_last_success_timestamp_seconds", "When the cloud last acknowledged a push (0: never since start)", () =>
        this.lastSuccessAtMs === null ? 0 : this.lastSuccessAtMs / 1000,
      );
      gauge("petroflow_sync_up", "1 while the agent pushes normally (idle or sending), 0 while it retries or is refused", () =>
        this.state === "idle" || this.state === "sending" ? 1 : 0,
      );
      this.sent = new Counter({ name: "petroflow_sync_records_sent_total", help: "Outbox rows the cloud acknowledged", registers: [registry] });
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ends the loop; a push in flight is aborted (its rows stay unsent and go again next start). */
  async stop(): Promise<void> {
    this.running = false;
    this.inFlight?.abort();
    this.wake?.();
    await this.loop;
    this.state = "stopped";
  }

  /** Pushes now instead of at the next interval (a test, or a site that just wrote). */
  nudge(): void {
    this.wake?.();
  }

  status(): SyncAgentStatus {
    return {
      state: this.state,
      pending: this.pending,
      acknowledgedThrough: this.acknowledged,
      lastSuccessAt: this.lastSuccessAtMs === null ? null : new Date(this.lastSuccessAtMs).toISOString(),
      lastError: this.lastError,
      lagSeconds: this.lagSeconds(),
      nextAttemptAt: this.nextAttemptAtMs === null ? null : new Date(this.nextAttemptAtMs).toISOString(),
      conflictsReported: this.conflictsReported,
    };
  }

  private lagSeconds(): number {
    return this.oldestPendingAtMs === null ? 0 : Math.max(0, (Date.now() - this.oldestPendingAtMs) / 1000);
  }

  private async run(): Promise<void> {
    this.acknowledged = await this.options.outbox.lastSentSequence().catch(() => 0);
    while (this.running) {
      let waitMs: number;
      try {
        const outcome = await this.pushOnce();
        if (outcome === "stop") break;
        waitMs = outcome === "more" ? 0 : this.options.intervalMs;
        this.failures = 0;
        this.nextAttemptAtMs = null;
      } catch (error) {
        if (!this.running) break;
        this.failures += 1;
        waitMs = this.backoffMs();
        this.state = "retrying";
        this.lastError = error instanceof Error ? error.message : String(error);
        this.nextAttemptAtMs = Date.now() + waitMs;
        // The first failure of a run is worth a warning; the rest would flood the log during a long outage.
        const log = this.failures === 1 ? this.options.logger.warn.bind(this.options.logger) : this.options.logger.debug.bind(this.options.logger);
        log({ err: error, failures: this.failures, retryInMs: waitMs }, "sync push failed; retrying");
      }
      if (waitMs > 0 && this.running) await this.sleep(waitMs);
    }
  }

  /** Capped exponential backoff, jittered down to half so many sites do not retry in step. */
  private backoffMs(): number {
    const capped = Math.min(this.options.retryMaxMs, RETRY_BASE_MS * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(capped / 2 + (capped / 2) * (this.options.random ?? Math.random)());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One batch: "more" when a full batch went (push again at once), "idle" when the outbox is drained, "stop" when refused. */
  private async pushOnce(): Promise<"more" | "idle" | "stop"> {
    const { outbox, batchSize } = this.options;
    const rows = this.resendFrom !== null ? await outbox.fromSequence(this.resendFrom, batchSize) : await outbox.unsentOfSite(batchSize);
    const lastCommitted = await outbox.lastSequence();
    this.pending = Math.max(0, lastCommitted - this.acknowledged);
    this.oldestPendingAtMs = rows[0] ? Date.parse(rows[0].createdAt) : null;
    this.state = rows.length > 0 ? "sending" : this.state === "retrying" ? "retrying" : "idle";
    const request: SyncPushRequest = {
      siteId: this.options.siteId,
      records: rows.map(toWire),
      health: {
        outboxPending: this.pending,
        ...(rows[0] ? { oldestPendingAt: rows[0].createdAt } : {}),
        spoolBytes: this.options.spoolBytes(),
        appVersion: this.options.appVersion,
      },
    };
    const controller = new AbortController();
    this.inFlight = controller;
    const timeout = setTimeout(() => controller.abort(new Error(`no answer from the cloud within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(new URL("api/v1/sync/push", withSlash(this.options.url)), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify(request),
        signal: controller.signal,
      });
      body = await response.json().catch(() => null);
    } finally {
      clearTimeout(timeout);
      this.inFlight = undefined;
    }
    if (response.status === 401 || response.status === 403) {
      this.state = "refused";
      this.lastError = `the cloud refused the site's credential (HTTP ${response.status}): ${errorMessage(body)}`;
      this.options.logger.error({ status: response.status }, `${this.lastError}; sync stops until the credential is fixed and the site restarted`);
      return "stop";
    }
    if (response.status === 409 && errorCode(body) === "sync_gap") {
      const expected = expectedSequence(body);
      if (expected === null) throw new Error(`the cloud answered sync_gap without the expected sequence`);
      this.options.logger.warn({ expected, from: rows[0]?.sequence }, "the cloud misses earlier records; sending again from its expected sequence");
      this.resendFrom = expected;
      return "more";
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new Error(`the cloud answered HTTP ${response.status}: ${errorMessage(body)}`);
    }
    if (!response.ok) {
      this.state = "rejected";
      this.lastError = `the cloud rejected a batch (HTTP ${response.status}): ${errorMessage(body)}`;
      this.options.logger.error({ status: response.status, from: rows[0]?.sequence }, `${this.lastError}; sync stops`);
      return "stop";
    }
    const answer = body as SyncPushResponse;
    if (answer.acknowledgedThrough > this.acknowledged || this.resendFrom !== null) {
      const marked = await outbox.markSentThrough(answer.acknowledgedThrough);
      this.sent?.inc(marked);
      this.acknowledged = answer.acknowledgedThrough;
    }
    if (this.resendFrom !== null && (rows.length < batchSize || answer.acknowledgedThrough >= lastCommitted)) this.resendFrom = null;
    else if (this.resendFrom !== null) this.resendFrom = answer.acknowledgedThrough + 1;
    for (const conflict of answer.conflicts) {
      this.conflictsReported += 1;
      this.options.logger.warn({ conflict }, "the cloud refused a change of this site's (ownership); it is kept as a conflict on the cloud");
    }
    this.lastSuccessAtMs = Date.now();
    this.lastError = null;
    this.pending = Math.max(0, lastCommitted - this.acknowledged);
    const drained = rows.length < batchSize;
    this.oldestPendingAtMs = drained ? null : this.oldestPendingAtMs;
    this.state = drained ? "idle" : "sending";
    return drained ? "idle" : "more";
  }
}

function toWire(row: OutboxRecord): SyncRecord {
  return {
    sequence: row.sequence,
    id: row.id,
    module: row.module,
    entityType: row.entityType,
    entityId: row.entityId,
    operation: row.operation,
    ...(row.rowVersion === undefined ? {} : { rowVersion: row.rowVersion }),
    payload: row.payload,
    committedAt: row.createdAt,
  };
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function errorOf(body: unknown): { code?: unknown; message?: unknown; details?: { params?: { expected?: unknown } } } | undefined {
  return body !== null && typeof body === "object" ? (body as { error?: ReturnType<typeof errorOf> }).error : undefined;
}

function errorCode(body: unknown): unknown {
  return errorOf(body)?.code;
}

function errorMessage(body: unknown): string {
  const message = errorOf(body)?.message;
  return typeof message === "string" ? message : "(no message)";
}

function expectedSequence(body: unknown): number | null {
  const expected = errorOf(body)?.details?.params?.expected;
  return typeof expected === "number" && Number.isInteger(expected) && expected > 0 ? expected : null;
}
