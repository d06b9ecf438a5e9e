import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { convertStandardGasVolume, standardConditionsValues, type StandardConditionsId } from "../../runtime/units/gas-volume.js";
import { DowntimeReason, Fluid, ProductionDate } from "./entry-schemas.js";

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
});
export type DailyWell = Static<typeof DailyWellSchema>;

export const DailyReportSchema = Type.Object({
  site: SiteRef,
  date: ProductionDate,
  /** The allocation run shown, or null when no run covers the date. */
  run: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), createdAt: Instant })),
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
  conditions: ReportConditionsSchema,
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
});
export type MonthlyReport = Static<typeof MonthlyReportSchema>;
