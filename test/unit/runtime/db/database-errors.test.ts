import assert from "node:assert/strict";
import {
  DatabaseAvailability,
  DatabaseUnavailableError,
  databaseUnavailableIn,
  isDatabaseUnavailable,
  toDatabaseError,
} from "../../../../runtime/db/database-errors.js";

function withCode(code: string, message = "driver error"): Error {
  return Object.assign(new Error(message), { code });
}

describe("database errors: what counts as 'the database is unavailable'", () => {
  for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]) {
    it(`socket error ${code}`, () => assert.equal(isDatabaseUnavailable(withCode(code)), true));
  }

  for (const [code, meaning] of [
    ["08006", "connection failure"],
    ["08001", "cannot establish a connection"],
    ["57P01", "admin shutdown"],
    ["57P02", "crash shutdown"],
    ["57P03", "cannot connect now"],
    ["57014", "statement timeout"],
    ["25P03", "idle-in-transaction timeout"],
    ["53300", "too many connections"],
  ] as const) {
    it(`SQLSTATE ${code} (${meaning})`, () => assert.equal(isDatabaseUnavailable(withCode(code)), true));
  }

  for (const message of [
    "Connection terminated unexpectedly",
    "Connection terminated",
    "timeout exceeded when trying to connect",
    "Query read timeout",
    "Client has encountered a connection error and is not queryable",
    "Cannot use a pool after calling end on the pool",
  ]) {
    it(`pg's code-less "${message}"`, () => assert.equal(isDatabaseUnavailable(new Error(message)), true));
  }

  for (const [code, meaning] of [
    ["23505", "unique violation"],
    ["23503", "foreign key violation"],
    ["22P02", "invalid text representation"],
    ["42601", "syntax error"],
    ["40001", "serialization failure"],
  ] as const) {
    it(`not SQLSTATE ${code} (${meaning}): retrying later would not help`, () => assert.equal(isDatabaseUnavailable(withCode(code)), false));
  }

  it("not plain errors, strings, null or undefined", () => {
    assert.equal(isDatabaseUnavailable(new Error("something else")), false);
    assert.equal(isDatabaseUnavailable("ECONNRESET"), false);
    assert.equal(isDatabaseUnavailable(null), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
  });

  it("follows a cause chain, and finds the DatabaseUnavailableError in it", () => {
    const inner = new DatabaseUnavailableError("gone", 7);
    const wrapped = new Error("recording the entry failed", { cause: new Error("the service failed", { cause: inner }) });
    assert.equal(isDatabaseUnavailable(wrapped), true);
    assert.equal(databaseUnavailableIn(wrapped), inner);
    assert.equal(databaseUnavailableIn(new Error("plain")), undefined);
    assert.equal(isDatabaseUnavailable(new Error("outer", { cause: withCode("23505") })), false);
  });

  it("does not loop on a cyclic cause", () => {
    const cyclic = new Error("a");
    Object.assign(cyclic, { cause: cyclic });
    assert.equal(isDatabaseUnavailable(cyclic), false);
  });
});

describe("database errors: the driver boundary", () => {
  it("wraps a connection failure in DatabaseUnavailableError, keeping the driver's error as cause", () => {
    const driver = withCode("ECONNRESET", "read ECONNRESET");
    const wrapped = toDatabaseError(driver, 3);
    assert.ok(wrapped instanceof DatabaseUnavailableError);
    assert.equal(wrapped.cause, driver);
    assert.equal(wrapped.retryAfterSeconds, 3);
    assert.equal(wrapped.code, "database_unavailable");
    assert.match(wrapped.message, /ECONNRESET/);
  });

  it("passes other errors through unchanged (services still read their SQLSTATE)", () => {
    const unique = withCode("23505");
    assert.equal(toDatabaseError(unique), unique);
    const already = new DatabaseUnavailableError("gone");
    assert.equal(toDatabaseError(already), already);
  });
});

describe("database availability", () => {
  it("tells whether a failure happened since a moment", () => {
    const availability = new DatabaseAvailability();
    const before = Date.now();
    assert.equal(availability.failedSince(before), false);
    availability.recordFailure();
    assert.equal(availability.failedSince(before), true);
    assert.equal(availability.failedSince(Date.now() + 1_000), false);
  });
});
