import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  DcaFitRequestSchema,
  DcaFitResultSchema,
  DcaForecastRequestSchema,
  DcaForecastResultSchema,
  DcaTypeCurveRequestSchema,
  DcaTypeCurveResultSchema,
} from "./dca-schema.js";
import type { DcaService } from "./dca-service.js";

/** A calculation that stores nothing: POST because it takes a body, not because it changes data. */
const NO_AUDIT = { actions: [], rows: {} };

/** Runs a synchronous calculation, its ServiceErrors becoming 4xx answers. */
function calculate<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    return toHttpError(error);
  }
}

/** Stateless decline-curve analysis (docs/reservoir-dca.md "API"). */
export function registerDcaRoutes(router: Router, routes: RouteRegistry, dca: DcaService): void {
  routes.add(router, {
    method: "post",
    path: "/reservoir/dca/forecast",
    summary: "Forecast of an Arps decline curve: rates and cumulatives over a horizon, EUR, time to the economic limit, remaining reserves",
    tags: ["reservoir"],
    audit: NO_AUDIT,
    role: "viewer",
    schemas: { body: DcaForecastRequestSchema, responses: { 200: DcaForecastResultSchema } },
    handler: async ({ res, body }) => {
      res.json(calculate(() => dca.forecast(body)));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/reservoir/dca/fit",
    summary: "Fits an Arps model to a rate history: parameters, goodness of fit, and every excluded point with its reason",
    tags: ["reservoir"],
    audit: NO_AUDIT,
    role: "viewer",
    schemas: { body: DcaFitRequestSchema, responses: { 200: DcaFitResultSchema } },
    handler: async ({ res, body }) => {
      res.json(calculate(() => dca.fit(body)));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/reservoir/dca/type-curve",
    summary: "Type curve of several wells: P10/P50/P90 of rate over peak rate against time since peak, and an Arps fit to the P50",
    tags: ["reservoir"],
    audit: NO_AUDIT,
    role: "viewer",
    schemas: { body: DcaTypeCurveRequestSchema, responses: { 200: DcaTypeCurveResultSchema } },
    handler: async ({ res, body }) => {
      res.json(calculate(() => dca.typeCurve(body)));
    },
  });
}
