import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { HttpError } from "../../runtime/http/errors.js";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  HistoryImportDetailSchema,
  HistoryImportListQuerySchema,
  HistoryImportQuerySchema,
  HistoryImportResultSchema,
  HistoryImportSchema,
  HistoryRowSchema,
  ImportParamsSchema,
  WellHistoryQuerySchema,
  WellParamsSchema,
} from "./history-schema.js";
import type { HistoryService } from "./history-service.js";

/** Production history imports (docs/reservoir-data.md "Import"). */
export function registerHistoryRoutes(router: Router, routes: RouteRegistry, history: HistoryService): void {
  routes.add(router, {
    method: "post",
    path: "/reservoir/history/imports",
    summary:
      "Import production history from CSV (Content-Type: text/csv; units, frequency and file name in the query). Any bad line refuses the whole file (400 listing the lines); history already imported for a well and period is refused (409) unless replace=true with a reason",
    tags: ["reservoir"],
    audit: { actions: ["reservoir.history.import"], rows: { 201: 1 } },
    role: "engineer",
    schemas: {
      query: HistoryImportQuerySchema,
      body: Type.String({ minLength: 1, description: "CSV text with a header row" }),
      responses: { 201: HistoryImportResultSchema, 404: null, 409: null },
    },
    handler: async ({ req, res, body, query, principal }) => {
      if (!req.is(["text/csv", "text/plain", "application/csv"])) {
        throw new HttpError(415, "unsupported_media_type", "send the CSV with Content-Type: text/csv");
      }
      res.status(201).json(await history.importCsv(body, query, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/history/imports",
    summary: "History imports, newest first",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { query: HistoryImportListQuerySchema, responses: { 200: Type.Object({ items: Type.Array(HistoryImportSchema), total: Type.Integer() }) } },
    handler: async ({ res, query }) => {
      res.json(await history.listImports(query.limit, query.offset));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/history/imports/:importId",
    summary: "One history import with every row it wrote",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { params: ImportParamsSchema, responses: { 200: HistoryImportDetailSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await history.getImport(params.importId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/reservoir/wells/:wellId/history",
    summary: "A well's imported history, oldest first (current rows; includeSuperseded=true adds the rows later imports replaced)",
    tags: ["reservoir"],
    role: "viewer",
    schemas: { params: WellParamsSchema, query: WellHistoryQuerySchema, responses: { 200: Type.Array(HistoryRowSchema), 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await history.wellHistory(params.wellId, query).catch(toHttpError));
    },
  });
}
