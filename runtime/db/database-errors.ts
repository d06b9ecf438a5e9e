/**
 * The one error the rest of the site sees when the database cannot be
 * reached in time: a reset or refused connection, a connect or query
 * timeout, a server shutting down. HTTP maps it to 503 with Retry-After
 * (`database_unavailable`); flow nodes that record entries put the entry in
 * the spool instead of failing. Anything else from the driver (a constraint,
 * a syntax error) is not this error: retrying it later would not help.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = "database_unavailable";
  constructor(
    message: string,
    /** Seconds a client should wait before trying again. */
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** Node's socket error codes that mean the connection, not the statement, failed. */
const CONNECTION_ERROR_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * SQLSTATE classes and codes that mean the server is away, going away or
 * cannot serve now, so the same statement may well succeed later:
 * 08 connection exception, 57P01-57P03 admin/crash shutdown or cannot
 * connect now, 57014 statement timeout (a server stuck behind locks a cut
 * connection still holds), 25P03 idle-in-transaction timeout, 53300 too many
 * connections.
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    code === "57014" ||
    code === "25P03" ||
    code === "53300"
  );
}

/** pg and pg-pool report these without a code. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end on the pool|Client was closed and is not queryable|timeout expired/i;

/** Causes are followed this deep (an error wrapping an error wrapping the driver's). */
const MAX_CAUSE_DEPTH = 5;

/** True for errors that say "the database is not there right now", whatever driver raised them, also when wrapped (`cause`). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === "object" && current !== null; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || isUnavailableSqlState(code))) return true;
    if (current instanceof Error && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The DatabaseUnavailableError in an error's cause chain, for its retry time. */
export function databaseUnavailableIn(error: unknown): DatabaseUnavailableError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === "object" && current !== null; depth++) {
    if (current instanceof DatabaseUnavailableError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What a driver error becomes at the Database boundary: a connection-level
 * failure is wrapped in DatabaseUnavailableError (the driver's error as its
 * cause); anything else passes unchanged, so services still see SQLSTATEs
 * such as 23505.
 */
export function toDatabaseError(error: unknown, retryAfterSeconds?: number): unknown {
  if (error instanceof DatabaseUnavailableError || !isDatabaseUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseUnavailableError(`the database is unavailable: ${reason}`, retryAfterSeconds, { cause: error });
}

/**
 * When the database last failed and last answered, so a caller that only
 * sees an outcome (Node-RED answering 401 because a user lookup failed) can
 * tell whether the database failed while it waited.
 */
export class DatabaseAvailability {
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  /** Called by the drivers on every connection-level failure. */
  recordFailure(): void {
    this.lastFailureAt = Date.now();
  }

  /** True when a connection-level failure happened at or after `sinceMs` (epoch ms). */
  failedSince(sinceMs: number): boolean {
    return this.lastFailureAt >= sinceMs;
  }
}
