import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerReceivingRoutes } from "./receiving-routes.js";
import { registerProcurementRoutes } from "./routes.js";
import { ProcurementService, type ProcurementDependencies } from "./service.js";

export { ProcurementService };

export function createProcurementModule(context: ErpContext, dependencies: ProcurementDependencies): ErpModule<ProcurementService> {
  const service = new ProcurementService(context, dependencies);
  return {
    name: "procurement",
    service,
    registerRoutes: (router, routes) => {
      registerProcurementRoutes(router, routes, service);
      registerReceivingRoutes(router, routes, service.receiving);
    },
  };
}
