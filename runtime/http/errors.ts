import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "../observability/logger.js";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error that knows its HTTP status; anything else is a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(body);
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
      const code = type === "entity.too.large" ? "payload_too_large" : type === "entity.parse.failed" ? "invalid_json" : "bad_request";
      sendError(res, status, code, (error as Error).message);
      return;
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, "unhandled error in request");
    sendError(res, 500, "internal_error", "internal server error");
  };
}
