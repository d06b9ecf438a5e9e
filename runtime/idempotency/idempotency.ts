import { createHash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Database } from "../db/database.js";
import { unitOfWork } from "../db/unit-of-work.js";
import { principalOf } from "../http/auth-middleware.js";
import { answeredByDeadline, sendError, sendErrorFor } from "../http/errors.js";
import { deadlineOf } from "../http/request-deadline.js";
import type { Logger } from "../observability/logger.js";

export const IDEMPOTENCY_HEADER = "idempotency-key";
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const RETENTION = "24 hours";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SWEEP_EVERY_MS = 60_000;

/**
 * What identifies a request for replay: method, URL and body (pure). The URL
 * keeps its query string: some imports take their options there (a unit
 * system, `replace`, a reason), and a retry with other options is another
 * request, not a replay.
 */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${url}\n`)
    .update(typeof body === "string" ? body : JSON.stringify(body ?? null))
    .digest("hex");
}

interface StoredResponse {
  request_hash: string;
  status: number;
  response_body: string | null;
  response_type: string | null;
}

/** A response as the handler produced it, held back until its unit of work has committed. */
export interface CapturedResponse {
  status: number;
  body: Buffer | null;
  type: string | null;
}

/** The handler answered 5xx: its unit of work rolls back (nothing it wrote stays, the key stays free) and the answer goes out as it was. */
class ServerFailure extends Error {
  constructor(readonly response: CapturedResponse) {
    super(`the request failed with HTTP ${response.status}`);
  }
}

type Outcome = { kind: "ran"; response: CapturedResponse } | { kind: "stored"; stored: StoredResponse | undefined };

export interface IdempotencyOptions {
  db: Database;
  logger: Logger;
  /**
   * Requests that cannot run inside one transaction and are idempotent by
   * nature: a flow deploy, whose revision Node-RED commits by itself (and on
   * PGlite, one connection, it would wait for ever behind the request's own
   * transaction). They run on their own; only their answer is stored, so a
   * retry after a crash runs them again, which changes nothing the second time.
   */
  outsideUnitOfWork?: (req: Request) => boolean;
}

/**
 * Every mutating /api/v1 call may carry an Idempotency-Key. A keyed request
 * runs as one unit of work (runtime/db/unit-of-work.ts): the key's claim,
 * every write the request makes and its stored response (2xx or 4xx)
 * commit in one transaction, before the response is sent. So there is no
 * moment when the write is committed and the answer is not: a process
 * killed at any point leaves either nothing (the retry performs the write,
 * once) or both (the retry gets the stored answer, `Idempotency-Replayed:
 * true`). A 5xx, a lost database or the request deadline roll it all back.
 * A repeat while the first is still running waits for it (the claim's row
 * lock) and then replays its answer; the same key with a different request
 * is refused (422).
 */
export function idempotency(options: IdempotencyOptions): RequestHandler {
  const { db, logger } = options;
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
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const userId = principal.user.id;
    if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      // Housekeeping: it must neither delay nor fail the request.
      db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`).catch((error: unknown) =>
        logger.warn({ err: error }, "sweeping expired idempotency keys failed; next try in a minute"),
      );
    }
    const capture = new ResponseCapture(res);
    if (options.outsideUnitOfWork?.(req)) {
      await runAlone({ db, logger, userId, key, hash, method: req.method, path }, res, capture, next);
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await unitOfWork(
        db,
        async (tx) => {
          // A concurrent request with the same key holds this row's lock until
          // it ends; this waits, then sees its outcome. A committed row without
          // a status is a claim an older version left behind for a request
          // that never finished: it is taken over, not answered with 409.
          const claimed = await tx.query(
            `INSERT INTO idempotency_keys (user_id, key, request_hash, method, path) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, key) DO UPDATE
               SET request_hash = excluded.request_hash, method = excluded.method, path = excluded.path, created_at = now()
               WHERE idempotency_keys.status IS NULL
             RETURNING key`,
            [userId, key, hash, req.method, path],
          );
          if (claimed.rowCount === 0) {
            const stored = (
              await tx.query<StoredResponse>(
                "SELECT request_hash, status, response_body, response_type FROM idempotency_keys WHERE user_id = $1 AND key = $2",
                [userId, key],
              )
            ).rows[0];
            return { kind: "stored", stored };
          }
          capture.start();
          next();
          const response = await capture.produced;
          if (response.status >= 500) throw new ServerFailure(response);
          await tx.query(
            "UPDATE idempotency_keys SET status = $3, response_body = $4, response_type = $5 WHERE user_id = $1 AND key = $2",
            [userId, key, response.status, response.body?.toString("utf8") ?? null, response.type],
          );
          return { kind: "ran", response };
        },
        { signal: deadlineOf(res), onHookError: (error) => logger.error({ err: error }, "an after-commit hook failed") },
      );
    } catch (error) {
      if (error instanceof ServerFailure) {
        capture.send(error.response);
        return;
      }
      // Rolled back, or the commit's fate is unknown (the link dropped
      // during COMMIT): either way a retry with this key finds out.
      capture.stop();
      if (!answeredByDeadline(res) && !res.headersSent) sendErrorFor(res, error, logger, { method: req.method, url: req.originalUrl });
      return;
    }
    if (outcome.kind === "ran") {
      capture.send(outcome.response);
      return;
    }
    replay(res, outcome.stored, hash);
  };
}

