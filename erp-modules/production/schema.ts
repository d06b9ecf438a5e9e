import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { BottomholePressureSourceSchema, DowntimeReason, Fluid, GasDispositionKindSchema, ProductionDate } from "./entry-schemas.js";

/*
 * What the production entry routes answer and accept besides the entry
 * inputs (entry-schemas.ts): stored entries, well tests, list queries.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ENTRY_TYPES = ["tank_gauge", "meter_reading", "run_ticket", "downtime_event", "gas_disposition"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export const EntryTypeSchema = Type.Union(ENTRY_TYPES.map((entryType) => Type.Literal(entryType)));

export const WELL_TEST_STATUSES = ["proposed", "approved", "rejected"] as const;
export type WellTestStatus = (typeof WELL_TEST_STATUSES)[number];
export const WellTestStatusSchema = Type.Union(WELL_TEST_STATUSES.map((status) => Type.Literal(status)));

const EntrySourceSchema = Type.Union([Type.Literal("manual"), Type.Literal("flow")]);

/** Fields every stored entry has (well tests have a status instead of a void). */
const StoredFields = {
  id: Uuid,
  siteAssetId: Uuid,
  source: EntrySourceSchema,
  sourceKey: Nullable(Type.String()),
  notes: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
};

/** Voided entries stay listed (append-only ledgers); reads and allocation skip them. */
const VoidFields = {
  voided: Type.Boolean(),
  voidReason: Nullable(Type.String()),
  voidedBy: Nullable(Type.String()),
  voidedAt: Nullable(Instant),
};

/**
 * Oil quality as recorded and the standard volumes computed from it (null
 * when not recorded or not enough to compute): GSV = gross observed volume ×
 * ctl, NSV = GSV × (1 − bswPercent / 100), at volumeBase (the site's standard
 * temperature when recorded).
 */
const OilQualityFields = {
  observedDensityKgPerM3: Nullable(Type.Number()),
  observedApiGravity: Nullable(Type.Number()),
  bswPercent: Nullable(Type.Number()),
  volumeBase: Nullable(Type.Union([Type.Literal("15C"), Type.Literal("60F")])),
  /** Density at volumeBase (15 °C or 60 °F), kg/m3. */
  baseDensityKgPerM3: Nullable(Type.Number()),
  /** Correction for the temperature of the liquid, 5 decimals. */
  ctl: Nullable(Type.Number()),
  grossStandardVolumeM3: Nullable(Type.Number()),
  netStandardVolumeM3: Nullable(Type.Number()),
};

export const TankGaugeSchema = Type.Object({
  ...StoredFields,
  ...VoidFields,
  tankId: Uuid,
  gaugedAt: Instant,
  levelM: Type.Number(),
  waterLevelM: Nullable(Type.Number()),
  temperatureDegC: Nullable(Type.Number()),
  /** Liquid volume at levelM by the tank's strapping table (oil and free water). */
  volumeM3: Type.Number(),
  /** Free-water volume at waterLevelM, when gauged. */
  waterVolumeM3: Nullable(Type.Number()),
  ...OilQualityFields,
});
export type TankGauge = Static<typeof TankGaugeSchema>;

export const MeterReadingSchema = Type.Object({
  ...StoredFields,
  ...VoidFields,
  meterId: Uuid,
  productionDate: ProductionDate,
  fluid: Fluid,
  volumeM3: Type.Number(),
  totalizerM3: Nullable(Type.Number()),
});
export type MeterReading = Static<typeof MeterReadingSchema>;

export const RunTicketSchema = Type.Object({
  ...StoredFields,
  ...VoidFields,
  tankId: Nullable(Uuid),
  ticketNumber: Type.String(),
  shippedAt: Instant,
  fluid: Fluid,
  volumeM3: Type.Number(),
  destination: Type.Union([Type.Literal("truck"), Type.Literal("pipeline")]),
  carrier: Type.String(),
  temperatureDegC: Nullable(Type.Number()),
  ...OilQualityFields,
});
export type RunTicket = Static<typeof RunTicketSchema>;

export const DowntimeEventSchema = Type.Object({
  ...StoredFields,
  ...VoidFields,
  wellId: Uuid,
  startedAt: Instant,
  endedAt: Nullable(Instant),
  reasonCode: DowntimeReason,
  /** True while endedAt is null (and the event is not voided). */
  open: Type.Boolean(),
});
export type DowntimeEvent = Static<typeof DowntimeEventSchema>;

export const WellTestSchema = Type.Object({
  ...StoredFields,
  wellId: Uuid,
  startedAt: Instant,
  durationHours: Type.Number(),
  oilRateM3PerDay: Type.Number(),
  /** Separator gas: formation gas plus the lift gas returned. */
  gasRateSm3PerDay: Type.Number(),
  waterRateM3PerDay: Type.Number(),
  /** Lift gas injected during the test; null when none was recorded. */
  liftGasInjectionSm3PerDay: Nullable(Type.Number()),
  /** gas − lift gas injected, never below 0 (what allocation uses). */
  formationGasRateSm3PerDay: Type.Number(),
  /** True when the lift gas recorded exceeds the separator gas: the formation gas rate was taken as 0; check the test. */
  liftGasExceedsGas: Type.Boolean(),
  chokePercent: Nullable(Type.Number()),
  tubingPressureKpa: Nullable(Type.Number()),
  casingPressureKpa: Nullable(Type.Number()),
  separatorPressureKpa: Nullable(Type.Number()),
  /** Bottomhole flowing pressure during the test, gauge kPa; null when not recorded. */
  bottomholePressureKpa: Nullable(Type.Number()),
  bottomholePressureSource: Nullable(BottomholePressureSourceSchema),
  status: WellTestStatusSchema,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  decisionNote: Type.String(),
});
export type WellTest = Static<typeof WellTestSchema>;

