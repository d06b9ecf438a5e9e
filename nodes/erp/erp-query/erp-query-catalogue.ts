import type { TObject, TSchema } from "@sinclair/typebox";
import type { ErpModuleName, ErpQuery } from "./erp-query-definition.js";
import { assetQueries } from "./queries/assets.js";
import { inventoryQueries } from "./queries/inventory.js";
import { maintenanceQueries } from "./queries/maintenance.js";
import { optimizationQueries } from "./queries/optimization.js";
import { procurementQueries } from "./queries/procurement.js";
import { productionQueries } from "./queries/production.js";
import { reservoirQueries } from "./queries/reservoir.js";

/**
 * Every query, one list per module. A module's queries live in
 * queries/<module>.ts; adding a module is that file, its member in
 * ErpReads, and one line here (docs/nodes-erp.md "Adding a module's queries").
 */
export const ERP_QUERIES: readonly ErpQuery[] = [
  ...assetQueries,
  ...productionQueries,
  ...inventoryQueries,
  ...maintenanceQueries,
  ...reservoirQueries,
  ...optimizationQueries,
  ...procurementQueries,
];

const byName = new Map(ERP_QUERIES.map((query) => [query.name, query]));

export function queryNamed(name: unknown): ErpQuery | undefined {
  return typeof name === "string" ? byName.get(name) : undefined;
}

/** Where the editor reads the catalogue, under Node-RED's admin root. */
export const QUERY_CATALOGUE_PATH = "/petroflow/erp/queries";

/** What the editor gets (GET petroflow/erp/queries): names, modules and JSON schemas of params and result. */
export function catalogueForEditor(): { name: string; module: ErpModuleName; description: string; params: TObject; result: TSchema }[] {
  return ERP_QUERIES.map(({ name, module, description, params, result }) => ({ name, module, description, params, result }));
}
