import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { assetChoiceFilter, assetChoices } from "./asset-choices.js";

/** The parts of express 4's request and response the endpoint uses (Node-RED's admin app is express 4). */
interface AdminRequest {
  query: Record<string, unknown>;
}
interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}
type AdminHandler = (req: AdminRequest, res: AdminResponse, next: (error?: unknown) => void) => void;

/** Node-RED's node API plus its admin app and auth, which editor-side endpoints use. */
export interface NodeRedAdminRuntime extends NodeRedRuntime {
  httpAdmin: { get(path: string, ...handlers: AdminHandler[]): void };
  auth: { needsPermission(permission: string): AdminHandler };
}

export const ASSET_CHOICES_PATH = "/petroflow/erp/assets";

/*
 * Every erp node module registers the endpoint, so it exists whichever of
 * them is loaded; the admin app (one per Node-RED start, a new one per test
 * load) remembers that it has it.
 */
const registeredOn = new WeakSet<object>();

/**
 * `GET <httpAdminRoot>/petroflow/erp/assets?kind=well|site|equipment&equipmentType=tank|meter`
 * → `[{ id, code, name }]`: the choices of the erp nodes' asset selects.
 * Behind Node-RED's admin auth (and, in Petroflow, the editor gate: engineers and up).
 */
export function registerAssetChoicesEndpoint(RED: NodeRedAdminRuntime): void {
  if (registeredOn.has(RED.httpAdmin)) return;
  registeredOn.add(RED.httpAdmin);
  RED.httpAdmin.get(ASSET_CHOICES_PATH, RED.auth.needsPermission("erp-production-entry.read"), (req, res) => {
    const filter = assetChoiceFilter(req.query);
    if ("error" in filter) {
      res.status(400).json({ error: { code: "invalid_query", message: filter.error } });
      return;
    }
    Promise.resolve()
      .then(() => petroflowServices(RED).assets.list(filter.value))
      .then(
        (assets) => res.json(assetChoices(assets)),
        (error: unknown) => res.status(500).json({ error: { code: "internal", message: error instanceof Error ? error.message : String(error) } }),
      );
  });
}
