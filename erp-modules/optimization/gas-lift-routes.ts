import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { HttpError } from "../../runtime/http/errors.js";
import { toHttpError } from "../shared/service-error.js";
import { GasLiftOptimizationRequestSchema, GasLiftOptimizationResultSchema } from "./gas-lift-schema.js";
import type { GasLiftService } from "./gas-lift-service.js";
import { GasLiftSolverError } from "./gas-lift-solver.js";

/** A solver timeout is the server being busy (503, try again); a crashed worker is our fault (500, it is replaced). */
function solverErrorToHttp(error: unknown): never {
  if (error instanceof GasLiftSolverError) {
    if (error.reason === "timeout") throw new HttpError(503, "request_timeout", error.message);
    throw new HttpError(500, "internal_error", error.message);
  }
  return toHttpError(error);
}

export function registerGasLiftRoutes(router: Router, routes: RouteRegistry, gasLift: GasLiftService): void {
  routes.add(router, {
    method: "post",
    path: "/optimization/gas-lift",
    summary:
      "Share limited lift gas among gas-lift wells to maximise oil or net value (LP on concave curves, MILP otherwise, HiGHS in a worker thread); stateless: the curves come in the body",
    tags: ["optimization"],
    // Computes an answer, stores nothing.
    audit: { actions: [], rows: {} },
    role: "viewer",
    schemas: { body: GasLiftOptimizationRequestSchema, responses: { 200: GasLiftOptimizationResultSchema } },
    handler: async ({ res, body }) => {
      res.json(await gasLift.optimize(body, "body").catch(solverErrorToHttp));
    },
  });
}
