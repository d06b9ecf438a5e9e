import { isDatabaseUnavailable } from "../db/database-errors.js";
import { outsideUnitOfWork } from "../db/unit-of-work.js";
import { withDeadline } from "../flow-entries/deadline.js";
import type { Logger } from "../observability/logger.js";
import type { SystemAlarms } from "../alarms/alarm-types.js";
import { SpoolError, type Spool, type SpoolRecord } from "../spool/spool.js";
import type { TagQuality, TagScalar } from "../tags/tag-types.js";
import type { HistorianMetrics } from "./historian-metrics.js";
import type { HistoryRow, HistorySink } from "./history-sink.js";
import { DrainPause } from "../spool/drain-pause.js";

/** What a full spool does with a batch that does not fit: refuse it (count it dropped), or drop the oldest batches to make room. */
export type SpoolFullPolicy = "drop-newest" | "drop-oldest";

export const SPOOL_FULL_ALARM = "spool:historian:full";

export interface HistoryWriterOptions {
  sink: HistorySink;
  /** Store-and-forward: batches the database cannot take in time wait here. Without one they are dropped. */
  spool?: Spool;
  flushMs: number;
  /** A batch is written as soon as this many rows wait (and at most this many go in one live batch). */
  batchRows: number;
  /** A write that has not committed after this long counts as failed: the batch goes to the spool. */
  writeTimeoutMs: number;
  /** Rows per transaction when draining the spool: large, so the drain outruns the ingest. */
  drainBatchRows?: number;
  fullPolicy: SpoolFullPolicy;
  /** Backoff between drain attempts while the database is away. */
  retry?: { initialMs: number; maxMs: number };
  /** Values older than this (epoch ms) are not stored: retention would drop them (null: no limit). */
  retentionCutoff?: () => number | null;
  logger: Logger;
  metrics?: HistorianMetrics;
  alarms?: SystemAlarms;
  random?: () => number;
}

