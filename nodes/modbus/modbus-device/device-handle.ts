import type { NodeInstance, NodeRedRuntime, NodeStatus } from "../../shared/node-red-types.js";
import type { ConnectionState } from "./connection-state.js";
import type { ModbusReply, ModbusRequest } from "./modbus-connection.js";

/** What a modbus-device config node offers the read and write nodes. */
export interface ModbusDeviceHandle {
  /** "host:port unit N" or "path unit N", used in every error. */
  readonly label: string;
  readonly timeoutMs: number;
  readonly state: ConnectionState;
  /** Adds a worker: it hears every state change (and the current state now); returns its deregistration. */
  register(onState: (state: ConnectionState) => void): () => void;
  execute(request: ModbusRequest): Promise<ModbusReply>;
}

export interface ModbusDeviceNode extends NodeInstance {
  modbusDevice: ModbusDeviceHandle;
}

function isModbusDeviceNode(node: NodeInstance | null): node is ModbusDeviceNode {
  return node !== null && typeof (node as Partial<ModbusDeviceNode>).modbusDevice?.execute === "function";
}

/** The device a worker node is configured with, or a clear error for a missing or wrong config node. */
export function deviceOf(RED: NodeRedRuntime, id: unknown): ModbusDeviceHandle {
  const node = typeof id === "string" && id ? RED.nodes.getNode(id) : null;
  if (!isModbusDeviceNode(node)) throw new Error("no Modbus device configured: pick a modbus-device for this node");
  return node.modbusDevice;
}

/** How a connection state shows in a worker node's status (pure). */
export function stateStatus(state: ConnectionState, label: string): NodeStatus {
  switch (state.kind) {
    case "closed":
      return { fill: "grey", shape: "ring", text: `closed: ${label}` };
    case "connecting":
      return { fill: "yellow", shape: "ring", text: state.attempt ? `connecting (retry ${state.attempt}): ${label}` : `connecting: ${label}` };
    case "connected":
      return { fill: "green", shape: "dot", text: `connected: ${label}` };
    case "backing-off":
      return { fill: "red", shape: "ring", text: `retry in ${(state.delayMs / 1000).toFixed(1)} s: ${state.reason}` };
  }
}
