import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  IprRequestSchema,
  IprResultSchema,
  MultiRateTestInputSchema,
  MultiRateTestQuerySchema,
  MultiRateTestSchema,
  MultiRateTestUpdateSchema,
  PressureSurveyInputSchema,
  PressureSurveyQuerySchema,
  PressureSurveySchema,
  PressureSurveyUpdateSchema,
  RowVersionBodySchema,
} from "./ipr-schema.js";
import type { IprService } from "./ipr-service.js";

const TAGS = ["reservoir"];
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** Inflow performance: pressure surveys and multi-rate tests (engineer writes, viewer reads) and the IPR itself. */
export function registerIprRoutes(router: Router, routes: RouteRegistry, ipr: IprService): void {
  routes.add(router, {
    method: "post",
    path: "/reservoir/ipr",
    summary: "An inflow performance curve (Vogel, Fetkovich, composite) from explicit values or a stored well test / multi-rate test; 400 names what is missing",
    tags: TAGS,
    audit: { actions: [], rows: {} },
    role: "viewer",
    schemas: { body: IprRequestSchema, responses: { 200: IprResultSchema, 404: null } },
    handler: async ({ res, body }) => {
      res.json(await ipr.inflowPerformance(body).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/pressure-surveys",
    summary: "Static reservoir pressure surveys, newest first (from/to: days, inclusive)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: PressureSurveyQuerySchema, responses: { 200: page(PressureSurveySchema) } },
    handler: async ({ res, query }) => {
      res.json(await ipr.listSurveys(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/pressure-surveys/:id",
    summary: "One static pressure survey",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: PressureSurveySchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await ipr.getSurvey(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/reservoir/pressure-surveys",
    summary: "Record a well's static reservoir pressure on a day (409 if the well has one that day)",
    tags: TAGS,
    audit: { actions: ["reservoir.pressure_survey.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: PressureSurveyInputSchema, responses: { 201: PressureSurveySchema, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await ipr.createSurvey(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "put",
    path: "/reservoir/pressure-surveys/:id",
    summary: "Correct a pressure survey; send the rowVersion you read (409 stale if it changed since)",
    tags: TAGS,
    audit: { actions: ["reservoir.pressure_survey.update"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: PressureSurveyUpdateSchema, responses: { 200: PressureSurveySchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await ipr.updateSurvey(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/reservoir/pressure-surveys/:id",
    summary: "Remove a pressure survey entered by mistake; the audit row keeps what it was",
    tags: TAGS,
    audit: { actions: ["reservoir.pressure_survey.delete"], rows: { 204: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: RowVersionBodySchema, responses: { 204: null, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      await ipr.deleteSurvey(params.id, body, principal.user.username).catch(toHttpError);
      res.status(204).end();
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/multirate-tests",
    summary: "Multi-rate (back-pressure) tests with their points, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: MultiRateTestQuerySchema, responses: { 200: page(MultiRateTestSchema) } },
    handler: async ({ res, query }) => {
      res.json(await ipr.listMultiRateTests(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/multirate-tests/:id",
    summary: "One multi-rate test with its points",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: MultiRateTestSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await ipr.getMultiRateTest(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/reservoir/multirate-tests",
    summary: "Record a multi-rate test: points referencing the well's production tests, or entered directly",
    tags: TAGS,
    audit: { actions: ["reservoir.multirate_test.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: MultiRateTestInputSchema, responses: { 201: MultiRateTestSchema } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await ipr.createMultiRateTest(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "put",
    path: "/reservoir/multirate-tests/:id",
    summary: "Correct a multi-rate test (its points are replaced); send the rowVersion you read",
    tags: TAGS,
    audit: { actions: ["reservoir.multirate_test.update"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: MultiRateTestUpdateSchema, responses: { 200: MultiRateTestSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await ipr.updateMultiRateTest(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/reservoir/multirate-tests/:id",
    summary: "Remove a multi-rate test and its points; the audit row keeps what it was",
    tags: TAGS,
    audit: { actions: ["reservoir.multirate_test.delete"], rows: { 204: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: RowVersionBodySchema, responses: { 204: null, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      await ipr.deleteMultiRateTest(params.id, body, principal.user.username).catch(toHttpError);
      res.status(204).end();
    },
  });
}
