import { Type } from "@sinclair/typebox";
import { AllocationRunDetailSchema, AllocationRunPageSchema, AllocationRunQuerySchema } from "../../../../erp-modules/production/allocation-schema.js";
import { Fluid, ProductionDate } from "../../../../erp-modules/production/entry-schemas.js";
import { DailyReportQuerySchema, DailyReportSchema } from "../../../../erp-modules/production/report-schema.js";
import { invalidInput } from "../../../../erp-modules/shared/service-error.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

/** The longest from..to of daily volumes: a year of days, leap day included, per message. */
export const MAX_DAILY_VOLUME_DAYS = 366;

const DAY_MS = 86_400_000;

export const productionQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "production.daily-volumes",
    module: "production",
    description: "A well's allocated volume of one fluid per production day, from..to inclusive, from the current allocation runs (m3; Sm3 for gas).",
    params: queryParams({ wellId: Uuid, fluid: Fluid, from: ProductionDate, to: ProductionDate }),
    result: Type.Array(Type.Object({ date: ProductionDate, volume: Type.Number(), uptimeHours: Type.Number(), dayHours: Type.Number() })),
    problem({ from, to }) {
      if (to < from) return invalidInput("to", "before_field", { other: "from" }, `to (${to}) must not be before from (${from})`);
      const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
      if (days > MAX_DAILY_VOLUME_DAYS) return invalidInput("to", "period_too_long", { limit: MAX_DAILY_VOLUME_DAYS }, `to: ${from}..${to} covers ${days} days; at most ${MAX_DAILY_VOLUME_DAYS} per query`);
      return null;
    },
    run: (reads, { wellId, fluid, from, to }) => reads.production.wellSeries.allocatedDays(wellId, fluid, from, to),
  }),
  defineQuery({
    name: "production.daily-report",
    module: "production",
    description: "A site's daily production report for one production day (the current run, or runId).",
    params: DailyReportQuerySchema,
    result: DailyReportSchema,
    run: (reads, params) => reads.production.reports.daily(params),
  }),
  defineQuery({
    name: "production.allocation-runs",
    module: "production",
    description: "Allocation runs, newest first, of a site or covering a day; a page of them.",
    params: AllocationRunQuerySchema,
    result: AllocationRunPageSchema,
    run: (reads, params) => reads.production.allocation.listRuns(params),
  }),
  defineQuery({
    name: "production.allocation-results",
    module: "production",
    description: "One allocation run with its results per well, fluid and day.",
    params: queryParams({ runId: Uuid }),
    result: AllocationRunDetailSchema,
    run: (reads, { runId }) => reads.production.allocation.getRun(runId),
  }),
];
