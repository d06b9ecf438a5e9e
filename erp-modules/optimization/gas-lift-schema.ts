import { Type, type Static, type TSchema } from "@sinclair/typebox";

/*
 * The gas-lift allocation contract (issue 11): what POST
 * /api/v1/optimization/gas-lift, the gaslift-optimize node and
 * GasLiftService.optimize accept and answer, and what
 * GasLiftService.curvesForSite builds. Stateless: the curves travel in the
 * request. Canonical SI units, named in the field (Sm3/d of lift gas, m3/d of
 * liquid). Fields are only ever added to these schemas, never changed or
 * removed: the closed-loop work (stored runs, approval, setpoint writes)
 * stores and replays them.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Upper bounds keep a typo (an extra three zeros) from reaching the solver as a plausible number. */
const MAX_INJECTION_SM3_PER_DAY = 10_000_000;
const MAX_LIQUID_M3_PER_DAY = 100_000;
const NonNegativeInjection = Type.Number({ minimum: 0, maximum: MAX_INJECTION_SM3_PER_DAY });
const NonNegativeLiquid = Type.Number({ minimum: 0, maximum: MAX_LIQUID_M3_PER_DAY });

/** At most this many wells and points per curve: 500 × 100 is a 50 000-segment model, still sub-second. */
export const GAS_LIFT_MAX_WELLS = 500;
export const GAS_LIFT_MAX_CURVE_POINTS = 100;

/** One point of a gas-lift performance curve: the rates the well makes at this injection. */
export const GasLiftCurvePointSchema = Type.Object(
  {
    injectionSm3PerDay: NonNegativeInjection,
    oilM3PerDay: NonNegativeLiquid,
    /** Water at this injection; liquid = oil + water. Costs water handling in a net-value objective. */
    waterM3PerDay: NonNegativeLiquid,
  },
  { additionalProperties: false },
);
export type GasLiftCurvePoint = Static<typeof GasLiftCurvePointSchema>;

/**
 * A well's gas-lift performance curve: points with strictly increasing
 * injection, at least 1 Sm3/d apart (a 400 names the first point that is
 * not), linear between them.
 * The solver does not extrapolate: the last point's injection caps the well.
 */
export const GasLiftCurveSchema = Type.Array(GasLiftCurvePointSchema, { minItems: 2, maxItems: GAS_LIFT_MAX_CURVE_POINTS });
export type GasLiftCurve = Static<typeof GasLiftCurveSchema>;

