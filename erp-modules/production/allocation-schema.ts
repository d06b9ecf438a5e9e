import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Fluid, ProductionDate } from "./entry-schemas.js";

/*
 * Allocation runs as the API sees them. Volumes in m3 (Sm3 for gas), hours.
 */

const Uuid = Type.String({ format: "uuid" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Longest period one run covers, in days. */
export const MAX_RUN_DAYS = 31;

export const AllocationRunCreateSchema = Type.Object(
  {
    /** The site (pad, station, battery) whose measured volumes are allocated to its wells. */
    siteAssetId: Uuid,
    periodStart: ProductionDate,
    /** Inclusive; at most 31 days after periodStart counted inclusively, not after today (UTC). */
    periodEnd: ProductionDate,
    /** Why: required when the period overlaps an earlier run (a restatement). */
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type AllocationRunCreate = Static<typeof AllocationRunCreateSchema>;

const FluidTotals = Type.Object({ measuredM3: Type.Number(), allocatedM3: Type.Number() });

export const AllocationRunSchema = Type.Object({
  id: Uuid,
  siteAssetId: Uuid,
  periodStart: ProductionDate,
  periodEnd: ProductionDate,
  /** 1, 2, ... per site, in the order runs were made; the highest covering a day is current. */
  version: Type.Integer({ minimum: 1 }),
  /** The run this one restates (the latest earlier run overlapping its period), or null. */
  restates: Nullable(Uuid),
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: "date-time" }),
  createdBy: Type.String(),
  /**
   * Per fluid over the period: measured = the volumes to allocate (a negative
   * tank balance counts 0), allocated = what the wells got. They differ only
   * by days that had a measured volume but no basis to share it (see warnings).
   */
  totals: Type.Object({ oil: FluidTotals, gas: FluidTotals, water: FluidTotals }),
  warnings: Type.Array(Type.String()),
});
export type AllocationRun = Static<typeof AllocationRunSchema>;

/** One stage a network run's volume passed (docs/erp-production.md "Allocation over the network"). */
export const LineageStageSchema = Type.Object({
  nodeCodes: Type.Array(Type.String()),
  measuredM3: Type.Number(),
  /** The well's share at this stage. */
  allocatedM3: Type.Number(),
  meterReadingIds: Type.Array(Uuid),
  tankGaugeIds: Type.Array(Uuid),
  runTicketIds: Type.Array(Uuid),
});

export const AllocationResultSchema = Type.Object({
  wellId: Uuid,
  wellCode: Type.String(),
  productionDate: ProductionDate,
  fluid: Fluid,
  theoreticalM3: Type.Number(),
  allocatedM3: Type.Number(),
  uptimeHours: Type.Number(),
  wellTestId: Nullable(Uuid),
  /** Runs over the register's network only: the well test and every stage, upstream first. */
  lineage: Type.Optional(Type.Object({ wellTestId: Nullable(Uuid), stages: Type.Array(LineageStageSchema) })),
});
export type AllocationResult = Static<typeof AllocationResultSchema>;

export const AllocationRunDetailSchema = Type.Composite([AllocationRunSchema, Type.Object({ results: Type.Array(AllocationResultSchema) })]);
export type AllocationRunDetail = Static<typeof AllocationRunDetailSchema>;

export const AllocationRunQuerySchema = Type.Object(
  {
    siteAssetId: Type.Optional(Uuid),
    /** Only runs whose period covers this day. */
    date: Type.Optional(ProductionDate),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type AllocationRunQuery = Static<typeof AllocationRunQuerySchema>;

export const AllocationRunPageSchema = Type.Object({ items: Type.Array(AllocationRunSchema), total: Type.Integer() });
