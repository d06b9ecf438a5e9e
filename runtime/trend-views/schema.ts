import { Type, type Static } from "@sinclair/typebox";
import { TAG_PATH_PATTERN } from "../tags/tag-path.js";

/** The wire contract of /api/v1/trend-views, shared by the server and the web app. */

/** The presets the Trends screen offers; a view keeps a preset as a window ending now. */
export const TREND_PRESETS = ["1h", "8h", "24h", "7d", "30d"] as const;
export type TrendPreset = (typeof TREND_PRESETS)[number];

/** At most this many pens on one chart: past it the lines cannot be told apart. */
export const MAX_TREND_PENS = 8;

export const TrendPenSchema = Type.Object(
  {
    path: Type.String({ pattern: TAG_PATH_PATTERN, description: "<site>/<asset>/<point>" }),
    /** Pens with the same axis number share a y axis; 0 is the first (left) one. */
    axis: Type.Integer({ minimum: 0, maximum: MAX_TREND_PENS - 1 }),
  },
  { additionalProperties: false },
);
export type TrendPen = Static<typeof TrendPenSchema>;

export const TrendRangeSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal("preset"), preset: Type.Union(TREND_PRESETS.map((preset) => Type.Literal(preset))) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal("absolute"), from: Type.String({ format: "date-time" }), to: Type.String({ format: "date-time" }) },
    { additionalProperties: false },
  ),
]);
export type TrendRange = Static<typeof TrendRangeSchema>;

const name = Type.String({ minLength: 1, maxLength: 100, pattern: "\\S", description: "unique on the site" });
const pens = Type.Array(TrendPenSchema, { minItems: 1, maxItems: MAX_TREND_PENS });

export const TrendViewCreateSchema = Type.Object({ name, pens, range: TrendRangeSchema }, { additionalProperties: false });
export type TrendViewCreate = Static<typeof TrendViewCreateSchema>;

export const TrendViewPatchSchema = Type.Object(
  {
    name: Type.Optional(name),
    pens: Type.Optional(pens),
    range: Type.Optional(TrendRangeSchema),
    /** The version read: 409 when someone saved the view since. */
    rowVersion: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type TrendViewPatch = Static<typeof TrendViewPatchSchema>;

export const TrendViewSchema = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    pens: Type.Array(TrendPenSchema),
    range: TrendRangeSchema,
    createdBy: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
    updatedBy: Type.String(),
    updatedAt: Type.String({ format: "date-time" }),
    rowVersion: Type.Integer(),
  },
  { additionalProperties: false },
);
export type TrendView = Static<typeof TrendViewSchema>;
