import { Type, type Static, type TSchema } from "@sinclair/typebox";

/*
 * The inflow performance (IPR) contract: static pressure surveys, multi-rate
 * tests and POST /reservoir/ipr. One schema types the service, validates API
 * bodies and node messages, and documents the OpenAPI (docs/reservoir-ipr.md).
 *
 * Pressures are GAUGE kPa (above the atmosphere), like every well pressure
 * Petroflow stores (production: tubing, casing, bottomhole). The IPR converts
 * them to absolute (+ 101.325 kPa) for its equations and answers in gauge.
 * Rates are oil m3/d at stock-tank conditions.
 */

const Uuid = Type.String({ format: "uuid" });
const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Notes = Type.String({ maxLength: 2000, default: "" });
const GaugePressure = (description: string) => Type.Number({ minimum: 0, maximum: 200_000, description });
const PositivePressure = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 200_000, description });
const RowVersion = Type.Integer({ minimum: 1, description: "the version you read (409 stale if it changed since)" });
const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

const Stored = {
  id: Uuid,
  wellId: Uuid,
  notes: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
};

// --- static pressure surveys ----------------------------------------------

export const SURVEY_METHODS = ["buildup", "static_gradient", "permanent_gauge", "other"] as const;
export type SurveyMethod = (typeof SURVEY_METHODS)[number];
export const SurveyMethodSchema = Type.Union(SURVEY_METHODS.map((method) => Type.Literal(method)));

const SurveyFields = {
  /** The day the static pressure applies to (build-up end, gradient run). */
  surveyedOn: Day,
  reservoirPressureKpa: PositivePressure("average reservoir (static) pressure, gauge kPa at the datum"),
  /** The reservoir fluid's bubble point at the time, when known (the composite IPR needs it). */
  bubblePointKpa: Type.Optional(PositivePressure("bubble point pressure, gauge kPa")),
  datumDepthM: Type.Optional(Type.Number({ minimum: 0, maximum: 15_000, description: "datum depth the pressure refers to, m" })),
  method: SurveyMethodSchema,
  notes: Notes,
};

export const PressureSurveyInputSchema = Type.Object({ wellId: Uuid, ...SurveyFields }, { additionalProperties: false });
export type PressureSurveyInput = Static<typeof PressureSurveyInputSchema>;

/** A change replaces every field but the well; absent optional fields become null. */
export const PressureSurveyUpdateSchema = Type.Object({ rowVersion: RowVersion, ...SurveyFields }, { additionalProperties: false });
export type PressureSurveyUpdate = Static<typeof PressureSurveyUpdateSchema>;

export const PressureSurveySchema = Type.Object({
  ...Stored,
  surveyedOn: Day,
  reservoirPressureKpa: Type.Number(),
  bubblePointKpa: Nullable(Type.Number()),
  datumDepthM: Nullable(Type.Number()),
  method: SurveyMethodSchema,
});
export type PressureSurvey = Static<typeof PressureSurveySchema>;

export const PressureSurveyQuerySchema = Type.Object(
  { wellId: Type.Optional(Uuid), from: Type.Optional(Day), to: Type.Optional(Day), ...Paging },
  { additionalProperties: false },
);
export type PressureSurveyQuery = Static<typeof PressureSurveyQuerySchema>;

// --- multi-rate tests -----------------------------------------------------

/**
 * One point of a multi-rate test: a production well test of the same well
 * (its oil rate and bottomhole pressure are taken), or a rate and a pressure
 * entered directly; not both.
 */
export const MultiRatePointInputSchema = Type.Object(
  {
    wellTestId: Type.Optional(Uuid),
    rateM3PerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    flowingPressureKpa: Type.Optional(GaugePressure("bottomhole flowing pressure, gauge kPa")),
  },
  { additionalProperties: false },
);
export type MultiRatePointInput = Static<typeof MultiRatePointInputSchema>;

const MultiRateFields = {
  testedOn: Day,
  /** The reservoir pressure during the test; absent: the latest survey on or before testedOn. */
  reservoirPressureKpa: Type.Optional(PositivePressure("static reservoir pressure during the test, gauge kPa")),
  points: Type.Array(MultiRatePointInputSchema, { minItems: 2, maxItems: 20 }),
  notes: Notes,
};

export const MultiRateTestInputSchema = Type.Object({ wellId: Uuid, ...MultiRateFields }, { additionalProperties: false });
export type MultiRateTestInput = Static<typeof MultiRateTestInputSchema>;

export const MultiRateTestUpdateSchema = Type.Object({ rowVersion: RowVersion, ...MultiRateFields }, { additionalProperties: false });
export type MultiRateTestUpdate = Static<typeof MultiRateTestUpdateSchema>;

export const MultiRatePointSchema = Type.Object({
  wellTestId: Nullable(Uuid),
  rateM3PerDay: Type.Number(),
  flowingPressureKpa: Type.Number(),
});
export type MultiRatePoint = Static<typeof MultiRatePointSchema>;

