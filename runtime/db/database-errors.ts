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
 * SQLSTATE classes and codes that mean the server is away or going away:
 * 08 connection exception, 57P01-57P03 admin/crash shutdown, cannot connect now.
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03";
}

/** True for errors that say "the database is not there right now", whatever driver raised them. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || isUnavailableSqlState(code))) return true;
  const message = error instanceof Error ? error.message : "";
  // pg reports these without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection terminated unexpectedly/i.test(
    message,
  );
}
