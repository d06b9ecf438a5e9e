import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Fluid as FluidSchema, ProductionDate } from "./entry-schemas.js";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A flag as reports and the run detail show it. value and its limits by kind:
 * check_meter_deviation: deviation % against max = tolerance %; allocation_factor:
 * the factor against min..max; stale_well_test: age in days against max = validity days.
 */
export const FlagSchema = Type.Object({
  kind: Type.Union([Type.Literal("check_meter_deviation"), Type.Literal("allocation_factor"), Type.Literal("stale_well_test")]),
  date: ProductionDate,
  fluid: Nullable(FluidSchema),
  wellId: Nullable(Type.String({ format: "uuid" })),
  wellCode: Nullable(Type.String()),
  value: Type.Number(),
  min: Nullable(Type.Number()),
  max: Type.Number(),
  /** check_meter_deviation: the check and fiscal/sales volumes of the day (m3, Sm3 for gas). */
  checkM3: Nullable(Type.Number()),
  fiscalM3: Nullable(Type.Number()),
  /** stale_well_test: the test's day. */
  testDate: Nullable(ProductionDate),
});
export type Flag = Static<typeof FlagSchema>;

