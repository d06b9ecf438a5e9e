/**
 * Watches the Modbus TCP reply stream beside modbus-serial's own parser.
 *
 * modbus-serial's TcpPort appends every chunk to one buffer and waits until
 * it holds the MBAP length + 6 bytes. A corrupt length (0xFFFF) makes it wait
 * for 65 541 bytes that never come: the request hangs until a timeout and
 * the garbage stays at the head of the buffer, poisoning every later reply
 * on that socket. The guard needs only the 7-byte header to see that a
 * reply cannot be valid, so the driver can end the request and drop the
 * socket at once. It keeps at most 7 bytes whatever the device sends.
 */
export const MBAP_HEADER_BYTES = 7;
/** Unit id + function code + at most 252 data bytes (Modbus PDU ≤ 253 bytes). */
export const MAX_MBAP_LENGTH = 254;
/** Unit id + function code + one byte (an exception code at least). */
const MIN_MBAP_LENGTH = 3;

export interface FrameWatch {
  /** A request is waiting for its reply; bytes at any other time are unsolicited. */
  expecting: boolean;
  unitId: number;
  header: Buffer;
  received: number;
}

export type FrameVerdict = { kind: "incomplete" } | { kind: "complete" } | { kind: "corrupt"; reason: string };

export function idleWatch(unitId: number): FrameWatch {
  return { expecting: false, unitId, header: Buffer.alloc(0), received: 0 };
}

export function expectReply(unitId: number): FrameWatch {
  return { expecting: true, unitId, header: Buffer.alloc(0), received: 0 };
}

/** Feeds one received chunk; the returned watch replaces the old one. */
export function watchChunk(watch: FrameWatch, chunk: Buffer): { watch: FrameWatch; verdict: FrameVerdict } {
  if (!watch.expecting) {
    return { watch, verdict: { kind: "corrupt", reason: `${chunk.length} unsolicited bytes` } };
  }
  // The usual case, a whole header in the first chunk, takes a view instead of a copy.
  const header =
    watch.header.length >= MBAP_HEADER_BYTES
      ? watch.header
      : watch.header.length === 0 && chunk.length >= MBAP_HEADER_BYTES
        ? chunk.subarray(0, MBAP_HEADER_BYTES)
        : Buffer.concat([watch.header, chunk.subarray(0, MBAP_HEADER_BYTES - watch.header.length)]);
  const next: FrameWatch = { ...watch, header, received: watch.received + chunk.length };
  if (header.length >= 4 && header.readUInt16BE(2) !== 0) {
    return { watch: next, verdict: { kind: "corrupt", reason: `MBAP protocol id ${header.readUInt16BE(2)}, not 0 (garbage on the line?)` } };
  }
  if (header.length >= 6) {
    const length = header.readUInt16BE(4);
    if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) {
      return { watch: next, verdict: { kind: "corrupt", reason: `MBAP length ${length} out of range ${MIN_MBAP_LENGTH}..${MAX_MBAP_LENGTH}` } };
    }
    if (header.length >= MBAP_HEADER_BYTES && header[6] !== watch.unitId) {
      return { watch: next, verdict: { kind: "corrupt", reason: `reply from unit ${header[6]}, expected ${watch.unitId}` } };
    }
    const total = 6 + length;
    if (next.received > total) {
      return { watch: next, verdict: { kind: "corrupt", reason: `${next.received - total} bytes after a ${total}-byte reply` } };
    }
    if (next.received === total) return { watch: idleWatch(watch.unitId), verdict: { kind: "complete" } };
  }
  return { watch: next, verdict: { kind: "incomplete" } };
}

/** For a timeout message: how much of the reply had come ("" when nothing had). */
export function partialReply(watch: FrameWatch): string {
  if (!watch.expecting || watch.received === 0) return "";
  const expected = watch.header.length >= 6 ? ` of ${6 + watch.header.readUInt16BE(4)}` : "";
  return ` (short frame: ${watch.received}${expected} bytes)`;
}
