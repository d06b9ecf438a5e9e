import type { ErrorRequestHandler, Response } from "express";
import { detailsMessage, type ErrorBody, type ErrorCode, type ErrorDetails } from "../error-contract.js";
import type { InputProblem } from "../input/input-policy.js";
import type { Logger } from "../observability/logger.js";

export type { ErrorBody } from "../error-contract.js";

/** An error that knows its HTTP status; anything else is a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** 400 validation_failed for a value the input policy or its schema refused. */
export function validationFailed(problem: InputProblem): HttpError {
  return new HttpError(400, "validation_failed", detailsMessage(problem), problem);
}

export function sendError(res: Response, status: number, code: ErrorCode, message: string, details?: ErrorDetails): void {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(body);
}

/** What body-parser's own errors (`type`) are on the wire. */
function bodyParserCode(type: string | undefined): ErrorCode {
  if (type === "entity.too.large") return "payload_too_large";
  if (type === "entity.parse.failed") return "invalid_json";
  if (type === "encoding.unsupported" || type === "charset.unsupported") return "unsupported_media_type";
  return "bad_request";
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message, error.details);
      return;
    }
    // body-parser errors carry a status and a type.
    const status = (error as { status?: number }).status;
    const type = (error as { type?: string }).type;
    if (typeof status === "number" && status >= 400 && status < 500) {
      sendError(res, status, bodyParserCode(type), (error as Error).message);
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, "unhandled error in request");
    sendError(res, 500, "internal_error", "internal server error");
  };
}