export const MultiRateTestSchema = Type.Object({
  ...Stored,
  testedOn: Day,
  reservoirPressureKpa: Nullable(Type.Number()),
  points: Type.Array(MultiRatePointSchema),
});
export type MultiRateTest = Static<typeof MultiRateTestSchema>;

export const MultiRateTestQuerySchema = Type.Object({ wellId: Type.Optional(Uuid), ...Paging }, { additionalProperties: false });
export type MultiRateTestQuery = Static<typeof MultiRateTestQuerySchema>;

export const RowVersionBodySchema = Type.Object({ rowVersion: RowVersion }, { additionalProperties: false });
export type RowVersionBody = Static<typeof RowVersionBodySchema>;

// --- POST /reservoir/ipr --------------------------------------------------

export const IPR_METHODS = ["vogel", "fetkovich", "composite"] as const;
export const IprMethodSchema = Type.Union(IPR_METHODS.map((method) => Type.Literal(method)));

export const IprTestPointInputSchema = Type.Object(
  {
    rateM3PerDay: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    flowingPressureKpa: GaugePressure("bottomhole flowing pressure, gauge kPa"),
  },
  { additionalProperties: false },
);

/**
 * What the IPR is built from: explicit values, stored references, or both
 * (an explicit value wins over the stored one, e.g. a reservoir pressure to
 * try on a stored test).
 * - vogel, composite: one test (testRateM3PerDay + testPressureKpa, or wellTestId);
 * - fetkovich: points (explicit, or multiRateTestId);
 * - every method: a reservoir pressure (explicit, the multi-rate test's, or the
 *   latest survey of the well on or before the test's day);
 * - composite: a bubble point (explicit, or the survey's).
 */
export const IprRequestSchema = Type.Object(
  {
    method: IprMethodSchema,
    wellId: Type.Optional(Uuid),
    wellTestId: Type.Optional(Uuid),
    multiRateTestId: Type.Optional(Uuid),
    reservoirPressureKpa: Type.Optional(PositivePressure("static reservoir pressure, gauge kPa")),
    bubblePointKpa: Type.Optional(PositivePressure("bubble point pressure, gauge kPa")),
    testRateM3PerDay: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    testPressureKpa: Type.Optional(GaugePressure("the test's bottomhole flowing pressure, gauge kPa")),
    points: Type.Optional(Type.Array(IprTestPointInputSchema, { minItems: 2, maxItems: 20 })),
    /** Answer the rate at this flowing pressure (gauge kPa). */
    atPressureKpa: Type.Optional(GaugePressure("flowing pressure to answer the rate at, gauge kPa")),
    /** Answer the flowing pressure that gives this rate. */
    targetRateM3PerDay: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
    /** Pressure steps of the curve (Pr down to 0 kPa gauge). */
    curveSteps: Type.Integer({ minimum: 2, maximum: 200, default: 40 }),
  },
  { additionalProperties: false },
);
export type IprRequest = Static<typeof IprRequestSchema>;

const CurvePoint = Type.Object({ flowingPressureKpa: Type.Number(), rateM3PerDay: Type.Number() });

export const IprResultSchema = Type.Object({
  method: IprMethodSchema,
  /** Pressures in this answer: gauge kPa; the equations ran on absolute ones (gauge + atmosphericPressureKpa). */
  pressureBasis: Type.Literal("gauge"),
  atmosphericPressureKpa: Type.Number(),
  wellId: Nullable(Uuid),
  reservoirPressureKpa: Type.Number(),
  /** Where the reservoir pressure came from: the request, a multi-rate test, or a survey. */
  reservoirPressureSource: Type.Union([Type.Literal("input"), Type.Literal("multirate_test"), Type.Literal("survey")]),
  surveyId: Nullable(Uuid),
  surveyedOn: Nullable(Day),
  bubblePointKpa: Nullable(Type.Number()),
  /** The test point(s) the curve goes through (gauge kPa, m3/d). */
  testPoints: Type.Array(Type.Object({ rateM3PerDay: Type.Number(), flowingPressureKpa: Type.Number(), wellTestId: Nullable(Uuid) })),
  /** Absolute open flow: the rate against atmospheric pressure at the sandface (0 kPa gauge). */
  aofM3PerDay: Type.Number(),
  /** Composite: J above the bubble point, m3/d per kPa. Vogel: the J of the curve's start, 1.8 qmax / Pr. */
  productivityIndexM3PerDayPerKpa: Nullable(Type.Number()),
  /** Fetkovich: q = c (Pr² − Pwf²)^n with absolute kPa; c in m3/d per kPa^(2n). */
  fetkovich: Nullable(Type.Object({ c: Type.Number(), n: Type.Number(), rSquared: Type.Number() })),
  rateAtPressure: Nullable(CurvePoint),
  pressureForRate: Nullable(CurvePoint),
  /** From Pr down to 0 kPa gauge, falling pressure, rising rate. */
  curve: Type.Array(CurvePoint),
});
export type IprResult = Static<typeof IprResultSchema>;
