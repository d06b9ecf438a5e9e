import { Type, type Static } from "@sinclair/typebox";
import { Day } from "./history-schema.js";

/*
 * A well's rate series as the API sees it (docs/reservoir-data.md "Rate series").
 */

export const FluidSchema = Type.Union([Type.Literal("oil"), Type.Literal("gas"), Type.Literal("water")]);
export type ReservoirFluid = Static<typeof FluidSchema>;

/** allocated: the production module's current allocation; history: imported history; tag: a rate tag's history (daily averages). */
export const RateSourceSchema = Type.Union([Type.Literal("allocated"), Type.Literal("history"), Type.Literal("tag")]);
export type RateSource = Static<typeof RateSourceSchema>;

export const RateIntervalSchema = Type.Union([Type.Literal("daily"), Type.Literal("monthly")]);

export const RateQuerySchema = Type.Object(
  {
    fluid: FluidSchema,
    source: RateSourceSchema,
    interval: Type.Optional(RateIntervalSchema),
    /** Default: two years before `to` (allocated, tag); all of it (history). */
    from: Type.Optional(Day),
    /** Default: today (UTC). */
    to: Type.Optional(Day),
    /** source=tag: the rate tag; default <site>/<well code>/OIL_RATE (GAS_RATE, WATER_RATE). */
    tagPath: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type RateQuery = Static<typeof RateQuerySchema>;

export const RateFlagSchema = Type.Union([Type.Literal("shutIn"), Type.Literal("test"), Type.Literal("noVolume")], {
  description: "shutIn: no uptime (downtime all period); test: a well-test day; noVolume: nothing reported",
});

export const RatePointSchema = Type.Object({
  date: Day,
  periodDays: Type.Number(),
  volume: Type.Union([Type.Number(), Type.Null()]),
  daysOn: Type.Union([Type.Number(), Type.Null()]),
  /** Per producing day, in `unit`. */
  rate: Type.Union([Type.Number(), Type.Null()]),
  flags: Type.Array(RateFlagSchema),
  /** A fit leaves the point out (it has a flag). */
  excluded: Type.Boolean(),
});

export const RateSeriesSchema = Type.Object({
  wellId: Type.String({ format: "uuid" }),
  wellCode: Type.String(),
  fluid: FluidSchema,
  source: RateSourceSchema,
  interval: RateIntervalSchema,
  from: Type.Union([Day, Type.Null()]),
  to: Day,
  /** m3/d (oil, water) or Sm3/d (gas). */
  unit: Type.String(),
  tagPath: Type.Union([Type.String(), Type.Null()]),
  points: Type.Array(RatePointSchema),
});
export type RateSeries = Static<typeof RateSeriesSchema>;
