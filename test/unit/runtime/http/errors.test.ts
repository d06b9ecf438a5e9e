import type { ErrorBody } from "../../../../runtime/http/errors.js";
import assert from "node:assert/strict";
import express from "express";
import request from "supertest";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { errorHandler, HttpError, RequestDeadlineError } from "../../../../runtime/http/errors.js";
import { createLogger } from "../../../../runtime/observability/logger.js";

/** An app whose one route fails with `error`, answered by the site's error handler. */
function failingWith(error: unknown): express.Express {
  const app = express();
  app.get("/fail", async () => {
    throw error;
  });
  app.use(errorHandler(createLogger("silent")));
  return app;
}

describe("HTTP error mapping (errors.ts)", () => {
  it("DatabaseUnavailableError → 503 database_unavailable with its Retry-After", async () => {
    const response = await request(failingWith(new DatabaseUnavailableError("gone", 7))).get("/fail");
    assert.equal(response.status, 503);
    assert.equal(response.headers["retry-after"], "7");
    assert.equal((response.body as ErrorBody).error.code, "database_unavailable");
  });

  it("a driver's connection error, raw or wrapped by a service, → 503 too, never 500", async () => {
    const raw = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    for (const error of [raw, new Error("recording failed", { cause: raw }), new Error("Query read timeout")]) {
      const response = await request(failingWith(error)).get("/fail");
      assert.equal(response.status, 503, String(error));
      assert.equal(response.headers["retry-after"], "5");
      assert.equal((response.body as ErrorBody).error.code, "database_unavailable");
    }
  });

  it("a request past its deadline → 503 request_timeout with Retry-After", async () => {
    const response = await request(failingWith(new RequestDeadlineError(2_000))).get("/fail");
    assert.equal(response.status, 503);
    assert.ok(Number(response.headers["retry-after"]) > 0);
    assert.equal((response.body as ErrorBody).error.code, "request_timeout");
  });

  it("keeps HttpError's status and code, and a unique violation stays a 500 (a bug, not an outage)", async () => {
    const conflict = await request(failingWith(new HttpError(409, "conflict", "taken"))).get("/fail");
    assert.equal(conflict.status, 409);
    assert.equal((conflict.body as ErrorBody).error.code, "conflict");
    assert.equal(conflict.headers["retry-after"], undefined);
    const unique = await request(failingWith(Object.assign(new Error("duplicate key"), { code: "23505" }))).get("/fail");
    assert.equal(unique.status, 500);
    assert.equal((unique.body as ErrorBody).error.code, "internal_error");
  });
});
