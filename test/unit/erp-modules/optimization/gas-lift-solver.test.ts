import assert from "node:assert/strict";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createGasLiftSolver, GasLiftSolverError } from "../../../../erp-modules/optimization/gas-lift-solver.js";
import type { GasLiftOptimizationRequest } from "../../../../erp-modules/optimization/gas-lift-schema.js";

const fixture = (name: string): URL => pathToFileURL(path.resolve(__dirname, "../../../fixtures/gas-lift", name));

function request(wells: number, points = 20, timeLimitSeconds?: number): GasLiftOptimizationRequest {
  return {
    availableGasSm3PerDay: wells * 15000,
    wells: Array.from({ length: wells }, (_, i) => ({
      wellId: `W${i}`,
      curve: Array.from({ length: points }, (_, k) => {
        const g = (k * 50000) / (points - 1);
        return { injectionSm3PerDay: g, oilM3PerDay: 20 + (30 + (i % 7)) * Math.log1p(g / (8000 + 500 * (i % 11))) - 0.0004 * g, waterM3PerDay: 10 };
      }),
      currentInjectionSm3PerDay: 20000,
    })),
    ...(timeLimitSeconds === undefined ? {} : { solver: { timeLimitSeconds } }),
  };
}

describe("GasLiftSolver (worker thread)", () => {
  it("solves off the main thread: the event loop keeps turning while 300 wells solve", async () => {
    const solver = createGasLiftSolver();
    try {
      await solver.solve(request(2)); // start the worker and load HiGHS before measuring
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      const result = await solver.solve(request(300));
      histogram.disable();
      assert.equal(result.status, "optimal");
      assert.equal(result.wells.length, 300);
      // Generous for a shared CI box; a main-thread solve of this model blocks for tens of ms at once.
      assert.ok(histogram.max / 1e6 < 200, `event loop max delay ${histogram.max / 1e6} ms`);
    } finally {
      await solver.close();
    }
  });

  it("reuses one worker for successive calls and queues concurrent ones", async () => {
    const solver = createGasLiftSolver();
    try {
      const results = await Promise.all([solver.solve(request(3)), solver.solve(request(4)), solver.solve(request(5))]);
      assert.deepEqual(results.map((result) => result.wells.length), [3, 4, 5]);
    } finally {
      await solver.close();
    }
  });

  it("fails a call whose worker crashes with a clear error, and replaces the worker", async () => {
    const solver = createGasLiftSolver({ workerUrl: fixture("crashing-worker.mjs") });
    try {
      await assert.rejects(solver.solve(request(2)), (error: unknown) => {
        assert.ok(error instanceof GasLiftSolverError);
        assert.equal(error.reason, "worker_crashed");
        assert.match(error.message, /simulated solver crash.*restarted/);
        return true;
      });
      // A new worker takes the next call (it crashes too: the fixture always does, but it was started afresh).
      await assert.rejects(solver.solve(request(2)), /simulated solver crash/);
    } finally {
      await solver.close();
    }
  });

  it("times out a call that outlives its time limit, stops the worker and serves the next call with a new one", async () => {
    const hanging = createGasLiftSolver({ workerUrl: fixture("hanging-worker.mjs"), timeoutGraceMs: 100 });
    try {
      const started = Date.now();
      await assert.rejects(hanging.solve(request(2, 20, 0.05)), (error: unknown) => {
        assert.ok(error instanceof GasLiftSolverError);
        assert.equal(error.reason, "timeout");
        assert.match(error.message, /no answer within 200 ms/);
        return true;
      });
      assert.ok(Date.now() - started < 5000);
    } finally {
      await hanging.close();
    }
    // The real worker after a timeout: the solver is usable again.
    const solver = createGasLiftSolver({ timeoutGraceMs: 100 });
    try {
      assert.equal((await solver.solve(request(2))).status, "optimal");
    } finally {
      await solver.close();
    }
  });

  it("a closed solver rejects what was queued and starts again on the next call", async () => {
    const solver = createGasLiftSolver();
    const first = assert.rejects(solver.solve(request(50)), /closed/);
    const queued = assert.rejects(solver.solve(request(2)), /closed/);
    await solver.close();
    await Promise.all([first, queued]);
    try {
      assert.equal((await solver.solve(request(2))).status, "optimal");
    } finally {
      await solver.close();
    }
  });
});
