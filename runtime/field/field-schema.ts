import { Type, type Static } from "@sinclair/typebox";
import {
  ConnectionStreamSchema,
  EquipmentTypeSchema,
  LiftTypeSchema,
  SeparatorServiceSchema,
  SiteTypeSchema,
  WellStatusSchema,
} from "../../erp-modules/assets/schema.js";

/**
 * The wire contract of the field overview (`GET /api/v1/field`) and of the
 * site's own facts (`GET /api/v1/site`), shared by the server and the web app.
 * The plant is the asset register's: assets keyed by code (the middle level of
 * tag paths), their tags from `asset_tags`, and the register's connections.
 */

export const FieldPointSchema = Type.Object({
  /** The asset_tags role (oil_rate, thp); the register's name for what the tag measures. */
  role: Type.String(),
  tagPath: Type.String(),
  /** Last segment of the tag path (THP), the key the live feed and faceplates use. */
  point: Type.String(),
  unit: Type.String(),
  description: Type.String(),
  writable: Type.Boolean(),
});
export type FieldPoint = Static<typeof FieldPointSchema>;

export const FieldAssetSchema = Type.Object({
  assetId: Type.String({ format: "uuid" }),
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal("site"), Type.Literal("well"), Type.Literal("equipment")]),
  /** Code of the site (pad, battery) or well it hangs under; null under the field. */
  parentCode: Type.Union([Type.String(), Type.Null()]),
  siteType: Type.Optional(SiteTypeSchema),
  equipmentType: Type.Optional(EquipmentTypeSchema),
  separatorService: Type.Optional(SeparatorServiceSchema),
  fluid: Type.Optional(Type.Union([Type.Literal("oil"), Type.Literal("gas"), Type.Literal("water")])),
  liftType: Type.Optional(LiftTypeSchema),
  /** The register's well status, as of statusSince. */
  status: Type.Optional(WellStatusSchema),
  statusSince: Type.Optional(Type.String({ format: "date-time" })),
  points: Type.Array(FieldPointSchema),
});
export type FieldAsset = Static<typeof FieldAssetSchema>;

export const FieldConnectionSchema = Type.Object({
  fromCode: Type.String(),
  toCode: Type.String(),
  stream: ConnectionStreamSchema,
});
export type FieldConnection = Static<typeof FieldConnectionSchema>;

export const FieldSchema = Type.Object({
  siteId: Type.String(),
  assets: Type.Array(FieldAssetSchema),
  connections: Type.Array(FieldConnectionSchema),
});
export type Field = Static<typeof FieldSchema>;

export const StandardConditionsSchema = Type.Object({
  id: Type.Union([Type.Literal("15C_101.325kPa"), Type.Literal("60F_14.696psia")]),
  temperatureDegC: Type.Number(),
  /** Absolute pressure. */
  pressureKpaAbs: Type.Number(),
});
export type StandardConditions = Static<typeof StandardConditionsSchema>;

export const SiteInfoSchema = Type.Object({
  siteId: Type.String(),
  name: Type.String(),
  unitSystem: Type.Union([Type.Literal("metric"), Type.Literal("oilfield")]),
  language: Type.Union([Type.Literal("en"), Type.Literal("es")]),
  timeZone: Type.String(),
  productionDayStartHour: Type.Integer({ minimum: 0, maximum: 23 }),
  standardConditions: StandardConditionsSchema,
  /** ISO 4217: what approval limits and site money are in (PETROFLOW_SITE_CURRENCY). */
  currency: Type.String({ pattern: "^[A-Z]{3}$" }),
  /** edge: a site's own box; cloud: the corporate installation that consolidates sites (PETROFLOW_ROLE, docs/corporate.md). */
  role: Type.Union([Type.Literal("edge"), Type.Literal("cloud")]),
});
export type SiteInfo = Static<typeof SiteInfoSchema>;
