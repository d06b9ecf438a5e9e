import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerInventoryRoutes } from "./routes.js";
import { InventoryService } from "./service.js";

export { InventoryService };
export type { InventoryPort } from "./inventory-port.js";

export function createInventoryModule(context: ErpContext): ErpModule<InventoryService> {
  const service = new InventoryService(context);
  return { name: "inventory", service, registerRoutes: (router, routes) => registerInventoryRoutes(router, routes, service) };
}
