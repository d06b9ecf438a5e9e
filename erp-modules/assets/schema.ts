import { Type, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { TAG_PATH_PATTERN } from "../../runtime/tags/tag-path.js";

/**
 * The asset register's schemas: one set types the service, validates the API
 * and writes the OpenAPI document (docs/erp-assets.md describes the rules).
 */

/**
 * `T | null` as one JSON-schema type array, not an anyOf: the API validator
 * coerces types, and inside an anyOf it would coerce a latitude of 0 or an
 * empty string to null (or a null to 0 / ""); with a type array a value that
 * already has one of the types is left alone.
 */
function nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const plain = JSON.parse(JSON.stringify(schema)) as { type?: unknown };
  if (typeof plain.type !== "string") throw new Error("nullable() needs a schema with a single type");
  return Type.Unsafe<Static<T> | null>({ ...plain, type: [plain.type, "null"] });
}

function nullableEnum<const V extends readonly string[]>(values: V, description?: string): TUnsafe<V[number] | null> {
  return Type.Unsafe<V[number] | null>({ type: ["string", "null"], enum: [...values, null], ...(description ? { description } : {}) });
}

function stringEnum<const V extends readonly string[]>(values: V, description?: string): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: "string", enum: [...values], ...(description ? { description } : {}) });
}

export const ASSET_KINDS = ["field", "site", "well", "equipment"] as const;
export const SITE_TYPES = ["pad", "station", "battery"] as const;
export const LIFT_TYPES = ["natural_flow", "esp", "gas_lift", "rod_pump"] as const;
export const WELL_STATUSES = ["producing", "shut_in", "suspended", "abandoned"] as const;
export const EQUIPMENT_TYPES = [
  "esp",
  "compressor",
  "separator",
  "tank",
  "meter",
  "flowline",
  "manifold",
  "header",
  "sales_point",
  "disposal_point",
  "other",
] as const;
export const SEPARATOR_SERVICES = ["test", "production"] as const;
/** What flows along a process connection; lift_gas is injection gas from a compressor to a gas-lift well. */
export const CONNECTION_STREAMS = ["production", "oil", "gas", "water", "lift_gas"] as const;
export const METER_SERVICES = ["fiscal", "sales", "check"] as const;
export const FLUIDS = ["oil", "gas", "water"] as const;

export type AssetKind = (typeof ASSET_KINDS)[number];
export type SiteType = (typeof SITE_TYPES)[number];
export type EquipmentType = (typeof EQUIPMENT_TYPES)[number];
export type MeterService = (typeof METER_SERVICES)[number];
export type Fluid = (typeof FLUIDS)[number];
export type SeparatorService = (typeof SEPARATOR_SERVICES)[number];
export type ConnectionStream = (typeof CONNECTION_STREAMS)[number];

export const AssetKindSchema = stringEnum(ASSET_KINDS);
export const SiteTypeSchema = stringEnum(SITE_TYPES);
export const LiftTypeSchema = stringEnum(LIFT_TYPES);
export const WellStatusSchema = stringEnum(WELL_STATUSES);
export const EquipmentTypeSchema = stringEnum(EQUIPMENT_TYPES);
export const SeparatorServiceSchema = stringEnum(SEPARATOR_SERVICES);
export const ConnectionStreamSchema = stringEnum(CONNECTION_STREAMS);

/** The tag path segment rule: an asset code is the middle level of its tags' paths. */
export const ASSET_CODE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
const CodeSchema = Type.String({ pattern: ASSET_CODE_PATTERN, description: "unique per site, used in tag paths: WELL-101" });
const NameSchema = Type.String({ minLength: 1, maxLength: 200 });
const DescriptionSchema = Type.String({ maxLength: 2000 });
const LatitudeSchema = nullable(Type.Number({ minimum: -90, maximum: 90, description: "WGS84 degrees" }));
const LongitudeSchema = nullable(Type.Number({ minimum: -180, maximum: 180, description: "WGS84 degrees" }));
const OptionalText = (maxLength: number) => Type.Optional(nullable(Type.String({ maxLength })));

export const PerforationSchema = Type.Object(
  {
    topM: Type.Number({ minimum: 0, description: "measured depth" }),
    bottomM: Type.Number({ minimum: 0, description: "measured depth" }),
    zone: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const CompletionSchema = Type.Object(
  {
    totalDepthM: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    perforations: Type.Optional(Type.Array(PerforationSchema, { maxItems: 200 })),
    tubingOdMm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    tubingDepthM: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    casingOdMm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    kickoffDepthM: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "gas-lift kick-off (top valve) depth" })),
  },
  { additionalProperties: false },
);
export type Completion = Static<typeof CompletionSchema>;

