import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { clientIp } from "../auth/routes.js";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { FlowServiceError, type FlowService } from "./flow-service.js";
import {
  FlowDiffSchema,
  ImportBodySchema,
  RevisionNumberParam,
  RevisionSchema,
  RevisionSummarySchema,
  RollbackBodySchema,
} from "./schema.js";

function toHttp(error: unknown): never {
  if (error instanceof FlowServiceError) {
    const status = { not_found: 404, already_running: 409, invalid_flows: 400, not_deployed: 500 }[error.code];
    throw new HttpError(status, error.code, error.message, error.details);
  }
  throw error;
}

export function registerFlowRoutes(router: Router, routes: RouteRegistry, flows: FlowService): void {
  routes.add(router, {
    method: "get",
    path: "/flows/revisions",
    summary: "Flow revisions, newest first",
    tags: ["flows"],
    role: "viewer",
    schemas: {
      query: Type.Object(
        {
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          before: Type.Optional(RevisionNumberParam),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ revisions: Type.Array(RevisionSummarySchema) }) },
    },
    handler: async ({ res, query }) => {
      res.json({ revisions: await flows.list(query.limit, query.before) });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/flows/current",
    summary: "The running revision with its flows",
    tags: ["flows"],
    role: "viewer",
    schemas: { responses: { 200: RevisionSchema, 404: null } },
    handler: async ({ res }) => {
      const { credentials: _credentials, ...revision } = await flows.current().catch(toHttp);
      res.json(revision);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/flows/revisions/:number",
    summary: "One revision with its flows",
    tags: ["flows"],
    role: "viewer",
    schemas: {
      params: Type.Object({ number: RevisionNumberParam }),
      responses: { 200: RevisionSchema, 404: null },
    },
    handler: async ({ res, params }) => {
      const { credentials: _credentials, ...revision } = await flows.get(params.number).catch(toHttp);
      res.json(revision);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/flows/revisions/:from/diff/:to",
    summary: "What changed from one revision to another: added, removed, changed and rewired nodes",
    tags: ["flows"],
    role: "viewer",
    schemas: {
      params: Type.Object({ from: RevisionNumberParam, to: RevisionNumberParam }),
      responses: { 200: FlowDiffSchema, 404: null },
    },
    handler: async ({ res, params }) => {
      res.json(await flows.diff(params.from, params.to).catch(toHttp));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/flows/revisions/:number/rollback",
    summary: "Run revision n again, as a new revision, without a restart",
    tags: ["flows"],
    audit: { actions: ["flows.rollback"], rows: { 201: 1 } },
    role: "engineer",
    schemas: {
      params: Type.Object({ number: RevisionNumberParam }),
      body: RollbackBodySchema,
      responses: { 201: Type.Object({ revision: RevisionSummarySchema }), 404: null, 409: null },
    },
    handler: async ({ req, res, principal, params, body }) => {
      const revision = await flows.rollback(params.number, principal, clientIp(req), body.message).catch(toHttp);
      res.status(201).json({ revision });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/flows/import",
    summary: "Check flows and deploy them as a new revision (201), or report that they are already running (200)",
    tags: ["flows"],
    audit: { actions: ["flows.import"], rows: { 201: 1 } },
    role: "engineer",
    schemas: {
      body: ImportBodySchema,
      responses: { 200: Type.Object({ created: Type.Boolean(), revision: RevisionSummarySchema }), 201: Type.Object({ created: Type.Boolean(), revision: RevisionSummarySchema }) },
    },
    handler: async ({ req, res, principal, body }) => {
      const outcome = await flows.importFlows(body.flows, body.message, principal, clientIp(req)).catch(toHttp);
      res.status(outcome.created ? 201 : 200).json(outcome);
    },
  });
}