function replay(res: Response, stored: StoredResponse | undefined, hash: string): void {
  if (!stored || stored.request_hash !== hash) {
    sendError(res, 422, "idempotency_key_reused", "this Idempotency-Key was used for a different request");
    return;
  }
  res.setHeader("Idempotency-Replayed", "true");
  if (stored.response_type) res.type(stored.response_type);
  res.status(stored.status).send(stored.response_body ?? undefined);
}

interface KeyedRequest {
  db: Database;
  logger: Logger;
  userId: string;
  key: string;
  hash: string;
  method: string;
  path: string;
}

/** A naturally idempotent request (IdempotencyOptions.outsideUnitOfWork): replay a stored answer, else run it and store its answer. */
async function runAlone(request: KeyedRequest, res: Response, capture: ResponseCapture, next: () => void): Promise<void> {
  const { db, logger, userId, key, hash } = request;
  const stored = (
    await db.query<StoredResponse>(
      "SELECT request_hash, status, response_body, response_type FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NOT NULL",
      [userId, key],
    )
  ).rows[0];
  if (stored) {
    replay(res, stored, hash);
    return;
  }
  capture.start();
  next();
  const response = await capture.produced;
  if (response.status < 500) {
    // Its effect is done whatever happens here; a key not stored only means a retry does it again, harmlessly.
    await db
      .query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, method, path, status, response_body, response_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, key) DO NOTHING`,
        [userId, key, hash, request.method, request.path, response.status, response.body?.toString("utf8") ?? null, response.type],
      )
      .catch((error: unknown) => logger.warn({ err: error }, "the answer of a keyed request could not be stored"));
  }
  capture.send(response);
}

/**
 * Holds a response back: the handler's write() and end() are collected, not
 * sent, so nothing reaches the client before the unit of work commits.
 */
class ResponseCapture {
  private readonly write: Response["write"];
  private readonly end: Response["end"];
  private resolve!: (response: CapturedResponse) => void;
  readonly produced = new Promise<CapturedResponse>((resolve) => (this.resolve = resolve));

  constructor(private readonly res: Response) {
    this.write = res.write.bind(res);
    this.end = res.end.bind(res);
  }

  start(): void {
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const res = this.res;
    res.write = ((chunk: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      return true;
    }) as Response["write"];
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      if (typeof chunk !== "function") collect(chunk, encoding);
      const type = res.getHeader("content-type");
      this.resolve({ status: res.statusCode, body: chunks.length ? Buffer.concat(chunks) : null, type: typeof type === "string" ? type : null });
      return res;
    }) as Response["end"];
  }

  /**
   * Puts the response's own methods back (to answer with something else),
   * unless the request deadline has answered and muted it: a late write to
   * an ended response emits 'error', which nobody listens for.
   */
  stop(): void {
    if (answeredByDeadline(this.res)) return;
    this.res.write = this.write;
    this.res.end = this.end;
  }

  /** Sends what the handler produced, unless the request deadline answered meanwhile. */
  send(response: CapturedResponse): void {
    this.stop();
    if (answeredByDeadline(this.res) || this.res.writableEnded) return;
    this.res.status(response.status);
    // The handler set the headers (Content-Length included) for exactly this body.
    this.res.end(response.body ?? undefined);
  }
}
