import type { Response, Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  DailyFileQuerySchema,
  DailyReportQuerySchema,
  DailyReportSchema,
  MonthlyFileQuerySchema,
  MonthlyReportQuerySchema,
  MonthlyReportSchema,
} from "./report-schema.js";
import type { ReportService } from "./report-service.js";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

function sendFile(res: Response, format: keyof typeof CONTENT_TYPES, name: string, body: string | Buffer): void {
  res.type(CONTENT_TYPES[format]).attachment(`${name}.${format}`).send(body);
}

/** The export code (pdfkit, the XLSX writer) is loaded with the first export, not at start. */
const loadExport = () => import("./report-export.js");

export function registerReportRoutes(router: Router, routes: RouteRegistry, reports: ReportService): void {
  const daily = { query: DailyReportQuerySchema, responses: { 200: DailyReportSchema, 404: null } };
  const dailyFile = { query: DailyFileQuerySchema, responses: { 200: null, 404: null } };
  const monthly = { query: MonthlyReportQuerySchema, responses: { 200: MonthlyReportSchema, 404: null } };
  const monthlyFile = { query: MonthlyFileQuerySchema, responses: { 200: null, 404: null } };

  routes.add(router, {
    method: "get",
    path: "/production/reports/daily",
    summary: "Daily production of a site: per well uptime, downtime by reason, theoretical and allocated volumes (of the run named), deferment; tanks, shipments, measured totals",
    tags: ["production"],
    role: "viewer",
    schemas: daily,
    handler: async ({ res, query }) => {
      res.json(await reports.daily(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/daily.csv",
    summary: "The daily report's well table as CSV, in `lang` and `units` (default: the site's), the unit in each header; Spanish uses \";\" and a decimal comma",
    tags: ["production"],
    role: "viewer",
    schemas: dailyFile,
    handler: async ({ res, query }) => {
      const report = await reports.daily(query).catch(toHttpError);
      const { dailyTable, toCsv } = await loadExport();
      const options = reports.fileOptions(query);
      sendFile(res, "csv", `production-${report.site.code}-${report.date}`, toCsv(dailyTable(report, options), options.lang));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/daily.xlsx",
    summary: "The daily report's well table as an Excel workbook (same columns as the CSV)",
    tags: ["production"],
    role: "viewer",
    schemas: dailyFile,
    handler: async ({ res, query }) => {
      const report = await reports.daily(query).catch(toHttpError);
      const { dailyTable, toXlsx } = await loadExport();
      sendFile(res, "xlsx", `production-${report.site.code}-${report.date}`, await toXlsx(dailyTable(report, reports.fileOptions(query)), report.date));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/daily.pdf",
    summary: "The daily report as an A4 landscape PDF in `lang` and `units` (run, month close, standard conditions, wells with ratios, totals, tanks, shipments, flags)",
    tags: ["production"],
    role: "viewer",
    schemas: dailyFile,
    handler: async ({ res, query }) => {
      const report = await reports.daily(query).catch(toHttpError);
      const { dailyPdf } = await loadExport();
      sendFile(res, "pdf", `production-${report.site.code}-${report.date}`, await dailyPdf(report, reports.fileOptions(query)));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/monthly",
    summary: "Monthly production per well and site totals from the current allocation results of each day, with the runs used",
    tags: ["production"],
    role: "viewer",
    schemas: monthly,
    handler: async ({ res, query }) => {
      res.json(await reports.monthly(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/monthly.csv",
    summary: "The monthly report as CSV",
    tags: ["production"],
    role: "viewer",
    schemas: monthlyFile,
    handler: async ({ res, query }) => {
      const report = await reports.monthly(query).catch(toHttpError);
      const { monthlyTable, toCsv } = await loadExport();
      const options = reports.fileOptions(query);
      sendFile(res, "csv", `production-${report.site.code}-${report.month}`, toCsv(monthlyTable(report, options), options.lang));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/reports/monthly.xlsx",
    summary: "The monthly report as an Excel workbook",
    tags: ["production"],
    role: "viewer",
    schemas: monthlyFile,
    handler: async ({ res, query }) => {
      const report = await reports.monthly(query).catch(toHttpError);
      const { monthlyTable, toXlsx } = await loadExport();
      sendFile(res, "xlsx", `production-${report.site.code}-${report.month}`, await toXlsx(monthlyTable(report, reports.fileOptions(query)), report.month));
    },
  });
}
