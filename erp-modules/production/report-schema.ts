import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { DowntimeReason, Fluid, ProductionDate } from "./entry-schemas.js";
import { FlagSchema } from "./flag-schema.js";
import { PriorPeriodAdjustmentSchema } from "./month-close-schema.js";

/*
 * Production reports as the API sees them: canonical SI (m3, Sm3 for gas,
 * hours); the web app converts to the site's units.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DailyReportQuerySchema = Type.Object(
  {
    siteAssetId: Uuid,
    date: ProductionDate,
    /** Show this run instead of the current one (the highest version covering the date). */
    runId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type DailyReportQuery = Static<typeof DailyReportQuerySchema>;

export const MonthlyReportQuerySchema = Type.Object(
  {
    siteAssetId: Uuid,
    month: Type.String({ format: "year-month", pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM, years 1900 to 2200" }),
  },
  { additionalProperties: false },
);
export type MonthlyReportQuery = Static<typeof MonthlyReportQuerySchema>;

/** Report files: language and unit system, the site's settings (siteLanguage, unitSystem) when not given. */
const FileOptions = {
  lang: Type.Optional(Type.Union([Type.Literal("en"), Type.Literal("es")])),
  units: Type.Optional(Type.Union([Type.Literal("metric"), Type.Literal("oilfield")])),
};
export const DailyFileQuerySchema = Type.Object({ ...DailyReportQuerySchema.properties, ...FileOptions }, { additionalProperties: false });
export type DailyFileQuery = Static<typeof DailyFileQuerySchema>;
export const MonthlyFileQuerySchema = Type.Object({ ...MonthlyReportQuerySchema.properties, ...FileOptions }, { additionalProperties: false });
export type MonthlyFileQuery = Static<typeof MonthlyFileQuerySchema>;

const SiteRef = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

/** Per-well ratios (model/well-ratios.ts) of the allocated volumes (theoretical where nothing was allocated); null where the denominator is 0. */
export const WellRatiosSchema = Type.Object({
  waterCutPercent: Nullable(Type.Number()),
  gorSm3PerM3: Nullable(Type.Number()),
  worM3PerM3: Nullable(Type.Number()),
});

/** Month close state of the report's month (docs/erp-production.md "Month close"). */
export const ReportCloseSchema = Type.Object({
  closed: Type.Boolean(),
  closedAt: Nullable(Instant),
  closedBy: Nullable(Type.String()),
});

/** Theoretical from the run when it has the day (else from the test in effect and uptime now); allocated null when the run did not allocate it. */
const FluidVolumes = Type.Object({ theoreticalM3: Type.Number(), allocatedM3: Nullable(Type.Number()) });

const Deferred = {
  /** What downtime cost: test rate × downtime hours / 24. */
  deferredOilM3: Type.Number(),
  deferredGasM3: Type.Number(),
  deferredWaterM3: Type.Number(),
};

export const DailyWellSchema = Type.Object({
  wellId: Uuid,
  code: Type.String(),
  name: Type.String(),
  uptimeHours: Type.Number(),
  /** Downtime of the day by reason, hours (overlapping events of different reasons count under each). */
  downtime: Type.Array(Type.Object({ reasonCode: DowntimeReason, hours: Type.Number() })),
  oil: FluidVolumes,
  gas: FluidVolumes,
  water: FluidVolumes,
  ...Deferred,
  ratios: WellRatiosSchema,
});
export type DailyWell = Static<typeof DailyWellSchema>;

export const DailyReportSchema = Type.Object({
  site: SiteRef,
  date: ProductionDate,
  /** The allocation run shown, or null when no run covers the date. */
  run: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), createdAt: Instant, priorPeriodAdjustment: Type.Boolean() })),
  wells: Type.Array(DailyWellSchema),
  totals: Type.Object({ oil: FluidVolumes, gas: FluidVolumes, water: FluidVolumes, ...Deferred }),
  /** Each tank's latest gauge at or before the end of the day. */
  tanks: Type.Array(Type.Object({ tankId: Uuid, code: Type.String(), name: Type.String(), levelM: Type.Number(), volumeM3: Type.Number(), gaugedAt: Instant })),
  /** Run tickets shipped that day. */
  shipments: Type.Array(
    Type.Object({
      ticketNumber: Type.String(),
      shippedAt: Instant,
      fluid: Fluid,
      volumeM3: Type.Number(),
      destination: Type.Union([Type.Literal("truck"), Type.Literal("pipeline")]),
      carrier: Type.String(),
    }),
  ),
  /** The site's measured totals of the day (the run's when it has the day), null when nothing was measured. */
  measured: Type.Object({ oil: Nullable(Type.Number()), gas: Nullable(Type.Number()), water: Nullable(Type.Number()) }),
  /** The day's flags, judged by the run shown (docs/erp-production.md "Flags"). */
  flags: Type.Array(FlagSchema),
  close: ReportCloseSchema,
});
export type DailyReport = Static<typeof DailyReportSchema>;

export const MonthlyWellSchema = Type.Object({
  wellId: Uuid,
  code: Type.String(),
  name: Type.String(),
  oilM3: Type.Number(),
  gasM3: Type.Number(),
  waterM3: Type.Number(),
  uptimeHours: Type.Number(),
  /** Days of the month with current allocation results for the well. */
  days: Type.Integer(),
  ratios: WellRatiosSchema,
});
export type MonthlyWell = Static<typeof MonthlyWellSchema>;

export const MonthlyReportSchema = Type.Object({
  site: SiteRef,
  month: Type.String(),
  wells: Type.Array(MonthlyWellSchema),
  totals: Type.Object({ oilM3: Type.Number(), gasM3: Type.Number(), waterM3: Type.Number(), uptimeHours: Type.Number() }),
  /** The runs whose results were used (per day the highest version covering it), oldest version first. */
  runs: Type.Array(Uuid),
  /** Those of the runs made over a closed month by an admin. */
  priorPeriodRuns: Type.Array(Uuid),
  flags: Type.Array(FlagSchema),
  close: ReportCloseSchema,
  adjustments: Type.Array(PriorPeriodAdjustmentSchema),
});
export type MonthlyReport = Static<typeof MonthlyReportSchema>;
