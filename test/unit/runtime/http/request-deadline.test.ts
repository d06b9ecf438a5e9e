import type { ErrorBody } from "../../../../runtime/http/errors.js";
import assert from "node:assert/strict";
import express from "express";
import request from "supertest";
import { errorHandler } from "../../../../runtime/http/errors.js";
import { deadlineOf, requestDeadline } from "../../../../runtime/http/request-deadline.js";
import { createLogger } from "../../../../runtime/observability/logger.js";

const DEADLINE_MS = 200;

function settledAfter(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("request deadline", () => {
  it("answers 503 request_timeout with Retry-After when the handler does not answer, aborts its signal and drops its late answer", async () => {
    const app = express();
    let aborted: Promise<unknown> | undefined;
    let lateWrite: Promise<string> | undefined;
    app.use(requestDeadline(DEADLINE_MS));
    app.get("/slow", (_req, res) => {
      const signal = deadlineOf(res);
      assert.ok(signal, "the handler sees the deadline signal");
      aborted = new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
      // The late answer must neither throw (headers already sent) nor reach the client.
      lateWrite = aborted.then(async () => {
        await settledAfter(20);
        try {
          res.setHeader("x-late", "1");
          res.status(200).json({ late: true });
          return "no error";
        } catch (error) {
          return `threw ${String(error)}`;
        }
      });
    });
    app.use(errorHandler(createLogger("silent")));
    const response = await request(app).get("/slow");
    assert.equal(response.status, 503);
    assert.equal((response.body as ErrorBody).error.code, "request_timeout");
    assert.ok(Number(response.headers["retry-after"]) > 0);
    assert.equal(response.headers["x-late"], undefined);
    assert.ok(aborted && lateWrite);
    assert.equal(((await aborted) as Error).name, "RequestDeadlineError");
    assert.equal(await lateWrite, "no error");
  });

  it("leaves a request that answers in time alone, and skips exempt paths", async () => {
    const app = express();
    app.use(requestDeadline(DEADLINE_MS, (path) => path.startsWith("/endpoints/")));
    app.get("/fast", (_req, res) => {
      res.json({ ok: true });
    });
    app.get("/endpoints/slow", async (_req, res) => {
      assert.equal(deadlineOf(res), undefined);
      await settledAfter(DEADLINE_MS * 2);
      res.json({ slow: true });
    });
    const fast = await request(app).get("/fast");
    assert.equal(fast.status, 200);
    assert.deepEqual(fast.body, { ok: true });
    const exempt = await request(app).get("/endpoints/slow");
    assert.equal(exempt.status, 200);
    assert.deepEqual(exempt.body, { slow: true });
  });

  it("an error raised after the deadline answered is logged, not answered a second time", async () => {
    const app = express();
    app.use(requestDeadline(DEADLINE_MS));
    const lines: string[] = [];
    const logger = createLogger("debug", { write: (line: string) => void lines.push(line) });
    let failed: Promise<void> | undefined;
    app.get("/late-error", async () => {
      failed = settledAfter(DEADLINE_MS + 50);
      await failed;
      throw new Error("too late");
    });
    app.use(errorHandler(logger));
    const response = await request(app).get("/late-error");
    assert.equal(response.status, 503);
    assert.ok(failed);
    await failed;
    await settledAfter(20);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; level: number });
    assert.ok(logged.some((entry) => entry.msg === "error after the request deadline answered"), lines.join(""));
    assert.ok(!logged.some((entry) => entry.msg === "unhandled error in request"));
  });
});
