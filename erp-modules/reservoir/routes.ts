import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { registerDcaRoutes } from "./dca-routes.js";
import { registerForecastRoutes } from "./forecast-routes.js";
import { registerHistoryRoutes } from "./history-routes.js";
import { registerIprRoutes } from "./ipr-routes.js";
import type { ReservoirService } from "./service.js";

/** One register call per area's routes file. */
export function registerReservoirRoutes(router: Router, routes: RouteRegistry, service: ReservoirService): void {
  registerDcaRoutes(router, routes, service.dca);
  registerHistoryRoutes(router, routes, service.history);
  registerForecastRoutes(router, routes, service.rates, service.forecasts);
  registerIprRoutes(router, routes, service.ipr);
}
