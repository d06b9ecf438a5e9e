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
    source: Nullable(Type.String({ maxLength: 200 })),
    readRole: RoleSchema,
    historyEnabled: Type.Boolean({ ...d(false), description: "the historian stores this tag's changes" }),
    historyDeviation: Type.Number({ minimum: 0, ...d(0), description: "compression deviation in the tag's unit; 0 stores every change" }),
    historyMaxIntervalSeconds: Type.Integer({ minimum: 1, maximum: 86400, ...d(3600), description: "longest time between two stored values" }),
    ...writeFields(d),
  };
}

/** The least role that may write a tag to its device: a viewer never writes. */
export const WriteRoleSchema = Type.Union([Type.Literal("operator"), Type.Literal("engineer"), Type.Literal("admin")]);

/** Setpoint writes (docs/setpoints.md): limits in the tag's own (canonical) unit, null = open on that side. */
function writeFields(d: <T>(value: T) => { default?: T }) {
  const limit = (side: string) => Type.Union([Type.Number(), Type.Null()], { ...d(null), description: `${side} value a write may set, in the tag's unit; null: none` });
  return {
    writable: Type.Boolean({ ...d(false), description: "may be written to its device (web app faceplate, tag-write to the device)" }),
    writeMin: limit("lowest"),
    writeMax: limit("highest"),
    writeRole: Type.Union(WriteRoleSchema.anyOf, { ...d("operator"), description: "least role that may write" }),
  };
}
const WRITE_FIELDS = ["writable", "writeMin", "writeMax", "writeRole"] as const;

export const TagInputSchema = Type.Object(tagFields(true), { additionalProperties: false });
export type TagInput = Static<typeof TagInputSchema>;

const OPTIONAL_ON_CREATE = [
  "unit",
  "displayUnit",
  "description",
  "deadband",
  "scaling",
  "source",
  "readRole",
  "historyEnabled",
  "historyDeviation",
  "historyMaxIntervalSeconds",
] as const;

export const TagCreateSchema = Type.Composite([
  Type.Omit(TagInputSchema, [...OPTIONAL_ON_CREATE, ...WRITE_FIELDS]),
  Type.Partial(Type.Pick(TagInputSchema, [...OPTIONAL_ON_CREATE, ...WRITE_FIELDS])),
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

/** POST /tags/:id/write: a value in the tag's own unit, and what the writer saw as the value before. */
export const TagWriteRequestSchema = Type.Object(
  {
    value: Type.Union([Type.Number(), Type.Boolean()], { description: "in the tag's canonical unit" }),
    expectedCurrent: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.Null()], { description: "the value the writer saw: refused (409) when the tag has moved off it" })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: "why, kept in the audit row" })),
  },
  { additionalProperties: false },
);
export type TagWriteRequest = Static<typeof TagWriteRequestSchema>;

export const TagWriteOutcomeSchema = Type.Union([Type.Literal("confirmed"), Type.Literal("unconfirmed")]);

export const TagWriteResultSchema = Type.Object({
  requested: Type.Union([Type.Number(), Type.Boolean()]),
  previous: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]),
  readBack: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()], { description: "what the device holds after the write; null when nothing came back in time" }),
  confirmed: Type.Boolean({ description: "readBack equals requested (within the tolerance)" }),
  outcome: TagWriteOutcomeSchema,
  detail: Type.Optional(Type.String({ description: "why it is unconfirmed, in English" })),
});
export type TagWriteResult = Static<typeof TagWriteResultSchema>;
