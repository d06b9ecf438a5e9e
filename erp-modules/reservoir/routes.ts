import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import type { ReservoirService } from "./service.js";

/** One register call per area's routes file. */
export function registerReservoirRoutes(_router: Router, _routes: RouteRegistry, _service: ReservoirService): void {}
