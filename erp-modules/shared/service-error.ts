import { HttpError } from "../../runtime/http/errors.js";

export type ServiceErrorCode = "not_found" | "conflict" | "stale" | "invalid_input" | "invalid_state";

const STATUS: Record<ServiceErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  stale: 409,
  invalid_input: 400,
  invalid_state: 409,
};

/**
 * A business-rule failure raised by an ERP service. Services know nothing of
 * HTTP; routes turn these into 4xx answers with toHttpError, nodes into done(err).
 * `details` names the field and the reason, like a schema validation error.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: { field: string; reason: string },
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** For `.catch(toHttpError)` in route handlers: service errors become 4xx, anything else stays a 500. */
export function toHttpError(error: unknown): never {
  if (error instanceof ServiceError) throw new HttpError(STATUS[error.code], error.code, error.message, error.details);
  throw error;
}
