import { createHash } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Database } from "../db/database.js";
import { principalOf } from "../http/auth-middleware.js";
import { sendError } from "../http/errors.js";

export const IDEMPOTENCY_HEADER = "idempotency-key";
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const RETENTION = "24 hours";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SWEEP_EVERY_MS = 60_000;

/** What identifies a request for replay: method, path and body (pure). */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n`)
    .update(typeof body === "string" ? body : JSON.stringify(body ?? null))
    .digest("hex");
}

interface StoredResponse {
  request_hash: string;
  status: number | null;
  response_body: string | null;
  response_type: string | null;
}

/**
 * Every mutating /api/v1 call may carry an Idempotency-Key. The first
 * request with a key runs and its response (2xx or 4xx) is stored; a repeat
 * with the same key and the same request gets that response again (with
 * `Idempotency-Replayed: true`) and acts no second time; the same key with a
 * different request is refused (422); a repeat while the first is still
 * running gets 409. A 5xx is not stored, so the client may retry.
 */
export function idempotency(db: Database): RequestHandler {
  // Expired keys are swept at most once a minute, not on every keyed write.
  let lastSweep = 0;
  return async (req, res, next) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    const principal = principalOf(res);
    if (key === undefined || SAFE_METHODS.has(req.method) || !principal) {
      next();
      return;
    }
    if (!KEY_PATTERN.test(key)) {
      sendError(res, 400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 200 visible ASCII characters");
      return;
    }
    const path = req.originalUrl.split("?")[0] ?? req.originalUrl;
    const hash = requestHash(req.method, path, req.body);
    const userId = principal.user.id;
    if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
    }
    const claimed = await db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, method, path) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
      [userId, key, hash, req.method, path],
    );
    if (claimed.rowCount === 0) {
      const stored = (
        await db.query<StoredResponse>(
          "SELECT request_hash, status, response_body, response_type FROM idempotency_keys WHERE user_id = $1 AND key = $2",
          [userId, key],
        )
      ).rows[0];
      if (!stored || stored.request_hash !== hash) {
        sendError(res, 422, "idempotency_key_reused", "this Idempotency-Key was used for a different request");
      } else if (stored.status === null) {
        sendError(res, 409, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed");
      } else {
        res.setHeader("Idempotency-Replayed", "true");
        if (stored.response_type) res.type(stored.response_type);
        res.status(stored.status).send(stored.response_body ?? undefined);
      }
      return;
    }
    captureResponse(res, async (status, body, type) => {
      if (status >= 500) {
        await db.query("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2", [userId, key]);
      } else {
        await db.query(
          "UPDATE idempotency_keys SET status = $3, response_body = $4, response_type = $5 WHERE user_id = $1 AND key = $2",
          [userId, key, status, body, type],
        );
      }
    });
    next();
  };
}

/**
 * Calls onDone with the response before it is sent: the stored copy exists
 * before the client can see the first answer and retry, so a retry never
 * finds the key still "in progress" for a request that has finished.
 */
function captureResponse(res: Response, onDone: (status: number, body: string | null, type: string | null) => Promise<void>): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const collect = (chunk: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk));
    else if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  res.write = ((...args: unknown[]) => {
    collect(args[0]);
    return write(...args);
  }) as Response["write"];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== "function") collect(args[0]);
    const body = chunks.length ? Buffer.concat(chunks).toString("utf8") : null;
    const type = res.getHeader("content-type");
    onDone(res.statusCode, body, typeof type === "string" ? type : null)
      .catch(() => undefined)
      .finally(() => end(...args));
    return res;
  }) as Response["end"];
}
