import { serviceError } from "../shared/service-error.js";
import type { GasLiftPlan, GasLiftPlanner, PlanRequest } from "./gas-lift-planner.js";
import type { GasLiftService } from "./gas-lift-service.js";

/**
 * The closed loop's planner over the gas-lift optimiser: the site's curves
 * (well tests, or the simulator's on a demo site), then the allocation with
 * each well held within its configured limits and never switched off (a
 * setpoint outside the limits would be refused anyway).
 */
export function optimiserPlanner(gasLift: Pick<GasLiftService, "curvesForSite" | "optimize">): GasLiftPlanner {
  return {
    async plan(request: PlanRequest): Promise<GasLiftPlan> {
      const source = request.curveSource ?? "well_tests";
      const curves = await gasLift.curvesForSite({ siteAssetId: request.siteAssetId, source });
      const curveOf = new Map(curves.wells.map((well) => [well.wellId, well]));
      const missing = request.wells.filter((well) => !curveOf.get(well.wellId)?.curve).map((well) => well.wellCode);
      if (missing.length > 0) throw serviceError("conflict", "siteAssetId", "no_gas_lift_curve", { wells: missing });
      const inputs = request.wells.map((well) => {
        const site = curveOf.get(well.wellId);
        return { well, curve: site?.curve ?? [], current: site?.currentInjectionSm3PerDay ?? null };
      });
      // The optimiser does not extrapolate a curve: limits that miss it (a tested range below the minimum) are the engineer's to fix.
      const missed = inputs
        .filter(({ well, curve }) => well.minInjectionSm3PerDay > (curve[curve.length - 1]?.injectionSm3PerDay ?? 0) || well.maxInjectionSm3PerDay < (curve[0]?.injectionSm3PerDay ?? 0))
        .map(({ well }) => well.wellCode);
      if (missed.length > 0) throw serviceError("conflict", "siteAssetId", "limits_outside_curve", { wells: missed });
      const netValue = request.objective === "net_value";
      const result = await gasLift.optimize({
        ...(netValue ? { objective: "net_value" as const, prices: request.prices } : {}),
        availableGasSm3PerDay: request.gasAvailableSm3PerDay ?? request.compressorCapacitySm3PerDay,
        ...(request.gasAvailableSm3PerDay !== undefined && request.compressorCapacitySm3PerDay !== undefined
          ? { compressorCapacitySm3PerDay: request.compressorCapacitySm3PerDay }
          : {}),
        wells: inputs.map(({ well, curve, current }) => ({
          wellId: well.wellId,
          curve,
          currentInjectionSm3PerDay: current ?? 0,
          minInjectionSm3PerDay: well.minInjectionSm3PerDay,
          maxInjectionSm3PerDay: well.maxInjectionSm3PerDay,
          allowZeroInjection: false,
        })),
      });
      if (result.status === "infeasible") {
        throw serviceError("conflict", "gasAvailableSm3PerDay", "gas_lift_infeasible", { gas: result.gasLimitSm3PerDay });
      }
      // A time limit without a MILP gap is a solve stopped before any allocation (the optimiser then answers the
      // current injections) or an LP stopped short of its optimum: neither is worth proposing for the wells.
      if (result.status === "time_limit" && result.mipGap === null) {
        throw serviceError("conflict", "siteAssetId", "gas_lift_time_limit");
      }
      const answerOf = new Map(result.wells.map((well) => [well.wellId, well]));
      return {
        gasAvailableSm3PerDay: result.gasLimitSm3PerDay,
        gasSource: request.gasAvailableSm3PerDay === undefined ? "compressor" : "request",
        wells: inputs.flatMap(({ well, curve, current }) => {
          const answer = answerOf.get(well.wellId);
          if (!answer) return [];
          return [
            {
              wellId: well.wellId,
              currentInjectionSm3PerDay: current,
              recommendedInjectionSm3PerDay: answer.injectionSm3PerDay,
              currentOilM3PerDay: current === null ? null : answer.currentOilM3PerDay,
              expectedOilM3PerDay: answer.oilM3PerDay,
              curve: curve.map((point) => ({ injectionSm3PerDay: point.injectionSm3PerDay, oilM3PerDay: point.oilM3PerDay })),
            },
          ];
        }),
        expectedOilM3PerDay: result.recommended.oilM3PerDay,
        expectedOilGainM3PerDay: result.expectedGain.oilM3PerDay,
        // The optimiser's marginal value is in the objective's units: oil, or money in a net-value run.
        marginalOilM3PerSm3: netValue ? null : (result.marginalValue?.perSm3PerDay ?? null),
        ...(netValue && request.prices
          ? {
              netValue: {
                ...request.prices,
                expectedGainPerDay: result.expectedGain.objectiveValue,
                marginalValuePerSm3: result.marginalValue?.perSm3PerDay ?? null,
              },
            }
          : {}),
        solver: {
          curveSource: source,
          status: result.status,
          solverStatus: result.solverStatus,
          method: result.method,
          methodReason: result.methodReason,
          gasLimitBy: result.gasLimitBy,
          marginalValue: result.marginalValue,
          mipGap: result.mipGap,
          solveTimeMs: result.solveTimeMs,
          solver: result.solver,
        },
      };
    },
  };
}
