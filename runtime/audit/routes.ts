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
    summary: "The audit log, newest first (keyset paging with `before`)",
    tags: ["audit"],
    role: "admin",
    schemas: {
      query: Type.Object(
        {
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actor: Type.Optional(Type.String({ maxLength: 100 })),
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
