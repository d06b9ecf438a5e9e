import type { RequestHandler } from "express";
import { inputProblem } from "../input/input-policy.js";
import { validationFailed } from "./errors.js";

/**
 * The input policy at the door of the API, for every request before anything
 * else reads it (the idempotency hash, a route's schema): NUL characters,
 * numbers that are not finite (`1e400` parses to Infinity) and nesting past
 * the depth limit are refused with 400 naming the field, whatever the route.
 */
export function inputGate(): RequestHandler {
  return (req, _res, next) => {
    const problem = inputProblem(req.body, "body") ?? inputProblem({ ...(req.query as Record<string, unknown>) }, "query");
    next(problem ? validationFailed(problem) : undefined);
  };
}
