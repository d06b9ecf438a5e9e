import type { NodeConfigRegistry, VersionedNodeConfig } from "../../shared/node-config-versions.js";

/** Express 4's request and response as the endpoint uses them (Node-RED's admin app). */
interface AdminRequest {
  body?: unknown;
}
interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}
type AdminHandler = (req: AdminRequest, res: AdminResponse, next: (error?: unknown) => void) => void;

/** The part of Node-RED's plugin API this plugin uses. */
interface PluginRuntime {
  plugins: { registerPlugin(id: string, definition: { type: string }): void };
  httpAdmin: { post(path: string, ...handlers: AdminHandler[]): void };
  auth: { needsPermission(permission: string): AdminHandler };
  settings: Record<string, unknown>;
}

const MIGRATE_PATH = "/petroflow/node-configs/migrate";
/** More nodes than any site's flows hold; a bigger body is not an editor's. */
const MAX_NODES = 20_000;

function isNodeConfig(value: unknown): value is VersionedNodeConfig {
  const candidate = value as { id?: unknown; type?: unknown } | null;
  return typeof candidate === "object" && candidate !== null && !Array.isArray(candidate) && typeof candidate.id === "string" && typeof candidate.type === "string";
}

function registryOf(RED: PluginRuntime): NodeConfigRegistry | null {
  const services = RED.settings.petroflow as { nodeConfigs?: { registry?: NodeConfigRegistry } } | undefined;
  return typeof services?.nodeConfigs?.registry?.migrateFlows === "function" ? services.nodeConfigs.registry : null;
}

function sendError(res: AdminResponse, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * The editor side of versioned node configs. Its .html migrates every node
 * the editor adds (an import, a paste, a library flow) whose config version
 * is not the current one, by asking this endpoint, so the migrations are
 * written once, on the runtime, for Petroflow's nodes and integrators' alike:
 *
 * `POST <httpAdminRoot>/petroflow/node-configs/migrate` `{nodes: [config...]}`
 * → `{nodes: [the configs that changed, migrated], refused: [{code, id, type, version, currentVersion, message}]}`.
 */
export = function register(RED: PluginRuntime): void {
  RED.plugins.registerPlugin("petroflow-config-versions-editor", { type: "petroflow-config-versions" });
  RED.httpAdmin.post(MIGRATE_PATH, RED.auth.needsPermission("flows.write"), (req, res) => {
    const nodes = (req.body as { nodes?: unknown } | undefined)?.nodes;
    if (!Array.isArray(nodes) || nodes.length > MAX_NODES || !nodes.every(isNodeConfig)) {
      sendError(res, 400, "invalid_body", `the body must be {"nodes": [...]}: at most ${MAX_NODES} node configs, each with a string id and type`);
      return;
    }
    const registry = registryOf(RED);
    if (!registry) {
      sendError(res, 503, "unavailable", "node config versions are only available inside the Petroflow runtime");
      return;
    }
    const { flows, migrated, refused } = registry.migrateFlows(nodes);
    const changed = new Set(migrated.map((node) => node.id));
    res.json({
      nodes: flows.filter((node) => changed.has(node.id)),
      refused: refused.map(({ code, id, type, version, currentVersion, message }) => ({ code, id, type, version, currentVersion, message })),
    });
  });
};
