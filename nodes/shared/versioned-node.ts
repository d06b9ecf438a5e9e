import {
  checkMigrations,
  configVersionSetting,
  currentVersionOf,
  migrateNodeConfig,
  type NodeConfigMigration,
  type NodeConfigRefusal,
  type NodeConfigRegistry,
} from "./node-config-versions.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime, NodeTypeOptions } from "./node-red-types.js";
import { PETROFLOW_NODE_MIGRATIONS, type PetroflowNodeType } from "./petroflow-node-migrations.js";

type Constructor<Config extends NodeDefinition> = (this: NodeInstance, config: Config) => void;

/** What nodes get as RED.settings.petroflow.nodeConfigs (docs: README "Writing nodes"). */
export interface NodeConfigVersions {
  /** Every versioned type this runtime knows: flow storage, deploys, imports and the editor migrate with it. */
  readonly registry: NodeConfigRegistry;
  /**
   * Registers a node type whose config carries a version: its constructor
   * always gets the current shape, the editor learns the current version,
   * and flows holding older configs are migrated when they load or deploy.
   */
  registerType<Config extends NodeDefinition>(
    RED: NodeRedRuntime,
    type: string,
    migrations: readonly NodeConfigMigration[],
    constructor: Constructor<Config>,
    options?: NodeTypeOptions,
  ): void;
}

function isRegistryHolder(value: unknown): value is { registry: NodeConfigRegistry } {
  const registry = (value as { registry?: { register?: unknown } } | null)?.registry;
  return typeof registry?.register === "function";
}

/** The runtime's registry, when the node runs inside Petroflow (a bare node test may have none). */
function runtimeRegistry(RED: NodeRedRuntime): NodeConfigRegistry | undefined {
  const services = RED.settings.petroflow as { nodeConfigs?: unknown } | undefined;
  return isRegistryHolder(services?.nodeConfigs) ? services.nodeConfigs.registry : undefined;
}

function refusalStatus(refusal: NodeConfigRefusal): string {
  if (refusal.code === "newer_version") return `config version ${String(refusal.version)} is newer than ${refusal.currentVersion}`;
  if (refusal.code === "invalid_version") return "invalid config version";
  return "config migration failed";
}

/**
 * A node whose config cannot run here (a newer Petroflow's, or one that
 * fails to migrate) stays in the flow, red, with the reason in the log, and
 * answers every message with the reason, so Catch nodes see it.
 */
function refuseNode(RED: NodeRedRuntime, node: NodeInstance, config: NodeDefinition, refusal: NodeConfigRefusal): void {
  RED.nodes.createNode(node, config);
  node.status({ fill: "red", shape: "ring", text: refusalStatus(refusal) });
  node.error(refusal.message);
  node.on("input", (_msg, _send, done) => done(new Error(refusal.message)));
}

/**
 * Node-RED hands a constructor its config with hidden (non-enumerable)
 * properties of its own, such as the node's flow (`_flow`), which
 * createNode needs; a migrated copy must carry them too.
 */
function withRuntimeProperties(original: NodeDefinition, migrated: Record<string, unknown>): Record<string, unknown> {
  if (migrated === original) return migrated;
  for (const key of Object.getOwnPropertyNames(original)) {
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor && !descriptor.enumerable && !(key in migrated)) Object.defineProperty(migrated, key, descriptor);
  }
  return migrated;
}

/**
 * RED.nodes.registerType for a type with versioned configs: the constructor
 * gets the config migrated to the current version (an old flow runs), the
 * editor gets the current version as the setting `<type>ConfigVersion`, and
 * the runtime's registry (flow storage, deploys, imports, the editor's
 * migrations) learns the type's steps.
 */
export function registerVersionedType<Config extends NodeDefinition>(
  RED: NodeRedRuntime,
  type: string,
  migrations: readonly NodeConfigMigration[],
  constructor: Constructor<Config>,
  options?: NodeTypeOptions,
): void {
  checkMigrations(type, migrations);
  runtimeRegistry(RED)?.register(type, migrations);
  RED.nodes.registerType(
    type,
    function (this: NodeInstance, config: NodeDefinition) {
      const outcome = migrateNodeConfig(migrations, config);
      if (!outcome.ok) {
        refuseNode(RED, this, config, outcome.refusal);
        return;
      }
      constructor.call(this, withRuntimeProperties(config, outcome.config) as Config);
    },
    {
      ...options,
      settings: { ...options?.settings, [configVersionSetting(type)]: { value: currentVersionOf(migrations), exportable: true } },
    },
  );
}

/** registerVersionedType for Petroflow's own nodes, with their steps from PETROFLOW_NODE_MIGRATIONS. */
export function registerPetroflowType<Config extends NodeDefinition>(
  RED: NodeRedRuntime,
  type: PetroflowNodeType,
  constructor: Constructor<Config>,
  options?: NodeTypeOptions,
): void {
  registerVersionedType(RED, type, PETROFLOW_NODE_MIGRATIONS[type], constructor, options);
}

/** RED.settings.petroflow.nodeConfigs over a registry (the runtime's, seeded with Petroflow's own types). */
export function nodeConfigVersions(registry: NodeConfigRegistry): NodeConfigVersions {
  return {
    registry,
    registerType(RED, type, migrations, constructor, options) {
      registry.register(type, migrations);
      registerVersionedType(RED, type, migrations, constructor, options);
    },
  };
}
