import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerProductionRoutes } from "./routes.js";
import { ProductionService } from "./service.js";

export { ProductionService };

export function createProductionModule(context: ErpContext, dependencies: { assets: AssetLookup }): ErpModule<ProductionService> {
  const service = new ProductionService(context, dependencies.assets);
  return { name: "production", service, registerRoutes: (router, routes) => registerProductionRoutes(router, routes, service) };
}
