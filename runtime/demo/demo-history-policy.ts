/**
 * Which demo tags keep history, and how closely: a data table by the
 * simulator's units. The deviation is about what the instruments resolve
 * and what an engineer reads off a trend (a few kPa of THP, a tenth of a
 * degree); the maximum interval keeps a steady value visible on a trend
 * (and tells it from a dead one) with a stored row at least that often.
 * Booleans and integers keep every change. Applied to the demo's tags
 * through the tag registry (tagDefinitionsFromModel).
 */
import type { SimPointDefinition } from "../../simulator/model/types.js";

export interface DemoHistoryPolicy {
  historyEnabled: boolean;
  /** Tag units: a new value is stored when it leaves the compressed line by more than this. */
  historyDeviation: number;
  /** A value is stored at least this often, even when steady. */
  historyMaxIntervalSeconds: number;
}

/** Deviation per canonical unit (the simulator's units, docs/simulator.md). */
export const DEMO_DEVIATION_BY_UNIT: Readonly<Record<string, number>> = {
  kPa: 5,
  degC: 0.2,
  "m3/d": 0.5,
  "Sm3/d": 100,
  "%": 0.5,
  Hz: 0.1,
  A: 0.2,
  "mm/s": 0.05,
  m: 0.01,
  m3: 0.5,
  kN: 0.5,
  "1/min": 0.1,
  rpm: 2,
  kW: 2,
};

const MEASUREMENT_MAX_INTERVAL_S = 600;
/** Setpoints and states change by hand or by events: every change is kept, and an hourly row shows they still hold. */
const SETPOINT_MAX_INTERVAL_S = 3600;

/** Every demo point keeps history; the table sets how closely. */
export function demoHistoryPolicy(point: Pick<SimPointDefinition, "dataType" | "unit" | "writable">): DemoHistoryPolicy {
  if (point.dataType !== "float") return { historyEnabled: true, historyDeviation: 0, historyMaxIntervalSeconds: SETPOINT_MAX_INTERVAL_S };
  if (point.writable) return { historyEnabled: true, historyDeviation: 0, historyMaxIntervalSeconds: SETPOINT_MAX_INTERVAL_S };
  return { historyEnabled: true, historyDeviation: DEMO_DEVIATION_BY_UNIT[point.unit] ?? 0, historyMaxIntervalSeconds: MEASUREMENT_MAX_INTERVAL_S };
}
