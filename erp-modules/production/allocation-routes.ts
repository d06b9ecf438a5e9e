import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import type { AllocationService } from "./allocation-service.js";

export function registerAllocationRoutes(router: Router, routes: RouteRegistry, allocation: AllocationService): void {
  void router;
  void routes;
  void allocation;
}
