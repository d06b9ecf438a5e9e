import path from "node:path";
import { acquirePidLock, type DataDirLock } from "../db/data-dir-lock.js";
import {
  FRAME_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  decodeFrames,
  decodeHead,
  decodeSegmentHeader,
  encodeFrame,
  encodeHeadSlot,
  encodeSegmentHeader,
  segmentBaseOf,
  segmentFileName,
  HEAD_SLOT_BYTES,
  type SpoolPosition,
} from "./spool-format.js";
import { nodeSpoolFs, type SpoolFile, type SpoolFs } from "./spool-fs.js";

export type { SpoolPosition } from "./spool-format.js";
export type { SpoolFile, SpoolFs } from "./spool-fs.js";

export type SpoolErrorCode = "spool_full" | "record_too_large" | "spool_failed" | "spool_closed" | "spool_locked" | "spool_corrupt" | "invalid_position";

/** Every error the spool raises itself; `code` says which (docs/spool.md). */
export class SpoolError extends Error {
  constructor(
    readonly code: SpoolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SpoolError";
  }
}

export interface SpoolOptions {
  /** The spool's own directory (created 0700; nothing else may live in it). */
  dir: string;
  /** For messages and metrics; the directory's name by default. */
  name?: string;
  /** Most records waiting (appended, not acknowledged). */
  maxRecords: number;
  /** Most bytes waiting, frame headers included. */
  maxBytes: number;
  /** A segment takes appends until it holds this many bytes; then a new one starts. Default 4 MiB. */
  segmentBytes?: number;
  /** Largest record accepted. Default 1 MiB (or maxBytes, if smaller). */
  maxRecordBytes?: number;
  fs?: SpoolFs;
  /** The clock stamped on each record (ms since epoch). */
  now?: () => number;
  /** Told when a read meets a damaged record in a sealed segment and skips the rest of that segment. */
  onCorruption?: (corruption: SpoolCorruption) => void;
}

/** A record as read: its bytes, when it was appended, where it is and where the next one starts. */
export interface SpoolRecord {
  data: Buffer;
  appendedAtMs: number;
  position: SpoolPosition;
  /** Hand to read({ from }) to continue after this record; ack(record) acknowledges through it. */
  next: SpoolPosition;
}

export interface SpoolDepth {
  /** Records appended and not yet acknowledged. */
  records: number;
  /** Their bytes on disk, frame headers included. */
  bytes: number;
  /** When the oldest of them was appended; null when none waits. */
  oldestAppendedAtMs: number | null;
}

/** What open() repaired: a torn tail cut off, leftover files removed. */
export interface SpoolRecovery {
  truncatedBytes: number;
  removedFiles: string[];
}

export interface SpoolCorruption {
  segment: string;
  position: SpoolPosition;
  lostRecords: number;
  lostBytes: number;
}

interface Segment {
  base: SpoolPosition;
  file: string;
  /** Bytes on disk that are acknowledged as written (header included). */
  size: number;
}

interface PendingBatch {
  frames: Buffer[];
  records: number;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
const DEFAULT_READ_RECORDS = 1000;
const DEFAULT_READ_BYTES = 1024 * 1024;
const HEAD_FILE = "head";
const LOCK_FILE = "spool.lock";
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Directories opened by this process: the pid lock cannot tell two owners in one process apart. */
const openDirs = new Set<string>();

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`spool option ${name} must be a positive integer (got ${value})`);
  return value;
}

function limitsOf(options: SpoolOptions): Spool["limits"] {
  const maxBytes = positiveInteger("maxBytes", options.maxBytes);
  return {
    maxRecords: positiveInteger("maxRecords", options.maxRecords),
    maxBytes,
    maxRecordBytes: positiveInteger("maxRecordBytes", options.maxRecordBytes ?? Math.min(DEFAULT_MAX_RECORD_BYTES, maxBytes)),
    segmentBytes: positiveInteger("segmentBytes", options.segmentBytes ?? DEFAULT_SEGMENT_BYTES),
  };
}

async function readAt(file: SpoolFile, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

async function writeAt(file: SpoolFile, buffer: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await file.write(buffer, written, buffer.length - written, position + written);
    written += bytesWritten;
  }
}

/**
 * A durable, bounded, append-only queue in a directory of segment files
 * (format in spool-format.ts, guarantees in docs/spool.md).
 *
 * - append/appendBatch resolve only after the bytes are fsync'd. Appends
 *   that arrive while an fsync runs are written together with the next one
 *   (group commit); appendBatch writes all its records with one fsync, all
 *   or none.
 * - read() returns records from the head (or from a position a previous
 *   read returned) without removing them; ack(record) acknowledges through
 *   that record, durably, and deletes segments wholly consumed.
 * - Delivery is at least once: a record acknowledged just before a crash
 *   may be delivered again, so consumers must be idempotent.
 * - open() cuts a torn tail (the last segment up to its last whole record)
 *   and never delivers a record whose crc fails.
 */
