import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";

/** A built ERP module: its service for other modules and nodes, its routes for the API. */
export interface ErpModule<Service> {
  name: string;
  service: Service;
  registerRoutes(router: Router, routes: RouteRegistry): void;
}
