/**
 * Versioned node configs: each node type lists the ordered steps that take
 * an older config to the current shape, so a node can change its config
 * without breaking the flows already deployed. Pure: no Node-RED, no I/O.
 * The runtime applies it when a node is constructed, when flows load from
 * storage, on deploy and import; the editor asks the runtime for it
 * (docs/decisions.md "Node configs carry a version").
 */

/** A node's config as it is stored in a flow. `version` is absent on configs saved before versions existed. */
export interface VersionedNodeConfig {
  id: string;
  type: string;
  version?: unknown;
  [property: string]: unknown;
}

/** One step: from version `to - 1` to version `to`. */
export interface NodeConfigMigration {
  /** The version this step produces; a type's steps go to 1, 2, 3, ... in order. */
  readonly to: number;
  /** What changed and why, for the logs and the docs. */
  readonly summary: string;
  /** Returns the config in the new shape. It gets a copy, so mutating it harms nothing; `version` is set afterwards. */
  up(config: VersionedNodeConfig): VersionedNodeConfig;
}

export type NodeConfigRefusalCode = "newer_version" | "invalid_version" | "migration_failed";

/** Why a node's config cannot run on this Petroflow. */
export interface NodeConfigRefusal {
  code: NodeConfigRefusalCode;
  id: string;
  type: string;
  /** The version the config carries, as stored. */
  version: unknown;
  /** The newest version this Petroflow knows for the type. */
  currentVersion: number;
  message: string;
}

export type NodeConfigMigrationResult =
  | { ok: true; config: VersionedNodeConfig; from: number; to: number }
  | { ok: false; refusal: NodeConfigRefusal };

export interface MigratedNodeConfig {
  id: string;
  type: string;
  from: number;
  to: number;
}

/** A flow's nodes after migration: refused nodes are kept as they were, for the caller to refuse or report. */
export interface FlowConfigsMigration<Node extends VersionedNodeConfig> {
  flows: Node[];
  migrated: MigratedNodeConfig[];
  refused: NodeConfigRefusal[];
}

/**
 * The shape a type had when versions were introduced, as version 1: a
 * config saved before (no `version`) is exactly that shape, so the step
 * only stamps the version.
 */
export const INITIAL_CONFIG_VERSION: NodeConfigMigration = {
  to: 1,
  summary: "the config shape when node configs got versions; unversioned configs are this shape",
  up: (config) => config,
};

/** The newest version the steps reach (0: a type without steps). */
export function currentVersionOf(migrations: readonly NodeConfigMigration[]): number {
  return migrations.length;
}

/** Throws, naming the type, unless the steps go to 1, 2, 3, ... in order. */
export function checkMigrations(type: string, migrations: readonly NodeConfigMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.to !== index + 1) {
      throw new Error(`${type}: migration step ${index + 1} goes to version ${migration.to}; steps must go to 1, 2, 3, ... in order without gaps`);
    }
  });
}

function refusal(config: VersionedNodeConfig, currentVersion: number, code: NodeConfigRefusalCode, reason: string): NodeConfigMigrationResult {
  return {
    ok: false,
    refusal: { code, id: config.id, type: config.type, version: config.version, currentVersion, message: `node ${config.id} (${config.type}) ${reason}` },
  };
}

/** Migrates one config with its type's steps (which must have passed checkMigrations). Never changes its argument. */
export function migrateNodeConfig(migrations: readonly NodeConfigMigration[], config: VersionedNodeConfig): NodeConfigMigrationResult {
  const current = currentVersionOf(migrations);
  const stored = config.version;
  if (stored !== undefined && !(typeof stored === "number" && Number.isInteger(stored) && stored >= 0)) {
    return refusal(config, current, "invalid_version", `has config version ${JSON.stringify(stored)}, which is not a whole number ≥ 0`);
  }
  const from = stored ?? 0;
  if (from > current) {
    return refusal(
      config,
      current,
      "newer_version",
      `has config version ${from}, newer than the ${current} this Petroflow knows: it comes from a newer Petroflow; upgrade this site or re-create the node here`,
    );
  }
  if (from === current) return { ok: true, config, from, to: current };
  let migrated: VersionedNodeConfig = structuredClone(config);
  for (const migration of migrations.slice(from)) {
    try {
      const next = migration.up(structuredClone(migrated));
      if (next === null || typeof next !== "object" || next.id !== config.id || next.type !== config.type) {
        throw new Error("the step changed the node's id or type");
      }
      migrated = { ...next, version: migration.to };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return refusal(config, current, "migration_failed", `could not be migrated to version ${migration.to} (${migration.summary}): ${reason}`);
    }
  }
  return { ok: true, config: migrated, from, to: current };
}

function sameSteps(a: readonly NodeConfigMigration[], b: readonly NodeConfigMigration[]): boolean {
  return a.length === b.length && a.every((step, index) => step.to === b[index]?.to && step.summary === b[index]?.summary && step.up === b[index]?.up);
}

/** The migrations of every versioned node type a runtime knows (Petroflow's own and integrators'). */
export class NodeConfigRegistry {
  private readonly byType = new Map<string, readonly NodeConfigMigration[]>();

  /**
   * Adds a type's steps. Registering the same steps again is harmless (a
   * node module loaded twice); other steps for a known type are a mistake.
   */
  register(type: string, migrations: readonly NodeConfigMigration[]): void {
    checkMigrations(type, migrations);
    const known = this.byType.get(type);
    if (known && !sameSteps(known, migrations)) throw new Error(`${type}: its config migrations are already registered, with other migrations`);
    if (!known) this.byType.set(type, [...migrations]);
  }

  /** The type's current version, or undefined for a type without versions. */
  currentVersion(type: string): number | undefined {
    const migrations = this.byType.get(type);
    return migrations ? currentVersionOf(migrations) : undefined;
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** One config; a type without versions passes through unchanged. */
  migrate(config: VersionedNodeConfig): NodeConfigMigrationResult {
    const migrations = this.byType.get(config.type);
    if (!migrations) return { ok: true, config, from: 0, to: 0 };
    return migrateNodeConfig(migrations, config);
  }

  /** Every node of a flow configuration, in order; nodes already current are the same objects. */
  migrateFlows<Node extends VersionedNodeConfig>(flows: readonly Node[]): FlowConfigsMigration<Node> {
    const migrated: MigratedNodeConfig[] = [];
    const refused: NodeConfigRefusal[] = [];
    const result = flows.map((node) => {
      const outcome = this.migrate(node);
      if (!outcome.ok) {
        refused.push(outcome.refusal);
        return node;
      }
      if (outcome.config === node) return node;
      migrated.push({ id: node.id, type: node.type, from: outcome.from, to: outcome.to });
      return outcome.config as Node;
    });
    return { flows: result, migrated, refused };
  }
}

/**
 * The Node-RED setting that tells the editor a type's current version
 * (`tag-in` → `tagInConfigVersion`): Node-RED accepts a node's settings only
 * under the type's camelCase name, as its own normaliseNodeTypeName makes it.
 */
export function configVersionSetting(type: string): string {
  const camel = type
    .replace(/[^a-zA-Z0-9]/g, " ")
    .trim()
    .replace(/ +/g, " ")
    .replace(/ ./g, (match) => match.charAt(1).toUpperCase());
  return `${camel.charAt(0).toLowerCase()}${camel.slice(1)}ConfigVersion`;
}
