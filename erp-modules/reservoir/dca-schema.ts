import { Type, type Static, type TSchema } from "@sinclair/typebox";

/*
 * Decline-curve analysis (DCA) on the wire: shared by the stateless API
 * (dca-routes.ts), the service (dca-service.ts), the Node-RED nodes
 * (nodes/reservoir/dca-*) and the web app. docs/reservoir-dca.md explains the
 * models and the conventions.
 *
 * Units: rates are in whatever volume unit per day the caller uses (m3/d,
 * Sm3/d, bbl/d...), and every volume it gets back is in that same unit
 * (rate unit x day), hence the names `...PerDay` and `...Volume` without a
 * volume unit. Time is in days (`timeDays`), counted from the curve's start
 * (t = 0, where the rate is initialRatePerDay). Declines are NOMINAL
 * (instantaneous, D = -dq/dt / q) per year unless the name says otherwise;
 * a year is `daysPerYear` days (365.25 unless given).
 *
 * This contract only grows: fields are added, never renamed or removed.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The Arps family. modifiedHyperbolic: hyperbolic until its decline falls to the terminal decline, exponential after. */
export const DCA_MODELS = ["exponential", "hyperbolic", "harmonic", "modifiedHyperbolic"] as const;
export const DcaModelSchema = Type.Union(
  DCA_MODELS.map((model) => Type.Literal(model)),
  { description: "exponential (b = 0), hyperbolic (0 < b), harmonic (b = 1), modifiedHyperbolic (hyperbolic switching to exponential at the terminal decline)" },
);
export type DcaModel = Static<typeof DcaModelSchema>;

/** Largest b the engine accepts anywhere (a fit's bounds, a forecast's parameters). */
export const MAX_B_EXPONENT = 5;
/** Days per year when a request does not say. */
export const DEFAULT_DAYS_PER_YEAR = 365.25;
/** Default bounds of a fitted b. */
export const DEFAULT_B_BOUNDS = { min: 0, max: 2 } as const;
/** Robust outlier rule: |modified z| of the log residual above this is an outlier (Iglewicz & Hoaglin 1993). */
export const DEFAULT_OUTLIER_THRESHOLD = 3.5;
/** Fewest usable points a fit needs. */
export const MIN_FIT_POINTS = 3;
/** Most points a forecast returns. */
export const MAX_FORECAST_POINTS = 20_000;
/** Most points a fit takes, and a type curve in all its wells. */
export const MAX_SERIES_POINTS = 20_000;
/** Longest horizon or time limit, in days (200 years). */
export const MAX_HORIZON_DAYS = 73_050;

const DaysPerYear = Type.Number({
  minimum: 360,
  maximum: 366,
  default: DEFAULT_DAYS_PER_YEAR,
  description: "Days in the year the per-year declines refer to (365.25 unless given)",
});

/**
 * One Arps curve. initialDeclineNominalPerYear is Di (nominal, per year) at
 * t = 0. bExponent: 0 for exponential, 1 for harmonic (given or not, those two
 * models use their own b), required for hyperbolic and modifiedHyperbolic; b > 1
 * is allowed and flagged (its EUR depends on the economic limit).
 * terminalDeclineNominalPerYear is required for modifiedHyperbolic only and
 * must be below the initial decline.
 */
export const DcaParametersSchema = Type.Object(
  {
    model: DcaModelSchema,
    initialRatePerDay: Type.Number({ exclusiveMinimum: 0 }),
    initialDeclineNominalPerYear: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }),
    bExponent: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_B_EXPONENT })),
    terminalDeclineNominalPerYear: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })),
  },
  { additionalProperties: false },
);
export type DcaParameters = Static<typeof DcaParametersSchema>;

/** One decline in the three conventions (docs/reservoir-dca.md "Decline conventions"); fractions per year. */
export const DeclineConventionsSchema = Type.Object({
  nominalPerYear: Type.Number(),
  /** 1 - exp(-D): the tangent effective decline (SPEE). */
  tangentEffectivePerYear: Type.Number(),
  /** 1 - (1 + b D)^(-1/b) (1 - exp(-D) at b = 0): the drop over the first year (SPEE secant effective). */
  secantEffectivePerYear: Type.Number(),
});
export type DeclineConventions = Static<typeof DeclineConventionsSchema>;

