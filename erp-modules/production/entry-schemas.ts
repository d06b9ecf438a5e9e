import { Type, type Static } from "@sinclair/typebox";
import { GAS_DISPOSITION_KINDS, type GasDispositionKind } from "./model/gas-lift.js";

export type { GasDispositionKind };

/*
 * Inputs of production entries and well-test proposals: one schema types the
 * service, validates API bodies and node messages, and documents the OpenAPI.
 * Quantities are canonical SI (DESIGN): m, m3, Sm3 (gas at standard
 * conditions), kPa, degC, hours.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time", description: "ISO 8601 with offset, stored UTC" });
export const ProductionDate = Type.String({ format: "date", description: "production day, YYYY-MM-DD (the site's production day)" });
const Notes = Type.String({ maxLength: 2000, default: "" });
/**
 * An idempotency key for entries that come from flows: the erp nodes derive
 * one from the message, so a redelivered message records nothing twice (the
 * first entry is returned). Unique per entry type and site.
 */
const SourceKey = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const EntrySource = Type.Union([Type.Literal("manual"), Type.Literal("flow")], { default: "manual" });
export const Fluid = Type.Union([Type.Literal("oil"), Type.Literal("gas"), Type.Literal("water")]);
export type Fluid = Static<typeof Fluid>;

/**
 * The oil's quality as read at the observed temperature: a density or an API
 * gravity (one of them, from a densitometer or a glass hydrometer already
 * corrected for the glass) and the BS&W. With the temperature they give the
 * net standard volume (API MPMS 11.1-2004, see model/volume-correction.ts).
 */
const OilQualityInputs = {
  observedDensityKgPerM3: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
  observedApiGravity: Type.Optional(Type.Number({ minimum: -20, maximum: 150 })),
  bswPercent: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 100 })),
};

export const TankGaugeInputSchema = Type.Object(
  {
    tankId: Uuid,
    gaugedAt: Instant,
    /** Product level (innage) from the tank bottom. */
    levelM: Type.Number({ minimum: 0, maximum: 100 }),
    /** Free-water level under the oil, when gauged. */
    waterLevelM: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    temperatureDegC: Type.Optional(Type.Number({ minimum: -60, maximum: 200 })),
    ...OilQualityInputs,
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type TankGaugeInput = Static<typeof TankGaugeInputSchema>;

export const MeterReadingInputSchema = Type.Object(
  {
    /** A meter (equipment of type meter) at a site: fiscal / sales / allocation meter. */
    meterId: Uuid,
    productionDate: ProductionDate,
    fluid: Fluid,
    /** Volume through the meter over the production day (m3, or Sm3 for gas). */
    volumeM3: Type.Number({ minimum: 0, maximum: 1e9 }),
    /** The totalizer at the end of the day, when the meter has one. */
    totalizerM3: Type.Optional(Type.Number({ minimum: 0 })),
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type MeterReadingInput = Static<typeof MeterReadingInputSchema>;

export const RunTicketInputSchema = Type.Object(
  {
    /** The site (pad, station, battery) the volume left from. */
    siteAssetId: Uuid,
    /** The tank it was loaded from, when from a tank. */
    tankId: Type.Optional(Uuid),
    ticketNumber: Type.String({ minLength: 1, maxLength: 60 }),
    shippedAt: Instant,
    fluid: Fluid,
    volumeM3: Type.Number({ exclusiveMinimum: 0, maximum: 1e7 }),
    destination: Type.Union([Type.Literal("truck"), Type.Literal("pipeline")]),
    carrier: Type.String({ maxLength: 200, default: "" }),
    /** Oil tickets: the oil's temperature and quality when loaded. */
    temperatureDegC: Type.Optional(Type.Number({ minimum: -60, maximum: 200 })),
    ...OilQualityInputs,
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type RunTicketInput = Static<typeof RunTicketInputSchema>;

export const DOWNTIME_REASONS = [
  "esp_trip",
  "power_failure",
  "mechanical_failure",
  "gas_lift_failure",
  "planned_maintenance",
  "workover",
  "well_test",
  "facility_constraint",
  "weather",
  "shut_in_by_operator",
  "other",
] as const;
export const DowntimeReason = Type.Union(DOWNTIME_REASONS.map((reason) => Type.Literal(reason)));
export type DowntimeReason = (typeof DOWNTIME_REASONS)[number];

export const DowntimeInputSchema = Type.Object(
  {
    wellId: Uuid,
    startedAt: Instant,
    /** Absent while the well is still down; closed later with the end time. */
    endedAt: Type.Optional(Instant),
    reasonCode: DowntimeReason,
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type DowntimeInput = Static<typeof DowntimeInputSchema>;

export const BOTTOMHOLE_PRESSURE_SOURCES = ["measured", "gauge", "calculated"] as const;
export type BottomholePressureSource = (typeof BOTTOMHOLE_PRESSURE_SOURCES)[number];
export const BottomholePressureSourceSchema = Type.Union(BOTTOMHOLE_PRESSURE_SOURCES.map((source) => Type.Literal(source)));

export const WellTestInputSchema = Type.Object(
  {
    wellId: Uuid,
    startedAt: Instant,
    durationHours: Type.Number({ exclusiveMinimum: 0, maximum: 240 }),
    oilRateM3PerDay: Type.Number({ minimum: 0, maximum: 100_000 }),
    /** Gas measured at the test separator: formation gas plus the lift gas returned with it. */
    gasRateSm3PerDay: Type.Number({ minimum: 0, maximum: 100_000_000 }),
    waterRateM3PerDay: Type.Number({ minimum: 0, maximum: 100_000 }),
    /** Lift gas injected into the well during the test (gas-lift wells); formation gas = gas − this. */
    liftGasInjectionSm3PerDay: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
    chokePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    tubingPressureKpa: Type.Optional(Type.Number({ minimum: 0, maximum: 200_000 })),
    casingPressureKpa: Type.Optional(Type.Number({ minimum: 0, maximum: 200_000 })),
    separatorPressureKpa: Type.Optional(Type.Number({ minimum: 0, maximum: 200_000 })),
    /**
     * Bottomhole flowing pressure during the test (gauge, kPa), for the
     * reservoir module's inflow performance; with its source.
     */
    bottomholePressureKpa: Type.Optional(Type.Number({ minimum: 0, maximum: 200_000 })),
    /** How the bottomhole pressure was obtained; required with it (measured: a survey run, gauge: a permanent downhole gauge, calculated: from a surface reading). */
    bottomholePressureSource: Type.Optional(BottomholePressureSourceSchema),
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type WellTestInput = Static<typeof WellTestInputSchema>;

/** Where a site's gas went on a production day (docs/erp-production.md "Gas lift and gas disposition"). */
export const GasDispositionKindSchema = Type.Union(GAS_DISPOSITION_KINDS.map((kind) => Type.Literal(kind)));

export const GasDispositionInputSchema = Type.Object(
  {
    /** The site (pad, station, battery) whose gas it is. */
    siteAssetId: Uuid,
    productionDate: ProductionDate,
    disposition: GasDispositionKindSchema,
    /** Gas at standard conditions over the production day. */
    volumeSm3: Type.Number({ minimum: 0, maximum: 1e9 }),
    source: EntrySource,
    sourceKey: SourceKey,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type GasDispositionInput = Static<typeof GasDispositionInputSchema>;
