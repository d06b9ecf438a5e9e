import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerAssetRoutes } from "./routes.js";
import { AssetService } from "./service.js";

export { AssetService };

export function createAssetsModule(context: ErpContext): ErpModule<AssetService> {
  const service = new AssetService(context);
  return { name: "assets", service, registerRoutes: (router, routes) => registerAssetRoutes(router, routes, service) };
}
