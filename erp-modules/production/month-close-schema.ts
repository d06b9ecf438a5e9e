import { Type, type Static } from "@sinclair/typebox";
import type { Role } from "../../runtime/auth/roles.js";

/*
 * Month close as the API sees it (docs/erp-production.md "Month close").
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });

export const Month = Type.String({ format: "year-month", pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM, years 1900 to 2200" });

export const MonthParamsSchema = Type.Object({ month: Month });

export const MonthCloseInputSchema = Type.Object(
  {
    siteAssetId: Uuid,
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type MonthCloseInput = Static<typeof MonthCloseInputSchema>;

export const MonthReopenInputSchema = Type.Object(
  {
    siteAssetId: Uuid,
    /** Why the closed month opens again: required. */
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type MonthReopenInput = Static<typeof MonthReopenInputSchema>;

export const MonthStateQuerySchema = Type.Object({ siteAssetId: Uuid }, { additionalProperties: false });

export const MonthCloseEventSchema = Type.Object({
  id: Uuid,
  action: Type.Union([Type.Literal("close"), Type.Literal("reopen")]),
  reason: Type.Union([Type.String(), Type.Null()]),
  by: Type.String(),
  at: Instant,
});
export type MonthCloseEvent = Static<typeof MonthCloseEventSchema>;

export const PriorPeriodAdjustmentSchema = Type.Object({
  id: Uuid,
  entityType: Type.String(),
  entityId: Uuid,
  reason: Type.String(),
  by: Type.String(),
  at: Instant,
});
export type PriorPeriodAdjustment = Static<typeof PriorPeriodAdjustmentSchema>;

export const MonthStateSchema = Type.Object({
  siteAssetId: Uuid,
  month: Month,
  closed: Type.Boolean(),
  /** The close in force (the latest event when it is a close), else null. */
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Instant, Type.Null()]),
  /** Every close and reopen of the month, oldest first. */
  history: Type.Array(MonthCloseEventSchema),
  /** Changes an admin made after a close: entries, voids, restating runs. */
  adjustments: Type.Array(PriorPeriodAdjustmentSchema),
});
export type MonthState = Static<typeof MonthStateSchema>;

/** Who asks for a write that may touch a closed month: only an admin may, with a reason. */
export interface PeriodAccess {
  role: Role;
}