export class Spool {
  readonly name: string;
  readonly dir: string;
  readonly limits: { maxRecords: number; maxBytes: number; maxRecordBytes: number; segmentBytes: number };

  private readonly segments: Segment[];
  private writer: SpoolFile;
  private readonly headFile: SpoolFile;
  private headGeneration: number;
  private head: SpoolPosition;
  private committed: SpoolPosition;
  private oldestAppendedAtMs: number | null = null;
  private reserved = { records: 0, bytes: 0 };
  private pending: PendingBatch[] = [];
  private flushing: Promise<void> | null = null;
  private headMoves: Promise<void> = Promise.resolve();
  private failure: SpoolError | null = null;
  private closing: Promise<void> | null = null;
  private readonly listeners = new Set<(depth: SpoolDepth) => void>();

  private constructor(
    private readonly options: SpoolOptions,
    private readonly fs: SpoolFs,
    private readonly lock: DataDirLock,
    state: { dir: string; segments: Segment[]; writer: SpoolFile; headFile: SpoolFile; headGeneration: number; head: SpoolPosition; committed: SpoolPosition },
    readonly recovery: SpoolRecovery,
  ) {
    this.dir = state.dir;
    this.name = options.name ?? path.basename(state.dir);
    this.limits = limitsOf(options);
    this.segments = state.segments;
    this.writer = state.writer;
    this.headFile = state.headFile;
    this.headGeneration = state.headGeneration;
    this.head = state.head;
    this.committed = state.committed;
  }

  /** Opens (or creates) the spool in options.dir, repairing what a crash left. */
  static async open(options: SpoolOptions): Promise<Spool> {
    limitsOf(options);
    const fs = options.fs ?? nodeSpoolFs;
    const dir = path.resolve(options.dir);
    const name = options.name ?? path.basename(dir);
    if (openDirs.has(dir)) throw new SpoolError("spool_locked", `spool ${name} (${dir}) is already open in this process`);
    await fs.mkdir(dir, DIR_MODE);
    // mkdir keeps the mode of a directory that exists; the spool's records are the site's data.
    await fs.chmod(dir, DIR_MODE);
    const lock = acquirePidLock(path.join(dir, LOCK_FILE), (pid) => new SpoolError("spool_locked", `spool ${name} (${dir}) is in use by process ${pid}`));
    openDirs.add(dir);
    try {
      const { state, recovery } = await Spool.recover(fs, dir, name);
      const spool = new Spool(options, fs, lock, state, recovery);
      spool.oldestAppendedAtMs = await spool.appendedAtOf(spool.head);
      return spool;
    } catch (error) {
      openDirs.delete(dir);
      lock.release();
      throw error;
    }
  }

