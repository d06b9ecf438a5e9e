import type { RunNetValue } from "./gas-lift-run-schema.js";
import type { GasLiftObjective, GasLiftPrices } from "./gas-lift-schema.js";

/*
 * What the closed loop (gas-lift-run-service.ts) asks of the gas-lift
 * optimiser: for a site's gas-lift wells and their limits, the curves and
 * the recommended injection of each well. The optimiser (curves, LP/MILP)
 * lives in its own files; the run service only stores, reviews and writes
 * what it answers, so its lifecycle is tested with any planner.
 */

export interface PlanWell {
  wellId: string;
  wellCode: string;
  minInjectionSm3PerDay: number;
  maxInjectionSm3PerDay: number;
}

export interface PlanRequest {
  siteAssetId: string;
  /** What the engineer gave; absent: the compressor capacity is all there is. */
  gasAvailableSm3PerDay?: number;
  /** The site's configured compressor capacity: the gas used is at most this. One of the two is always given. */
  compressorCapacitySm3PerDay?: number;
  /** Where the curves come from: the wells' approved tests (default) or the simulator (demo site). */
  curveSource?: "well_tests" | "simulator";
  /** The wells to share the gas between, with the bounds the solver must respect. */
  wells: readonly PlanWell[];
  /** Absent: oil. net_value comes with prices (the run service checks). */
  objective?: GasLiftObjective;
  prices?: GasLiftPrices;
}

export interface PlannedWell {
  wellId: string;
  currentInjectionSm3PerDay: number | null;
  recommendedInjectionSm3PerDay: number;
  currentOilM3PerDay: number | null;
  expectedOilM3PerDay: number;
  curve: { injectionSm3PerDay: number; oilM3PerDay: number }[];
}

export interface GasLiftPlan {
  gasAvailableSm3PerDay: number;
  gasSource: "request" | "compressor";
  wells: PlannedWell[];
  expectedOilM3PerDay: number;
  expectedOilGainM3PerDay: number;
  /** Null in a net-value plan: its marginal value is money (netValue). */
  marginalOilM3PerSm3: number | null;
  /** Only in a plan asked for net value: the prices it used, the gain and the marginal value in money per day. */
  netValue?: RunNetValue;
  /** What the optimiser reports about itself (method, solver status, curve sources), stored with the run's result. */
  solver: Record<string, unknown>;
}

export interface GasLiftPlanner {
  plan(request: PlanRequest): Promise<GasLiftPlan>;
}
