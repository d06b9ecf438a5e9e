import type { GasLiftOptimizationRequest, GasLiftOptimizationResult } from "./gas-lift-schema.js";

/** Messages between GasLiftSolver (main thread) and gas-lift-worker.ts. */
export interface GasLiftWorkerRequest {
  id: number;
  request: GasLiftOptimizationRequest;
}

export type GasLiftWorkerReply = { id: number; ok: true; result: GasLiftOptimizationResult } | { id: number; ok: false; error: string };
