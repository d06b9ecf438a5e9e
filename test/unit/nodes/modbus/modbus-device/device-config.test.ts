import assert from "node:assert/strict";
import { parseDeviceConfig } from "../../../../../nodes/modbus/modbus-device/device-config.js";
import { stateStatus } from "../../../../../nodes/modbus/modbus-device/device-handle.js";
import { detectSerialSupport } from "../../../../../nodes/modbus/modbus-device/serial-support.js";
import { parsePoint, parsePoints } from "../../../../../nodes/modbus/shared/point.js";

describe("Modbus configuration", () => {
  it("parses a TCP device with defaults, and strings as the editor saves them", () => {
    assert.deepEqual(parseDeviceConfig({ host: " 10.0.0.5 ", port: "5020", unitId: "3" }), {
      endpoint: { kind: "tcp", host: "10.0.0.5", port: 5020 },
      unitId: 3,
      timeoutMs: 1000,
      backoff: { initialMs: 1000, maxMs: 30000 },
      queueLimit: 64,
    });
  });

  it("parses an RTU device and rejects bad settings with a message", () => {
    assert.deepEqual(parseDeviceConfig({ transport: "rtu", serialPath: "/dev/ttyUSB0", baudRate: 19200, parity: "even" }).endpoint, {
      kind: "rtu", path: "/dev/ttyUSB0", baudRate: 19200, parity: "even", dataBits: 8, stopBits: 1,
    });
    assert.throws(() => parseDeviceConfig({ transport: "rtu" }), /serial port path is required/);
    assert.throws(() => parseDeviceConfig({ transport: "rtu", serialPath: "/dev/x", parity: "mark" }), /parity must be/);
    assert.throws(() => parseDeviceConfig({}), /host is required/);
    assert.throws(() => parseDeviceConfig({ host: "h", port: 70000 }), /port must be an integer from 1 to 65535/);
    assert.throws(() => parseDeviceConfig({ host: "h", backoffInitialMs: 5000, backoffMaxMs: 1000 }), /maximum backoff/);
    assert.throws(() => parseDeviceConfig({ host: "h", transport: "udp" }), /transport must be tcp or rtu/);
  });

  it("says clearly when serial support cannot load", () => {
    assert.deepEqual(detectSerialSupport(() => ({})), { available: true });
    const missing = detectSerialSupport(() => {
      throw new Error("No native build was found for platform=linux\nmore lines");
    });
    assert.deepEqual(missing, {
      available: false,
      reason: "Modbus RTU is not available on this system: the serialport native binding does not load (No native build was found for platform=linux)",
    });
  });

  it("parses points, forcing bool for bit tables and checking every field", () => {
    assert.deepEqual(parsePoint({ name: " RUN ", function: "coil", address: "5" }, "point 1"), {
      name: "RUN", function: "coil", address: 5, type: "bool", order: "ABCD", scale: 1, offset: 0,
    });
    assert.equal(parsePoint({ name: "S", function: "input-register", address: 0, type: "string", length: 5 }, "p").length, 5);
    assert.throws(() => parsePoint({ name: "X", function: "coil", address: 0, type: "float32" }, "point 2"), /point 2 \(X\): coil points are bool/);
    assert.throws(() => parsePoint({ function: "coil", address: 0 }, "point 3"), /point 3: a name is required/);
    assert.throws(() => parsePoint({ name: "X", function: "register", address: 0 }, "p"), /function must be one of/);
    assert.throws(() => parsePoint({ name: "X", function: "holding-register", address: 65535, type: "float32" }, "p"), /runs past address 65535/);
    assert.throws(() => parsePoint({ name: "X", function: "holding-register", address: 0, scale: 0 }, "p"), /scale must not be 0/);
    assert.throws(() => parsePoint({ name: "X", function: "holding-register", address: 0, order: "BACD" }, "p"), /order must be one of/);
    assert.throws(() => parsePoints([{ name: "A", function: "coil", address: 0 }, { name: "A", function: "coil", address: 1 }]), /used twice/);
    assert.throws(() => parsePoints([]), /no points configured/);
  });

  it("shows each connection state in a worker's status", () => {
    assert.deepEqual(stateStatus({ kind: "connected", attempt: 0 }, "h:502 unit 1"), { fill: "green", shape: "dot", text: "connected: h:502 unit 1" });
    assert.deepEqual(stateStatus({ kind: "backing-off", attempt: 2, delayMs: 1500, reason: "timeout after 1000 ms: h:502 unit 1" }, "h:502 unit 1"), {
      fill: "red", shape: "ring", text: "retry in 1.5 s: timeout after 1000 ms: h:502 unit 1",
    });
    assert.equal(stateStatus({ kind: "connecting", attempt: 2 }, "d").text, "connecting (retry 2): d");
    assert.equal(stateStatus({ kind: "closed" }, "d").fill, "grey");
  });
});
