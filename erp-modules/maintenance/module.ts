import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerMaintenanceRoutes } from "./routes.js";
import { MaintenanceService, type MaintenanceDependencies } from "./service.js";

export { MaintenanceService };

export function createMaintenanceModule(context: ErpContext, dependencies: MaintenanceDependencies): ErpModule<MaintenanceService> {
  const service = new MaintenanceService(context, dependencies);
  return { name: "maintenance", service, registerRoutes: (router, routes) => registerMaintenanceRoutes(router, routes, service) };
}
