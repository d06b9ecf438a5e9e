import assert from "node:assert/strict";
import { decodePoint, decodeRaw, encodePoint } from "../../../../../nodes/modbus/shared/codec.js";
import type { DataType, ModbusPoint, WordOrder } from "../../../../../nodes/modbus/shared/point.js";
import { WORD_ORDERS } from "../../../../../nodes/modbus/shared/point.js";

function point(type: DataType, order: WordOrder, extra: Partial<ModbusPoint> = {}): ModbusPoint {
  return { name: "P", function: "holding-register", address: 0, type, order, scale: 1, offset: 0, ...extra };
}

/** Registers for big-endian bytes in the given order (A = most significant), built by hand. */
function wordsFor(bigEndian: Buffer, order: WordOrder): number[] {
  const pairs: number[][] = [];
  for (let i = 0; i < bigEndian.length; i += 2) pairs.push([bigEndian[i], bigEndian[i + 1]]);
  const ordered = order === "CDAB" || order === "DCBA" ? pairs.reverse() : pairs;
  return ordered.map(([hi, lo]) => (order === "BADC" || order === "DCBA" ? (lo << 8) | hi : (hi << 8) | lo));
}

const SAMPLES: Record<Exclude<DataType, "bool" | "string">, { value: number; bytes: (value: number) => Buffer }> = {
  int16: { value: -12345, bytes: (v) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; } },
  uint16: { value: 0xbeef, bytes: (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; } },
  int32: { value: -123456789, bytes: (v) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; } },
  uint32: { value: 0xdeadbeef, bytes: (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; } },
  float32: { value: 123.456787109375, bytes: (v) => { const b = Buffer.alloc(4); b.writeFloatBE(v); return b; } },
  float64: { value: -98765.4321, bytes: (v) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; } },
};

describe("Modbus codec", () => {
  for (const [type, sample] of Object.entries(SAMPLES) as [keyof typeof SAMPLES, (typeof SAMPLES)[keyof typeof SAMPLES]][]) {
    for (const order of WORD_ORDERS) {
      it(`decodes and encodes ${type} in ${order}`, () => {
        const words = wordsFor(sample.bytes(sample.value), order);
        assert.equal(decodeRaw(words, type, order), sample.value);
        assert.deepEqual(encodePoint(sample.value, point(type, order)), words);
      });
    }
  }

  it("matches published vectors for float32 123.456", () => {
    assert.equal(Number(decodeRaw([0x42f6, 0xe979], "float32", "ABCD")).toFixed(3), "123.456");
    assert.equal(Number(decodeRaw([0xe979, 0x42f6], "float32", "CDAB")).toFixed(3), "123.456");
    assert.equal(Number(decodeRaw([0xf642, 0x79e9], "float32", "BADC")).toFixed(3), "123.456");
    assert.equal(Number(decodeRaw([0x79e9, 0xf642], "float32", "DCBA")).toFixed(3), "123.456");
  });

  it("treats 16-bit values: CDAB as ABCD, DCBA as BADC (one word has no word order)", () => {
    assert.equal(decodeRaw([0x1234], "uint16", "CDAB"), 0x1234);
    assert.equal(decodeRaw([0x1234], "uint16", "DCBA"), 0x3412);
  });

  it("decodes bool registers as non-zero and strings trimmed of NUL and space padding", () => {
    assert.equal(decodeRaw([0], "bool", "ABCD"), false);
    assert.equal(decodeRaw([0x0100], "bool", "ABCD"), true);
    assert.equal(decodeRaw([0x5745, 0x4c4c, 0x2d31, 0x0000], "string", "ABCD", 8), "WELL-1");
    assert.equal(decodeRaw([0x4557, 0x4c4c, 0x312d, 0x2020], "string", "BADC", 8), "WELL-1");
    assert.equal(decodeRaw([0x4142, 0x4300], "string", "ABCD", 3), "ABC");
    assert.deepEqual(encodePoint("WELL-1", point("string", "ABCD", { length: 8 })), [0x5745, 0x4c4c, 0x2d31, 0x0000]);
    assert.deepEqual(encodePoint("AB", point("string", "DCBA", { length: 2 })), [0x4241]);
  });

  it("applies scale and offset, and removes them when writing", () => {
    const scaled = point("int16", "ABCD", { scale: 0.1, offset: -40 });
    assert.equal(decodePoint([650], scaled), 25);
    assert.deepEqual(encodePoint(25, scaled), [650]);
    assert.deepEqual(encodePoint("25", scaled), [650]);
  });

  it("refuses values that do not fit instead of wrapping", () => {
    assert.throws(() => encodePoint(70000, point("uint16", "ABCD")), /outside uint16/);
    assert.throws(() => encodePoint(-1, point("uint32", "ABCD")), /outside uint32/);
    assert.throws(() => encodePoint(40000, point("int16", "ABCD")), /outside int16/);
    assert.throws(() => encodePoint(1e39, point("float32", "ABCD")), /outside float32/);
    assert.throws(() => encodePoint("abc", point("float32", "ABCD")), /needs a finite number/);
    assert.throws(() => encodePoint(Number.NaN, point("float64", "ABCD")), /needs a finite number/);
    assert.throws(() => encodePoint("TOO LONG", point("string", "ABCD", { length: 4 })), /longer than 4/);
    assert.throws(() => encodePoint(2, point("bool", "ABCD")), /bool needs/);
    assert.throws(() => decodeRaw([1], "float32", "ABCD"), /needs 2 registers/);
  });
});