  private static async recover(fs: SpoolFs, dir: string, name: string) {
    const recovery: SpoolRecovery = { truncatedBytes: 0, removedFiles: [] };
    const names = (await fs.readdir(dir)).sort();
    for (const leftover of names.filter((file) => file.endsWith(".tmp"))) {
      await fs.unlink(path.join(dir, leftover));
      recovery.removedFiles.push(leftover);
    }
    const segments: Segment[] = [];
    for (const file of names) {
      const baseOffset = segmentBaseOf(file);
      if (baseOffset === null) continue;
      const handle = await fs.open(path.join(dir, file), "r");
      try {
        const { size } = await handle.stat();
        const base = decodeSegmentHeader(await readAt(handle, 0, SEGMENT_HEADER_BYTES));
        if (!base || base.offset !== baseOffset) {
          throw new SpoolError("spool_corrupt", `spool ${name}: segment ${file} has a damaged header; move it out of ${dir} to start without its records`);
        }
        await handle.chmod(FILE_MODE);
        segments.push({ base, file, size });
      } finally {
        await handle.close();
      }
    }

    const headPath = path.join(dir, HEAD_FILE);
    let headFile: SpoolFile;
    let stored: ReturnType<typeof decodeHead> = null;
    if (names.includes(HEAD_FILE)) {
      headFile = await fs.open(headPath, "r+");
      await headFile.chmod(FILE_MODE);
      stored = decodeHead(await readAt(headFile, 0, 2 * HEAD_SLOT_BYTES));
    } else {
      headFile = await fs.open(headPath, "wx", FILE_MODE);
      await writeAt(headFile, Buffer.alloc(2 * HEAD_SLOT_BYTES), 0);
      await headFile.datasync();
      await fs.syncDir(dir);
    }
    let head: SpoolPosition = stored ? { offset: stored.offset, sequence: stored.sequence } : (segments[0]?.base ?? { offset: 0, sequence: 0 });

    if (segments.length === 0) {
      segments.push(await Spool.createSegment(fs, dir, head));
    }
    // Segments are deleted after the head moves past them: a crash in between leaves them here.
    while (segments.length > 1 && segments[0].base.offset + segments[0].size - SEGMENT_HEADER_BYTES <= head.offset) {
      const consumed = segments.shift()!;
      await fs.unlink(path.join(dir, consumed.file));
      recovery.removedFiles.push(consumed.file);
    }
    if (head.offset < segments[0].base.offset) head = segments[0].base;

    const tail = segments.at(-1)!;
    const writer = await fs.open(path.join(dir, tail.file), "r+");
    const bytes = await readAt(writer, 0, tail.size);
    const { frames, validEnd } = decodeFrames(bytes, SEGMENT_HEADER_BYTES);
    if (validEnd < tail.size) {
      // A torn or half-written tail: these bytes were never acknowledged to anyone.
      await writer.truncate(validEnd);
      await writer.datasync();
      recovery.truncatedBytes = tail.size - validEnd;
      tail.size = validEnd;
    }
    const committed = { offset: tail.base.offset + tail.size - SEGMENT_HEADER_BYTES, sequence: tail.base.sequence + frames.length };
    if (head.offset > committed.offset) head = committed;
    return {
      state: { dir, segments, writer, headFile, headGeneration: stored?.generation ?? 0, head, committed },
      recovery,
    };
  }

  /** Writes a new segment under a temporary name, then renames it, so a segment's header is never torn. */
  private static async createSegment(fs: SpoolFs, dir: string, base: SpoolPosition): Promise<Segment> {
    const file = segmentFileName(base.offset);
    const temporary = path.join(dir, `${file}.tmp`);
    const handle = await fs.open(temporary, "wx", FILE_MODE);
    try {
      await writeAt(handle, encodeSegmentHeader(base), 0);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path.join(dir, file));
    await fs.syncDir(dir);
    return { base, file, size: SEGMENT_HEADER_BYTES };
  }

  depth(): SpoolDepth {
    const records = this.committed.sequence - this.head.sequence;
    return { records, bytes: this.committed.offset - this.head.offset, oldestAppendedAtMs: records > 0 ? this.oldestAppendedAtMs : null };
  }

