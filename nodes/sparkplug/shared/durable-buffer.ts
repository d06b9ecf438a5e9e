/**
 * The edge node's store-and-forward buffer kept in a spool (runtime/spool,
 * docs/spool.md), so what waited for the broker survives a restart, a
 * redeploy and a kill -9. The edge logic sees a synchronous queue: changes
 * are held in memory too, and the spool follows behind (appends grouped per
 * tick, one fsync each). A change leaves the spool only once the message
 * that replays it was handed to the connection (confirm), or when the
 * buffer is full and it is the oldest (dropped, counted).
 */
import { Spool, type SpoolRecord } from "../../../runtime/spool/spool.js";
import type { MetricChange } from "./edge-node-logic.js";
import type { MetricType, MetricValue } from "./sparkplug-codec.js";
import { StoreAndForwardQueue, type ChangeBuffer } from "./store-and-forward.js";

export interface DurableBufferOptions {
  dir: string;
  /** For messages and metrics. */
  name: string;
  /** Most changes kept; the oldest is dropped beyond. */
  capacity: number;
  /** A spool write or acknowledgement failed: the changes stay in memory, but may not survive a restart. */
  onError(error: Error): void;
}

/** A buffered change as the spool keeps it (one record each, JSON). */
interface StoredChange {
  d: string | null;
  n: string;
  v: MetricValue;
  t: number;
  q?: number;
  y?: MetricType;
}

/** One change is a few dozen bytes; this leaves room for long names and strings. */
const BYTES_PER_CHANGE = 1024;
const READ_BATCH = 1000;

function encodeChange(change: MetricChange): Buffer {
  const stored: StoredChange = {
    d: change.deviceId,
    n: change.name,
    v: change.value,
    t: change.t,
    ...(change.quality !== undefined && { q: change.quality }),
    ...(change.type !== undefined && { y: change.type }),
  };
  return Buffer.from(JSON.stringify(stored), "utf8");
}

function decodeChange(data: Buffer): MetricChange | null {
  try {
    const stored = JSON.parse(data.toString("utf8")) as Partial<StoredChange>;
    const value = stored.v;
    const valueOk = value === null || ["number", "boolean", "string"].includes(typeof value);
    if (typeof stored.n !== "string" || typeof stored.t !== "number" || !valueOk || value === undefined) return null;
    if (stored.d !== null && typeof stored.d !== "string") return null;
    return {
      deviceId: stored.d ?? null,
      name: stored.n,
      value,
      t: stored.t,
      ...(typeof stored.q === "number" && { quality: stored.q }),
      ...(typeof stored.y === "string" && { type: stored.y }),
    };
  } catch {
    return null;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class DurableChangeBuffer implements ChangeBuffer<MetricChange> {
  private readonly memory: StoreAndForwardQueue<MetricChange>;
  /** Spool work, one step at a time: appends and acknowledgements stay in the order they happened. */
  private ops: Promise<void> = Promise.resolve();
  private toAppend: Buffer[] = [];
  private appendScheduled = false;
  private closed = false;

  private constructor(
    private readonly spool: Spool,
    private readonly options: DurableBufferOptions,
    loaded: MetricChange[],
  ) {
    this.memory = new StoreAndForwardQueue(options.capacity);
    let overflow = 0;
    for (const change of loaded) if (this.memory.push(change)) overflow++;
    if (overflow > 0) this.release(overflow);
  }

  /** Opens (or creates) the spool and loads what a previous life left in it, oldest first. */
  static async open(options: DurableBufferOptions): Promise<DurableChangeBuffer> {
    const spool = await Spool.open({
      dir: options.dir,
      name: options.name,
      // Room for the buffer plus changes replayed and dropped but not yet acknowledged.
      maxRecords: options.capacity * 2,
      maxBytes: options.capacity * 2 * BYTES_PER_CHANGE,
      segmentBytes: 1024 * 1024,
      maxRecordBytes: 64 * 1024,
      onCorruption: (corruption) => options.onError(new Error(`${options.name}: ${corruption.lostRecords} damaged buffered values skipped in ${corruption.segment}`)),
    });
    try {
      const loaded: MetricChange[] = [];
      let unreadable = 0;
      let from: SpoolRecord["next"] | undefined;
      for (;;) {
        const batch = await spool.read({ ...(from && { from }), maxRecords: READ_BATCH });
        if (batch.length === 0) break;
        for (const record of batch) {
          const change = decodeChange(record.data);
          if (change) loaded.push(change);
          else unreadable++;
        }
        from = batch.at(-1)?.next;
      }
      if (unreadable > 0) options.onError(new Error(`${options.name}: ${unreadable} buffered values could not be read and are replayed without them`));
      return new DurableChangeBuffer(spool, options, loaded);
    } catch (error) {
      await spool.close();
      throw error;
    }
  }

  get size(): number {
    return this.memory.size;
  }

  get dropped(): number {
    return this.memory.dropped;
  }

  push(change: MetricChange): void {
    if (this.memory.push(change)) this.release(1);
    if (this.closed) return;
    this.toAppend.push(encodeChange(change));
    if (this.appendScheduled) return;
    this.appendScheduled = true;
    // One fsync for all changes of a tick.
    setImmediate(() => {
      this.appendScheduled = false;
      this.flushAppends();
    });
  }

  /** Hands the changes pushed so far to the spool, ahead of any acknowledgement queued after them. */
  private flushAppends(): void {
    const records = this.toAppend;
    this.toAppend = [];
    if (records.length > 0) this.step(() => this.spool.appendBatch(records));
  }

  /** The changes to replay; they stay in the spool until confirm() says how many went out. */
  drain(): MetricChange[] {
    return this.memory.drain();
  }

  /** `count` replayed changes were handed to the connection: they leave the spool, oldest first. */
  confirm(count: number): void {
    if (count > 0) this.release(count);
  }

  /** Waits for the spool to have everything appended so far (tests, close). */
  async settled(): Promise<void> {
    this.flushAppends();
    await this.ops;
  }

  /** Writes what is pending and closes the spool; what was not confirmed stays for the next open. */
  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    await this.spool.close();
  }

  private step(work: () => Promise<void>): void {
    this.ops = this.ops.then(work).catch((error: unknown) => this.options.onError(asError(error)));
  }

  /** Acknowledges the oldest `count` records (replayed or dropped). */
  private release(count: number): void {
    this.flushAppends();
    this.step(async () => {
      let left = count;
      let from: SpoolRecord["next"] | undefined;
      let last: SpoolRecord | undefined;
      while (left > 0) {
        const batch = await this.spool.read({ ...(from && { from }), maxRecords: Math.min(left, READ_BATCH) });
        if (batch.length === 0) break;
        last = batch.at(-1);
        from = last?.next;
        left -= batch.length;
      }
      if (last) await this.spool.ack(last);
    });
  }
}
