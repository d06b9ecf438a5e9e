import type { TSchema } from "@sinclair/typebox";
import type { AuditEntry } from "../audit/audit-service.js";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "../db/database-errors.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { SpoolError, type Spool, type SpoolRecord } from "../spool/spool.js";
import { parseInput } from "../../erp-modules/production/entry-service.js";
import {
  DowntimeInputSchema,
  MeterReadingInputSchema,
  RunTicketInputSchema,
  TankGaugeInputSchema,
  WellTestInputSchema,
  type DowntimeInput,
  type MeterReadingInput,
  type RunTicketInput,
  type TankGaugeInput,
  type WellTestInput,
} from "../../erp-modules/production/entry-schemas.js";
import type { EntryInput, ProductionEntryPort, RecordedEntry } from "../../erp-modules/production/ports.js";
import { ServiceError } from "../../erp-modules/shared/service-error.js";
import { withDeadline } from "./deadline.js";
import type { FlowEntryWaiting } from "./schema.js";
import { FLOW_ENTRY_OPERATIONS, type FlowEntries, type FlowEntryEvent, type FlowEntryOperation, type FlowEntryOutcome } from "./flow-entry-port.js";
import { DrainPause } from "../spool/drain-pause.js";

/** What one spool record holds: the port call to make, as the node made it. */
interface SpooledEntry {
  v: 1;
  operation: FlowEntryOperation;
  input: Record<string, unknown>;
  actor: string;
}

const SCHEMAS: Readonly<Record<FlowEntryOperation, TSchema>> = {
  recordTankGauge: TankGaugeInputSchema,
  recordMeterReading: MeterReadingInputSchema,
  recordRunTicket: RunTicketInputSchema,
  recordDowntime: DowntimeInputSchema,
  proposeWellTest: WellTestInputSchema,
};

/** The audit log's entity type per operation, as the production service writes it. */
const ENTITY_TYPES: Readonly<Record<FlowEntryOperation, string>> = {
  recordTankGauge: "tank_gauge",
  recordMeterReading: "meter_reading",
  recordRunTicket: "run_ticket",
  recordDowntime: "downtime_event",
  proposeWellTest: "well_test",
};

export const REFUSED_ACTION = "production.flow_entry.refused";

function callPort(port: ProductionEntryPort, operation: FlowEntryOperation, input: Record<string, unknown>, actor: string): Promise<RecordedEntry> {
  // The port validates every input against its schema, so the casts only name the method's type.
  switch (operation) {
    case "recordTankGauge":
      return port.recordTankGauge(input as EntryInput<TankGaugeInput>, actor);
    case "recordMeterReading":
      return port.recordMeterReading(input as EntryInput<MeterReadingInput>, actor);
    case "recordRunTicket":
      return port.recordRunTicket(input as EntryInput<RunTicketInput>, actor);
    case "recordDowntime":
      return port.recordDowntime(input as EntryInput<DowntimeInput>, actor);
    case "proposeWellTest":
      return port.proposeWellTest(input as EntryInput<WellTestInput>, actor);
  }
}

function isOperation(value: unknown): value is FlowEntryOperation {
  return typeof value === "string" && (FLOW_ENTRY_OPERATIONS as readonly string[]).includes(value);
}

function parseSpooled(data: Buffer): SpooledEntry | null {
  try {
    const value = JSON.parse(data.toString("utf8")) as Partial<SpooledEntry>;
    if (value.v !== 1 || !isOperation(value.operation) || typeof value.actor !== "string" || typeof value.input !== "object" || value.input === null) return null;
    return { v: 1, operation: value.operation, input: value.input, actor: value.actor };
  } catch {
    return null;
  }
}

