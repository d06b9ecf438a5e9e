import { Type } from "@sinclair/typebox";
import type { Router } from "express";
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
    summary: "The audit log, newest first, filtered by user, action (or action prefix), entity and time range (keyset paging with `before`)",
    tags: ["audit"],
    role: "admin",
    schemas: {
      query: Type.Object(
        {
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actionPrefix: Type.Optional(Type.String({ maxLength: 100, description: "actions starting with this text, e.g. production." })),
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          entityType: Type.Optional(Type.String({ maxLength: 100 })),
          entityId: Type.Optional(Type.String({ maxLength: 200 })),
          from: Type.Optional(Type.String({ format: "date-time", description: "at or after this instant" })),
          to: Type.Optional(Type.String({ format: "date-time", description: "before this instant" })),
          before: Type.Optional(Type.String({ format: "uuid" })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ entries: Type.Array(AuditRecordSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
    },
    handler: async ({ res, query }) => {
      const entries = await audit.list(query);
      res.json({ entries, next: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null });
    },
  });
}
