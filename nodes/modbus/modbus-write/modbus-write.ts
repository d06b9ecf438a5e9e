import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import type { ModbusDeviceHandle } from "../modbus-device/device-handle.js";
import { deviceOf, stateStatus } from "../modbus-device/device-handle.js";
import type { ModbusPoint } from "../shared/point.js";
import { parsePoint } from "../shared/point.js";
import { checkReadBack, planWrite, writtenSpan } from "./write-plan.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface ModbusWriteConfig extends NodeDefinition {
  device?: string;
  function?: string;
  address?: number | string;
  /** Not `type`: that is the node's own type in a Node-RED flow. */
  dataType?: string;
  order?: string;
  scale?: number | string;
  offset?: number | string;
  length?: number | string;
  /** Read the written range back and fail when the device holds something else. */
  readBack?: boolean;
  /** FC 15/16 even for one coil or register (devices without FC 5/6). */
  forceMultiple?: boolean;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Writes msg.payload to one coil or holding-register point, optionally checking it by reading it back. */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "modbus-write", function (this: NodeInstance, config: ModbusWriteConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let point: ModbusPoint;
    let device: ModbusDeviceHandle;
    try {
      device = deviceOf(RED, config.device);
      const { function: fn, address, dataType, order, scale, offset, length } = config;
      point = parsePoint(
        { name: config.name || `address ${address}`, function: fn, address, type: dataType, order, scale, offset, length },
        "modbus-write",
      );
      if (point.function !== "coil" && point.function !== "holding-register") {
        throw new Error(`${point.name}: only coils and holding registers can be written`);
      }
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: asError(error).message });
      node.error(asError(error).message);
      node.on("input", (_msg, _send, done) => done(asError(error)));
      return;
    }
    const deregister = device.register((state) => node.status(stateStatus(state, device.label)));

    node.on("input", (msg, send, done) => {
      const write = async () => {
        const plan = planWrite(point, msg.payload, config.forceMultiple === true);
        await device.execute(plan.request);
        if (config.readBack) checkReadBack(plan, await device.execute(plan.readBack));
        return plan;
      };
      write().then(
        (plan) => {
          const unit = plan.request.fc === 5 || plan.request.fc === 15 ? "coil" : "register";
          const count = writtenSpan(plan);
          node.status({ fill: "green", shape: "dot", text: `wrote ${count} ${unit}${count === 1 ? "" : "s"} (fc ${plan.request.fc})${config.readBack ? ", read back ok" : ""}` });
          send(msg);
          done();
        },
        (error: unknown) => {
          node.status({ fill: "red", shape: "ring", text: asError(error).message });
          done(asError(error));
        },
      );
    });

    node.on("close", (_removed, done) => {
      deregister();
      done();
    });
  });
};
