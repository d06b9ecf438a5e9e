import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { validationFailed } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import type { AuditService } from "./audit-service.js";

const AuditRecordSchema = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  occurredAt: Type.String({ format: "date-time" }),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.Union([Type.String(), Type.Null()]),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  details: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
});

export function registerAuditRoutes(router: Router, routes: RouteRegistry, audit: AuditService): void {
  routes.add(router, {
    method: "get",
    path: "/audit",
    summary: "The audit log, newest first, filtered by user, action (or action prefix), entity and time (keyset paging: pass `next` as `before`)",
    tags: ["audit"],
    role: "admin",
    schemas: {
      query: Type.Object(
        {
          action: Type.Optional(Type.String({ maxLength: 100, description: "one action, e.g. user.update" })),
          actionPrefix: Type.Optional(Type.String({ maxLength: 100, description: "actions starting with this text, e.g. production. (plain text, not a pattern)" })),
          actor: Type.Optional(Type.String({ maxLength: 100, description: "the user (username) who acted" })),
          entityType: Type.Optional(Type.String({ maxLength: 100 })),
          entityId: Type.Optional(Type.String({ maxLength: 200 })),
          from: Type.Optional(Type.String({ format: "date-time", description: "occurred at or after" })),
          to: Type.Optional(Type.String({ format: "date-time", description: "occurred before" })),
          before: Type.Optional(Type.String({ format: "uuid", description: "the previous page's `next`" })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ entries: Type.Array(AuditRecordSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
    },
    handler: async ({ res, query }) => {
      if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
        throw validationFailed({ field: "query.from", reason: "after_field", params: { other: "query.to" } });
      }
      const entries = await audit.list(query);
      res.json({ entries, next: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/audit/actions",
    summary: "Every action in the audit log, for filtering",
    tags: ["audit"],
    role: "admin",
    schemas: { responses: { 200: Type.Object({ actions: Type.Array(Type.String()) }) } },
    handler: async ({ res }) => {
      res.json({ actions: await audit.actions() });
    },
  });
}
