import type { NodeDefinition, NodeRedRuntime } from "../nodes/shared/node-red-types.js";
import { currentVersionOf } from "../nodes/shared/node-config-versions.js";
import type { NodeConfigVersions } from "../nodes/shared/versioned-node.js";
import type { NodeTypeDefinition } from "./services.js";

/**
 * defineNode over a runtime's node config versions: checks that the
 * declared configVersion is where the steps lead, then registers the type
 * with Node-RED and the runtime's migration registry.
 */
export function defineNodeWith(nodeConfigs: NodeConfigVersions) {
  return function defineNode<Config extends NodeDefinition>(RED: NodeRedRuntime, definition: NodeTypeDefinition<Config>): void {
    const reached = currentVersionOf(definition.migrations);
    if (definition.configVersion !== reached) {
      throw new Error(
        `${definition.type}: configVersion is ${definition.configVersion} but its migrations reach version ${reached}; add the missing step or fix configVersion`,
      );
    }
    nodeConfigs.registerType(RED, definition.type, definition.migrations, definition.create, {
      ...(definition.credentials ? { credentials: definition.credentials } : {}),
      ...(definition.settings ? { settings: definition.settings } : {}),
    });
  };
}