interface Waiting {
  rows: readonly HistoryRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per spool record: records stay well under the spool's 1 MiB record limit. */
const ROWS_PER_RECORD = 2000;
/** A drain batch that fails with neither unavailability nor a timeout is retried this often, then dropped (it would block the queue). */
const MAX_UNEXPECTED_ATTEMPTS = 5;
/** Rate window of the ingest estimate (capacity metric). */
const RATE_WINDOW_MS = 60_000;
/** At close, a live write gets this long before its batch goes to the spool: the shutdown has a deadline. */
const CLOSE_WRITE_TIMEOUT_MS = 1000;

type SpooledValue = [tagId: string, t: number, v: TagScalar, q: 0 | 1 | 2, nonFinite?: 1];
const QUALITY_BY_CODE: readonly TagQuality[] = ["good", "uncertain", "bad"];
const CODE_BY_QUALITY: Readonly<Record<TagQuality, 0 | 1 | 2>> = { good: 0, uncertain: 1, bad: 2 };

/** A spool record: JSON, with NaN and ±Infinity (which JSON has not) as their names. */
export function encodeSpoolRecord(rows: readonly HistoryRow[]): Buffer {
  const values = rows.map((row): SpooledValue => {
    if (typeof row.v === "number" && !Number.isFinite(row.v)) return [row.tagId, row.t, String(row.v), CODE_BY_QUALITY[row.q], 1];
    return [row.tagId, row.t, row.v, CODE_BY_QUALITY[row.q]];
  });
  return Buffer.from(JSON.stringify({ v: 1, r: values }), "utf8");
}

export function decodeSpoolRecord(data: Buffer): HistoryRow[] | null {
  try {
    const parsed = JSON.parse(data.toString("utf8")) as { v?: unknown; r?: unknown };
    if (parsed.v !== 1 || !Array.isArray(parsed.r)) return null;
    return (parsed.r as SpooledValue[]).map(([tagId, t, v, q, nonFinite]) => ({ tagId, t, v: nonFinite === 1 ? Number(v) : v, q: QUALITY_BY_CODE[q] ?? "bad" }));
  } catch {
    return null;
  }
}

/**
 * Batches history rows into the database: a batch goes out every flushMs,
 * or as soon as batchRows wait. A value counts as stored once its batch
 * committed, or once it is in the spool with fsync; `add` resolves then.
 *
 * When a write fails or does not commit within writeTimeoutMs, the batch
 * goes to the spool and so does every later one, in order, until the
 * drainer has written everything that waits (in large batches, oldest
 * first) and found the spool empty. Writes are idempotent on (tag, time),
 * so a batch that committed after its timeout, or a drain interrupted
 * between commit and acknowledgement, stores nothing twice.
 */
export class HistoryWriter {
  private queue: Waiting[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** True from a failed write until the drainer finds the spool empty: new batches queue behind the spooled ones. */
  private forwarding = false;
  private closed = false;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private readonly drainPause = new DrainPause();
  private full = false;
  private dropped = 0;
  private rate = { perMs: 0, atMs: Date.now() };
  private bytesPerRow = 60;
  private readonly drainBatchRows: number;
  private readonly retry: { initialMs: number; maxMs: number };
  /** Rejects at close, so a drain write still waiting for the database is abandoned at once. */
  private readonly stopSignal: Promise<never>;
  private signalStop: () => void = () => undefined;

  constructor(private readonly options: HistoryWriterOptions) {
    this.stopSignal = new Promise<never>((_resolve, reject) => {
      this.signalStop = () => reject(new Error("the historian's writer is closing"));
    });
    // Only the drain races against it; before that nobody listens.
    this.stopSignal.catch(() => undefined);
    this.drainBatchRows = options.drainBatchRows ?? Math.max(options.batchRows * 10, 20_000);
    this.retry = options.retry ?? { initialMs: 500, maxMs: 10_000 };
    this.forwarding = (options.spool?.depth().records ?? 0) > 0;
  }

  /** Starts the drainer (once): what a previous run left in the spool is written first. */
  start(): void {
    if (this.options.spool) this.draining ??= outsideUnitOfWork(() => this.drainLoop());
  }

  /** Queues rows; resolves once they are committed or spooled with fsync, rejects when they were dropped. */
  add(rows: readonly HistoryRow[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the historian's writer is closed"));
    const cutoff = this.options.retentionCutoff?.() ?? null;
    const kept = cutoff === null ? rows : rows.filter((row) => row.t >= cutoff);
    this.options.metrics?.values("expired", rows.length - kept.length);
    if (kept.length === 0) return Promise.resolve();
    this.noteIngest(kept.length);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows: kept, resolve, reject });
      this.queuedRows += kept.length;
      if (this.queuedRows >= this.options.batchRows) this.flushSoon(0);
      else this.flushSoon(this.options.flushMs);
    });
  }

  /** Values dropped since start (full spool, or refused for good). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Whether batches currently go to the spool (the database was away or slow). */
  get isForwarding(): boolean {
    return this.forwarding;
  }

  /** Seconds until the spool is full at the current ingest rate; null without a spool or ingest. */
  capacitySeconds(nowMs = Date.now()): number | null {
    const spool = this.options.spool;
    const perMs = this.rate.perMs * Math.exp(-(nowMs - this.rate.atMs) / RATE_WINDOW_MS);
    if (!spool || perMs <= 0) return null;
    const free = Math.max(0, spool.limits.maxBytes - spool.depth().bytes);
    return free / (perMs * 1000 * this.bytesPerRow);
  }

  /** Writes what is queued (to the database, or the spool if it does not answer soon), then stops the drainer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush(CLOSE_WRITE_TIMEOUT_MS);
    this.stopped = true;
    this.signalStop();
    this.drainPause.wake();
    await this.draining;
  }

  /** Writes everything queued now. */
  async flush(writeTimeoutMs = this.options.writeTimeoutMs): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      this.flushing ??= outsideUnitOfWork(() => this.flushLoop(writeTimeoutMs)).finally(() => {
        this.flushing = null;
      });
      await this.flushing;
    }
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((error: unknown) => this.options.logger.error({ err: error }, "BUG: a history flush failed"));
    }, delayMs);
  }

  private noteIngest(rows: number): void {
    const now = Date.now();
    const decayed = this.rate.perMs * Math.exp(-(now - this.rate.atMs) / RATE_WINDOW_MS);
    this.rate = { perMs: decayed + rows / RATE_WINDOW_MS, atMs: now };
  }

  private async flushLoop(writeTimeoutMs: number): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Waiting[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (rows === 0 || rows + this.queue[0].rows.length <= this.options.batchRows)) {
        const next = this.queue.shift()!;
        batch.push(next);
        rows += next.rows.length;
      }
      this.queuedRows -= rows;
      await this.writeBatch(batch, rows, writeTimeoutMs);
    }
  }

  private async writeBatch(batch: readonly Waiting[], count: number, writeTimeoutMs: number): Promise<void> {
    const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((waiting) => waiting.rows);
    if (!this.forwarding) {
      const started = performance.now();
      try {
        await withDeadline(this.options.sink.write(rows), writeTimeoutMs);
        this.options.metrics?.batchSeconds("direct", (performance.now() - started) / 1000);
        this.options.metrics?.values("stored", count);
        for (const waiting of batch) waiting.resolve();
        return;
      } catch (error) {
        if (!this.options.spool) {
          this.drop(count, error);
          for (const waiting of batch) waiting.reject(error);
          return;
        }
        this.forwarding = true;
        this.options.logger.warn(
          { err: error, rows: count, unavailable: isDatabaseUnavailable(error) },
          "history values wait in the spool: the database did not take them in time",
        );
      }
    }
    try {
      await this.spoolRows(rows);
      this.options.metrics?.values("spooled", count);
      for (const waiting of batch) waiting.resolve();
      this.drainPause.wake();
    } catch (error) {
      this.drop(count, error);
      for (const waiting of batch) waiting.reject(error);
    }
  }

  private async spoolRows(rows: readonly HistoryRow[]): Promise<void> {
    const spool = this.options.spool!;
    const records: Buffer[] = [];
    let bytes = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_RECORD) {
      const record = encodeSpoolRecord(rows.slice(start, start + ROWS_PER_RECORD));
      records.push(record);
      bytes += record.length;
    }
    this.bytesPerRow = bytes / Math.max(1, rows.length);
    try {
      await spool.appendBatch(records);
      return;
    } catch (error) {
      if (!(error instanceof SpoolError && error.code === "spool_full")) throw error;
      this.raiseFull(spool);
      if (this.options.fullPolicy === "drop-newest") throw error;
    }
    await this.evictOldest(bytes);
    await spool.appendBatch(records);
  }

  /** drop-oldest: acknowledges (drops) the oldest spooled batches until `bytes` more fit. */
  private async evictOldest(bytes: number): Promise<void> {
    const spool = this.options.spool!;
    let freed = 0;
    let dropped = 0;
    let last: SpoolRecord | undefined;
    while (spool.depth().bytes - freed + bytes > spool.limits.maxBytes * 0.95) {
      const records = await spool.read({ from: last?.next, maxRecords: 16 });
      if (records.length === 0) break;
      for (const record of records) {
        freed += record.data.length;
        dropped += decodeSpoolRecord(record.data)?.length ?? 0;
        last = record;
      }
    }
    if (last) await spool.ack(last);
    this.drop(dropped, new Error("the historian's spool was full: the oldest values were dropped (drop-oldest)"));
  }

  private raiseFull(spool: Spool): void {
    if (!this.full) {
      this.options.logger.error(
        { maxBytes: spool.limits.maxBytes, policy: this.options.fullPolicy },
        "the historian's spool is full: values are being dropped until the database takes them again",
      );
    }
    this.full = true;
    this.options.alarms?.raise(SPOOL_FULL_ALARM, {
      priority: "high",
      area: "system",
      message: `History spool full (${Math.round(spool.limits.maxBytes / 1024 ** 2)} MiB): ${this.options.fullPolicy === "drop-newest" ? "new" : "the oldest"} values are dropped; ${this.dropped} dropped so far`,
      value: this.dropped,
    });
  }

  private drop(count: number, reason: unknown): void {
    if (count <= 0) return;
    this.dropped += count;
    this.options.metrics?.values("dropped", count);
    this.options.logger.warn({ err: reason, rows: count, droppedSinceStart: this.dropped }, "history values dropped");
  }

  private async drainLoop(): Promise<void> {
    const spool = this.options.spool!;
    let failures = 0;
    let unexpected = 0;
    while (!this.stopped) {
      try {
        if (spool.depth().records === 0) {
          if (this.forwarding) this.options.logger.info("the history spool is drained: values go straight to the database again");
          this.forwarding = false;
          if (this.full) {
            this.full = false;
            this.options.alarms?.clear(SPOOL_FULL_ALARM);
          }
          await this.drainPause.wait();
          continue;
        }
        const records = await spool.read({ maxRecords: Math.max(1, Math.ceil(this.drainBatchRows / ROWS_PER_RECORD)), maxBytes: 64 * 1024 * 1024 });
        const rows: HistoryRow[] = [];
        for (const record of records) {
          const decoded = decodeSpoolRecord(record.data);
          // The spool's CRC passed, so this is a record of another format (a newer version's, or a bug): it cannot be written.
          if (decoded) rows.push(...decoded);
          else this.options.logger.error({ position: record.position, bytes: record.data.length }, "a history spool record could not be read; it is skipped");
        }
        const started = performance.now();
        try {
          // Drain batches are larger than live ones: they get more time. An abandoned one that commits later is harmless (idempotent).
          await Promise.race([withDeadline(this.options.sink.write(rows), this.options.writeTimeoutMs * 4), this.stopSignal]);
        } catch (error) {
          if (this.stopped) return;
          if (isDatabaseUnavailable(error)) {
            failures += 1;
            await this.backOff(failures, error, spool.depth().records);
            continue;
          }
          unexpected += 1;
          if (unexpected < MAX_UNEXPECTED_ATTEMPTS) {
            await this.backOff(unexpected, error, spool.depth().records);
            continue;
          }
          // A batch the database refuses for good must not hold every later value back.
          this.options.logger.error({ err: error, rows: rows.length }, "spooled history values were refused by the database; they are dropped");
          this.drop(rows.length, error);
        }
        await spool.ack(records.at(-1)!);
        if (unexpected < MAX_UNEXPECTED_ATTEMPTS) {
          this.options.metrics?.batchSeconds("drain", (performance.now() - started) / 1000);
          this.options.metrics?.values("drained", rows.length);
        }
        if (failures > 0) this.options.logger.info({ waiting: spool.depth().records }, "the database takes history values again: draining the spool");
        failures = 0;
        unexpected = 0;
      } catch (error) {
        if (this.stopped) return;
        // The spool itself failed (read or ack): nothing is lost, so wait and try again.
        failures += 1;
        await this.backOff(failures, error, spool.depth().records);
      }
    }
  }

  private async backOff(failures: number, reason: unknown, waiting: number): Promise<void> {
    const { initialMs, maxMs } = this.retry;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
    const delayMs = Math.round(Math.min(maxMs, base * (0.8 + 0.4 * (this.options.random ?? Math.random)())));
    const log = { err: reason, waiting, retryInMs: delayMs, failures };
    if (failures === 1) this.options.logger.warn(log, "history values wait in the spool: the database is unavailable");
    else this.options.logger.debug(log, "history values still wait for the database");
    const started = Date.now();
    while (!this.stopped && Date.now() - started < delayMs) await this.drainPause.wait(delayMs - (Date.now() - started));
  }
}
