import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { GasLiftOptimizationRequest, GasLiftOptimizationResult } from "./gas-lift-schema.js";
import { packRequest, type GasLiftWorkerReply, type GasLiftWorkerRequest } from "./gas-lift-worker-protocol.js";

/**
 * Solves gas-lift allocations in a worker thread (node:worker_threads), so a
 * HiGHS solve (synchronous WebAssembly) never stalls the event loop that
 * serves the site. One worker, started on first use, loads HiGHS once and is
 * reused; calls queue and run one at a time (the box has 2 cores). A call
 * that outlives its time limit by TIMEOUT_GRACE_MS terminates the worker and
 * fails; so does a crash. The next call starts a fresh worker.
 */
export interface GasLiftSolver {
  /** Takes a request already validated (GasLiftService.optimize validates). Rejects with GasLiftSolverError. */
  solve(request: GasLiftOptimizationRequest): Promise<GasLiftOptimizationResult>;
  /** Stops the worker; a later solve starts a new one. */
  close(): Promise<void>;
}

export type GasLiftSolverFailure = "timeout" | "worker_crashed" | "solver_error";

/** Why a solve failed: timeout, worker_crashed (the worker died; it is replaced) or solver_error (HiGHS threw). */
export class GasLiftSolverError extends Error {
  constructor(
    readonly reason: GasLiftSolverFailure,
    message: string,
  ) {
    super(message);
    this.name = "GasLiftSolverError";
  }
}

/** The solver's own default, mirrored in the schema's description. */
export const DEFAULT_TIME_LIMIT_SECONDS = 10;
/** Past the solver's time limit, HiGHS returns on its own within milliseconds; this covers model building and a loaded box. */
const TIMEOUT_GRACE_MS = 5000;

export interface GasLiftSolverOptions {
  /** Added to the request's time limit before the worker is terminated. Default 5000 ms. */
  timeoutGraceMs?: number;
  /** The worker script; default gas-lift-worker beside this file (tests pass one that crashes or hangs). */
  workerUrl?: URL;
}

interface Pending {
  id: number;
  message: GasLiftWorkerRequest;
  timeoutMs: number;
  resolve: (result: GasLiftOptimizationResult) => void;
  reject: (error: Error) => void;
}

/** Under tsx (tests, benches) this file is .ts and so is the worker's; the build has .js beside .js. */
function workerUrl(): URL {
  const extension = __filename.endsWith(".ts") ? "ts" : "js";
  return pathToFileURL(join(dirname(__filename), `gas-lift-worker.${extension}`));
}

export function createGasLiftSolver(options: GasLiftSolverOptions = {}): GasLiftSolver {
  const graceMs = options.timeoutGraceMs ?? TIMEOUT_GRACE_MS;
  const script = options.workerUrl ?? workerUrl();
  let worker: Worker | null = null;
  let nextId = 1;
  const queue: Pending[] = [];
  let running: (Pending & { timer: NodeJS.Timeout }) | null = null;

  const settle = (outcome: { result: GasLiftOptimizationResult } | { error: Error }): void => {
    const current = running;
    if (!current) return;
    clearTimeout(current.timer);
    running = null;
    if ("result" in outcome) current.resolve(outcome.result);
    else current.reject(outcome.error);
    pump();
  };

  const discardWorker = (): void => {
    const dead = worker;
    worker = null;
    if (dead) {
      dead.removeAllListeners();
      // Errors after this point belong to a worker nobody listens to any more.
      dead.on("error", () => undefined);
      void dead.terminate();
    }
  };

  const startWorker = (): Worker => {
    const started = new Worker(script);
    // The site's process must be able to exit with an idle solver.
    started.unref();
    started.on("message", (reply: GasLiftWorkerReply) => {
      if (!running || reply.id !== running.id) return;
      if (reply.ok) settle({ result: reply.result });
      else settle({ error: new GasLiftSolverError("solver_error", `Gas-lift solver failed: ${reply.error}`) });
    });
    started.on("error", (error) => {
      discardWorker();
      settle({ error: new GasLiftSolverError("worker_crashed", `Gas-lift solver worker crashed: ${error.message}; it will be restarted`) });
    });
    started.on("exit", (code) => {
      if (worker !== started) return;
      worker = null;
      settle({ error: new GasLiftSolverError("worker_crashed", `Gas-lift solver worker exited (code ${code}); it will be restarted`) });
    });
    return started;
  };

  const pump = (): void => {
    if (running) return;
    const next = queue.shift();
    if (!next) return;
    worker ??= startWorker();
    const timer = setTimeout(() => {
      discardWorker();
      settle({
        error: new GasLiftSolverError("timeout", `Gas-lift solver gave no answer within ${next.timeoutMs} ms; the worker was stopped and will be restarted`),
      });
    }, next.timeoutMs);
    running = { ...next, timer };
    // A busy worker keeps the process alive while it solves; unref again once idle (settle).
    worker.ref();
    worker.postMessage(next.message, [next.message.curvePoints.buffer]);
  };

  return {
    solve(request) {
      const timeLimitSeconds = request.solver?.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
      // A MILP solves twice (the marginal-value re-solve), each under the limit.
      const timeoutMs = 2 * timeLimitSeconds * 1000 + graceMs;
      return new Promise<GasLiftOptimizationResult>((resolve, reject) => {
        const id = nextId++;
        queue.push({ id, message: packRequest(id, request), timeoutMs, resolve, reject });
        pump();
      }).finally(() => {
        if (!running) worker?.unref();
      });
    },
    async close() {
      // Take the queue first: settling the running call would start the next one.
      const queued = queue.splice(0);
      const dead = worker;
      worker = null;
      settle({ error: new GasLiftSolverError("worker_crashed", "Gas-lift solver closed") });
      for (const pending of queued) pending.reject(new GasLiftSolverError("worker_crashed", "Gas-lift solver closed"));
      if (dead) {
        dead.removeAllListeners();
        await dead.terminate();
      }
    },
  };
}

let shared: GasLiftSolver | null = null;

/**
 * The process's one solver: the optimization service and the gaslift-optimize
 * node share it, so a site runs at most one HiGHS worker.
 */
export function sharedGasLiftSolver(): GasLiftSolver {
  shared ??= createGasLiftSolver();
  return shared;
}
