import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import { MonthCloseInputSchema, MonthParamsSchema, MonthReopenInputSchema, MonthStateQuerySchema, MonthStateSchema } from "./month-close-schema.js";
import type { MonthCloseService } from "./month-close-service.js";

export function registerMonthCloseRoutes(router: Router, routes: RouteRegistry, months: MonthCloseService): void {
  routes.add(router, {
    method: "get",
    path: "/production/months/:month",
    summary: "Whether a site's month is closed, its close/reopen history and its prior-period adjustments",
    tags: ["production"],
    role: "viewer",
    schemas: { params: MonthParamsSchema, query: MonthStateQuerySchema, responses: { 200: MonthStateSchema, 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await months.state(query.siteAssetId, params.month).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/months/:month/close",
    summary: "Close a site's month: its current allocation runs must cover every day with nothing unallocated (409 naming the days); entries and runs of the month become final",
    tags: ["production"],
    audit: { actions: ["production.month.close"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: MonthParamsSchema, body: MonthCloseInputSchema, responses: { 200: MonthStateSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await months.close(params.month, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/months/:month/reopen",
    summary: "Reopen a closed month (admin, with a reason); the close stays on record",
    tags: ["production"],
    audit: { actions: ["production.month.reopen"], rows: { 200: 1 } },
    role: "admin",
    schemas: { params: MonthParamsSchema, body: MonthReopenInputSchema, responses: { 200: MonthStateSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await months.reopen(params.month, body, principal.user.username).catch(toHttpError));
    },
  });
}
