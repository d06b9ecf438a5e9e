import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import type { ReportService } from "./report-service.js";

export function registerReportRoutes(router: Router, routes: RouteRegistry, reports: ReportService): void {
  void router;
  void routes;
  void reports;
}