/**
 * Why a result deserves a look. b_above_one: b > 1, EUR depends on the
 * economic limit. eur_unbounded: b >= 1 without an economic or time limit, so
 * no EUR (null). economic_limit_not_reached: the limit rate is not reached
 * within the horizon. initial_rate_below_economic_limit: the curve starts at
 * or below the limit (EUR 0). b_at_lower_bound / b_at_upper_bound: a fit's b
 * ended on a bound. fit_not_converged: the fitter stopped at its iteration cap.
 * outliers_excluded: the robust rule excluded points (listed).
 */
export const DCA_FLAGS = [
  "b_above_one",
  "eur_unbounded",
  "economic_limit_not_reached",
  "initial_rate_below_economic_limit",
  "b_at_lower_bound",
  "b_at_upper_bound",
  "fit_not_converged",
  "outliers_excluded",
] as const;
export const DcaFlagSchema = Type.Union(DCA_FLAGS.map((flag) => Type.Literal(flag)));
export type DcaFlag = Static<typeof DcaFlagSchema>;

// ---------------------------------------------------------------- forecast

export const DcaForecastRequestSchema = Type.Object(
  {
    parameters: DcaParametersSchema,
    /** The series runs from t = 0 to this (inclusive, the last step may be shorter). */
    horizonDays: Type.Number({ exclusiveMinimum: 0, maximum: MAX_HORIZON_DAYS }),
    /** Spacing of the returned points; horizonDays / stepDays + 1 points, at most MAX_FORECAST_POINTS. */
    stepDays: Type.Number({ exclusiveMinimum: 0, maximum: MAX_HORIZON_DAYS }),
    /** The rate at which the well is abandoned: EUR stops there. */
    economicLimitRatePerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** EUR stops here if the economic limit is not reached earlier (whichever comes first). */
    timeLimitDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_HORIZON_DAYS })),
    /** Remaining reserves are EUR minus the cumulative to this time ("as of" date, days since t = 0). */
    asOfDays: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_HORIZON_DAYS })),
    daysPerYear: Type.Optional(DaysPerYear),
  },
  { additionalProperties: false },
);
export type DcaForecastRequest = Static<typeof DcaForecastRequestSchema>;

export const DcaForecastPointSchema = Type.Object({
  timeDays: Type.Number(),
  ratePerDay: Type.Number(),
  /** From t = 0 to timeDays. */
  cumulativeVolume: Type.Number(),
});
export type DcaForecastPoint = Static<typeof DcaForecastPointSchema>;

export const DcaForecastResultSchema = Type.Object({
  /** The curve, with bExponent filled in for every model (0 exponential, 1 harmonic). */
  parameters: DcaParametersSchema,
  daysPerYear: Type.Number(),
  initialDecline: DeclineConventionsSchema,
  /** modifiedHyperbolic only, else null. */
  terminalDecline: Nullable(DeclineConventionsSchema),
  /** modifiedHyperbolic: when the hyperbolic decline falls to the terminal decline (null if it never does, b = 0; or other models). */
  switchTimeDays: Nullable(Type.Number()),
  /** When the rate falls to economicLimitRatePerDay (null without a limit; 0 when the curve starts at or below it). */
  timeToEconomicLimitDays: Nullable(Type.Number()),
  /** Cumulative to the economic limit or timeLimitDays, whichever comes first; with neither, to infinity when finite, else null. */
  eurVolume: Nullable(Type.Number()),
  /** What ended the EUR. */
  eurLimitedBy: Type.Union([Type.Literal("economicLimit"), Type.Literal("timeLimit"), Type.Literal("none")]),
  /** The time the EUR is counted to (null when to infinity). */
  eurTimeDays: Nullable(Type.Number()),
  /** EUR minus the cumulative to asOfDays (0 past the EUR's end); null without asOfDays or without an EUR. */
  remainingVolume: Nullable(Type.Number()),
  points: Type.Array(DcaForecastPointSchema),
  flags: Type.Array(DcaFlagSchema),
});
export type DcaForecastResult = Static<typeof DcaForecastResultSchema>;

// ---------------------------------------------------------------- fit

