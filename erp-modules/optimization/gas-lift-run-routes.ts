import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  RunCreateInputSchema,
  RunListSchema,
  RunParamsSchema,
  RunRejectInputSchema,
  RunSchema,
  SiteGasInputSchema,
  SiteGasSchema,
  SiteParamsSchema,
  SiteQuerySchema,
  WellLimitsInputSchema,
  WellLimitsListSchema,
  WellLimitsSchema,
  WellParamsSchema,
} from "./gas-lift-run-schema.js";
import type { GasLiftRunService } from "./gas-lift-run-service.js";

/** The gas-lift closed loop (docs/optimization-closed-loop.md): limits, runs, approval. */
export function registerGasLiftRunRoutes(router: Router, routes: RouteRegistry, runs: GasLiftRunService): void {
  routes.add(router, {
    method: "get",
    path: "/optimization/gas-lift/limits",
    summary: "The injection limits and setpoint tag of a site's gas-lift wells (wells without limits are absent)",
    tags: ["optimization"],
    role: "viewer",
    schemas: { query: SiteQuerySchema, responses: { 200: WellLimitsListSchema, 404: null } },
    handler: async ({ res, query }) => {
      res.json(await runs.listLimits(query.siteAssetId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "put",
    path: "/optimization/gas-lift/limits/:wellId",
    summary: "Set a gas-lift well's injection limits (Sm3/d) and the tag its setpoint is written to",
    tags: ["optimization"],
    audit: { actions: ["optimization.gas_lift_limits.set"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: WellParamsSchema, body: WellLimitsInputSchema, responses: { 200: WellLimitsSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await runs.setLimits(params.wellId, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/optimization/gas-lift/sites/:siteAssetId",
    summary: "A site's lift-gas compressor capacity (null until set)",
    tags: ["optimization"],
    role: "viewer",
    schemas: { params: SiteParamsSchema, responses: { 200: SiteGasSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await runs.siteGas(params.siteAssetId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "put",
    path: "/optimization/gas-lift/sites/:siteAssetId",
    summary: "Set a site's lift-gas compressor capacity (Sm3/d): the gas a run shares out when none is given, and the most it uses otherwise",
    tags: ["optimization"],
    audit: { actions: ["optimization.gas_lift_site.set"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: SiteParamsSchema, body: SiteGasInputSchema, responses: { 200: SiteGasSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await runs.setSiteGas(params.siteAssetId, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/optimization/gas-lift/runs",
    summary: "Optimise a site's gas-lift wells within their limits and store the setpoints as a proposed run (409 when a well has no limits or a setpoint is outside them)",
    tags: ["optimization"],
    audit: { actions: ["optimization.gas_lift_run.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: RunCreateInputSchema, responses: { 201: RunSchema, 404: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await runs.createRun(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/optimization/gas-lift/runs",
    summary: "A site's gas-lift runs, newest first (at most 50)",
    tags: ["optimization"],
    role: "viewer",
    schemas: { query: SiteQuerySchema, responses: { 200: RunListSchema, 404: null } },
    handler: async ({ res, query }) => {
      res.json(await runs.listRuns(query.siteAssetId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/optimization/gas-lift/runs/:runId",
    summary: "A gas-lift run: its setpoints, curves and the write of each setpoint",
    tags: ["optimization"],
    role: "viewer",
    schemas: { params: RunParamsSchema, responses: { 200: RunSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await runs.getRun(params.runId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/optimization/gas-lift/runs/:runId/approve",
    summary:
      "Approve a proposed run so the shipped flow writes its setpoints (409 when it is not proposed, older than setpointApprovalMaxAgeMinutes, or a setpoint is outside its well's limits)",
    tags: ["optimization"],
    audit: { actions: ["optimization.gas_lift_run.approve"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: RunParamsSchema, responses: { 200: RunSchema, 404: null } },
    handler: async ({ res, params, principal }) => {
      res.json(await runs.approve(params.runId, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/optimization/gas-lift/runs/:runId/reject",
    summary: "Reject a proposed run with a reason; nothing of it is written",
    tags: ["optimization"],
    audit: { actions: ["optimization.gas_lift_run.reject"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: RunParamsSchema, body: RunRejectInputSchema, responses: { 200: RunSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await runs.reject(params.runId, body, principal.user.username).catch(toHttpError));
    },
  });
}
