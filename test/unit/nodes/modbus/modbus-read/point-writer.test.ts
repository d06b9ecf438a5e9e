import assert from "node:assert/strict";
import type { ModbusReply, ModbusRequest } from "../../../../../nodes/modbus/modbus-device/modbus-connection.js";
import { readBackValue, writablePoints, writePoint } from "../../../../../nodes/modbus/modbus-read/point-writer.js";
import type { ModbusPoint } from "../../../../../nodes/modbus/shared/point.js";

const point = (fields: Partial<ModbusPoint>): ModbusPoint => ({ name: "P", function: "holding-register", address: 0, type: "float32", order: "ABCD", scale: 1, offset: 0, ...fields });

describe("modbus-read's setpoint writer (pure)", () => {
  it("owns the coils and holding registers that have a tag, not inputs or untagged points", () => {
    const points = [point({ name: "SP" }), point({ name: "RUN", function: "coil", type: "bool" }), point({ name: "PV", function: "input-register" }), point({ name: "NOTAG" })];
    const owned = writablePoints(points, ["S/A/SP", "S/A/RUN", "S/A/PV", undefined]);
    assert.deepEqual(owned.map(({ point: p, path }) => [p.name, path]), [["SP", "S/A/SP"], ["RUN", "S/A/RUN"]]);
  });

  it("writes a scaled register as modbus-write would, then decodes what the device holds with scale and offset", async () => {
    const scaled = point({ address: 1000, type: "int16", scale: 0.1, offset: 0 });
    const requests: ModbusRequest[] = [];
    const readBack = await writePoint(scaled, 45.5, async (request) => {
      requests.push(request);
      return request.fc === 3 ? { words: [455] } : { written: true };
    });
    assert.deepEqual(requests, [{ fc: 6, address: 1000, value: 455 }, { fc: 3, address: 1000, quantity: 1 }]);
    assert.ok(Math.abs((readBack as number) - 45.5) < 1e-9);
  });

  it("reads a coil back as its bit; a write reply holds no value", () => {
    const coil = point({ function: "coil", type: "bool" });
    assert.equal(readBackValue(coil, { bits: [true] }), true);
    const nothing: ModbusReply = { written: true };
    assert.equal(readBackValue(coil, nothing), null);
  });
});
