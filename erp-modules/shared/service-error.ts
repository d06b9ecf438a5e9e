import { detailsMessage, type ErrorDetails, type ErrorParams, type Reason } from "../../runtime/error-contract.js";
import { HttpError } from "../../runtime/http/errors.js";
import type { InputProblem } from "../../runtime/input/input-policy.js";

export type ServiceErrorCode = "not_found" | "conflict" | "stale" | "invalid_input" | "invalid_state" | "forbidden";

const STATUS: Record<ServiceErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  stale: 409,
  invalid_input: 400,
  invalid_state: 409,
  // A business rule that needs a higher role than the route (maintenance approvals).
  forbidden: 403,
};

/**
 * A business-rule failure raised by an ERP service. Services know nothing of
 * HTTP; routes turn these into 4xx answers with toHttpError, nodes into done(err).
 * `details` names the field, the reason and its params (runtime/error-contract.ts),
 * like a schema validation error; `message` is the English sentence.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** A ServiceError whose message is the details' English wording, unless one is given: `levelM must be at least 0`. */
export function serviceError(code: ServiceErrorCode, field: string, reason: Reason, params?: ErrorParams, message?: string): ServiceError {
  const details: ErrorDetails = params ? { field, reason, params } : { field, reason };
  return new ServiceError(code, message ?? detailsMessage(details), details);
}

/** invalid_input naming the field. */
export function invalidInput(field: string, reason: Reason, params?: ErrorParams, message?: string): ServiceError {
  return serviceError("invalid_input", field, reason, params, message);
}

/** invalid_input for what the input policy or a schema refused. */
export function inputRefused(problem: InputProblem): ServiceError {
  return new ServiceError("invalid_input", detailsMessage(problem), problem);
}

/** For `.catch(toHttpError)` in route handlers: service errors become 4xx, anything else stays a 500. */
export function toHttpError(error: unknown): never {
  if (error instanceof ServiceError) throw new HttpError(STATUS[error.code], error.code, error.message, error.details);
  throw error;
}
