import assert from "node:assert/strict";
import { handleRequestPdu } from "../../../simulator/modbus-frame.js";
import {
  buildModbusMap,
  createModbusUnits,
  float32ToRegisters,
  fromScaledRegister,
  registersToFloat32,
  toScaledRegister,
  type ModbusMapUnit,
} from "../../../simulator/modbus-map.js";
import { createOilfield } from "../../../simulator/model/oilfield.js";

const model = () => createOilfield({ seed: 3, startTime: Date.UTC(2025, 0, 1), eventsPerDay: 0 });

function entry(map: ModbusMapUnit[], asset: string, point: string) {
  const found = map.find((unit) => unit.asset === asset)?.entries.find((e) => e.point === point);
  assert.ok(found, `${asset}/${point} is mapped`);
  return found;
}

describe("Modbus register map", () => {
  it("gives every asset its own unit id and every point one place", () => {
    const field = model();
    const map = buildModbusMap(field);
    assert.deepEqual(
      map.map((unit) => `${unit.asset}=${unit.unitId}`),
      [
        ...["WELL-101=11", "WELL-102=12", "WELL-103=13", "WELL-104=14", "WELL-201=21", "WELL-202=22", "WELL-203=23", "WELL-204=24"],
        ...["WELL-301=31", "WELL-302=32", "WELL-303=33", "WELL-304=34"],
        "MAN-01=40",
        "SEP-TEST=41",
        "SEP-PROD=42",
        "TK-01=51",
        "TK-02=52",
        "TK-W1=53",
        "COMP-01=61",
      ],
    );
    assert.equal(map.reduce((sum, unit) => sum + unit.entries.length, 0), field.points.length);
    assert.deepEqual(entry(map, "WELL-101", "THP"), { asset: "WELL-101", point: "THP", dataType: "float", unit: "kPa", table: "input", address: 0, scaledAddress: 1000, scale: 1 });
    assert.equal(entry(map, "WELL-101", "CHP").address, 2);
    assert.deepEqual([entry(map, "WELL-101", "CHOKE_SP").table, entry(map, "WELL-101", "CHOKE_SP").address], ["holding", 0]);
    assert.deepEqual([entry(map, "WELL-101", "ESP_FREQ_SP").address, entry(map, "WELL-101", "ESP_FREQ_SP").scaledAddress], [2, 1001]);
    assert.deepEqual([entry(map, "WELL-101", "SHUT_IN_CMD").table, entry(map, "WELL-101", "SHUT_IN_CMD").address], ["coil", 0]);
    assert.deepEqual([entry(map, "WELL-101", "RUNNING").table, entry(map, "WELL-101", "ESP_TRIPPED").address], ["discrete-input", 1]);
    assert.equal(entry(map, "SEP-TEST", "TEST_WELL").table, "holding");
  });

  it("encodes float32 ABCD and saturating scaled int16", () => {
    assert.deepEqual(float32ToRegisters(1.5), [0x3fc0, 0x0000]);
    assert.equal(registersToFloat32(0x4248, 0x0000), 50);
    assert.equal(toScaledRegister(-12.34, 10), 0xff85);
    assert.equal(fromScaledRegister(0xff85, 10), -12.3);
    assert.equal(toScaledRegister(1e9, 1), 0x7fff);
    assert.equal(toScaledRegister(-1e9, 1), 0x8000);
  });

  it("reads measurements and writes setpoints through the model", () => {
    const field = model();
    const map = buildModbusMap(field);
    const units = createModbusUnits(field, map);
    const well = units.get(11);
    assert.ok(well);
    const call = (pdu: number[]): Buffer => handleRequestPdu(well, Buffer.from(pdu));

    const thp = call([4, 0, 0, 0, 2]);
    assert.equal(thp.readFloatBE(2), Math.fround(field.read("WELL-101", "THP") as number));
    assert.equal(call([4, 0x03, 0xe8, 0, 1]).readInt16BE(2), Math.round(field.read("WELL-101", "THP") as number));
    assert.equal(call([2, 0, 0, 0, 2]).readUInt8(2), 0b01, "RUNNING, not ESP_TRIPPED");

    const fiftyTwo = float32ToRegisters(52.5);
    assert.equal(call([16, 0, 2, 0, 2, 4, fiftyTwo[0] >> 8, fiftyTwo[0] & 0xff, fiftyTwo[1] >> 8, fiftyTwo[1] & 0xff]).readUInt8(0), 16);
    assert.equal(field.read("WELL-101", "ESP_FREQ_SP"), 52.5);
    call([6, 0x03, 0xe8, 0x01, 0xc7]);
    assert.equal(field.read("WELL-101", "CHOKE_SP"), 45.5);
    call([5, 0, 0, 0xff, 0]);
    assert.equal(field.read("WELL-101", "RUNNING"), false);

    assert.equal(call([6, 0, 0, 0x42, 0x48]).toString("hex"), "8602", "half a float");
    assert.equal(call([16, 0, 1, 0, 2, 4, 0, 0, 0, 0]).toString("hex"), "9002", "starting on the low word");
    assert.equal(call([6, 0x03, 0xe8, 0x03, 0xe9]).toString("hex"), "8603", "choke 100.1 % is out of range");
    assert.equal(field.read("WELL-101", "CHOKE_SP"), 45.5, "a refused write leaves the model alone");
    assert.equal(call([3, 0, 0, 0, 8]).toString("hex"), "8302", "past the mapped holding registers");
    assert.equal(call([1, 0, 1, 0, 1]).toString("hex"), "8102");

    const separator = units.get(41);
    assert.ok(separator);
    const testWell = entry(map, "SEP-TEST", "TEST_WELL");
    const scaled = testWell.scaledAddress ?? 0;
    handleRequestPdu(separator, Buffer.from([6, scaled >> 8, scaled & 0xff, 0, 202]));
    assert.equal(field.read("SEP-TEST", "TEST_WELL"), 202);
    assert.equal(handleRequestPdu(separator, Buffer.from([6, scaled >> 8, scaled & 0xff, 0, 150])).toString("hex"), "8603");
  });
});