/** A point the caller knows is not a normal producing day: excluded from fits and reported. */
export const DcaPointFlagSchema = Type.Union([Type.Literal("shutIn"), Type.Literal("test")]);
export type DcaPointFlag = Static<typeof DcaPointFlagSchema>;

export const DcaRatePointSchema = Type.Object(
  {
    /** Any origin (days since first production, since an epoch...); strictly increasing along the series. */
    timeDays: Type.Number({ minimum: -MAX_HORIZON_DAYS, maximum: MAX_HORIZON_DAYS }),
    ratePerDay: Type.Number({ minimum: 0 }),
    flag: Type.Optional(DcaPointFlagSchema),
  },
  { additionalProperties: false },
);
export type DcaRatePoint = Static<typeof DcaRatePointSchema>;

/**
 * Why a point did not take part in a fit. shutIn / test: the caller's flag.
 * nonPositiveRate: a zero rate has no logarithm (and is a shut-in in all but
 * name). beforeWindow: before the fit window (the last peak, or windowStartDays).
 * outlier: the robust rule (docs/reservoir-dca.md "Outliers").
 */
export const DcaExclusionReasonSchema = Type.Union([
  Type.Literal("shutIn"),
  Type.Literal("test"),
  Type.Literal("nonPositiveRate"),
  Type.Literal("beforeWindow"),
  Type.Literal("outlier"),
]);
export type DcaExclusionReason = Static<typeof DcaExclusionReasonSchema>;

export const DcaExcludedPointSchema = Type.Object({
  /** Position in the request's points. */
  index: Type.Integer({ minimum: 0 }),
  timeDays: Type.Number(),
  ratePerDay: Type.Number(),
  reason: DcaExclusionReasonSchema,
  /** outlier only: the modified z-score of its log residual. */
  robustZ: Type.Optional(Type.Number()),
});
export type DcaExcludedPoint = Static<typeof DcaExcludedPointSchema>;

export const DcaFitRequestSchema = Type.Object(
  {
    model: Type.Optional(Type.Union(DCA_MODELS.map((model) => Type.Literal(model)), { default: "hyperbolic" })),
    points: Type.Array(DcaRatePointSchema, { minItems: 1, maxItems: MAX_SERIES_POINTS }),
    /** The fit starts at the first usable point at or after this time; without it, at the last peak (latest point of highest rate). */
    windowStartDays: Type.Optional(Type.Number({ minimum: -MAX_HORIZON_DAYS, maximum: MAX_HORIZON_DAYS })),
    bMin: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_B_EXPONENT, default: DEFAULT_B_BOUNDS.min })),
    bMax: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_B_EXPONENT, default: DEFAULT_B_BOUNDS.max })),
    /** modifiedHyperbolic: the terminal decline is given, not fitted (required for that model). */
    terminalDeclineNominalPerYear: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })),
    /** Iterative robust rejection of outliers (on unless false). */
    rejectOutliers: Type.Optional(Type.Boolean({ default: true })),
    /** |modified z| above this is an outlier. */
    outlierThreshold: Type.Optional(Type.Number({ minimum: 2, maximum: 20, default: DEFAULT_OUTLIER_THRESHOLD })),
    daysPerYear: Type.Optional(DaysPerYear),
  },
  { additionalProperties: false },
);
export type DcaFitRequest = Static<typeof DcaFitRequestSchema>;

export const DcaGoodnessOfFitSchema = Type.Object({
  pointsUsed: Type.Integer(),
  /** Coefficient of determination of the rates (can be negative for a poor fit). */
  rSquaredRate: Type.Number(),
  rmseRatePerDay: Type.Number(),
  /** Of ln(rate): the space the fit minimises. */
  rSquaredLog: Type.Number(),
  rmseLog: Type.Number(),
});
export type DcaGoodnessOfFit = Static<typeof DcaGoodnessOfFitSchema>;

export const DcaFitResultSchema = Type.Object({
  /** t = 0 of the fitted curve is referenceTimeDays on the request's time axis. */
  parameters: DcaParametersSchema,
  referenceTimeDays: Type.Number(),
  daysPerYear: Type.Number(),
  initialDecline: DeclineConventionsSchema,
  goodness: DcaGoodnessOfFitSchema,
  /** Every point not used, with why; never silently dropped. */
  excluded: Type.Array(DcaExcludedPointSchema),
  flags: Type.Array(DcaFlagSchema),
  iterations: Type.Integer(),
});
export type DcaFitResult = Static<typeof DcaFitResultSchema>;

