import type { Response, Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  AlarmKpiQuerySchema,
  ConsolidatedProductionSchema,
  CorporateAlarmKpisSchema,
  ExportQuerySchema,
  ProductionFileQuerySchema,
  ProductionQuerySchema,
  RemoteDailyProductionSchema,
  RemoteDailyQuerySchema,
  RemoteWellsSchema,
  SiteListSchema,
  SiteParamsSchema,
} from "./schema.js";
import type { CorporateService } from "./service.js";

const CONTENT_TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
  zip: "application/zip",
} as const;

function sendFile(res: Response, format: keyof typeof CONTENT_TYPES, name: string, body: Buffer | Uint8Array): void {
  res.type(CONTENT_TYPES[format]).attachment(`${name}.${format}`).send(Buffer.from(body));
}

/** pdfkit, the XLSX writer and the zip writer load with the first file asked for. */
const loadExport = () => import("./corporate-export.js");

/**
 * The corporate API: GET only (remote access is read-only, docs/corporate.md),
 * registered in the cloud role only (erp-modules/index.ts).
 */
export function registerCorporateRoutes(router: Router, routes: RouteRegistry, service: CorporateService, defaults: { lang: "en" | "es"; units: "metric" | "oilfield" }): void {
  routes.add(router, {
    method: "get",
    path: "/corporate/sites",
    summary: "Every site this cloud receives from, with its sync health: last contact, outbox lag, spool depth, app version and how old its data is",
    tags: ["corporate"],
    role: "viewer",
    schemas: { responses: { 200: SiteListSchema } },
    handler: async ({ res }) => {
      res.json(await service.sites().catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/corporate/production",
    summary: "Production by site, field and month from each site's current allocation runs (a restatement replaces the days it covers), m3 and Sm3",
    tags: ["corporate"],
    role: "viewer",
    schemas: { query: ProductionQuerySchema, responses: { 200: ConsolidatedProductionSchema } },
    handler: async ({ res, query }) => {
      res.json(await service.production(query).catch(toHttpError));
    },
  });

  for (const format of ["pdf", "xlsx"] as const) {
    routes.add(router, {
      method: "get",
      path: `/corporate/production.${format}`,
      summary: `The production by site, field and month as ${format === "pdf" ? "an A4 PDF" : "an Excel workbook"} in \`lang\` and \`units\` (default: this installation's)`,
      tags: ["corporate"],
      role: "viewer",
      schemas: { query: ProductionFileQuerySchema, responses: { 200: null } },
      handler: async ({ res, query }) => {
        const report = await service.production(query).catch(toHttpError);
        const files = await loadExport();
        const options = { lang: query.lang ?? defaults.lang, units: query.units ?? defaults.units };
        const name = `corporate-production-${query.fromMonth}-${query.toMonth}`;
        sendFile(res, format, name, format === "pdf" ? await files.productionPdf(report, options) : await files.productionXlsx(report, options));
      },
    });
  }

  routes.add(router, {
    method: "get",
    path: "/corporate/alarm-kpis",
    summary: "Alarm KPIs per site over UTC days (alarms per day and per operator-hour, floods, standing, chattering, bad actors) and the bad actors across sites",
    tags: ["corporate"],
    role: "viewer",
    schemas: { query: AlarmKpiQuerySchema, responses: { 200: CorporateAlarmKpisSchema } },
    handler: async ({ res, query }) => {
      res.json(await service.alarmKpis(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/corporate/sites/:siteId/wells",
    summary: "A site's wells from its synced asset register, read only, with the data's age",
    tags: ["corporate"],
    role: "viewer",
    schemas: { params: SiteParamsSchema, responses: { 200: RemoteWellsSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await service.remoteWells(params.siteId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/corporate/sites/:siteId/daily-production",
    summary: "A site's production of a month per day and per well from its current allocation runs, read only, with the data's age",
    tags: ["corporate"],
    role: "viewer",
    schemas: { params: SiteParamsSchema, query: RemoteDailyQuerySchema, responses: { 200: RemoteDailyProductionSchema, 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await service.remoteDaily(params.siteId, query.month).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/corporate/export.zip",
    summary: "Analytics export: consolidated well-day production and monthly production as hive-style CSV partitions (dataset/site=<id>/month=<yyyy-mm>/part-0000.csv) in a zip, with a manifest",
    tags: ["corporate"],
    role: "viewer",
    schemas: { query: ExportQuerySchema, responses: { 200: null } },
    handler: async ({ res, query }) => {
      const files = await loadExport();
      const archive = await files.analyticsZip(service, query).catch(toHttpError);
      sendFile(res, "zip", `petroflow-export-${query.fromMonth}-${query.toMonth}`, archive);
    },
  });
}
