import type { ErrorRequestHandler, Response } from "express";
import { databaseUnavailableIn, isDatabaseUnavailable } from "../db/database-errors.js";
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

/** Retry-After when nothing more precise is known. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** A request that ran past the site's request deadline (PETROFLOW_REQUEST_TIMEOUT_MS). */
export class RequestDeadlineError extends HttpError {
  constructor(readonly timeoutMs: number) {
    super(503, "request_timeout", `the request did not finish within ${timeoutMs} ms; try again`);
    this.name = "RequestDeadlineError";
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

/** A 503: the site is up but cannot serve this now; Retry-After says when to try again. */
export function sendUnavailable(res: Response, code: ErrorCode, message: string, retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS): void {
  res.setHeader("Retry-After", String(retryAfterSeconds));
  sendError(res, 503, code, message);
}

/** What body-parser's own errors (`type`) are on the wire. */
function bodyParserCode(type: string | undefined): ErrorCode {
  if (type === "entity.too.large") return "payload_too_large";
  if (type === "entity.parse.failed") return "invalid_json";
  if (type === "encoding.unsupported" || type === "charset.unsupported") return "unsupported_media_type";
  return "bad_request";
}

/** The HTTP answer to an error that has no specific one: the database being away is a 503, never a 500. */
export function sendErrorFor(res: Response, error: unknown, logger: Logger, context: { method: string; url: string }): void {
  if (error instanceof RequestDeadlineError) {
    sendUnavailable(res, error.code, error.message);
    return;
  }
  if (error instanceof HttpError) {
    sendError(res, error.status, error.code, error.message, error.details);
    return;
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, ...context }, "database unavailable; answered 503");
    sendUnavailable(
      res,
      "database_unavailable",
      "the database is unavailable; try again later",
      databaseUnavailableIn(error)?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    );
    return;
  }
  // body-parser errors carry a status and a type.
  const status = (error as { status?: number }).status;
  const type = (error as { type?: string }).type;
  if (typeof status === "number" && status >= 400 && status < 500) {
    sendError(res, status, bodyParserCode(type), (error as Error).message);
    return;
  }
  logger.error({ err: error, ...context }, "unhandled error in request");
  sendError(res, 500, "internal_error", "internal server error");
}

/** Set on a response the request deadline has already answered (request-deadline.ts). */
const ANSWERED_BY_DEADLINE = "petroflowAnsweredByDeadline";

export function markAnsweredByDeadline(res: Response): void {
  res.locals[ANSWERED_BY_DEADLINE] = true;
}

export function answeredByDeadline(res: Response): boolean {
  return res.locals[ANSWERED_BY_DEADLINE] === true;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (answeredByDeadline(res)) {
      // The client already has its 503; this is the late outcome of the work it gave up on.
      logger.debug({ err: error, method: req.method, url: req.originalUrl }, "error after the request deadline answered");
      return;
    }
    if (res.headersSent) {
      next(error);
      return;
    }
    sendErrorFor(res, error, logger, { method: req.method, url: req.originalUrl });
  };
}
