import assert from "node:assert/strict";
import { checkTagPaths, pollOutput, pollStatus, tagPathOf } from "../../../../nodes/modbus/modbus-read/poll-output.js";
import { checkReadBack, planWrite, writtenSpan } from "../../../../nodes/modbus/modbus-write/write-plan.js";
import type { PointValue } from "../../../../nodes/modbus/shared/codec.js";
import type { ModbusPoint } from "../../../../nodes/modbus/shared/point.js";

const coil: ModbusPoint = { name: "PUMP", function: "coil", address: 4, type: "bool", order: "ABCD", scale: 1, offset: 0 };
const setpoint: ModbusPoint = { name: "SP", function: "holding-register", address: 10, type: "uint16", order: "ABCD", scale: 0.1, offset: 0 };
const float: ModbusPoint = { ...setpoint, type: "float32", order: "CDAB", scale: 1 };

describe("Modbus write planning", () => {
  it("uses FC 5 and FC 6 for one value, FC 15 and FC 16 for several or when forced", () => {
    assert.deepEqual(planWrite(coil, true).request, { fc: 5, address: 4, value: true });
    assert.deepEqual(planWrite(coil, [1, 0, true]).request, { fc: 15, address: 4, values: [true, false, true] });
    assert.deepEqual(planWrite(coil, false, true).request, { fc: 15, address: 4, values: [false] });
    assert.deepEqual(planWrite(setpoint, 42.5).request, { fc: 6, address: 10, value: 425 });
    assert.deepEqual(planWrite(setpoint, 42.5, true).request, { fc: 16, address: 10, values: [425] });
    assert.deepEqual(planWrite(setpoint, [1, 2]).request, { fc: 16, address: 10, values: [10, 20] });
    assert.deepEqual(planWrite(float, 1).request, { fc: 16, address: 10, values: [0x0000, 0x3f80] });
    assert.deepEqual(planWrite(float, 1).readBack, { fc: 3, address: 10, quantity: 2 });
    assert.deepEqual(planWrite(coil, [true, true]).readBack, { fc: 1, address: 4, quantity: 2 });
    assert.equal(writtenSpan(planWrite(float, [1, 2])), 4);
  });

  it("refuses what it cannot write", () => {
    assert.throws(() => planWrite(coil, "on"), /a coil needs true\/false or 0\/1/);
    assert.throws(() => planWrite(coil, []), /nothing to write/);
    assert.throws(() => planWrite({ ...setpoint, function: "input-register" }, 1), /only coils and holding registers/);
    assert.throws(() => planWrite(setpoint, new Array(124).fill(1)), /at most 123 registers/);
    assert.throws(() => planWrite({ ...coil, address: 65535 }, [true, true]), /past address 65535/);
  });

  it("compares the read-back on raw registers and bits", () => {
    const plan = planWrite(float, 1);
    assert.doesNotThrow(() => checkReadBack(plan, { words: [0, 0x3f80] }));
    assert.throws(() => checkReadBack(plan, { words: [0x3f80, 0] }), /read-back mismatch at address 10: wrote \[0, 16256\], device holds \[16256, 0\]/);
    assert.throws(() => checkReadBack(planWrite(coil, true), { bits: [false] }), /read-back mismatch/);
    assert.throws(() => checkReadBack(plan, { written: true }), /device holds \[\]/);
  });
});

describe("Modbus poll output", () => {
  const points: ModbusPoint[] = [setpoint, { ...coil, tag: "SITE1/PUMPS/P1" }, { ...float, name: "FLOW" }];

  it("names tags from the prefix or the point's own path, and rejects bad paths at deploy", () => {
    assert.equal(tagPathOf(setpoint, "SITE1/WELL-101"), "SITE1/WELL-101/SP");
    assert.equal(tagPathOf(setpoint, ""), undefined);
    assert.deepEqual(checkTagPaths(points, "SITE1/WELL-101"), ["SITE1/WELL-101/SP", "SITE1/PUMPS/P1", "SITE1/WELL-101/FLOW"]);
    assert.throws(() => checkTagPaths(points, "SITE1"), /tag path "SITE1\/SP" is not <site>\/<asset>\/<point>/);
  });

  it("turns a partial poll into good writes, bad tags grouped by reason, and an uncertain message", () => {
    const paths = checkTagPaths(points, "SITE1/WELL-101");
    const result = { values: new Map<number, PointValue>([[0, 42.5]]), errors: new Map([[1, "Modbus exception 2"], [2, "Modbus exception 2"]]) };
    const output = pollOutput(points, paths, result, 1000);
    assert.deepEqual(output.writes, [{ path: "SITE1/WELL-101/SP", value: { v: 42.5, q: "good", t: 1000 } }]);
    assert.deepEqual([...output.bad], [["Modbus exception 2", ["SITE1/PUMPS/P1", "SITE1/WELL-101/FLOW"]]]);
    assert.deepEqual(output.payload, { SP: 42.5, PUMP: null, FLOW: null });
    assert.equal(output.quality, "uncertain");
    assert.deepEqual(pollStatus(output, "d"), { fill: "yellow", shape: "ring", text: "1/3 points: Modbus exception 2" });
    const none = pollOutput(points, paths, { values: new Map(), errors: new Map([[0, "timeout"], [1, "timeout"], [2, "timeout"]]) }, 1);
    assert.equal(none.quality, "bad");
    assert.deepEqual(pollStatus(none, "d"), { fill: "red", shape: "ring", text: "timeout" });
    const all = pollOutput(points, paths, { values: new Map<number, PointValue>([[0, 1], [1, true], [2, 2]]), errors: new Map() }, 1);
    assert.equal(all.quality, "good");
    assert.deepEqual(pollStatus(all, "d"), { fill: "green", shape: "dot", text: "3 points: d" });
  });
});
