import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { RollupJob } from "../../../../runtime/historian/rollups.js";
import { createLogger } from "../../../../runtime/observability/logger.js";

/** A database whose transactions do what the test says; nothing else is called by a pass before its transaction. */
function databaseWith(transaction: () => Promise<never>): Database {
  return { transaction } as unknown as Database;
}

/** Log lines as parsed JSON. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("warn", { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe("history rollup job: failures", () => {
  it("logs a failed pass and tries again on the next tick, never throwing at the process", async () => {
    let attempts = 0;
    const { logger, lines } = capturedLogger();
    const job = new RollupJob({
      db: databaseWith(() => {
        attempts += 1;
        return Promise.reject(new Error("connection terminated"));
      }),
      logger,
      intervalMs: 5,
      batchMinutes: 10,
      timeoutMs: 1000,
    });
    job.start();
    while (attempts < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await job.stop();
    assert.ok(lines.length >= 2);
    assert.equal(lines[0].msg, "history rollup pass failed; retrying on the next tick");
    assert.equal((lines[0].err as { message: string }).message, "connection terminated");
  });

  it("times out a pass that does not answer, and starts no second pass beside it", async () => {
    let started = 0;
    let finish: (() => void) | undefined;
    const job = new RollupJob({
      db: databaseWith(() => {
        started += 1;
        return new Promise<never>((_resolve, reject) => {
          finish = () => reject(new Error("finally answered"));
        });
      }),
      logger: createLogger("silent"),
      intervalMs: 1000,
      batchMinutes: 10,
      timeoutMs: 20,
    });
    await assert.rejects(job.runNow(), DatabaseUnavailableError);
    // The abandoned pass still holds the transaction: asking again joins it instead of stacking another.
    const again = job.runNow();
    assert.equal(started, 1);
    finish!();
    await assert.rejects(again, /finally answered/);
    // Once it ended, the next pass is a new one.
    const next = job.runNow();
    assert.equal(started, 2);
    finish!();
    await assert.rejects(next, /finally answered/);
  });
});
