import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { convertStandardGasVolume, standardConditionsValues, type StandardConditionsId } from "../../runtime/units/gas-volume.js";
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

/** The basis of the report's volumes and pressures, printed with it. */
export const ReportConditionsSchema = Type.Object({
  /** The site's standard conditions: gas volumes (Sm3) and corrected oil volumes are at this temperature and absolute pressure. */
  standardConditions: Type.Union([Type.Literal("15C_101.325kPa"), Type.Literal("60F_14.696psia")]),
  temperatureDegC: Type.Number(),
  pressureKpaAbs: Type.Number(),
  /** A gas volume of the report times this is the volume at the other standard conditions (ideal gas), for readers at the other base. */
  gasFactorToOtherConditions: Type.Number(),
  /** Well and separator pressures are gauge readings (kPa above the atmosphere), as the field instruments read them. */
  pressureBasis: Type.Literal("gauge"),
});
export type ReportConditions = Static<typeof ReportConditionsSchema>;

export function reportConditions(standardConditions: StandardConditionsId = "15C_101.325kPa"): ReportConditions {
  const { id, temperatureDegC, pressureKpaAbs } = standardConditionsValues(standardConditions);
  const other = id === "15C_101.325kPa" ? "60F_14.696psia" : "15C_101.325kPa";
  const gasFactorToOtherConditions = convertStandardGasVolume(1, id, other);
  return { standardConditions: id, temperatureDegC, pressureKpaAbs, gasFactorToOtherConditions, pressureBasis: "gauge" };
}
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

export const ReconciliationSchema = Type.Object({
  meterM3: Type.Number(),
  stockChangeM3: Type.Number(),
  shippedM3: Type.Number(),
  /** meter + stock change. */
  measuredM3: Type.Number(),
  /** stock change + shipped. */
  tankBalanceM3: Type.Number(),
  /** measured − tank balance. */
  differenceM3: Type.Number(),
});
export type ReconciliationView = Static<typeof ReconciliationSchema>;

/**
 * Gas lift apart from production (docs/erp-production.md "Gas lift and gas
 * disposition"): per well the lift gas injected (its test's lift rate ×
 * uptime / 24) and the formation gas allocated; for the site the separator
 * gas, the lift gas returned, the formation gas and the day's gas balance.
 */
export const DailyGasLiftSchema = Type.Object({
  wells: Type.Array(
    Type.Object({
      wellId: Uuid,
      liftGasInjectedSm3: Type.Number(),
      /** Formation gas allocated (null when the run did not allocate gas that day). */
      formationGasAllocatedSm3: Nullable(Type.Number()),
      /** Formation gas allocated / oil allocated, Sm3/m3; null without both. */
      formationGorSm3PerM3: Nullable(Type.Number()),
    }),
  ),
  totals: Type.Object({
    liftGasInjectedSm3: Type.Number(),
    /** Gas the meters measured: formation + lift gas returned (null without a reading). */
    separatorGasSm3: Nullable(Type.Number()),
    /** The day's lift-gas recycle (what returned with the production). */
    liftGasReturnedSm3: Type.Number(),
    formationGasSm3: Nullable(Type.Number()),
  }),
  balance: Type.Object({
    salesSm3: Type.Number(),
    fuelSm3: Type.Number(),
    flareSm3: Type.Number(),
    ventSm3: Type.Number(),
    liftRecycleSm3: Type.Number(),
    disposedSm3: Type.Number(),
    /** separator gas − disposed; null without a measured volume. */
    differenceSm3: Nullable(Type.Number()),
  }),
});
export type DailyGasLift = Static<typeof DailyGasLiftSchema>;

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
  /**
   * Where a sales meter and tanks of the fluid both measured the day: meter + stock change (the measured
   * production) against the tank balance (stock change + shipped); null otherwise.
   */
  reconciliation: Type.Object({ oil: Nullable(ReconciliationSchema), water: Nullable(ReconciliationSchema) }),
  gasLift: DailyGasLiftSchema,
  conditions: ReportConditionsSchema,
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
  conditions: ReportConditionsSchema,
  /** Those of the runs made over a closed month by an admin. */
  priorPeriodRuns: Type.Array(Uuid),
  flags: Type.Array(FlagSchema),
  close: ReportCloseSchema,
  adjustments: Type.Array(PriorPeriodAdjustmentSchema),
});
export type MonthlyReport = Static<typeof MonthlyReportSchema>;
