import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  AllocationRunCreateSchema,
  AllocationRunDetailSchema,
  AllocationRunPageSchema,
  AllocationRunQuerySchema,
  AllocationRunSchema,
} from "./allocation-schema.js";
import type { AllocationService } from "./allocation-service.js";

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

export function registerAllocationRoutes(router: Router, routes: RouteRegistry, allocation: AllocationService): void {
  routes.add(router, {
    method: "post",
    path: "/production/allocation-runs",
    summary: "Allocate a site's measured volumes of a period (≤ 31 days) to its wells; over an earlier run's days it is a restatement and needs a reason",
    tags: ["production"],
    audit: { actions: ["production.allocation_run.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: AllocationRunCreateSchema, responses: { 201: AllocationRunSchema, 404: null } },
    handler: async ({ res, body, principal }) => {
      const run = await allocation.createRun(body, principal.user.username, { role: principal.user.role }).catch(toHttpError);
      res.status(201).json(run);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/allocation-runs",
    summary: "Allocation runs, newest first (of a site; covering a date)",
    tags: ["production"],
    role: "viewer",
    schemas: { query: AllocationRunQuerySchema, responses: { 200: AllocationRunPageSchema } },
    handler: async ({ res, query }) => {
      res.json(await allocation.listRuns(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/allocation-runs/:id",
    summary: "One allocation run with its results per well, day and fluid",
    tags: ["production"],
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: AllocationRunDetailSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await allocation.getRun(params.id).catch(toHttpError));
    },
  });
}
