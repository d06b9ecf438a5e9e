import type { NodeConfigRefusal, NodeConfigRefusalCode, NodeConfigRegistry } from "../../nodes/shared/node-config-versions.js";
import type { Reason } from "../error-contract.js";
import type { Logger } from "../observability/logger.js";
import type { FlowNode, FlowValidationResult } from "./flow-validation.js";

const REFUSAL_REASONS: Record<NodeConfigRefusalCode, Reason> = {
  newer_version: "node_config_newer",
  invalid_version: "node_config_version_invalid",
  migration_failed: "node_config_migration_failed",
};

function refusalDetails({ code, id, type, version, currentVersion }: NodeConfigRefusal) {
  return { code, id, type, version, currentVersion };
}

/**
 * For a deploy, an import or a rollback: every versioned node brought to
 * its current version, or the whole flow refused when one cannot run here
 * (a newer Petroflow's config), naming the node and why.
 */
export function migrateForDeploy(registry: NodeConfigRegistry, flows: FlowNode[]): FlowValidationResult {
  const { flows: migrated, refused } = registry.migrateFlows(flows);
  const [first] = refused;
  if (!first) return { ok: true, flows: migrated };
  const index = flows.findIndex((node) => node.id === first.id);
  return {
    ok: false,
    message: refused.length === 1 ? first.message : `${first.message} (and ${refused.length - 1} more nodes)`,
    details: {
      field: `flows.${index}.version`,
      reason: REFUSAL_REASONS[first.code],
      params: { id: first.id, type: first.type, version: String(first.version), current: first.currentVersion, more: refused.length - 1 },
    },
  };
}

/**
 * For flows loaded from storage: migrated in memory only (the stored
 * revision stays as it was deployed; the next deploy stores the current
 * shape). A node that cannot be migrated is kept as stored, so the rest of
 * the site runs and that node refuses itself with the reason.
 */
export function migrateOnLoad(registry: NodeConfigRegistry, flows: FlowNode[], logger: Logger): FlowNode[] {
  const { flows: migrated, migrated: changed, refused } = registry.migrateFlows(flows);
  if (changed.length > 0) {
    const types = [...new Set(changed.map((node) => node.type))].sort();
    logger.info({ nodes: changed.length, types }, "node configs of the stored flows migrated to their current versions (in memory; the next deploy stores them)");
  }
  for (const refusal of refused) logger.error({ node: refusalDetails(refusal) }, refusal.message);
  return migrated;
}
