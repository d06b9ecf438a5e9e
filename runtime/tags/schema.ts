import { Type, type Static } from "@sinclair/typebox";
import { RoleSchema } from "../auth/schema.js";
import { TAG_PATH_PATTERN } from "./tag-path.js";

export const TagDataTypeSchema = Type.Union([Type.Literal("float"), Type.Literal("int"), Type.Literal("bool"), Type.Literal("string")]);

export const ScalingSchema = Type.Object(
  { rawMin: Type.Number(), rawMax: Type.Number(), engMin: Type.Number(), engMax: Type.Number() },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** The fields a client sets: one schema for the API body, CSV rows and the TS type. */
export const TagInputSchema = Type.Object(
  {
    path: Type.String({ pattern: TAG_PATH_PATTERN, description: "<site>/<asset>/<point>" }),
    dataType: TagDataTypeSchema,
    unit: Type.String({ maxLength: 16, default: "", description: "canonical SI unit code: kPa, degC, m3/d, Sm3/d, ..." }),
    description: Type.String({ maxLength: 500, default: "" }),
    deadband: Type.Number({ minimum: 0, default: 0 }),
    scaling: Type.Union([ScalingSchema, Type.Null()], { default: null }),
    assetId: Nullable(Type.String({ maxLength: 64 })),
    source: Nullable(Type.String({ maxLength: 200 })),
    readRole: RoleSchema,
  },
  { additionalProperties: false },
);
export type TagInput = Static<typeof TagInputSchema>;

export const TagCreateSchema = Type.Composite([
  Type.Omit(TagInputSchema, ["unit", "description", "deadband", "scaling", "assetId", "source", "readRole"]),
  Type.Partial(Type.Pick(TagInputSchema, ["unit", "description", "deadband", "scaling", "assetId", "source", "readRole"])),
], { additionalProperties: false });
export type TagCreate = Static<typeof TagCreateSchema>;

export const TagPatchSchema = Type.Composite(
  [Type.Partial(Type.Omit(TagInputSchema, ["path"])), Type.Object({ rowVersion: Type.Integer({ minimum: 1 }) })],
  { additionalProperties: false },
);
export type TagPatch = Static<typeof TagPatchSchema>;

export const LiveValueSchema = Type.Object({
  v: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]),
  q: Type.Union([Type.Literal("good"), Type.Literal("uncertain"), Type.Literal("bad")]),
  t: Type.Number({ description: "epoch ms" }),
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
