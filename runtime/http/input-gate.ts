import type { Request, RequestHandler } from "express";
import { inputProblem } from "../input/input-policy.js";
import { HttpError, validationFailed } from "./errors.js";

/** Whether the request carries a body at all (as body-parser decides it). */
function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * The input policy at the door of the API, for every request before anything
 * else reads it (the idempotency hash, a route's schema): NUL characters,
 * numbers that are not finite (`1e400` parses to Infinity) and nesting past
 * the depth limit are refused with 400 naming the field, whatever the route.
 * A body no parser read (a form post, say) is refused too, rather than taken
 * for no body at all.
 */
export function inputGate(): RequestHandler {
  return (req, _res, next) => {
    if (req.body === undefined && hasBody(req)) {
      next(new HttpError(415, "unsupported_media_type", `a body of type ${req.get("content-type") ?? "(none)"} is not read here: send JSON`));
      return;
    }
    // A tarball (node packages): bytes, which its route checks itself.
    const problem = (Buffer.isBuffer(req.body) ? undefined : inputProblem(req.body, "body")) ?? inputProblem({ ...(req.query as Record<string, unknown>) }, "query");
    next(problem ? validationFailed(problem) : undefined);
  };
}
