import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { GAS_LIFT_OBJECTIVES, GasLiftPricesSchema } from "./gas-lift-schema.js";

/*
 * The gas-lift closed loop as the API sees it (docs/optimization-closed-loop.md):
 * per-well limits, optimisation runs with their setpoints, approval and the
 * writes a flow made. Rates in canonical units: lift gas Sm3/d, oil m3/d.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Rate = Type.Number({ minimum: 0, maximum: 10_000_000 });
/** `<site>/<asset>/<point>`, the tag path format of runtime/tags. */
const TagPath = Type.String({ minLength: 5, maxLength: 200, pattern: "^[^/\\s]+/[^/\\s]+/[^/\\s]+$" });

export const WellParamsSchema = Type.Object({ wellId: Uuid });
export const RunParamsSchema = Type.Object({ runId: Uuid });
export const SiteQuerySchema = Type.Object({ siteAssetId: Uuid }, { additionalProperties: false });

export const WellLimitsInputSchema = Type.Object(
  {
    minInjectionSm3PerDay: Rate,
    maxInjectionSm3PerDay: Rate,
    /** The tag the well's injection setpoint is written to, e.g. SITE1/WELL-201/GL_INJ_SP. */
    setpointTagPath: TagPath,
    /** The row_version the engineer read; a changed row answers 409 stale. Absent: no check. */
    expectedRowVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type WellLimitsInput = Static<typeof WellLimitsInputSchema>;

export const WellLimitsSchema = Type.Object({
  id: Uuid,
  wellId: Uuid,
  wellCode: Type.String(),
  minInjectionSm3PerDay: Type.Number(),
  maxInjectionSm3PerDay: Type.Number(),
  setpointTagPath: Type.String(),
  rowVersion: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: Instant,
});
export type WellLimits = Static<typeof WellLimitsSchema>;
export const WellLimitsListSchema = Type.Array(WellLimitsSchema);

export const SiteParamsSchema = Type.Object({ siteAssetId: Uuid });

export const SiteGasInputSchema = Type.Object(
  {
    compressorCapacitySm3PerDay: Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000 }),
    expectedRowVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type SiteGasInput = Static<typeof SiteGasInputSchema>;

export const SiteGasSchema = Type.Object({
  siteAssetId: Uuid,
  /** Null until an engineer sets it. */
  compressorCapacitySm3PerDay: Nullable(Type.Number()),
  rowVersion: Nullable(Type.Integer()),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Instant),
});
export type SiteGas = Static<typeof SiteGasSchema>;

const RunObjectiveSchema = Type.Union(GAS_LIFT_OBJECTIVES.map((objective) => Type.Literal(objective)));

/** A net-value run's prices and what the optimiser answered in money (prices.currency per day). */
export const RunNetValueSchema = Type.Composite([
  GasLiftPricesSchema,
  Type.Object({
    /** Net value per day of the recommended allocation minus that of the current one. */
    expectedGainPerDay: Type.Number(),
    /** What one more Sm3/d of lift gas is worth per day, in the currency; null when the solver gives none. */
    marginalValuePerSm3: Nullable(Type.Number()),
  }),
]);
export type RunNetValue = Static<typeof RunNetValueSchema>;

export const RunCreateInputSchema = Type.Object(
  {
    siteAssetId: Uuid,
    /** Lift gas to share; absent: the site's compressor capacity (400 when it has none). With both, the smaller is used. */
    gasAvailableSm3PerDay: Type.Optional(Rate),
    /** Where the wells' curves come from: their approved well tests (default) or the simulator (demo site). */
    curveSource: Type.Optional(Type.Union([Type.Literal("well_tests"), Type.Literal("simulator")])),
    /** What the allocation maximises: oil (default), or net value (oil value − lift gas cost − water handling; needs prices). */
    objective: Type.Optional(RunObjectiveSchema),
    /** The prices of a net-value run (400 naming `prices` when net_value comes without them). */
    prices: Type.Optional(GasLiftPricesSchema),
  },
  { additionalProperties: false },
);
export type RunCreateInput = Static<typeof RunCreateInputSchema>;

export const RunRejectInputSchema = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export type RunRejectInput = Static<typeof RunRejectInputSchema>;

/** proposed -> approved | rejected; approved -> writing -> sent | partially_failed | failed. */
export const RunStatusSchema = Type.Union([
  Type.Literal("proposed"),
  Type.Literal("approved"),
  Type.Literal("rejected"),
  Type.Literal("writing"),
  Type.Literal("sent"),
  Type.Literal("partially_failed"),
  Type.Literal("failed"),
]);
export type RunStatus = Static<typeof RunStatusSchema>;

export const WriteOutcomeSchema = Type.Union([Type.Literal("confirmed"), Type.Literal("unconfirmed"), Type.Literal("failed"), Type.Literal("refused")]);
export type WriteOutcome = Static<typeof WriteOutcomeSchema>;

export const CurvePointSchema = Type.Object({ injectionSm3PerDay: Type.Number(), oilM3PerDay: Type.Number() });

export const SetpointWriteSchema = Type.Object({
  id: Uuid,
  outcome: WriteOutcomeSchema,
  valueSm3PerDay: Type.Number(),
  readBackSm3PerDay: Nullable(Type.Number()),
  detail: Nullable(Type.String()),
  by: Type.String(),
  at: Instant,
});
export type SetpointWrite = Static<typeof SetpointWriteSchema>;

export const RunSetpointSchema = Type.Object({
  id: Uuid,
  wellId: Uuid,
  wellCode: Type.String(),
  tagPath: Type.String(),
  currentInjectionSm3PerDay: Nullable(Type.Number()),
  recommendedInjectionSm3PerDay: Type.Number(),
  currentOilM3PerDay: Nullable(Type.Number()),
  expectedOilM3PerDay: Type.Number(),
  minInjectionSm3PerDay: Type.Number(),
  maxInjectionSm3PerDay: Type.Number(),
  /** The well's performance curve the run optimised on. */
  curve: Type.Array(CurvePointSchema),
  /** The flow's write of this setpoint, once made. */
  write: Nullable(SetpointWriteSchema),
});
export type RunSetpoint = Static<typeof RunSetpointSchema>;

export const RunSummarySchema = Type.Object({
  id: Uuid,
  siteAssetId: Uuid,
  status: RunStatusSchema,
  gasAvailableSm3PerDay: Type.Number(),
  gasSource: Type.Union([Type.Literal("request"), Type.Literal("compressor")]),
  expectedOilM3PerDay: Type.Number(),
  expectedOilGainM3PerDay: Type.Number(),
  /** Oil the last Sm3 of lift gas brings (m3 oil per Sm3 gas) at the optimum; null when the solver gives none, and in a net-value run (see netValue). */
  marginalOilM3PerSm3: Nullable(Type.Number()),
  /** What the allocation maximised (runs made before objectives were offered: oil). */
  objective: RunObjectiveSchema,
  /** net_value runs: the prices and the gain and marginal value in money; null for oil. */
  netValue: Nullable(RunNetValueSchema),
  createdBy: Type.String(),
  createdAt: Instant,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  reason: Nullable(Type.String()),
  writesStartedAt: Nullable(Instant),
  writesFinishedAt: Nullable(Instant),
  rowVersion: Type.Integer(),
});
export type RunSummary = Static<typeof RunSummarySchema>;
export const RunListSchema = Type.Array(RunSummarySchema);

export const RunSchema = Type.Composite([RunSummarySchema, Type.Object({ setpoints: Type.Array(RunSetpointSchema) })]);
export type Run = Static<typeof RunSchema>;
