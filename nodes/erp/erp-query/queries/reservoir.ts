import { Type } from "@sinclair/typebox";
import { StoredForecastSchema } from "../../../../erp-modules/reservoir/forecast-schema.js";
import { FluidSchema } from "../../../../erp-modules/reservoir/rate-schema.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

export const reservoirQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "reservoir.current-forecast",
    module: "reservoir",
    description: "A well's latest stored decline forecast for one fluid, or null when it has none.",
    params: queryParams({ wellId: Uuid, fluid: FluidSchema }),
    result: Type.Union([StoredForecastSchema, Type.Null()]),
    run: (reads, { wellId, fluid }) => reads.reservoir.forecasts.current(wellId, fluid),
  }),
  defineQuery({
    name: "reservoir.forecasts",
    module: "reservoir",
    description: "Every stored decline forecast version of a well, newest first; of one fluid, or all.",
    params: queryParams({ wellId: Uuid, fluid: Type.Optional(FluidSchema) }),
    result: Type.Array(StoredForecastSchema),
    run: (reads, { wellId, fluid }) => reads.reservoir.forecasts.list(wellId, fluid),
  }),
];
