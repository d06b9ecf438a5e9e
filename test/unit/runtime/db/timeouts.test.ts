import assert from "node:assert/strict";
import { databaseTimeouts } from "../../../../runtime/db/open.js";
import { DATABASE_TIMEOUT_DEFAULTS, postgresPoolConfig, retryAfterSecondsFor } from "../../../../runtime/db/timeouts.js";
import { loadSettings } from "../../../../settings.js";

describe("database timeouts", () => {
  it("defaults: 5 s connect, 30 s statement, a longer client-side query timeout, idle-in-transaction and keepalive", () => {
    assert.deepEqual(DATABASE_TIMEOUT_DEFAULTS, {
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      queryTimeoutMs: 35_000,
      idleInTransactionTimeoutMs: 60_000,
      keepAliveMs: 10_000,
    });
    // The server's clean cancel should normally fire before the client gives up on the connection.
    assert.ok(DATABASE_TIMEOUT_DEFAULTS.queryTimeoutMs > DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs);
  });

  it("the settings carry the same defaults and their environment variables", () => {
    assert.deepEqual(databaseTimeouts(loadSettings({})), DATABASE_TIMEOUT_DEFAULTS);
    const settings = loadSettings({
      PETROFLOW_DB_CONNECT_TIMEOUT_MS: "1000",
      PETROFLOW_DB_STATEMENT_TIMEOUT_MS: "1500",
      PETROFLOW_DB_QUERY_TIMEOUT_MS: "2000",
      PETROFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3000",
      PETROFLOW_DB_KEEPALIVE_MS: "1000",
      PETROFLOW_REQUEST_TIMEOUT_MS: "2500",
    });
    assert.deepEqual(databaseTimeouts(settings), {
      connectTimeoutMs: 1_000,
      statementTimeoutMs: 1_500,
      queryTimeoutMs: 2_000,
      idleInTransactionTimeoutMs: 3_000,
      keepAliveMs: 1_000,
    });
    assert.equal(settings.requestTimeoutMs, 2_500);
    assert.equal(loadSettings({}).requestTimeoutMs, 40_000);
  });

  it("become the pg pool's options: connect, statement, query and idle-in-transaction timeouts, keepalive", () => {
    const config = postgresPoolConfig("postgres://u@db/site", { ...DATABASE_TIMEOUT_DEFAULTS, queryTimeoutMs: 1_234 }, 7);
    assert.equal(config.connectionString, "postgres://u@db/site");
    assert.equal(config.max, 7);
    assert.equal(config.connectionTimeoutMillis, 5_000);
    assert.equal(config.statement_timeout, 30_000);
    assert.equal(config.query_timeout, 1_234);
    assert.equal(config.idle_in_transaction_session_timeout, 60_000);
    assert.equal(config.keepAlive, true);
    assert.equal(config.keepAliveInitialDelayMillis, 10_000);
  });

  it("Retry-After is about one connect attempt, never 0", () => {
    assert.equal(retryAfterSecondsFor({ connectTimeoutMs: 5_000 }), 5);
    assert.equal(retryAfterSecondsFor({ connectTimeoutMs: 1_200 }), 2);
    assert.equal(retryAfterSecondsFor({ connectTimeoutMs: 100 }), 1);
  });
});