export const GasDispositionSchema = Type.Object({
  ...StoredFields,
  ...VoidFields,
  productionDate: ProductionDate,
  disposition: GasDispositionKindSchema,
  volumeSm3: Type.Number(),
});
export type GasDisposition = Static<typeof GasDispositionSchema>;

export type ProductionEntry = TankGauge | MeterReading | RunTicket | DowntimeEvent | GasDisposition;
export const ProductionEntrySchema = Type.Union([TankGaugeSchema, MeterReadingSchema, RunTicketSchema, DowntimeEventSchema, GasDispositionSchema]);

export const CloseDowntimeSchema = Type.Object({ endedAt: Instant }, { additionalProperties: false });
export type CloseDowntime = Static<typeof CloseDowntimeSchema>;

export const VoidEntrySchema = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export type VoidEntry = Static<typeof VoidEntrySchema>;

export const WellTestDecisionSchema = Type.Object(
  {
    /** The rowVersion the engineer read (409 stale when the test changed since). */
    rowVersion: Type.Integer({ minimum: 1 }),
    note: Type.String({ maxLength: 2000, default: "" }),
  },
  { additionalProperties: false },
);
export type WellTestDecision = Static<typeof WellTestDecisionSchema>;

/**
 * A time bound: an ISO instant, or a date meaning whole UTC days (`from` a
 * date starts at its 00:00, `to` a date includes that day).
 */
const TimeBound = Type.Union([Type.String({ format: "date-time" }), Type.String({ format: "date" })]);
const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

export const TankGaugeQuerySchema = Type.Object(
  { siteAssetId: Type.Optional(Uuid), tankId: Type.Optional(Uuid), from: Type.Optional(TimeBound), to: Type.Optional(TimeBound), ...Paging },
  { additionalProperties: false },
);
export type TankGaugeQuery = Static<typeof TankGaugeQuerySchema>;

/** Meter readings are per production day: from/to are dates, both inclusive. */
export const MeterReadingQuerySchema = Type.Object(
  {
    siteAssetId: Type.Optional(Uuid),
    meterId: Type.Optional(Uuid),
    from: Type.Optional(ProductionDate),
    to: Type.Optional(ProductionDate),
    ...Paging,
  },
  { additionalProperties: false },
);
export type MeterReadingQuery = Static<typeof MeterReadingQuerySchema>;

export const RunTicketQuerySchema = Type.Object(
  { siteAssetId: Type.Optional(Uuid), from: Type.Optional(TimeBound), to: Type.Optional(TimeBound), ...Paging },
  { additionalProperties: false },
);
export type RunTicketQuery = Static<typeof RunTicketQuerySchema>;

/** from/to select events that overlap the window (an open event lasts until now). */
export const DowntimeQuerySchema = Type.Object(
  {
    siteAssetId: Type.Optional(Uuid),
    wellId: Type.Optional(Uuid),
    /** true: only open, not voided events; false: only closed ones. */
    open: Type.Optional(Type.Boolean()),
    from: Type.Optional(TimeBound),
    to: Type.Optional(TimeBound),
    ...Paging,
  },
  { additionalProperties: false },
);
export type DowntimeQuery = Static<typeof DowntimeQuerySchema>;

/** Gas dispositions are per production day: from/to are dates, both inclusive. */
export const GasDispositionQuerySchema = Type.Object(
  { siteAssetId: Type.Optional(Uuid), from: Type.Optional(ProductionDate), to: Type.Optional(ProductionDate), ...Paging },
  { additionalProperties: false },
);
export type GasDispositionQuery = Static<typeof GasDispositionQuerySchema>;

/** A site's gas balance of one day: measured gas against where it went. */
export const GasBalanceQuerySchema = Type.Object({ siteAssetId: Uuid, date: ProductionDate }, { additionalProperties: false });
export type GasBalanceQuery = Static<typeof GasBalanceQuerySchema>;

export const GasBalanceSchema = Type.Object({
  siteAssetId: Uuid,
  date: ProductionDate,
  /** Gas measured at the site's meters (separator gas: formation + lift gas returned); null without a reading. */
  measuredSm3: Nullable(Type.Number()),
  /** Non-voided dispositions of the day, per kind. */
  salesSm3: Type.Number(),
  fuelSm3: Type.Number(),
  flareSm3: Type.Number(),
  ventSm3: Type.Number(),
  liftRecycleSm3: Type.Number(),
  /** sales + fuel + flare + vent + lift recycle. */
  disposedSm3: Type.Number(),
  /** measured − disposed; null without a measured volume. */
  differenceSm3: Nullable(Type.Number()),
  /** measured − lift gas returned (the lift recycle), never below 0; null without a measured volume. */
  formationSm3: Nullable(Type.Number()),
});
export type GasBalance = Static<typeof GasBalanceSchema>;

export const WellTestQuerySchema = Type.Object(
  { siteAssetId: Type.Optional(Uuid), wellId: Type.Optional(Uuid), status: Type.Optional(WellTestStatusSchema), ...Paging },
  { additionalProperties: false },
);
export type WellTestQuery = Static<typeof WellTestQuerySchema>;

export function pageSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export interface Page<T> {
  items: T[];
  total: number;
}
