import http from "node:http";
import type { RequestHandler, Response } from "express";
import { DEFAULT_RETRY_AFTER_SECONDS, markAnsweredByDeadline, RequestDeadlineError, type ErrorBody } from "./errors.js";

const DEADLINE_SIGNAL = "petroflowDeadline";

/** Aborted when the request passes its deadline: work done for it (a unit of work) stops and rolls back. */
export function deadlineOf(res: Response): AbortSignal | undefined {
  const signal: unknown = res.locals[DEADLINE_SIGNAL];
  return signal instanceof AbortSignal ? signal : undefined;
}

/**
 * After the deadline's answer, whatever the abandoned handler still writes
 * goes nowhere: without this, its late res.json() would throw "headers
 * already sent" inside code (Node-RED's admin API) that does not catch it.
 */
function muteResponse(res: Response): void {
  const self = res as unknown as Record<string, unknown>;
  for (const method of ["setHeader", "removeHeader", "appendHeader", "writeHead", "flushHeaders"]) self[method] = () => res;
  self.write = () => true;
  self.end = () => res;
}

/**
 * Every request answers within timeoutMs: past it the client gets 503
 * `request_timeout` with Retry-After, the deadline signal aborts what was
 * still running for it, and its late answer is dropped. The answer is
 * written with ServerResponse's own methods, past any wrapper a later
 * middleware put on this response (the idempotency capture).
 */
export function requestDeadline(timeoutMs: number, exempt: (path: string) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    if (exempt(req.path)) {
      next();
      return;
    }
    const controller = new AbortController();
    res.locals[DEADLINE_SIGNAL] = controller.signal;
    const timer = setTimeout(() => {
      const error = new RequestDeadlineError(timeoutMs);
      if (!res.headersSent) {
        const body: ErrorBody = { error: { code: error.code, message: error.message } };
        const text = JSON.stringify(body);
        markAnsweredByDeadline(res);
        http.ServerResponse.prototype.writeHead.call(res, 503, {
          "content-type": "application/json; charset=utf-8",
          "content-length": String(Buffer.byteLength(text)),
          "retry-after": String(DEFAULT_RETRY_AFTER_SECONDS),
        });
        http.ServerResponse.prototype.end.call(res, text, "utf8");
        muteResponse(res);
      }
      controller.abort(error);
    }, timeoutMs);
    res.once("close", () => clearTimeout(timer));
    next();
  };
}
