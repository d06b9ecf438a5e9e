import type { NodeDefinition, NodeInstance, NodeRedRuntime, NodeTypeOptions } from "../../shared/node-red-types.js";
import type { PetroflowNodeType } from "../../shared/petroflow-node-migrations.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

type Constructor = (this: NodeInstance, config: NodeDefinition) => void;

/**
 * Registers a node type now but loads its implementation (and node-opcua,
 * ~80 MiB resident) only when the first node of the type is created: a site
 * with no OPC UA in its flows never pays for it. `load` returns the
 * implementation module's register function, which is run against a RED
 * that captures the constructor instead of registering it.
 */
export function registerLazily(RED: NodeRedRuntime, type: PetroflowNodeType, load: () => unknown, options?: NodeTypeOptions): void {
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
  registerPetroflowType(
    RED,
    type,
    function (this: NodeInstance, config: NodeDefinition) {
      implementation().call(this, config);
    },
    options,
  );
}
