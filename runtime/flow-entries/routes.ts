import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../http/route-registry.js";
import type { FlowEntrySpoolStatus } from "./flow-entry-spool.js";

export const FlowEntryWaitingSchema = Type.Object(
  {
    waiting: Type.Integer({ minimum: 0, description: "entries recorded by flows that wait in the spool for the database" }),
    bytes: Type.Integer({ minimum: 0 }),
    oldestQueuedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    oldestAgeSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    maxRecords: Type.Integer({ minimum: 1 }),
    maxBytes: Type.Integer({ minimum: 1 }),
    retrying: Type.Boolean({ description: "the drain is waiting for the database to answer again" }),
    nextAttemptAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    refusedSinceStart: Type.Integer({ minimum: 0, description: "waiting entries refused when written (audit action production.flow_entry.refused)" }),
  },
  { additionalProperties: false },
);

export function registerFlowEntryRoutes(router: Router, routes: RouteRegistry, flowEntries: { status(): FlowEntrySpoolStatus }): void {
  routes.add(router, {
    method: "get",
    path: "/flow-entries/waiting",
    summary: "Entries recorded by flows that wait for the database (the flow-entry spool), and the age of the oldest",
    tags: ["production"],
    role: "viewer",
    schemas: { responses: { 200: FlowEntryWaitingSchema } },
    handler: async ({ res }) => {
      res.json(flowEntries.status());
    },
  });
}
