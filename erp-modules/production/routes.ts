import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { registerAllocationRoutes } from "./allocation-routes.js";
import { registerEntryRoutes } from "./entry-routes.js";
import { registerMonthCloseRoutes } from "./month-close-routes.js";
import { registerReportRoutes } from "./report-routes.js";
import type { ProductionService } from "./service.js";

export function registerProductionRoutes(router: Router, routes: RouteRegistry, service: ProductionService): void {
  registerEntryRoutes(router, routes, service.entries);
  registerAllocationRoutes(router, routes, service.allocation);
  registerReportRoutes(router, routes, service.reports);
  registerMonthCloseRoutes(router, routes, service.months);
}
