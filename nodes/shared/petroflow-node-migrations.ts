import { SPARKPLUG_HOST_MIGRATIONS } from "../sparkplug/sparkplug-host/sparkplug-host-migrations.js";
import { TAG_IN_MIGRATIONS } from "../tags/tag-in/tag-in-migrations.js";
import { TAG_WRITE_MIGRATIONS } from "../tags/tag-write/tag-write-migrations.js";
import { INITIAL_CONFIG_VERSION, NodeConfigRegistry, type NodeConfigMigration } from "./node-config-versions.js";

const SHAPE_AS_OF_VERSIONS: readonly NodeConfigMigration[] = [INITIAL_CONFIG_VERSION];

/**
 * The config migrations of every Petroflow node type (package.json
 * "node-red"). A node whose config changes shape gets its own
 * `<type>-migrations.ts` beside it, listed here; the node's runtime, the
 * flow storage, deploys, imports, the editor and the shipped flows all
 * read this one list.
 */
export const PETROFLOW_NODE_MIGRATIONS = {
  "flow-revision": SHAPE_AS_OF_VERSIONS,
  "opcua-endpoint": SHAPE_AS_OF_VERSIONS,
  "opcua-read": SHAPE_AS_OF_VERSIONS,
  "opcua-subscribe": SHAPE_AS_OF_VERSIONS,
  "opcua-write": SHAPE_AS_OF_VERSIONS,
  "opcua-browse": SHAPE_AS_OF_VERSIONS,
  "modbus-device": SHAPE_AS_OF_VERSIONS,
  "modbus-read": SHAPE_AS_OF_VERSIONS,
  "modbus-write": SHAPE_AS_OF_VERSIONS,
  "sparkplug-broker": SHAPE_AS_OF_VERSIONS,
  "sparkplug-edge": SHAPE_AS_OF_VERSIONS,
  "sparkplug-host": SPARKPLUG_HOST_MIGRATIONS,
  "tag-write": TAG_WRITE_MIGRATIONS,
  "tag-in": TAG_IN_MIGRATIONS,
  "tag-read": SHAPE_AS_OF_VERSIONS,
  "erp-production-entry": SHAPE_AS_OF_VERSIONS,
  "erp-well-test": SHAPE_AS_OF_VERSIONS,
  "erp-event": SHAPE_AS_OF_VERSIONS,
  "erp-work-order": SHAPE_AS_OF_VERSIONS,
  "erp-stock-move": SHAPE_AS_OF_VERSIONS,
  "erp-query": SHAPE_AS_OF_VERSIONS,
  "setpoint-approval": SHAPE_AS_OF_VERSIONS,
  "alarm-events": SHAPE_AS_OF_VERSIONS,
  "alarm-ack": SHAPE_AS_OF_VERSIONS,
  "alarm-shelve": SHAPE_AS_OF_VERSIONS,
  "alarm-raise": SHAPE_AS_OF_VERSIONS,
  "history-query": SHAPE_AS_OF_VERSIONS,
  "dca-fit": SHAPE_AS_OF_VERSIONS,
  "dca-forecast": SHAPE_AS_OF_VERSIONS,
  "gaslift-optimize": SHAPE_AS_OF_VERSIONS,
  "ipr-curve": SHAPE_AS_OF_VERSIONS,
} as const satisfies Record<string, readonly NodeConfigMigration[]>;

export type PetroflowNodeType = keyof typeof PETROFLOW_NODE_MIGRATIONS;

/** A registry that knows every Petroflow node type; integrators' nodes add theirs when they load. */
export function petroflowNodeConfigRegistry(): NodeConfigRegistry {
  const registry = new NodeConfigRegistry();
  for (const [type, migrations] of Object.entries(PETROFLOW_NODE_MIGRATIONS)) registry.register(type, migrations);
  return registry;
}
