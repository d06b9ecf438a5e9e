import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { HttpError } from "../http/errors.js";
import { ErrorDetailsSchema, type RouteRegistry } from "../http/route-registry.js";
import { AlarmDefinitionError, type AlarmDefinitionService } from "./alarm-definitions.js";
import { AlarmDefinitionInputSchema, AlarmDefinitionSchema } from "./schema.js";

function toHttp(error: unknown): never {
  if (error instanceof AlarmDefinitionError) {
    const status = { not_found: 404, conflict: 409, stale: 409, invalid_input: 400 }[error.code];
    throw new HttpError(status, error.code, error.message, error.details);
  }
  throw error;
}

/** Why the change is made (management of change): required on every change, kept in the audit row. */
const ReasonSchema = Type.String({ minLength: 1, maxLength: 500, pattern: "\\S", description: "why the definition changes; kept in the audit log" });

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const ReasonQuery = Type.Object({ reason: ReasonSchema }, { additionalProperties: false });

const CreateBody = Type.Composite([AlarmDefinitionInputSchema, Type.Object({ reason: ReasonSchema })], { additionalProperties: false });
const PatchBody = Type.Composite(
  [
    Type.Partial(Type.Omit(AlarmDefinitionInputSchema, ["tagPath", "kind"])),
    Type.Object({ rowVersion: Type.Integer({ minimum: 1 }), reason: ReasonSchema }),
  ],
  { additionalProperties: false },
);
const DefinitionAnswer = Type.Object({ definition: AlarmDefinitionSchema });

export function registerAlarmDefinitionRoutes(router: Router, routes: RouteRegistry, service: AlarmDefinitionService): void {
  routes.add(router, {
    method: "get",
    path: "/alarm-definitions",
    summary: "Alarm definitions, by tag path prefix and area (only of tags the caller may read)",
    tags: ["alarms"],
    role: "viewer",
    schemas: {
      query: Type.Object(
        {
          prefix: Type.Optional(Type.String({ maxLength: 200, description: "tag path prefix (plain text), e.g. SITE1/WELL-101/" })),
          area: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ definitions: Type.Array(AlarmDefinitionSchema), total: Type.Integer() }) },
    },
    handler: async ({ res, query, principal }) => {
      res.json(await service.list({ ...query, role: principal.user.role }));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/alarm-definitions/export.csv",
    summary: "All alarm definitions as CSV (the import format)",
    tags: ["alarms"],
    role: "engineer",
    schemas: { responses: { 200: null } },
    handler: async ({ res }) => {
      res.type("text/csv").attachment("alarm-definitions.csv").send(await service.exportCsv());
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarm-definitions/import",
    summary: "Create or update alarm definitions from CSV (Content-Type: text/csv, ?reason=why); rejected rows are reported with line and reason",
    tags: ["alarms"],
    audit: { actions: ["alarm.definition.create", "alarm.definition.update"], rows: { 200: "any" } },
    role: "engineer",
    schemas: {
      query: ReasonQuery,
      body: Type.String({ minLength: 1, description: "CSV text with a header row" }),
      responses: {
        200: Type.Object({
          created: Type.Integer(),
          updated: Type.Integer(),
          rejected: Type.Array(
            Type.Object({ line: Type.Integer(), tagPath: Type.String(), kind: Type.String(), reason: Type.String({ description: "in English" }), details: ErrorDetailsSchema }),
          ),
        }),
      },
    },
    handler: async ({ req, res, body, query, principal }) => {
      if (!req.is(["text/csv", "text/plain", "application/csv"])) {
        throw new HttpError(415, "unsupported_media_type", "send the CSV with Content-Type: text/csv");
      }
      res.json(await service.importCsv(body, principal.user.username, query.reason).catch(toHttp));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarm-definitions",
    summary: "Define an alarm on a tag (one per kind per tag); `reason` is required",
    tags: ["alarms"],
    audit: { actions: ["alarm.definition.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: CreateBody, responses: { 201: DefinitionAnswer, 409: null } },
    handler: async ({ res, body, principal }) => {
      const { reason, ...input } = body;
      res.status(201).json({ definition: await service.create(input, principal.user.username, reason).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/alarm-definitions/:id",
    summary: "One alarm definition",
    tags: ["alarms"],
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: DefinitionAnswer, 404: null } },
    handler: async ({ res, params, principal }) => {
      res.json({ definition: await service.get(params.id, principal.user.role).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/alarm-definitions/:id",
    summary: "Change an alarm definition; send the rowVersion you read (409 if it changed since) and the reason",
    tags: ["alarms"],
    audit: { actions: ["alarm.definition.update"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: PatchBody, responses: { 200: DefinitionAnswer, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      const { reason, ...patch } = body;
      res.json({ definition: await service.update(params.id, patch, principal.user.username, reason).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/alarm-definitions/:id",
    summary: "Delete an alarm definition (?reason=why)",
    tags: ["alarms"],
    audit: { actions: ["alarm.definition.delete"], rows: { 204: 1 } },
    role: "engineer",
    schemas: { params: IdParams, query: ReasonQuery, responses: { 204: null, 404: null } },
    handler: async ({ res, params, query, principal }) => {
      await service.delete(params.id, principal.user.username, query.reason).catch(toHttp);
      res.status(204).end();
    },
  });
}
