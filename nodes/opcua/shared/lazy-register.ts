import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";

type Constructor = (this: NodeInstance, config: NodeDefinition) => void;
type TypeOptions = Parameters<NodeRedRuntime["nodes"]["registerType"]>[2];

/**
 * Registers a node type now but loads its implementation (and node-opcua,
 * ~80 MiB resident) only when the first node of the type is created: a site
 * with no OPC UA in its flows never pays for it. `load` returns the
 * implementation module's register function, which is run against a RED
 * that captures the constructor instead of registering it.
 */
export function registerLazily(RED: NodeRedRuntime, type: string, load: () => unknown, options?: TypeOptions): void {
  let constructor: Constructor | undefined;
  const implementation = (): Constructor => {
    if (constructor) return constructor;
    const register = load();
    if (typeof register !== "function") throw new Error(`${type}: its implementation module exports no register function`);
    const capture = (registered: string, candidate: Constructor) => {
      if (registered === type) constructor = candidate;
    };
    const capturing = Object.create(RED, { nodes: { value: Object.create(RED.nodes, { registerType: { value: capture } }) as NodeRedRuntime["nodes"] } }) as NodeRedRuntime;
    (register as (red: NodeRedRuntime) => void)(capturing);
    if (!constructor) throw new Error(`${type}: its implementation module did not register the type`);
    return constructor;
  };
  RED.nodes.registerType(
    type,
    function (this: NodeInstance, config: NodeDefinition) {
      implementation().call(this, config);
    },
    options,
  );
}