export interface FlowEntrySpoolOptions {
  /** Opened by the caller; closed by close(). */
  spool: Spool;
  production: ProductionEntryPort;
  /** Where refused entries are recorded for operators. */
  audit: { record(entry: AuditEntry): Promise<void> };
  logger: Logger;
  metrics?: Pick<Metrics, "flowEntries">;
  /** A port call that has not answered after this long counts as "database unavailable". */
  writeTimeoutMs: number;
  /** Backoff between drain attempts while the database is away: from initialMs, doubling, up to maxMs. */
  retry: { initialMs: number; maxMs: number };
  /** Attempts for an entry whose write fails with an error that is neither a business error nor unavailability, before it is refused. */
  maxUnexpectedAttempts?: number;
  /** Jitter source in [0, 1) (tests fix it). */
  random?: () => number;
}

/**
 * Writes entries recorded by flows through the production service, and
 * keeps them in a durable spool while the database is unavailable
 * (docs/spool.md). A drainer in the runtime, not in any node, writes the
 * spooled entries in order when the database returns; their sourceKey
 * makes each write idempotent, so an entry is recorded once however often
 * the drain is interrupted. While entries wait, new ones queue behind them
 * so the order flows recorded them in is kept.
 */
export class FlowEntrySpool implements FlowEntries {
  private readonly byActor = new Map<string, number>();
  private readonly watchers = new Map<string, Set<(event: FlowEntryEvent) => void>>();
  /** Appends started and not yet finished: they count as waiting for the "is there a backlog" question. */
  private appending = 0;
  private refused = 0;
  private nextAttemptAtMs: number | null = null;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private readonly drainPause = new DrainPause();
  private readonly maxUnexpectedAttempts: number;
  /** Rejects when close() is called, so a drain attempt still waiting for the database ends at once. */
  private readonly stopSignal: Promise<never>;
  private signalStop: () => void = () => undefined;

  private constructor(private readonly options: FlowEntrySpoolOptions) {
    this.maxUnexpectedAttempts = options.maxUnexpectedAttempts ?? 5;
    this.stopSignal = new Promise<never>((_resolve, reject) => {
      this.signalStop = () => reject(new DatabaseUnavailableError("the flow entry service is stopping"));
    });
    // Only the drain races against it; before that nobody listens.
    this.stopSignal.catch(() => undefined);
  }

  /** Counts what already waits in the spool (after a restart), per node, and returns the service; start() begins draining. */
  static async open(options: FlowEntrySpoolOptions): Promise<FlowEntrySpool> {
    const service = new FlowEntrySpool(options);
    let from: SpoolRecord["next"] | undefined;
    for (;;) {
      const batch = await options.spool.read({ from, maxRecords: 1000 });
      if (batch.length === 0) break;
      for (const record of batch) {
        const entry = parseSpooled(record.data);
        if (entry) service.byActor.set(entry.actor, (service.byActor.get(entry.actor) ?? 0) + 1);
      }
      from = batch.at(-1)!.next;
    }
    const waiting = options.spool.depth().records;
    if (waiting > 0) options.logger.warn({ waiting }, "flow entries wait in the spool from before the restart; writing them when the database answers");
    return service;
  }

  async record(operation: FlowEntryOperation, input: Record<string, unknown>, actor: string): Promise<FlowEntryOutcome> {
    if (this.stopped) throw new Error("the flow entry service is stopped");
    const sourceKey = input.sourceKey;
    if (typeof sourceKey !== "string" || sourceKey === "") {
      throw new ServiceError("invalid_input", "sourceKey is required for entries from flows (it makes a retried write idempotent)", { field: "sourceKey", reason: "required" });
    }
    // A bad entry fails now, as it would through the port, rather than when it is drained.
    parseInput(SCHEMAS[operation], input);
    if (this.options.spool.depth().records === 0 && this.appending === 0) {
      try {
        const recorded = await withDeadline(callPort(this.options.production, operation, input, actor), this.options.writeTimeoutMs);
        this.options.metrics?.flowEntries.inc({ outcome: "recorded" });
        return { queued: false, recorded };
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.options.logger.warn({ err: error, actor, operation, sourceKey }, "database unavailable: the flow entry waits in the spool");
      }
    }
    return this.enqueue({ v: 1, operation, input, actor }, sourceKey);
  }

