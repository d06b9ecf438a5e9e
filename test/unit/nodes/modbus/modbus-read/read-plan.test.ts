import assert from "node:assert/strict";
import { collectPoll, decodeBlock, planReads } from "../../../../../nodes/modbus/modbus-read/read-plan.js";
import type { DataType, ModbusFunction, ModbusPoint } from "../../../../../nodes/modbus/shared/point.js";

function p(name: string, address: number, type: DataType = "uint16", fn: ModbusFunction = "holding-register", length?: number): ModbusPoint {
  return { name, function: fn, address, type: fn === "coil" || fn === "discrete-input" ? "bool" : type, order: "ABCD", scale: 1, offset: 0, length };
}

function shape(points: ModbusPoint[], maxGap = 0): [number, number, number][] {
  return planReads(points, { maxGap }).map((block) => [block.fc, block.address, block.quantity]);
}

describe("Modbus read planner", () => {
  it("coalesces contiguous points of one function into one request", () => {
    assert.deepEqual(shape([p("a", 0), p("b", 1, "float32"), p("c", 3, "float64")]), [[3, 0, 7]]);
  });

  it("bridges gaps up to maxGap and no further", () => {
    const points = [p("a", 0), p("b", 5)];
    assert.deepEqual(shape(points, 4), [[3, 0, 6]]);
    assert.deepEqual(shape(points, 3), [[3, 0, 1], [3, 5, 1]]);
  });

  it("never exceeds 125 registers per request, splitting before a point that would cross the limit", () => {
    const points = Array.from({ length: 130 }, (_, i) => p(`r${i}`, i));
    assert.deepEqual(shape(points), [[3, 0, 125], [3, 125, 5]]);
    // A float32 at 124..125 cannot sit in a block starting at 0.
    assert.deepEqual(shape([p("a", 0), p("b", 124, "float32")], 200 - 76), [[3, 0, 1], [3, 124, 2]]);
    assert.deepEqual(shape([p("a", 0), p("b", 123, "float32")], 124), [[3, 0, 125]]);
  });

  it("never exceeds 2000 bits per request, and bridges 16 bits per register of gap", () => {
    const coils = Array.from({ length: 2001 }, (_, i) => p(`c${i}`, i, "bool", "coil"));
    assert.deepEqual(shape(coils), [[1, 0, 2000], [1, 2000, 1]]);
    assert.deepEqual(shape([p("a", 0, "bool", "coil"), p("b", 17, "bool", "coil")], 1), [[1, 0, 18]]);
    assert.deepEqual(shape([p("a", 0, "bool", "coil"), p("b", 18, "bool", "coil")], 1), [[1, 0, 1], [1, 18, 1]]);
  });

  it("keeps functions apart, sorts by address, and handles overlapping and duplicate addresses", () => {
    const points = [
      p("hr", 10), p("ir", 11, "uint16", "input-register"), p("di", 10, "bool", "discrete-input"), p("c", 10, "bool", "coil"),
      p("hr0", 0), p("whole", 10, "uint32"), p("low", 10), p("high", 11),
    ];
    assert.deepEqual(shape(points, 10), [[1, 10, 1], [2, 10, 1], [3, 0, 12], [4, 11, 1]]);
    const [, , holding] = planReads(points, { maxGap: 10 });
    const offsets = Object.fromEntries(holding.points.map((member) => [points[member.index].name, member.offset]));
    assert.deepEqual(offsets, { hr0: 0, hr: 10, whole: 10, low: 10, high: 11 });
  });

  it("plans strings by their register span and refuses one larger than a request", () => {
    assert.deepEqual(shape([p("tag", 0, "string", "holding-register", 7), p("next", 4)]), [[3, 0, 5]]);
    assert.throws(() => planReads([p("big", 0, "string", "holding-register", 252)], { maxGap: 0 }), /exceed one request/);
  });

  it("plans nothing for no points, and one request per point with naive limits", () => {
    assert.deepEqual(shape([]), []);
    assert.equal(planReads([p("a", 0), p("b", 1)], { maxGap: 0, maxRegisters: 1 }).length, 2);
  });

  it("decodes a block's reply into point values and rejects a short reply", () => {
    const points = [p("a", 100), p("b", 102, "int32")];
    const [block] = planReads(points, { maxGap: 1 });
    assert.deepEqual([...decodeBlock(block, { words: [7, 0, 0xffff, 0xfffe] }, points)], [[0, 7], [1, -2]]);
    assert.throws(() => decodeBlock(block, { words: [7, 0, 1] }, points), /short reply: asked 4 registers at 100, got 3/);
    const coils = [p("x", 0, "bool", "coil"), p("y", 9, "bool", "coil")];
    const [bits] = planReads(coils, { maxGap: 1 });
    assert.deepEqual([...decodeBlock(bits, { bits: [true, false, false, false, false, false, false, false, false, true] }, coils)], [[0, true], [1, true]]);
    assert.throws(() => decodeBlock(bits, { bits: [true] }, coils), /short reply: asked 10 bits/);
  });

  it("collects a poll where one block failed: only its points lack values", () => {
    const points = [p("a", 0), p("b", 500), p("c", 0, "uint16", "input-register")];
    const blocks = planReads(points, { maxGap: 10 });
    const result = collectPoll(blocks, [{ words: [1] }, new Error("Modbus exception 2"), { words: [1, 2] }], points);
    assert.deepEqual([...result.values], [[0, 1], [2, 1]]);
    assert.deepEqual([...result.errors], [[1, "Modbus exception 2"]]);
    const short = collectPoll(blocks, [{ words: [] }, { words: [5] }, { words: [9] }], points);
    assert.match(short.errors.get(0) ?? "", /short reply/);
  });
});
