import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { registerIprRoutes } from "./ipr-routes.js";
import type { ReservoirService } from "./service.js";

/** One register call per area's routes file. */
export function registerReservoirRoutes(router: Router, routes: RouteRegistry, service: ReservoirService): void {
  registerIprRoutes(router, routes, service.ipr);
}
