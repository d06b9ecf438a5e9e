import assert from "node:assert/strict";
import { encodeFrame, handleRequestPdu, ModbusException, scanFrames, type ModbusUnit } from "../../../simulator/modbus-frame.js";

const frame = (transactionId: number, unitId: number, pdu: number[]): Buffer => encodeFrame(transactionId, unitId, Buffer.from(pdu));
const hex = (buffer: Buffer): string => buffer.toString("hex");

/** A memory-backed unit: 16 coils/discrete inputs and 200 registers per table. */
function memoryUnit() {
  const coils = Array.from({ length: 16 }, (_, i) => i % 3 === 0);
  const holding = Array.from({ length: 200 }, (_, i) => i);
  const inRange = (address: number, quantity: number, size: number): void => {
    if (address + quantity > size) throw new ModbusException(2, "out of range");
  };
  const unit: ModbusUnit = {
    readCoils: (address, quantity) => (inRange(address, quantity, 16), coils.slice(address, address + quantity)),
    readDiscreteInputs: (address, quantity) => (inRange(address, quantity, 16), coils.slice(address, address + quantity).map((bit) => !bit)),
    readHoldingRegisters: (address, quantity) => (inRange(address, quantity, 200), holding.slice(address, address + quantity)),
    readInputRegisters: (address, quantity) => (inRange(address, quantity, 200), holding.slice(address, address + quantity).map((v) => v + 1000)),
    writeCoils: (address, values) => (inRange(address, values.length, 16), values.forEach((v, i) => (coils[address + i] = v))),
    writeRegisters: (address, values) => {
      inRange(address, values.length, 200);
      if (values.some((v) => v === 0xdead)) throw new ModbusException(3, "refused");
      values.forEach((v, i) => (holding[address + i] = v));
    },
  };
  return { unit, coils, holding };
}

describe("Modbus TCP frame codec", () => {
  it("encodes the MBAP header: transaction id, protocol 0, length of unit id + PDU, unit id", () => {
    assert.equal(hex(frame(0x1234, 17, [3, 0, 0, 0, 2])), "1234000000061103" + "00000002");
    assert.equal(hex(encodeFrame(1, 1, Buffer.from([3, 2, 0, 1]), -1)).slice(8, 12), "0004", "a corrupt length is one short");
  });

  it("scans pipelined frames and keeps a partial one for the next chunk", () => {
    const stream = Buffer.concat([frame(1, 1, [3, 0, 0, 0, 1]), frame(2, 2, [4, 0, 5, 0, 2]), frame(3, 3, [1, 0, 0, 0, 8])]);
    const first = scanFrames(stream.subarray(0, 20));
    assert.deepEqual(first.frames.map((f) => [f.transactionId, f.unitId, hex(f.pdu)]), [[1, 1, "0300000001"]]);
    assert.equal(first.rest.length, 8);
    const second = scanFrames(Buffer.concat([first.rest, stream.subarray(20)]));
    assert.deepEqual(second.frames.map((f) => f.transactionId), [2, 3]);
    assert.equal(second.rest.length, 0);
    assert.equal(second.error, undefined);
    assert.equal(scanFrames(stream.subarray(0, 5)).frames.length, 0, "not even a header yet");
  });

  it("rejects a stream that is not Modbus TCP", () => {
    assert.match(scanFrames(Buffer.from("0001000100060103000000010000", "hex")).error ?? "", /protocol id 1/);
    assert.match(scanFrames(Buffer.from("000100000105", "hex")).error ?? "", /length 261/);
    assert.match(scanFrames(Buffer.from("000100000001", "hex")).error ?? "", /length 1/);
    assert.match(scanFrames(Buffer.concat([frame(1, 1, [3, 0, 0, 0, 1]), Buffer.from("GET / HTTP/1.1\r\n")])).error ?? "", /protocol id/);
  });

  it("answers FC 1-4 reads, packing bits LSB first", () => {
    const { unit } = memoryUnit();
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([1, 0, 0, 0, 10]))), "0102" + "4902");
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([2, 0, 0, 0, 3]))), "020106");
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([3, 0, 10, 0, 2]))), "0304000a000b");
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([4, 0, 1, 0, 1]))), "040203e9");
    assert.equal(handleRequestPdu(unit, Buffer.from([3, 0, 0, 0, 125])).length, 2 + 250);
  });

  it("applies FC 5, 6, 15, 16 writes and echoes as the spec says", () => {
    const { unit, coils, holding } = memoryUnit();
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([5, 0, 1, 0xff, 0]))), "050001ff00");
    assert.equal(coils[1], true);
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([6, 0, 7, 0x12, 0x34]))), "0600071234");
    assert.equal(holding[7], 0x1234);
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([15, 0, 4, 0, 3, 1, 0b101]))), "0f00040003");
    assert.deepEqual(coils.slice(4, 7), [true, false, true]);
    assert.equal(hex(handleRequestPdu(unit, Buffer.from([16, 0, 20, 0, 2, 4, 0, 9, 0, 8]))), "1000140002");
    assert.deepEqual(holding.slice(20, 22), [9, 8]);
  });

  it("answers exceptions 01, 02, 03, 04", () => {
    const { unit } = memoryUnit();
    const code = (pdu: number[], target: ModbusUnit = unit): string => hex(handleRequestPdu(target, Buffer.from(pdu)));
    assert.equal(code([0x2b, 0x0e, 1, 0]), "ab01", "unsupported function");
    assert.equal(code([3, 0, 0, 0, 1], {}), "8301", "a unit without holding registers");
    assert.equal(code([3, 0, 199, 0, 2]), "8302", "the unit's own address check");
    assert.equal(code([3, 0xff, 0xff, 0, 2]), "8302", "past address 65535");
    assert.equal(code([3, 0, 0, 0, 126]), "8303", "more than 125 registers");
    assert.equal(code([4, 0, 0, 0, 0]), "8403", "zero registers");
    assert.equal(code([1, 0, 0, 0x07, 0xd1]), "8103", "more than 2000 coils");
    assert.equal(code([3, 0, 0, 0]), "8303", "truncated request");
    assert.equal(code([5, 0, 0, 0x12, 0x34]), "8503", "FC5 value other than FF00/0000");
    assert.equal(code([15, 0, 0, 0, 9, 1, 0xff]), "8f03", "byte count does not match quantity");
    assert.equal(code([16, 0, 0, 0, 2, 4, 0, 1]), "9003", "fewer bytes than the byte count");
    assert.equal(code([16, 0, 0, 0, 1, 2, 0xde, 0xad]), "9003", "the unit refuses the value");
    const broken: ModbusUnit = {
      readInputRegisters: () => {
        throw new Error("sensor bus down");
      },
      readHoldingRegisters: () => [1],
    };
    assert.equal(code([4, 0, 0, 0, 1], broken), "8404", "a plain error is a device failure");
    assert.equal(code([3, 0, 0, 0, 2], broken), "8304", "a wrong-sized answer is a device failure");
  });
});
