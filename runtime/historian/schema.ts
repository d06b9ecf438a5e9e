import { Type, type Static } from "@sinclair/typebox";
import { TAG_PATH_PATTERN } from "../tags/tag-path.js";

/** The wire contract of GET /api/v1/history, shared by the server and the web app. */

const Scalar = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]);
const Quality = Type.Union([Type.Literal("good"), Type.Literal("uncertain"), Type.Literal("bad")]);

export const HistoryModeSchema = Type.Union([Type.Literal("raw"), Type.Literal("buckets"), Type.Literal("interpolated"), Type.Literal("discrete")]);
export type HistoryMode = Static<typeof HistoryModeSchema>;

export const HistoryQuerySchema = Type.Object(
  {
    /** One tag path, or several separated by commas (a trend of several pens). */
    paths: Type.String({ minLength: 1, maxLength: 4000, description: "tag paths separated by commas" }),
    from: Type.String({ format: "date-time" }),
    to: Type.String({ format: "date-time" }),
    mode: HistoryModeSchema,
    /** buckets: the bucket length; or give `points` and the server picks a bucket length that yields at most that many. */
    bucketMs: Type.Optional(Type.Integer({ minimum: 1000 })),
    points: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    /** raw: the most rows per tag (answer says if it was cut). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    /** interpolated: the step between the times asked for, from `from` to `to`. */
    stepMs: Type.Optional(Type.Integer({ minimum: 1000 })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuerySchema>;

export const HistoryPointSchema = Type.Object({ t: Type.Number(), v: Scalar, q: Quality }, { additionalProperties: false });

export const HistoryBucketSchema = Type.Object(
  {
    t: Type.Number({ description: "bucket start, epoch ms" }),
    count: Type.Integer({ minimum: 0 }),
    min: Type.Union([Type.Number(), Type.Null()]),
    max: Type.Union([Type.Number(), Type.Null()]),
    avg: Type.Union([Type.Number(), Type.Null()]),
    twa: Type.Union([Type.Number(), Type.Null()], { description: "time-weighted average" }),
    first: Type.Union([Type.Number(), Type.Null()]),
    last: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const DiscreteSummarySchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    durationMsByState: Type.Record(Type.String(), Type.Number()),
    transitions: Type.Integer({ minimum: 0 }),
    transitionsIntoState: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    knownDurationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const HistorySeriesSchema = Type.Object(
  {
    path: Type.String({ pattern: TAG_PATH_PATTERN }),
    /** Canonical SI unit of the values (the web app converts to the site's units). */
    unit: Type.String(),
    dataType: Type.Union([Type.Literal("float"), Type.Literal("int"), Type.Literal("bool"), Type.Literal("string")]),
    source: Type.Union([Type.Literal("raw"), Type.Literal("rollup_1m"), Type.Literal("rollup_1h")]),
    /** raw: true when `limit` cut the rows. */
    truncated: Type.Boolean(),
    points: Type.Optional(Type.Array(HistoryPointSchema)),
    bucketMs: Type.Optional(Type.Integer()),
    buckets: Type.Optional(Type.Array(HistoryBucketSchema)),
    discrete: Type.Optional(DiscreteSummarySchema),
  },
  { additionalProperties: false },
);
export type HistorySeries = Static<typeof HistorySeriesSchema>;

export const HistoryResponseSchema = Type.Object({ series: Type.Array(HistorySeriesSchema) }, { additionalProperties: false });
export type HistoryResponse = Static<typeof HistoryResponseSchema>;