  private async enqueue(entry: SpooledEntry, sourceKey: string): Promise<FlowEntryOutcome> {
    this.appending += 1;
    // Counted before the append resolves, so a drain that writes it at once can never count it down first.
    const waiting = this.countFor(entry.actor, +1);
    try {
      await this.options.spool.append(Buffer.from(JSON.stringify(entry), "utf8"));
    } catch (error) {
      this.countFor(entry.actor, -1);
      this.options.metrics?.flowEntries.inc({ outcome: error instanceof SpoolError && error.code === "spool_full" ? "spool_full" : "spool_error" });
      throw new Error(`entry not recorded: the database is unavailable and it could not wait in the spool: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    } finally {
      this.appending -= 1;
    }
    this.options.metrics?.flowEntries.inc({ outcome: "queued" });
    this.notify(entry.actor, { waiting: this.waiting(entry.actor) });
    this.drainPause.wake();
    return { queued: true, sourceKey, waiting };
  }

  waiting(actor: string): number {
    return this.byActor.get(actor) ?? 0;
  }

  watch(actor: string, listener: (event: FlowEntryEvent) => void): () => void {
    let listeners = this.watchers.get(actor);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(actor, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.watchers.delete(actor);
    };
  }

  status(nowMs = Date.now()): FlowEntryWaiting {
    const depth = this.options.spool.depth();
    return {
      waiting: depth.records,
      bytes: depth.bytes,
      oldestQueuedAt: depth.oldestAppendedAtMs === null ? null : new Date(depth.oldestAppendedAtMs).toISOString(),
      oldestAgeSeconds: depth.oldestAppendedAtMs === null ? null : Math.max(0, Math.round((nowMs - depth.oldestAppendedAtMs) / 100) / 10),
      maxRecords: this.options.spool.limits.maxRecords,
      maxBytes: this.options.spool.limits.maxBytes,
      retrying: this.nextAttemptAtMs !== null,
      nextAttemptAt: this.nextAttemptAtMs === null ? null : new Date(this.nextAttemptAtMs).toISOString(),
      refusedSinceStart: this.refused,
    };
  }

  /** Starts the drainer (once). */
  start(): void {
    this.draining ??= this.drainLoop();
  }

  /**
   * Stops the drainer and closes the spool; what waits stays on disk. An
   * attempt in progress is abandoned: if it commits anyway, the next start
   * finds the entry by its sourceKey and records nothing twice.
   */
  async close(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    this.drainPause.wake();
    await this.draining;
    await this.options.spool.close();
  }

  private countFor(actor: string, change: number): number {
    const count = Math.max(0, (this.byActor.get(actor) ?? 0) + change);
    if (count === 0) this.byActor.delete(actor);
    else this.byActor.set(actor, count);
    return count;
  }

  private notify(actor: string, event: FlowEntryEvent): void {
    for (const listener of this.watchers.get(actor) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.warn({ err: error, actor }, "a flow entry watcher failed");
      }
    }
  }

  private backoffMs(failures: number): number {
    const { initialMs, maxMs } = this.options.retry;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
    // ±20 % so several sites (or spools) do not retry in step.
    return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * (this.options.random ?? Math.random)())));
  }

  /** Waits out a backoff; appends do not cut it short (the database is still away), close does. */
  private async backOff(failures: number, reason: unknown, waiting: number): Promise<void> {
    const delayMs = this.backoffMs(failures);
    this.nextAttemptAtMs = Date.now() + delayMs;
    const log = { err: reason, waiting, retryInMs: delayMs, failures };
    if (failures === 1) this.options.logger.warn(log, "flow entries wait: the database is unavailable");
    else this.options.logger.info(log, "flow entries still wait for the database");
    const started = Date.now();
    while (!this.stopped && Date.now() - started < delayMs) {
      await this.drainPause.wait(delayMs - (Date.now() - started));
    }
  }

  /** A database call of the drain: bounded by writeTimeoutMs, and abandoned when the service stops. */
  private attempt<T>(work: Promise<T>): Promise<T> {
    return Promise.race([withDeadline(work, this.options.writeTimeoutMs), this.stopSignal]);
  }

  private async drainLoop(): Promise<void> {
    let unavailable = 0;
    let unexpected = 0;
    while (!this.stopped) {
      try {
        const [record] = await this.options.spool.read({ maxRecords: 1 });
        if (!record) {
          this.nextAttemptAtMs = null;
          await this.drainPause.wait();
          continue;
        }
        const entry = parseSpooled(record.data);
        if (!entry) {
          // The crc passed, so this is not damage: a record this version cannot read. Keep the queue moving.
          this.options.logger.error({ record: record.data.toString("utf8").slice(0, 500) }, "a spooled flow entry could not be read; skipped");
          await this.options.spool.ack(record);
          continue;
        }
        try {
          const recorded = await this.attempt(callPort(this.options.production, entry.operation, entry.input, entry.actor));
          await this.options.spool.ack(record);
          if (unavailable > 0) this.options.logger.info({ waiting: this.options.spool.depth().records }, "the database answers again: writing the flow entries that waited");
          unavailable = 0;
          unexpected = 0;
          this.nextAttemptAtMs = null;
          this.options.metrics?.flowEntries.inc({ outcome: "drained" });
          this.options.logger.debug({ id: recorded.id, replayed: recorded.replayed, actor: entry.actor, sourceKey: entry.input.sourceKey }, "spooled flow entry written");
          this.notify(entry.actor, { waiting: this.countFor(entry.actor, -1) });
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            unavailable += 1;
            await this.backOff(unavailable, error, this.options.spool.depth().records);
            continue;
          }
          unexpected += 1;
          if (!(error instanceof ServiceError) && unexpected < this.maxUnexpectedAttempts) {
            await this.backOff(unexpected, error, this.options.spool.depth().records);
            continue;
          }
          await this.refuse(record, entry, error);
          unexpected = 0;
        }
      } catch (error) {
        // The spool or the audit log failed: nothing is lost (the record stays), so wait and try again.
        unavailable += 1;
        await this.backOff(unavailable, error, this.options.spool.depth().records);
      }
    }
  }

  /**
   * An entry the service refuses for good (a business rule, a bad asset)
   * must not hold the queue: it is recorded in the audit log, logged, told
   * to its node, and acknowledged. When the audit write itself finds the
   * database away, the entry stays and the whole step is retried.
   */
  private async refuse(record: SpoolRecord, entry: SpooledEntry, error: unknown): Promise<void> {
    const failure = error instanceof Error ? error : new Error(String(error));
    const code = failure instanceof ServiceError ? failure.code : "unexpected";
    const queuedAt = new Date(record.appendedAtMs).toISOString();
    try {
      await this.attempt(this.options.audit.record({
        actor: entry.actor,
        action: REFUSED_ACTION,
        entityType: ENTITY_TYPES[entry.operation],
        after: entry.input,
        details: { operation: entry.operation, sourceKey: entry.input.sourceKey, queuedAt, error: { code, message: failure.message } },
      }));
    } catch (auditError) {
      if (isDatabaseUnavailable(auditError)) throw auditError;
      // The log line below is then the only record: it carries the whole entry.
      this.options.logger.error({ err: auditError }, "the refused flow entry could not be written to the audit log");
    }
    this.options.logger.error(
      { err: failure, actor: entry.actor, operation: entry.operation, sourceKey: entry.input.sourceKey, queuedAt, input: entry.input },
      "a spooled flow entry was refused when written; it is dropped from the spool (see the audit log, action production.flow_entry.refused)",
    );
    await this.options.spool.ack(record);
    this.refused += 1;
    this.options.metrics?.flowEntries.inc({ outcome: "refused" });
    this.notify(entry.actor, { waiting: this.countFor(entry.actor, -1), refused: { operation: entry.operation, input: entry.input, error: failure } });
  }
}
