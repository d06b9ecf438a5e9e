import { Type, type Static } from "@sinclair/typebox";
import { RoleSchema } from "../auth/schema.js";
import { TAG_PATH_PATTERN } from "./tag-path.js";

export const TagDataTypeSchema = Type.Union([Type.Literal("float"), Type.Literal("int"), Type.Literal("bool"), Type.Literal("string")]);

export const ScalingSchema = Type.Object(
  { rawMin: Type.Number(), rawMax: Type.Number(), engMin: Type.Number(), engMax: Type.Number() },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * The fields a client sets: one schema for the API body, CSV rows and the TS
 * type. Built twice: with defaults (create, import) and without (PATCH, where
 * a missing field means "unchanged", never "reset to the default").
 */
function tagFields(withDefaults: boolean) {
  const d = <T>(value: T) => (withDefaults ? { default: value } : {});
  return {
    path: Type.String({ pattern: TAG_PATH_PATTERN, description: "<site>/<asset>/<point>" }),
    dataType: TagDataTypeSchema,
    unit: Type.String({ maxLength: 16, ...d(""), description: "canonical SI unit code: kPa, degC, m3/d, Sm3/d, ..." }),
    displayUnit: Type.Union([Type.String({ maxLength: 16 }), Type.Null()], {
      ...d(null),
      description: "unit to show values in (e.g. bar for a kPa tag); null follows the site's unit system",
    }),
    description: Type.String({ maxLength: 500, ...d("") }),
    deadband: Type.Number({ minimum: 0, ...d(0) }),
    scaling: Type.Union([ScalingSchema, Type.Null()], d(null)),
    assetId: Nullable(Type.String({ maxLength: 64 })),
    source: Nullable(Type.String({ maxLength: 200 })),
    readRole: RoleSchema,
    historyEnabled: Type.Boolean({ ...d(false), description: "the historian stores this tag's changes" }),
    historyDeviation: Type.Number({ minimum: 0, ...d(0), description: "compression deviation in the tag's unit; 0 stores every change" }),
    historyMaxIntervalSeconds: Type.Integer({ minimum: 1, maximum: 86400, ...d(3600), description: "longest time between two stored values" }),
  };
}

export const TagInputSchema = Type.Object(tagFields(true), { additionalProperties: false });
export type TagInput = Static<typeof TagInputSchema>;

const OPTIONAL_ON_CREATE = [
  "unit",
  "displayUnit",
  "description",
  "deadband",
  "scaling",
  "assetId",
  "source",
  "readRole",
  "historyEnabled",
  "historyDeviation",
  "historyMaxIntervalSeconds",
] as const;

export const TagCreateSchema = Type.Composite([
  Type.Omit(TagInputSchema, OPTIONAL_ON_CREATE),
  Type.Partial(Type.Pick(TagInputSchema, OPTIONAL_ON_CREATE)),
], { additionalProperties: false });
export type TagCreate = Static<typeof TagCreateSchema>;

export const TagPatchSchema = Type.Composite(
  [Type.Partial(Type.Omit(Type.Object(tagFields(false)), ["path"])), Type.Object({ rowVersion: Type.Integer({ minimum: 1 }) })],
  { additionalProperties: false },
);
export type TagPatch = Static<typeof TagPatchSchema>;

export const LiveValueSchema = Type.Object({
  v: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]),
  q: Type.Union([Type.Literal("good"), Type.Literal("uncertain"), Type.Literal("bad")]),
  t: Type.Number({ description: "last change, epoch ms" }),
  u: Type.Optional(Type.Number({ description: "latest report when the value was re-sent unchanged after t, epoch ms" })),
  reason: Type.Optional(Type.String()),
});

export const TagSchema = Type.Composite([
  TagInputSchema,
  Type.Object({
    id: Type.String({ format: "uuid" }),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
    rowVersion: Type.Integer(),
    live: Type.Union([LiveValueSchema, Type.Null()]),
  }),
]);
