import { Type, type Static } from "@sinclair/typebox";

/*
 * Production history imports as the API sees them (docs/reservoir-data.md).
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
export const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });

export const UnitSystemSchema = Type.Union([Type.Literal("oilfield"), Type.Literal("metric")], {
  description: "oilfield: oil and water in bbl, gas in Mscf; metric: m3 and Sm3",
});
export const FrequencySchema = Type.Union([Type.Literal("daily"), Type.Literal("monthly")]);

/** The CSV travels as the body (Content-Type: text/csv); what it means travels in the query. */
export const HistoryImportQuerySchema = Type.Object(
  {
    /** The field or site whose wells the file names (by code or UWI/API number). */
    assetId: Uuid,
    unitSystem: UnitSystemSchema,
    frequency: FrequencySchema,
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    /** Supersede history already imported for the same well and period (needs a reason). */
    replace: Type.Optional(Type.Boolean({ default: false })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type HistoryImportQuery = Static<typeof HistoryImportQuerySchema>;

export const HistoryImportSchema = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  fileSha256: Type.String(),
  scopeAssetId: Uuid,
  unitSystem: UnitSystemSchema,
  frequency: FrequencySchema,
  rowCount: Type.Integer(),
  wellCount: Type.Integer(),
  supersededCount: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Instant,
});
export type HistoryImport = Static<typeof HistoryImportSchema>;

export const HistoryImportResultSchema = Type.Intersect([
  HistoryImportSchema,
  Type.Object({ ignoredColumns: Type.Array(Type.String(), { description: "headers the import did not recognise and left out" }) }),
]);
export type HistoryImportResult = Static<typeof HistoryImportResultSchema>;

export const HistoryImportListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const HistoryRowSchema = Type.Object({
  id: Uuid,
  importId: Uuid,
  wellId: Uuid,
  frequency: FrequencySchema,
  periodStart: Day,
  oilVolumeM3: Type.Union([Type.Number(), Type.Null()]),
  gasVolumeSm3: Type.Union([Type.Number(), Type.Null()]),
  waterVolumeM3: Type.Union([Type.Number(), Type.Null()]),
  daysOnProduction: Type.Union([Type.Number(), Type.Null()]),
  sourceLine: Type.Integer(),
  /** The row of an earlier import this one replaced. */
  supersedesId: Type.Union([Uuid, Type.Null()]),
  createdBy: Type.String(),
  createdAt: Instant,
});
export type HistoryRow = Static<typeof HistoryRowSchema>;

export const HistoryImportDetailSchema = Type.Intersect([HistoryImportSchema, Type.Object({ rows: Type.Array(HistoryRowSchema) })]);
export type HistoryImportDetail = Static<typeof HistoryImportDetailSchema>;

export const WellParamsSchema = Type.Object({ wellId: Uuid });
export const ImportParamsSchema = Type.Object({ importId: Uuid });

export const WellHistoryQuerySchema = Type.Object(
  {
    frequency: Type.Optional(FrequencySchema),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    /** Include rows later imports superseded (the audit trail). */
    includeSuperseded: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type WellHistoryQuery = Static<typeof WellHistoryQuerySchema>;