// ---------------------------------------------------------------- type curve

export const DcaTypeCurveWellSchema = Type.Object(
  {
    /** The caller's name for the well (a code, an id), echoed back. */
    label: Type.String({ minLength: 1, maxLength: 200 }),
    points: Type.Array(DcaRatePointSchema, { minItems: 1, maxItems: MAX_SERIES_POINTS }),
  },
  { additionalProperties: false },
);
export type DcaTypeCurveWell = Static<typeof DcaTypeCurveWellSchema>;

export const DcaTypeCurveRequestSchema = Type.Object(
  {
    wells: Type.Array(DcaTypeCurveWellSchema, { minItems: 2, maxItems: 2000 }),
    /** Width of a normalised-time bin (time since each well's peak); one month unless given. */
    binDays: Type.Optional(Type.Number({ minimum: 1, maximum: 3653, default: 30.4375 })),
    /** Bins end here (time since peak). */
    maxTimeSincePeakDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_HORIZON_DAYS })),
    /** A bin with fewer wells than this gets no percentiles (listed with wellCount, percentiles null). */
    minWellsPerBin: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 3 })),
    /** The model fitted to the P50 curve. */
    model: Type.Optional(Type.Union(DCA_MODELS.map((model) => Type.Literal(model)), { default: "hyperbolic" })),
    bMin: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_B_EXPONENT, default: DEFAULT_B_BOUNDS.min })),
    bMax: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_B_EXPONENT, default: DEFAULT_B_BOUNDS.max })),
    terminalDeclineNominalPerYear: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6 })),
    daysPerYear: Type.Optional(DaysPerYear),
  },
  { additionalProperties: false },
);
export type DcaTypeCurveRequest = Static<typeof DcaTypeCurveRequestSchema>;

/**
 * One bin of normalised time. Rates are fractions of each well's peak rate
 * (a well's points in a bin are averaged first, so each well counts once).
 * P10 is the HIGH case (exceeded by 10 % of wells: the 90th percentile of the
 * values), P90 the low case, as in SPE-PRMS. Percentiles interpolate linearly
 * between order statistics (Hyndman & Fan type 7).
 */
export const DcaTypeCurveBinSchema = Type.Object({
  timeSincePeakStartDays: Type.Number(),
  /** Bin centre: the time the percentiles stand for. */
  timeSincePeakDays: Type.Number(),
  wellCount: Type.Integer(),
  p10NormalisedRate: Nullable(Type.Number()),
  p50NormalisedRate: Nullable(Type.Number()),
  p90NormalisedRate: Nullable(Type.Number()),
  meanNormalisedRate: Nullable(Type.Number()),
});
export type DcaTypeCurveBin = Static<typeof DcaTypeCurveBinSchema>;

export const DcaTypeCurveWellSummarySchema = Type.Object({
  label: Type.String(),
  peakRatePerDay: Type.Number(),
  peakTimeDays: Type.Number(),
  pointsUsed: Type.Integer(),
  /** Shut-in, test and zero-rate points (and points before the peak), with why. */
  excluded: Type.Array(DcaExcludedPointSchema),
});
export type DcaTypeCurveWellSummary = Static<typeof DcaTypeCurveWellSummarySchema>;

export const DcaTypeCurveResultSchema = Type.Object({
  binDays: Type.Number(),
  bins: Type.Array(DcaTypeCurveBinSchema),
  wells: Type.Array(DcaTypeCurveWellSummarySchema),
  /**
   * Arps fitted to the P50 bins (normalised rate against bin centre, time
   * since peak: initialRatePerDay is a fraction of the peak rate at
   * referenceTimeDays, the first bin's centre); null when fewer than
   * MIN_FIT_POINTS bins have a P50.
   */
  p50Fit: Nullable(DcaFitResultSchema),
});
export type DcaTypeCurveResult = Static<typeof DcaTypeCurveResultSchema>;
