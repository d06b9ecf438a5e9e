import { crc32 } from "node:zlib";

/*
 * The spool's on-disk format (docs/spool.md). Everything is little-endian.
 *
 * Segment file `<base offset, 20 digits>.seg`:
 *   header, 32 bytes: "PFSPOOL1" | base offset u64 | base sequence u64 | crc32 of the 24 bytes before | 4 zero bytes
 *   then records, back to back.
 * Record frame:
 *   payload length u32 | crc32 u32 | appended at (ms since epoch) f64 | payload
 *   The crc covers the length, the time and the payload, so a torn or
 *   overwritten frame never passes as a record.
 * Head file `head`: two 32-byte slots, written alternately:
 *   "PFHD" | generation u64 | offset u64 | sequence u64 | crc32 of the 28 bytes before
 *   The valid slot with the higher generation wins, so a torn slot write
 *   leaves the previous acknowledgement in place.
 *
 * Offsets are logical: bytes of record frames since the spool was created,
 * segment headers excluded, so one number names a position across segments.
 */

export const SEGMENT_MAGIC = Buffer.from("PFSPOOL1", "ascii");
export const SEGMENT_HEADER_BYTES = 32;
export const FRAME_HEADER_BYTES = 16;
const HEAD_MAGIC = Buffer.from("PFHD", "ascii");
export const HEAD_SLOT_BYTES = 32;
export const SEGMENT_SUFFIX = ".seg";

/** A place in the spool: the logical offset of a record's frame and its sequence number. */
export interface SpoolPosition {
  readonly offset: number;
  readonly sequence: number;
}

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, "0")}${SEGMENT_SUFFIX}`;
}

/** The base offset a segment file name holds, or null for other files. */
export function segmentBaseOf(fileName: string): number | null {
  const match = /^(\d{20})\.seg$/.exec(fileName);
  if (!match) return null;
  const base = Number(match[1]);
  return Number.isSafeInteger(base) ? base : null;
}

export function encodeSegmentHeader(base: SpoolPosition): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(base.offset), 8);
  header.writeBigUInt64LE(BigInt(base.sequence), 16);
  header.writeUInt32LE(crc32(header.subarray(0, 24)), 24);
  return header;
}

/** The segment's base, or null when the header is short, foreign or damaged. */
export function decodeSegmentHeader(header: Buffer): SpoolPosition | null {
  if (header.length < SEGMENT_HEADER_BYTES || !header.subarray(0, 8).equals(SEGMENT_MAGIC)) return null;
  if (header.readUInt32LE(24) !== crc32(header.subarray(0, 24))) return null;
  const offset = Number(header.readBigUInt64LE(8));
  const sequence = Number(header.readBigUInt64LE(16));
  return Number.isSafeInteger(offset) && Number.isSafeInteger(sequence) ? { offset, sequence } : null;
}

function frameCrc(header: Buffer, payload: Uint8Array): number {
  // The crc field itself (bytes 4-8) is left out of what it covers.
  return crc32(payload, crc32(header.subarray(8, 16), crc32(header.subarray(0, 4))));
}

/** One record as written: header and payload in one buffer. */
export function encodeFrame(payload: Uint8Array, appendedAtMs: number): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeDoubleLE(appendedAtMs, 8);
  frame.set(payload, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(frameCrc(frame, payload), 4);
  return frame;
}

export interface DecodedFrame {
  payload: Buffer;
  appendedAtMs: number;
  /** Where the frame starts and ends in the buffer given. */
  start: number;
  end: number;
}

/**
 * What decodeFrames found where it stopped: "end" at the end of the bytes;
 * "partial" when the next frame needs more bytes than given (a torn tail
 * when the buffer is the whole file); "corrupt" at a frame whose crc is
 * wrong; "limit" after maxFrames.
 */
export type FrameStop = "end" | "partial" | "corrupt" | "limit";

/**
 * Decodes the frames of `bytes` from `start`, at most `maxFrames`. Payloads
 * are views into `bytes`. `validEnd` is where the last good frame ends.
 */
export function decodeFrames(bytes: Buffer, start = 0, maxFrames = Number.POSITIVE_INFINITY): { frames: DecodedFrame[]; validEnd: number; stop: FrameStop; needed?: number } {
  const frames: DecodedFrame[] = [];
  let position = start;
  while (frames.length < maxFrames) {
    if (position === bytes.length) return { frames, validEnd: position, stop: "end" };
    if (bytes.length - position < FRAME_HEADER_BYTES) return { frames, validEnd: position, stop: "partial", needed: FRAME_HEADER_BYTES };
    const length = bytes.readUInt32LE(position);
    const end = position + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) return { frames, validEnd: position, stop: "partial", needed: FRAME_HEADER_BYTES + length };
    const header = bytes.subarray(position, position + FRAME_HEADER_BYTES);
    const payload = bytes.subarray(position + FRAME_HEADER_BYTES, end);
    if (header.readUInt32LE(4) !== frameCrc(header, payload)) return { frames, validEnd: position, stop: "corrupt" };
    frames.push({ payload, appendedAtMs: header.readDoubleLE(8), start: position, end });
    position = end;
  }
  return { frames, validEnd: position, stop: position === bytes.length ? "end" : "limit" };
}

export interface HeadSlot extends SpoolPosition {
  generation: number;
}

export function encodeHeadSlot(slot: HeadSlot): Buffer {
  const bytes = Buffer.alloc(HEAD_SLOT_BYTES);
  HEAD_MAGIC.copy(bytes, 0);
  bytes.writeBigUInt64LE(BigInt(slot.generation), 4);
  bytes.writeBigUInt64LE(BigInt(slot.offset), 12);
  bytes.writeBigUInt64LE(BigInt(slot.sequence), 20);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 28)), 28);
  return bytes;
}

/** The newest valid slot of a head file's bytes, or null when neither is valid. */
export function decodeHead(bytes: Buffer): HeadSlot | null {
  let newest: HeadSlot | null = null;
  for (let start = 0; start + HEAD_SLOT_BYTES <= bytes.length && start < 2 * HEAD_SLOT_BYTES; start += HEAD_SLOT_BYTES) {
    const slot = bytes.subarray(start, start + HEAD_SLOT_BYTES);
    if (!slot.subarray(0, 4).equals(HEAD_MAGIC) || slot.readUInt32LE(28) !== crc32(slot.subarray(0, 28))) continue;
    const decoded = {
      generation: Number(slot.readBigUInt64LE(4)),
      offset: Number(slot.readBigUInt64LE(12)),
      sequence: Number(slot.readBigUInt64LE(20)),
    };
    if (!Number.isSafeInteger(decoded.offset) || !Number.isSafeInteger(decoded.sequence) || !Number.isSafeInteger(decoded.generation)) continue;
    if (!newest || decoded.generation > newest.generation) newest = decoded;
  }
  return newest;
}
