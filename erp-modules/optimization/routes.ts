import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { registerGasLiftRoutes } from "./gas-lift-routes.js";
import type { OptimizationService } from "./service.js";

/** One register call per area's routes file. */
export function registerOptimizationRoutes(router: Router, routes: RouteRegistry, service: OptimizationService): void {
  registerGasLiftRoutes(router, routes, service.gasLift);
}
