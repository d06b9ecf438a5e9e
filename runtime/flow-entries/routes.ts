import type { Router } from "express";
import type { RouteRegistry } from "../http/route-registry.js";
import { FlowEntryWaitingSchema, type FlowEntryWaiting } from "./schema.js";

export function registerFlowEntryRoutes(router: Router, routes: RouteRegistry, flowEntries: { status(): FlowEntryWaiting }): void {
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
