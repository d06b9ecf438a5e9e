import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { TrendViewCreateSchema, TrendViewPatchSchema, TrendViewSchema } from "./schema.js";
import { TrendViewError, type TrendViewService } from "./trend-view-service.js";

function toHttp(error: unknown): never {
  if (error instanceof TrendViewError) {
    const status = { not_found: 404, conflict: 409, stale: 409 }[error.code];
    throw new HttpError(status, error.code, error.message, error.details);
  }
  throw error;
}

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const ViewAnswer = Type.Object({ view: TrendViewSchema });

/** Saved trend views: anyone may open them, an operator and up saves them (docs/trends.md). */
export function registerTrendViewRoutes(router: Router, routes: RouteRegistry, views: TrendViewService): void {
  routes.add(router, {
    method: "get",
    path: "/trend-views",
    summary: "The site's saved trend views, by name",
    tags: ["trends"],
    role: "viewer",
    schemas: { responses: { 200: Type.Object({ views: Type.Array(TrendViewSchema) }) } },
    handler: async ({ res }) => {
      res.json({ views: await views.list() });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/trend-views/:id",
    summary: "One saved trend view",
    tags: ["trends"],
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: ViewAnswer, 404: null } },
    handler: async ({ res, params }) => {
      res.json({ view: await views.get(params.id).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/trend-views",
    summary: "Save a trend view (name unique on the site)",
    tags: ["trends"],
    audit: { actions: ["trend_view.create"], rows: { 201: 1 } },
    role: "operator",
    schemas: { body: TrendViewCreateSchema, responses: { 201: ViewAnswer, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json({ view: await views.create(body, principal.user.username).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/trend-views/:id",
    summary: "Change a trend view; send the rowVersion you read (409 if it changed since)",
    tags: ["trends"],
    audit: { actions: ["trend_view.update"], rows: { 200: 1 } },
    role: "operator",
    schemas: { params: IdParams, body: TrendViewPatchSchema, responses: { 200: ViewAnswer, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json({ view: await views.update(params.id, body, principal.user.username).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/trend-views/:id",
    summary: "Delete a saved trend view",
    tags: ["trends"],
    audit: { actions: ["trend_view.delete"], rows: { 204: 1 } },
    role: "operator",
    schemas: { params: IdParams, responses: { 204: null, 404: null } },
    handler: async ({ res, params, principal }) => {
      await views.delete(params.id, principal.user.username).catch(toHttp);
      res.status(204).end();
    },
  });
}
