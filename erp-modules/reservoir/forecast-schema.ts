import { Type, type Static } from "@sinclair/typebox";
import { DcaFlagSchema, DcaParametersSchema } from "./dca-schema.js";
import { Day } from "./history-schema.js";
import { FluidSchema, RateIntervalSchema, RateSourceSchema } from "./rate-schema.js";

/*
 * Stored decline forecasts as the API sees them (docs/reservoir-data.md
 * "Forecasts"). Rates in m3/d (Sm3/d for gas), volumes in m3 (Sm3).
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });

export const ForecastExclusionReasonSchema = Type.Union(
  [Type.Literal("shutIn"), Type.Literal("test"), Type.Literal("noVolume"), Type.Literal("beforeWindow"), Type.Literal("outlier"), Type.Literal("manual")],
  {
    description:
      "shutIn, test, noVolume: the series' own flags (noVolume also for a zero rate); beforeWindow: before the curve's t = 0; outlier: the fit's robust rule; manual: the engineer left it out",
  },
);

export const ForecastCreateSchema = Type.Object(
  {
    fluid: FluidSchema,
    source: RateSourceSchema,
    interval: Type.Optional(RateIntervalSchema),
    tagPath: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** The fit window on the series (to defaults to today). */
    windowStart: Day,
    windowEnd: Type.Optional(Day),
    /** The curve as fitted or adjusted; t = 0 is referenceDate. */
    parameters: DcaParametersSchema,
    referenceDate: Day,
    daysPerYear: Type.Optional(Type.Number({ minimum: 360, maximum: 366 })),
    economicLimitRatePerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Points the fit or the engineer left out beyond the series' own flags. */
    excludedDates: Type.Optional(
      Type.Array(Type.Object({ date: Day, reason: Type.Union([Type.Literal("outlier"), Type.Literal("manual")]) }, { additionalProperties: false }), { maxItems: 20_000 }),
    ),
    /** Why this version: required. */
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type ForecastCreate = Static<typeof ForecastCreateSchema>;

export const ForecastGoodnessSchema = Type.Object({
  pointsUsed: Type.Integer(),
  rSquaredRate: Type.Number(),
  rmseRatePerDay: Type.Number(),
  rSquaredLog: Type.Number(),
  rmseLog: Type.Number(),
});

export const ForecastExcludedPointSchema = Type.Object({
  date: Day,
  rate: Type.Union([Type.Number(), Type.Null()]),
  reason: ForecastExclusionReasonSchema,
});

export const StoredForecastSchema = Type.Object({
  id: Uuid,
  wellId: Uuid,
  fluid: FluidSchema,
  version: Type.Integer(),
  parameters: DcaParametersSchema,
  referenceDate: Day,
  daysPerYear: Type.Number(),
  economicLimitRatePerDay: Type.Union([Type.Number(), Type.Null()]),
  source: RateSourceSchema,
  tagPath: Type.Union([Type.String(), Type.Null()]),
  interval: RateIntervalSchema,
  windowStart: Day,
  windowEnd: Day,
  /** Of these parameters over the window's included points, computed by the server when saved. */
  goodness: ForecastGoodnessSchema,
  excludedPoints: Type.Array(ForecastExcludedPointSchema),
  eurVolume: Type.Union([Type.Number(), Type.Null()]),
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Instant,
});
export type StoredForecast = Static<typeof StoredForecastSchema>;

export const ForecastListQuerySchema = Type.Object({ fluid: Type.Optional(FluidSchema) }, { additionalProperties: false });

export const ForecastParamsSchema = Type.Object({ wellId: Uuid, forecastId: Uuid });

export const ForecastGetQuerySchema = Type.Object(
  {
    /** How far the computed forecast runs past today (default 30 years). */
    horizonYears: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);

export const ComputedForecastSchema = Type.Object({
  /** Remaining reserves are counted from this day (today, UTC). */
  asOfDate: Day,
  points: Type.Array(Type.Object({ date: Day, timeDays: Type.Number(), ratePerDay: Type.Number(), cumulativeVolume: Type.Number() })),
  eurVolume: Type.Union([Type.Number(), Type.Null()]),
  remainingVolume: Type.Union([Type.Number(), Type.Null()]),
  /** The day the rate reaches the economic limit (null without a limit or beyond the horizon). */
  economicLimitDate: Type.Union([Day, Type.Null()]),
  flags: Type.Array(DcaFlagSchema),
});

export const ForecastDetailSchema = Type.Intersect([StoredForecastSchema, Type.Object({ forecast: ComputedForecastSchema })]);
export type ForecastDetail = Static<typeof ForecastDetailSchema>;