export const StrappingPointSchema = Type.Object(
  { levelM: Type.Number({ minimum: 0 }), volumeM3: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);
export const StrappingTableSchema = Type.Array(StrappingPointSchema, {
  minItems: 2,
  maxItems: 5000,
  description: "levelM strictly increasing, volumeM3 never decreasing",
});

export const TagLinkSchema = Type.Object(
  {
    role: Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$", description: "what the tag is for this asset: oil_rate, thp, level" }),
    tagPath: Type.String({ pattern: TAG_PATH_PATTERN, description: "<site>/<asset>/<point>" }),
  },
  { additionalProperties: false },
);
export type TagLink = Static<typeof TagLinkSchema>;
const TagLinksSchema = Type.Array(TagLinkSchema, { maxItems: 200, description: "replaces the asset's tag links; one tag per role" });

const UwiSchema = nullable(Type.String({ minLength: 1, maxLength: 40, description: "API/UWI number, unique when set" }));

export const WellCreateSchema = Type.Object(
  {
    uwi: Type.Optional(UwiSchema),
    liftType: LiftTypeSchema,
    status: Type.Optional(WellStatusSchema),
    statusSince: Type.Optional(Type.String({ format: "date-time", description: "when the initial status began; default now" })),
    completion: Type.Optional(CompletionSchema),
  },
  { additionalProperties: false },
);
export type WellCreate = Static<typeof WellCreateSchema>;

/** A well's status changes only through POST /assets/:id/status, which keeps its history. */
export const WellPatchSchema = Type.Object(
  { uwi: Type.Optional(UwiSchema), liftType: Type.Optional(LiftTypeSchema), completion: Type.Optional(CompletionSchema) },
  { additionalProperties: false },
);
export type WellPatch = Static<typeof WellPatchSchema>;

function equipmentFields() {
  return {
    manufacturer: OptionalText(200),
    model: OptionalText(200),
    serialNumber: OptionalText(200),
    capacityM3: Type.Optional(nullable(Type.Number({ exclusiveMinimum: 0, description: "tanks: shell capacity" }))),
    strappingTable: Type.Optional(nullable(StrappingTableSchema)),
    meterService: Type.Optional(nullableEnum(METER_SERVICES, "meters only")),
    fluid: Type.Optional(nullableEnum(FLUIDS, "meters (required) and tanks")),
    separatorService: Type.Optional(nullableEnum(SEPARATOR_SERVICES, "separators only: test (one well at a time) or production")),
  };
}

export const EquipmentCreateSchema = Type.Object({ equipmentType: EquipmentTypeSchema, ...equipmentFields() }, { additionalProperties: false });
export type EquipmentCreate = Static<typeof EquipmentCreateSchema>;

export const EquipmentPatchSchema = Type.Object(
  { equipmentType: Type.Optional(EquipmentTypeSchema), ...equipmentFields() },
  { additionalProperties: false },
);
export type EquipmentPatch = Static<typeof EquipmentPatchSchema>;

export const AssetCreateSchema = Type.Object(
  {
    kind: AssetKindSchema,
    code: CodeSchema,
    name: NameSchema,
    parentId: Type.Optional(nullable(Type.String({ format: "uuid" }))),
    siteType: Type.Optional(SiteTypeSchema),
    description: Type.Optional(DescriptionSchema),
    latitude: Type.Optional(LatitudeSchema),
    longitude: Type.Optional(LongitudeSchema),
    well: Type.Optional(WellCreateSchema),
    equipment: Type.Optional(EquipmentCreateSchema),
    tags: Type.Optional(TagLinksSchema),
  },
  { additionalProperties: false },
);
export type AssetCreate = Static<typeof AssetCreateSchema>;

export const AssetPatchSchema = Type.Object(
  {
    rowVersion: Type.Integer({ minimum: 1, description: "the version you read (409 stale if it changed since)" }),
    code: Type.Optional(CodeSchema),
    name: Type.Optional(NameSchema),
    parentId: Type.Optional(nullable(Type.String({ format: "uuid" }))),
    siteType: Type.Optional(SiteTypeSchema),
    description: Type.Optional(DescriptionSchema),
    latitude: Type.Optional(LatitudeSchema),
    longitude: Type.Optional(LongitudeSchema),
    well: Type.Optional(WellPatchSchema),
    equipment: Type.Optional(EquipmentPatchSchema),
    tags: Type.Optional(TagLinksSchema),
  },
  { additionalProperties: false },
);
export type AssetPatch = Static<typeof AssetPatchSchema>;

export const StatusChangeSchema = Type.Object(
  {
    status: WellStatusSchema,
    effectiveAt: Type.Optional(Type.String({ format: "date-time", description: "default now; not before the current status began, not in the future" })),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type StatusChange = Static<typeof StatusChangeSchema>;

export const WellDetailSchema = Type.Object({
  uwi: nullable(Type.String()),
  liftType: LiftTypeSchema,
  status: WellStatusSchema,
  statusSince: Type.String({ format: "date-time" }),
  completion: CompletionSchema,
});
export type WellDetail = Static<typeof WellDetailSchema>;

export const EquipmentDetailSchema = Type.Object({
  equipmentType: EquipmentTypeSchema,
  manufacturer: nullable(Type.String()),
  model: nullable(Type.String()),
  serialNumber: nullable(Type.String()),
  capacityM3: nullable(Type.Number()),
  strappingTable: nullable(StrappingTableSchema),
  meterService: nullableEnum(METER_SERVICES),
  fluid: nullableEnum(FLUIDS),
  separatorService: nullableEnum(SEPARATOR_SERVICES, "separators only"),
});
export type EquipmentDetail = Static<typeof EquipmentDetailSchema>;

export const StatusHistoryEntrySchema = Type.Object({
  status: WellStatusSchema,
  effectiveAt: Type.String({ format: "date-time" }),
  reason: Type.String(),
  recordedBy: Type.String(),
});
export type StatusHistoryEntry = Static<typeof StatusHistoryEntrySchema>;

export const AssetSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  kind: AssetKindSchema,
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  parentId: nullable(Type.String({ format: "uuid" })),
  siteType: nullableEnum(SITE_TYPES, "sites only"),
  latitude: nullable(Type.Number()),
  longitude: nullable(Type.Number()),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
  well: nullable(WellDetailSchema),
  equipment: nullable(EquipmentDetailSchema),
  tags: Type.Array(TagLinkSchema),
  statusHistory: Type.Optional(Type.Array(StatusHistoryEntrySchema, { description: "wells, newest first; single-asset answers only" })),
});
export type Asset = Static<typeof AssetSchema>;

export const AssetListQuerySchema = Type.Object(
  {
    kind: Type.Optional(AssetKindSchema),
    parentId: Type.Optional(Type.String({ format: "uuid" })),
    search: Type.Optional(Type.String({ maxLength: 200, description: "code, name or UWI, case-insensitive" })),
    status: Type.Optional(WellStatusSchema),
    liftType: Type.Optional(LiftTypeSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type AssetListQuery = Static<typeof AssetListQuerySchema>;

export const AssetPageSchema = Type.Object({ assets: Type.Array(AssetSchema), total: Type.Integer() });
export type AssetPage = Static<typeof AssetPageSchema>;

export const AssetTreeNodeSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  parentId: nullable(Type.String({ format: "uuid" })),
  kind: AssetKindSchema,
  code: Type.String(),
  name: Type.String(),
  siteType: Type.Optional(SiteTypeSchema),
  status: Type.Optional(WellStatusSchema),
  liftType: Type.Optional(LiftTypeSchema),
  equipmentType: Type.Optional(EquipmentTypeSchema),
});
export type AssetTreeNode = Static<typeof AssetTreeNodeSchema>;

export const AssetTreeSchema = Type.Object({ nodes: Type.Array(AssetTreeNodeSchema) });

/** One process connection of the plant: `stream` flows from one asset to another (both of this site). */
export const ConnectionSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  fromAssetId: Type.String({ format: "uuid" }),
  fromCode: Type.String(),
  toAssetId: Type.String({ format: "uuid" }),
  toCode: Type.String(),
  stream: ConnectionStreamSchema,
  createdAt: Type.String({ format: "date-time" }),
  createdBy: Type.String(),
});
export type Connection = Static<typeof ConnectionSchema>;

export const ConnectionCreateSchema = Type.Object(
  {
    fromAssetId: Type.String({ format: "uuid" }),
    toAssetId: Type.String({ format: "uuid" }),
    stream: ConnectionStreamSchema,
  },
  { additionalProperties: false },
);
export type ConnectionCreate = Static<typeof ConnectionCreateSchema>;
