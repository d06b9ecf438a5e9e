import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import { ForecastCreateSchema, ForecastDetailSchema, ForecastGetQuerySchema, ForecastListQuerySchema, ForecastParamsSchema, StoredForecastSchema } from "./forecast-schema.js";
import type { ForecastService } from "./forecast-service.js";
import { WellParamsSchema } from "./history-schema.js";
import { RateQuerySchema, RateSeriesSchema } from "./rate-schema.js";
import type { RateService } from "./rate-service.js";

/** Rate series and stored forecasts of a well (docs/reservoir-data.md). */
export function registerForecastRoutes(router: Router, routes: RouteRegistry, rates: RateService, forecasts: ForecastService): void {
  routes.add(router, {
    method: "get",
    path: "/reservoir/wells/:wellId/rates",
    summary: "A well's rate series from allocated production, imported history or a rate tag; shut-in and well-test points are flagged and excluded",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { params: WellParamsSchema, query: RateQuerySchema, responses: { 200: RateSeriesSchema, 404: null } },
    handler: async ({ res, params, query, principal }) => {
      res.json(await rates.series(params.wellId, query, principal.user.role).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/reservoir/wells/:wellId/forecasts",
    summary: "Save a new version of the well's decline forecast for a fluid (reason required); the server records its goodness of fit, excluded points and EUR",
    tags: ["reservoir"],
    audit: { actions: ["reservoir.forecast.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { params: WellParamsSchema, body: ForecastCreateSchema, responses: { 201: StoredForecastSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.status(201).json(await forecasts.create(params.wellId, body, principal.user.username, principal.user.role).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/wells/:wellId/forecasts",
    summary: "The well's stored forecast versions, newest first per fluid",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { params: WellParamsSchema, query: ForecastListQuerySchema, responses: { 200: Type.Array(StoredForecastSchema), 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await forecasts.list(params.wellId, query.fluid).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/wells/:wellId/forecasts/:forecastId",
    summary: "One forecast version with its forecast computed as of today: rates, cumulatives, EUR and remaining reserves",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { params: ForecastParamsSchema, query: ForecastGetQuerySchema, responses: { 200: ForecastDetailSchema, 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await forecasts.get(params.wellId, params.forecastId, query.horizonYears).catch(toHttpError));
    },
  });
}
