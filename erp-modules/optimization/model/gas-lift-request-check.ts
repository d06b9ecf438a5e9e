import type { InputProblem } from "../../../runtime/input/input-policy.js";
import type { GasLiftOptimizationRequest } from "../gas-lift-schema.js";

/** Consecutive curve points must be at least this far apart in injection. */
export const MIN_INJECTION_STEP_SM3_PER_DAY = 1;

/**
 * The rules of a gas-lift request that its schema cannot say, checked after
 * it: the first broken one, naming the field as the API does
 * (`wells.2.curve.3.injectionSm3PerDay`, under `root` when given: `body.wells...`),
 * or null. Pure.
 */
export function checkGasLiftRequest(request: GasLiftOptimizationRequest, root = ""): InputProblem | null {
  const prefix = root ? `${root}.` : "";
  if ((request.objective ?? "oil") === "net_value" && request.prices === undefined) {
    return { field: `${prefix}prices`, reason: "required" };
  }
  const seen = new Set<string>();
  for (const [wellIndex, well] of request.wells.entries()) {
    const at = `${prefix}wells.${wellIndex}`;
    if (seen.has(well.wellId)) return { field: `${at}.wellId`, reason: "duplicate_items" };
    seen.add(well.wellId);
    for (let index = 1; index < well.curve.length; index++) {
      const previous = (well.curve[index - 1] as { injectionSm3PerDay: number }).injectionSm3PerDay;
      const injection = (well.curve[index] as { injectionSm3PerDay: number }).injectionSm3PerDay;
      if (injection <= previous) return { field: `${at}.curve.${index}.injectionSm3PerDay`, reason: "not_above", params: { limit: previous } };
      // Points a hair apart make slopes of 1e20 and more: no meter tells them apart, and the solver would treat them as infinite.
      if (injection - previous < MIN_INJECTION_STEP_SM3_PER_DAY) {
        return { field: `${at}.curve.${index}.injectionSm3PerDay`, reason: "below_minimum", params: { limit: previous + MIN_INJECTION_STEP_SM3_PER_DAY } };
      }
    }
    const first = (well.curve[0] as { injectionSm3PerDay: number }).injectionSm3PerDay;
    const last = (well.curve[well.curve.length - 1] as { injectionSm3PerDay: number }).injectionSm3PerDay;
    const min = well.minInjectionSm3PerDay;
    const max = well.maxInjectionSm3PerDay;
    if (min !== undefined && max !== undefined && min > max) {
      return { field: `${at}.minInjectionSm3PerDay`, reason: "above_field", params: { other: `${at}.maxInjectionSm3PerDay` } };
    }
    // The solver does not extrapolate a curve: the bounds must meet it.
    if (min !== undefined && min > last) return { field: `${at}.minInjectionSm3PerDay`, reason: "above_maximum", params: { limit: last } };
    if (max !== undefined && max < first) return { field: `${at}.maxInjectionSm3PerDay`, reason: "below_minimum", params: { limit: first } };
  }
  return null;
}