  /** Called after every commit and acknowledgement with the new depth; returns the unsubscribe function. */
  subscribe(listener: (depth: SpoolDepth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(record: Uint8Array): Promise<void> {
    return this.appendBatch([record]);
  }

  /** Appends the records in order with one fsync: all are acknowledged, or none is written. */
  async appendBatch(records: readonly Uint8Array[]): Promise<void> {
    if (this.closing) throw new SpoolError("spool_closed", `spool ${this.name} is closed`);
    if (this.failure) throw this.failure;
    const now = this.options.now?.() ?? Date.now();
    const frames: Buffer[] = [];
    let bytes = 0;
    for (const record of records) {
      if (record.length > this.limits.maxRecordBytes) {
        throw new SpoolError("record_too_large", `spool ${this.name}: a record of ${record.length} bytes is larger than the limit of ${this.limits.maxRecordBytes}`);
      }
      const frame = encodeFrame(record, now);
      frames.push(frame);
      bytes += frame.length;
    }
    if (frames.length === 0) return;
    const waiting = { records: this.committed.sequence - this.head.sequence + this.reserved.records, bytes: this.committed.offset - this.head.offset + this.reserved.bytes };
    if (waiting.records + frames.length > this.limits.maxRecords || waiting.bytes + bytes > this.limits.maxBytes) {
      throw new SpoolError(
        "spool_full",
        `spool ${this.name} is full: ${waiting.records} records (${waiting.bytes} bytes) wait; limit ${this.limits.maxRecords} records, ${this.limits.maxBytes} bytes`,
      );
    }
    this.reserved.records += frames.length;
    this.reserved.bytes += bytes;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ frames, records: frames.length, bytes, resolve, reject });
      this.flushing ??= this.flushPending();
    });
  }

  /** Group commit: everything queued while the previous write and fsync ran goes out in one write and one fsync. */
  private async flushPending(): Promise<void> {
    // Lets the caller store this promise in `flushing` before the loop can end and clear it.
    await Promise.resolve();
    try {
      await this.flushLoop();
    } finally {
      this.flushing = null;
    }
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batches = this.pending.splice(0);
      const frames = batches.flatMap((batch) => batch.frames);
      const records = frames.length;
      let outcome: { error: unknown } | null = null;
      try {
        await this.writeDurably(frames.length === 1 ? frames[0] : Buffer.concat(frames), records);
      } catch (error) {
        outcome = { error };
      }
      for (const batch of batches) {
        this.reserved.records -= batch.records;
        this.reserved.bytes -= batch.bytes;
        if (outcome) batch.reject(outcome.error);
        else batch.resolve();
      }
      if (!outcome) this.notify();
    }
  }

  private async writeDurably(bytes: Buffer, records: number): Promise<void> {
    if (this.failure) throw this.failure;
    let tail = this.segments.at(-1)!;
    if (tail.size > SEGMENT_HEADER_BYTES && tail.size + bytes.length > this.limits.segmentBytes) tail = await this.rotate();
    const start = tail.size;
    try {
      await writeAt(this.writer, bytes, start);
    } catch (error) {
      // Cut what part of the write landed, so the next append starts on a record boundary.
      await this.writer.truncate(start).catch((truncateError: unknown) => {
        this.failure = new SpoolError("spool_failed", `spool ${this.name} could not undo a failed write to ${tail.file}; it takes no more records until restarted`, { cause: truncateError });
      });
      throw error;
    }
    try {
      await this.writer.datasync();
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: a retry could "succeed" without the data.
      this.failure = new SpoolError("spool_failed", `spool ${this.name} could not fsync ${tail.file}; it takes no more records until restarted`, { cause: error });
      throw error;
    }
    const wasEmpty = this.committed.offset === this.head.offset;
    tail.size += bytes.length;
    this.committed = { offset: this.committed.offset + bytes.length, sequence: this.committed.sequence + records };
    if (wasEmpty) this.oldestAppendedAtMs = bytes.readDoubleLE(8);
  }

  private async rotate(): Promise<Segment> {
    const segment = await Spool.createSegment(this.fs, this.dir, this.committed);
    const writer = await this.fs.open(path.join(this.dir, segment.file), "r+");
    const previous = this.writer;
    this.writer = writer;
    this.segments.push(segment);
    await previous.close();
    await this.dropConsumedSegments();
    return segment;
  }

  private segmentAt(offset: number): Segment {
    let found = this.segments[0];
    for (const segment of this.segments) {
      if (segment.base.offset <= offset) found = segment;
      else break;
    }
    return found;
  }

  private endOf(segment: Segment): number {
    return segment.base.offset + segment.size - SEGMENT_HEADER_BYTES;
  }

  /**
   * Records from `from` (default: the head), oldest first: at most
   * maxRecords, and no more than maxBytes unless one record alone is larger
   * (a read returns at least one record when any waits). Only records whose
   * append was acknowledged are returned.
   */
  async read(options: { from?: SpoolPosition; maxRecords?: number; maxBytes?: number } = {}): Promise<SpoolRecord[]> {
    if (this.closing) throw new SpoolError("spool_closed", `spool ${this.name} is closed`);
    const maxRecords = options.maxRecords ?? DEFAULT_READ_RECORDS;
    const maxBytes = options.maxBytes ?? DEFAULT_READ_BYTES;
    let position = options.from ?? this.head;
    if (position.offset < this.head.offset) {
      throw new SpoolError("invalid_position", `spool ${this.name}: offset ${position.offset} was already acknowledged (head ${this.head.offset})`);
    }
    if (position.offset > this.committed.offset) {
      throw new SpoolError("invalid_position", `spool ${this.name}: offset ${position.offset} is beyond the last record (${this.committed.offset})`);
    }
    const records: SpoolRecord[] = [];
    let bytes = 0;
    while (records.length < maxRecords && position.offset < this.committed.offset && (records.length === 0 || bytes < maxBytes)) {
      const segment = this.segmentAt(position.offset);
      const segmentEnd = this.endOf(segment);
      const left = segmentEnd - position.offset;
      const file = await this.fs.open(path.join(this.dir, segment.file), "r");
      let decoded: ReturnType<typeof decodeFrames>;
      try {
        const filePosition = SEGMENT_HEADER_BYTES + position.offset - segment.base.offset;
        decoded = decodeFrames(await readAt(file, filePosition, Math.min(left, Math.max(maxBytes - bytes, FRAME_HEADER_BYTES))), 0, maxRecords - records.length);
        if (decoded.frames.length === 0 && decoded.stop === "partial") {
          if (records.length > 0) break;
          // One record larger than the byte budget: read it whole.
          const needed = decoded.needed ?? FRAME_HEADER_BYTES;
          if (needed <= left) decoded = decodeFrames(await readAt(file, filePosition, needed), 0, 1);
        }
      } finally {
        await file.close();
      }
      for (const frame of decoded.frames) {
        const next = { offset: position.offset + frame.end - frame.start, sequence: position.sequence + 1 };
        records.push({ data: frame.payload, appendedAtMs: frame.appendedAtMs, position, next });
        bytes += frame.end - frame.start;
        position = next;
      }
      if (decoded.frames.length > 0) continue;
      // Nothing decodable where a committed record should start: damage in a sealed segment.
      if (records.length > 0) break;
      position = await this.skipDamage(segment, position);
    }
    return records;
  }

  /** Skips from a damaged record to the end of its segment; reported and made durable when it is at the head. */
  private async skipDamage(segment: Segment, position: SpoolPosition): Promise<SpoolPosition> {
    const index = this.segments.indexOf(segment);
    const following = this.segments[index + 1];
    const resume = following ? following.base : this.committed;
    if (position.offset === this.head.offset) {
      await this.moveHead(resume);
      this.options.onCorruption?.({ segment: segment.file, position, lostRecords: resume.sequence - position.sequence, lostBytes: resume.offset - position.offset });
    }
    return resume;
  }

  /** Acknowledges every record up to and including this one (durably); consumed segments are deleted. */
  async ack(record: Pick<SpoolRecord, "next">): Promise<void> {
    if (this.closing) throw new SpoolError("spool_closed", `spool ${this.name} is closed`);
    const target = record.next;
    if (target.offset > this.committed.offset || target.sequence > this.committed.sequence) {
      throw new SpoolError("invalid_position", `spool ${this.name}: offset ${target.offset} is beyond the last record (${this.committed.offset})`);
    }
    if (target.offset > this.head.offset !== target.sequence > this.head.sequence) {
      throw new SpoolError("invalid_position", `spool ${this.name}: offset ${target.offset} / sequence ${target.sequence} is not a record boundary`);
    }
    await this.moveHead(target);
  }

  private moveHead(target: SpoolPosition): Promise<void> {
    const move = this.headMoves.then(async () => {
      if (target.offset <= this.head.offset) return;
      const generation = this.headGeneration + 1;
      this.headGeneration = generation;
      await writeAt(this.headFile, encodeHeadSlot({ generation, ...target }), (generation % 2) * HEAD_SLOT_BYTES);
      await this.headFile.datasync();
      this.head = target;
      await this.dropConsumedSegments();
      this.oldestAppendedAtMs = await this.appendedAtOf(target);
      this.notify();
    });
    // One failed move must not wedge the ones after it; its caller gets the error.
    this.headMoves = move.catch(() => undefined);
    return move;
  }

  private async dropConsumedSegments(): Promise<void> {
    let consumed = 0;
    while (consumed < this.segments.length - 1 && this.endOf(this.segments[consumed]) <= this.head.offset) consumed += 1;
    for (const segment of this.segments.splice(0, consumed)) {
      // A segment left behind (unlink failed) lies before the head: open() deletes it next time.
      await this.fs.unlink(path.join(this.dir, segment.file)).catch(() => undefined);
    }
  }

  private async appendedAtOf(position: SpoolPosition): Promise<number | null> {
    if (position.offset >= this.committed.offset) return null;
    const segment = this.segmentAt(position.offset);
    const file = await this.fs.open(path.join(this.dir, segment.file), "r");
    try {
      const header = await readAt(file, SEGMENT_HEADER_BYTES + position.offset - segment.base.offset, FRAME_HEADER_BYTES);
      return header.length === FRAME_HEADER_BYTES ? header.readDoubleLE(8) : null;
    } finally {
      await file.close();
    }
  }

  private notify(): void {
    const depth = this.depth();
    for (const listener of this.listeners) {
      try {
        listener(depth);
      } catch {
        // A subscriber's failure must not undo a commit or an acknowledgement; subscribers report their own errors.
      }
    }
  }

  /** Writes what was appended, then releases the files and the lock. Appends after close are refused. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.flushing;
        await this.headMoves;
      } finally {
        await this.writer.close().catch(() => undefined);
        await this.headFile.close().catch(() => undefined);
        this.lock.release();
        openDirs.delete(this.dir);
      }
    })();
    return this.closing;
  }
}
