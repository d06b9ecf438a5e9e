import type { PoolConfig } from "pg";

/**
 * Every wait on PostgreSQL is bounded. The server-side statement timeout
 * cancels a slow statement cleanly, but during a network partition the
 * server's answer never arrives, so the client keeps its own query timeout
 * (a little longer, so the server's cleaner cancel normally wins). The
 * idle-in-transaction timeout makes the server drop a transaction whose
 * client vanished mid-way, releasing its locks; TCP keepalive finds dead
 * idle connections.
 */
export interface DatabaseTimeouts {
  /** Opening a connection, and waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** PostgreSQL's statement_timeout. */
  statementTimeoutMs: number;
  /** pg's client-side query_timeout: fires when no answer arrives at all. */
  queryTimeoutMs: number;
  /** PostgreSQL's idle_in_transaction_session_timeout. */
  idleInTransactionTimeoutMs: number;
  /** Idle time before the first TCP keepalive probe. */
  keepAliveMs: number;
}

export const DATABASE_TIMEOUT_DEFAULTS: Readonly<DatabaseTimeouts> = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  queryTimeoutMs: 35_000,
  idleInTransactionTimeoutMs: 60_000,
  keepAliveMs: 10_000,
};

/** The pg pool configuration for a connection string and these timeouts (pure). */
export function postgresPoolConfig(connectionString: string, timeouts: DatabaseTimeouts, max: number): PoolConfig {
  return {
    connectionString,
    max,
    application_name: "petroflow",
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: timeouts.keepAliveMs,
  };
}

/** Retry-After for a database outage: about one connect attempt, at least a second. */
export function retryAfterSecondsFor(timeouts: Pick<DatabaseTimeouts, "connectTimeoutMs">): number {
  return Math.max(1, Math.ceil(timeouts.connectTimeoutMs / 1000));
}