export const GasLiftWellInputSchema = Type.Object(
  {
    /** The well's asset id when it is one of the site's wells; any label otherwise (a study). Unique in the request. */
    wellId: Type.String({ minLength: 1, maxLength: 100 }),
    curve: GasLiftCurveSchema,
    /** Lift gas the well gets now: the gain is measured against it (read on its curve). */
    currentInjectionSm3PerDay: NonNegativeInjection,
    /** Least injection that keeps the well lifting stably (valve throughput, heading). Default 0. */
    minInjectionSm3PerDay: Type.Optional(NonNegativeInjection),
    /** Most the well may take (valve, line); default and cap: the curve's last injection. */
    maxInjectionSm3PerDay: Type.Optional(NonNegativeInjection),
    /**
     * When the well's minimum is above 0: may the optimiser give it no gas at all
     * (the well then makes its 0-injection rate)? Default true. A well that may
     * be at 0 or within [min, max] needs a binary, so the model becomes a MILP.
     */
    allowZeroInjection: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GasLiftWellInput = Static<typeof GasLiftWellInputSchema>;

export const GAS_LIFT_OBJECTIVES = ["oil", "net_value"] as const;
export type GasLiftObjective = (typeof GAS_LIFT_OBJECTIVES)[number];

/** Prices for the net-value objective: value per day = oil × oilPrice − lift gas × gasCost − water × waterCost. */
export const GasLiftPricesSchema = Type.Object(
  {
    /** ISO 4217 code; the result's money is in it. */
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    oilPricePerM3: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    /** Cost of one Sm3 of lift gas injected (compression, fuel, or the gas's sales value forgone). */
    liftGasCostPerSm3: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    waterHandlingCostPerM3: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type GasLiftPrices = Static<typeof GasLiftPricesSchema>;

export const GAS_LIFT_METHODS = ["auto", "lp", "milp"] as const;
export type GasLiftMethodChoice = (typeof GAS_LIFT_METHODS)[number];

export const GasLiftSolverOptionsSchema = Type.Object(
  {
    /**
     * auto (default): the LP when every curve is concave and no well needs an
     * on/off choice, the MILP otherwise. lp: always the LP, on each curve's
     * concave envelope (fast; may be suboptimal on non-concave curves, the
     * result says so). milp: always the exact MILP.
     */
    method: Type.Optional(Type.Union(GAS_LIFT_METHODS.map((method) => Type.Literal(method)))),
    /** Wall-clock limit for the solver; default 10 s. The call fails with a timeout a little after it. */
    timeLimitSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 300 })),
    /** MILP: stop when the relative gap is at most this; default 1e-4. */
    mipRelativeGap: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** MILP: the extra gas of the re-solve that measures the marginal value; default 1000 Sm3/d. */
    marginalDeltaSm3PerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type GasLiftSolverOptions = Static<typeof GasLiftSolverOptionsSchema>;

export const GasLiftOptimizationRequestSchema = Type.Object(
  {
    /** oil (default): maximise oil. net_value: maximise oil value − lift gas cost − water handling cost (needs prices). */
    objective: Type.Optional(Type.Union(GAS_LIFT_OBJECTIVES.map((objective) => Type.Literal(objective)))),
    prices: Type.Optional(GasLiftPricesSchema),
    /** Lift gas available to share out (the gas the plant can spare for lift). */
    availableGasSm3PerDay: NonNegativeInjection,
    /** The compressor's capacity; the usable gas is the smaller of the two. Default: no separate limit. */
    compressorCapacitySm3PerDay: Type.Optional(NonNegativeInjection),
    wells: Type.Array(GasLiftWellInputSchema, { minItems: 1, maxItems: GAS_LIFT_MAX_WELLS }),
    solver: Type.Optional(GasLiftSolverOptionsSchema),
  },
  { additionalProperties: false },
);
export type GasLiftOptimizationRequest = Static<typeof GasLiftOptimizationRequestSchema>;

export const GAS_LIFT_STATUSES = ["optimal", "time_limit", "infeasible"] as const;
export type GasLiftStatus = (typeof GAS_LIFT_STATUSES)[number];

export const GasLiftWellResultSchema = Type.Object({
  wellId: Type.String(),
  /** The recommended injection. */
  injectionSm3PerDay: Type.Number(),
  /** Rates the well's curve gives at the recommended injection (linear between points). */
  oilM3PerDay: Type.Number(),
  waterM3PerDay: Type.Number(),
  currentInjectionSm3PerDay: Type.Number(),
  currentOilM3PerDay: Type.Number(),
  currentWaterM3PerDay: Type.Number(),
  /** The curve the objective reads (oil, or oil value − water cost) is concave: each segment's slope no steeper than the one before. */
  concave: Type.Boolean(),
  /** The well's minimum could not be afforded and it was left at 0 (allowZeroInjection). */
  leftAtZero: Type.Boolean(),
});
export type GasLiftWellResult = Static<typeof GasLiftWellResultSchema>;

const TotalsSchema = Type.Object({
  injectionSm3PerDay: Type.Number(),
  oilM3PerDay: Type.Number(),
  waterM3PerDay: Type.Number(),
  /** The objective's value per day: m3/d of oil, or money per day in prices.currency. */
  objectiveValue: Type.Number(),
});

export const GasLiftOptimizationResultSchema = Type.Object({
  status: Type.Union(GAS_LIFT_STATUSES.map((status) => Type.Literal(status))),
  /** HiGHS's own status text (Optimal, Time limit reached, Infeasible...). */
  solverStatus: Type.String(),
  /** lp: piecewise-linear LP on incremental segments; milp: segments with binaries (exact on any curve). */
  method: Type.Union([Type.Literal("lp"), Type.Literal("milp")]),
  /** Why that method: every curve concave, or which well is non-concave or needs an on/off choice, or what the request forced. */
  methodReason: Type.String(),
  objective: Type.Union(GAS_LIFT_OBJECTIVES.map((objective) => Type.Literal(objective))),
  /** prices.currency for net_value; null for oil. */
  currency: Nullable(Type.String()),
  /** The gas the allocation may use: min(available, compressor capacity). */
  gasLimitSm3PerDay: Type.Number(),
  /** Which limit is the smaller (and so the binding one when all gas is used). */
  gasLimitBy: Type.Union([Type.Literal("available_gas"), Type.Literal("compressor")]),
  wells: Type.Array(GasLiftWellResultSchema),
  recommended: TotalsSchema,
  current: TotalsSchema,
  /** recommended − current: oil m3/d and the objective's value per day. */
  expectedGain: Type.Object({ oilM3PerDay: Type.Number(), objectiveValue: Type.Number() }),
  /**
   * What one more Sm3/d of lift gas is worth, in objective units per Sm3/d
   * (m3/d of oil, or money per day, per Sm3/d). lp_dual: the gas row's dual
   * of the LP. milp_resolve: (objective with gasLimit + delta − objective) / delta,
   * a second MILP solve. Null when infeasible, or when the re-solve found no
   * allocation within its time limit.
   */
  marginalValue: Nullable(
    Type.Object({
      perSm3PerDay: Type.Number(),
      per1000Sm3PerDay: Type.Number(),
      method: Type.Union([Type.Literal("lp_dual"), Type.Literal("milp_resolve")]),
      /** milp_resolve: the extra gas of the re-solve; null for lp_dual. */
      deltaSm3PerDay: Nullable(Type.Number()),
    }),
  ),
  /** Wall-clock time in the solver worker (model build + HiGHS, both solves for a MILP). */
  solveTimeMs: Type.Number(),
  /** MILP relative gap at the end (0 when proved optimal); null for an LP, and for a time limit reached before any allocation (status time_limit, wells at their current injection). */
  mipGap: Nullable(Type.Number()),
  /** The HiGHS version that solved it. */
  solver: Type.String(),
});
export type GasLiftOptimizationResult = Static<typeof GasLiftOptimizationResultSchema>;

// ---- curves built from the site's data (GasLiftService.curvesForSite) ------------

export const GAS_LIFT_CURVE_SOURCES = ["well_tests", "simulator"] as const;
export type GasLiftCurveSource = (typeof GAS_LIFT_CURVE_SOURCES)[number];

export const GasLiftCurvesQuerySchema = Type.Object(
  {
    siteAssetId: Uuid,
    /** well_tests (default): fit each gas-lift well's approved tests. simulator: read the simulator's curve function (demo sites). */
    source: Type.Optional(Type.Union(GAS_LIFT_CURVE_SOURCES.map((source) => Type.Literal(source)))),
    /** Points per resampled curve; default 20. */
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: GAS_LIFT_MAX_CURVE_POINTS })),
    /** simulator: the simulator's seed (default 1, the demo's). */
    simulatorSeed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);
export type GasLiftCurvesQuery = Static<typeof GasLiftCurvesQuerySchema>;

/** The fitted model: q(g) = a + b·ln(1 + g/c) − d·g (docs/optimization-gas-lift.md "Curve model"). */
export const GasLiftCurveFitSchema = Type.Object({
  aM3PerDay: Type.Number(),
  bM3PerDay: Type.Number(),
  cSm3PerDay: Type.Number(),
  dM3PerSm3: Type.Number(),
  /** Root-mean-square residual of the fit to the tests, m3/d. */
  rmsM3PerDay: Type.Number(),
});
export type GasLiftCurveFit = Static<typeof GasLiftCurveFitSchema>;

export const GasLiftSiteWellSchema = Type.Object({
  wellId: Uuid,
  code: Type.String(),
  name: Type.String(),
  /** Null when the well could not get a curve (see problem). */
  curve: Nullable(GasLiftCurveSchema),
  concave: Nullable(Type.Boolean()),
  /** Injection of the latest test (well_tests) or of the simulator's setpoint; null when unknown. */
  currentInjectionSm3PerDay: Nullable(Type.Number()),
  /** Approved tests with a lift-gas injection that the fit used (well_tests). */
  testIds: Type.Array(Uuid),
  latestTestAt: Nullable(Instant),
  oilFit: Nullable(GasLiftCurveFitSchema),
  waterFit: Nullable(GasLiftCurveFitSchema),
  /** Why there is no curve: too_few_tests (fewer than 3 distinct injections), not_in_simulator. */
  problem: Nullable(Type.String()),
});
export type GasLiftSiteWell = Static<typeof GasLiftSiteWellSchema>;

export const GasLiftSiteCurvesSchema = Type.Object({
  siteAssetId: Uuid,
  source: Type.Union(GAS_LIFT_CURVE_SOURCES.map((source) => Type.Literal(source))),
  wells: Type.Array(GasLiftSiteWellSchema),
});
export type GasLiftSiteCurves = Static<typeof GasLiftSiteCurvesSchema>;
