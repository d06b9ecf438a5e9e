import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import type { ConnectionState } from "./connection-state.js";
import type { DeviceConfigInput } from "./device-config.js";
import { parseDeviceConfig } from "./device-config.js";
import type { ModbusDeviceHandle, ModbusDeviceNode } from "./device-handle.js";
import { ModbusConnection } from "./modbus-connection.js";
import { detectSerialSupport } from "./serial-support.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

type ModbusDeviceConfig = NodeDefinition & DeviceConfigInput;

/**
 * Config node for one Modbus device: owns its single connection, shared by
 * every read and write node that uses it. The connection opens when the
 * first worker registers and closes, with its socket and timers, when the
 * flows stop.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "modbus-device", function (this: NodeInstance, config: ModbusDeviceConfig) {
    RED.nodes.createNode(this, config);
    const node = this as ModbusDeviceNode;
    const workers = new Set<(state: ConnectionState) => void>();
    const broadcast = (state: ConnectionState) => {
      for (const worker of workers) worker(state);
    };
    let connection: ModbusConnection | undefined;
    let configError: Error | undefined;
    let stopped = false;
    let timeoutMs = 0;
    try {
      const options = parseDeviceConfig(config);
      const serial = options.endpoint.kind === "rtu" ? detectSerialSupport() : undefined;
      if (serial && !serial.available) node.error(serial.reason);
      connection = new ModbusConnection({ ...options, serial }, broadcast);
      timeoutMs = options.timeoutMs;
    } catch (error) {
      configError = error instanceof Error ? error : new Error(String(error));
      node.error(configError.message);
    }
    const label = connection?.label ?? `modbus-device ${config.name || config.id}`;
    const handle: ModbusDeviceHandle = {
      label,
      timeoutMs,
      get state(): ConnectionState {
        return connection?.state ?? { kind: "closed" };
      },
      register(onState) {
        workers.add(onState);
        onState(handle.state);
        // Lazily: a device no flow uses holds no socket. Never after close, which is final.
        if (!stopped && connection?.state.kind === "closed") connection.start();
        return () => {
          workers.delete(onState);
        };
      },
      execute(request) {
        if (!connection) return Promise.reject(new Error(`${label}: ${configError?.message ?? "not configured"}`));
        return connection.execute(request);
      },
    };
    node.modbusDevice = handle;
    node.on("close", (_removed, done) => {
      stopped = true;
      workers.clear();
      if (!connection) return done();
      connection.close().then(done, done);
    });
  });
};
