import type { DataType, ModbusPoint, WordOrder } from "./point.js";
import { pointSpan } from "./point.js";

export type PointValue = number | boolean | string;

/**
 * Copies `count` registers from words[start…] into `out` as bytes in
 * ABCD… order (or back: the transform is its own inverse, so the decoder
 * and the encoder share it). Strings keep their register order: a device
 * that swaps words of a text field is not one we have met.
 */
function reorderInto(out: Buffer, words: readonly number[], start: number, count: number, order: WordOrder, type: DataType): void {
  const reverseWords = type !== "string" && (order === "CDAB" || order === "DCBA");
  const swapBytes = order === "BADC" || order === "DCBA";
  for (let word = 0; word < count; word++) {
    const value = words[start + (reverseWords ? count - 1 - word : word)] & 0xffff;
    out[word * 2] = swapBytes ? value & 0xff : value >> 8;
    out[word * 2 + 1] = swapBytes ? value >> 8 : value & 0xff;
  }
}

function bytesToWords(bytes: Buffer): number[] {
  const words: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 2) words.push(bytes.readUInt16BE(offset));
  return words;
}

/**
 * Scratch space for numeric values (at most 4 registers): polls decode
 * thousands of values a second, and decoding is synchronous, so one reused
 * buffer replaces an allocation per point.
 */
const SCRATCH = Buffer.alloc(8);

/** The raw value (before scale and offset) of a register-backed point whose registers start at words[start]. */
export function decodeRaw(words: readonly number[], type: DataType, order: WordOrder, length = 0, start = 0): PointValue {
  const span = pointSpan({ function: "holding-register", type, length });
  if (words.length - start < span) throw new Error(`${type} needs ${span} registers, got ${Math.max(0, words.length - start)}`);
  const bytes = type === "string" ? Buffer.alloc(span * 2) : SCRATCH;
  reorderInto(bytes, words, start, span, order, type);
  switch (type) {
    case "bool":
      return bytes.readUInt16BE(0) !== 0;
    case "int16":
      return bytes.readInt16BE(0);
    case "uint16":
      return bytes.readUInt16BE(0);
    case "int32":
      return bytes.readInt32BE(0);
    case "uint32":
      return bytes.readUInt32BE(0);
    case "float32":
      return bytes.readFloatBE(0);
    case "float64":
      return bytes.readDoubleBE(0);
    case "string": {
      // PLCs pad text fields with NULs or spaces; neither is part of the value.
      const text = bytes.subarray(0, length).toString("latin1");
      const end = text.indexOf("\0");
      return (end === -1 ? text : text.slice(0, end)).trimEnd();
    }
  }
}

/** Engineering value of a point from its registers (starting at words[start]): raw × scale + offset for numbers. */
export function decodePoint(words: readonly number[], point: ModbusPoint, start = 0): PointValue {
  const raw = decodeRaw(words, point.type, point.order, point.length, start);
  return typeof raw === "number" ? raw * point.scale + point.offset : raw;
}

const INTEGER_RANGE: Partial<Record<DataType, [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

const FLOAT32_MAX = 3.4028234663852886e38;

function toNumber(value: unknown, point: ModbusPoint): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) {
    throw new Error(`${point.name}: ${point.type} needs a finite number (got ${JSON.stringify(value)})`);
  }
  return number;
}

/**
 * Registers that carry `value` for a register-backed point: the inverse of
 * decodePoint (scale and offset removed, integers rounded, range checked so
 * a typo never wraps around into a different setpoint).
 */
export function encodePoint(value: unknown, point: ModbusPoint): number[] {
  const bytes = Buffer.alloc(pointSpan(point) * 2);
  switch (point.type) {
    case "bool":
      if (typeof value !== "boolean" && value !== 0 && value !== 1) {
        throw new Error(`${point.name}: bool needs true/false or 0/1 (got ${JSON.stringify(value)})`);
      }
      bytes.writeUInt16BE(value === true || value === 1 ? 1 : 0, 0);
      break;
    case "string": {
      if (typeof value !== "string") throw new Error(`${point.name}: string needs a string (got ${JSON.stringify(value)})`);
      const encoded = Buffer.from(value, "latin1");
      if (encoded.length > (point.length ?? 0)) {
        throw new Error(`${point.name}: "${value}" is longer than ${point.length} characters`);
      }
      encoded.copy(bytes);
      break;
    }
    default: {
      const raw = (toNumber(value, point) - point.offset) / point.scale;
      const range = INTEGER_RANGE[point.type];
      if (range) {
        const integer = Math.round(raw);
        if (integer < range[0] || integer > range[1]) {
          throw new Error(`${point.name}: ${String(value)} is ${integer} raw, outside ${point.type} (${range[0]}…${range[1]})`);
        }
        if (point.type === "int16") bytes.writeInt16BE(integer, 0);
        else if (point.type === "uint16") bytes.writeUInt16BE(integer, 0);
        else if (point.type === "int32") bytes.writeInt32BE(integer, 0);
        else bytes.writeUInt32BE(integer, 0);
      } else if (point.type === "float32") {
        if (Math.abs(raw) > FLOAT32_MAX) throw new Error(`${point.name}: ${String(value)} is outside float32`);
        bytes.writeFloatBE(raw, 0);
      } else {
        bytes.writeDoubleBE(raw, 0);
      }
    }
  }
  // `bytes` holds the value big-endian; reordering those words gives the wire's.
  const words = bytesToWords(bytes);
  reorderInto(bytes, words, 0, words.length, point.order, point.type);
  return bytesToWords(bytes);
}
