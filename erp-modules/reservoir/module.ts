import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerReservoirRoutes } from "./routes.js";
import { ReservoirService, type ReservoirDependencies } from "./service.js";

export { ReservoirService };

export function createReservoirModule(context: ErpContext, dependencies: ReservoirDependencies): ErpModule<ReservoirService> {
  const service = new ReservoirService(context, dependencies);
  return { name: "reservoir", service, registerRoutes: (router, routes) => registerReservoirRoutes(router, routes, service) };
}
