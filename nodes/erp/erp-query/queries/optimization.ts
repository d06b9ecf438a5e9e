import { Type } from "@sinclair/typebox";
import { RunSchema, RunSummarySchema } from "../../../../erp-modules/optimization/gas-lift-run-schema.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

export const optimizationQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "optimization.gas-lift-runs",
    module: "optimization",
    description: "A site's gas-lift optimization runs, newest first.",
    params: queryParams({ siteAssetId: Uuid, limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
    result: Type.Array(RunSummarySchema),
    run: (reads, { siteAssetId, limit }) => reads.optimization.gasLiftRuns.listRuns(siteAssetId, limit),
  }),
  defineQuery({
    name: "optimization.gas-lift-run",
    module: "optimization",
    description: "One gas-lift run with its setpoints and how each was written.",
    params: queryParams({ runId: Uuid }),
    result: RunSchema,
    run: (reads, { runId }) => reads.optimization.gasLiftRuns.getRun(runId),
  }),
];
