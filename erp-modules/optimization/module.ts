import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerOptimizationRoutes } from "./routes.js";
import { OptimizationService, type OptimizationDependencies } from "./service.js";

export { OptimizationService };

export function createOptimizationModule(context: ErpContext, dependencies: OptimizationDependencies): ErpModule<OptimizationService> {
  const service = new OptimizationService(context, dependencies);
  return { name: "optimization", service, registerRoutes: (router, routes) => registerOptimizationRoutes(router, routes, service) };
}
