import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import type { OptimizationService } from "./service.js";

/** One register call per area's routes file. */
export function registerOptimizationRoutes(_router: Router, _routes: RouteRegistry, _service: OptimizationService): void {}
