import type { PlannedResult } from "./allocation-plan.js";
import type { Fluid } from "./measured-totals.js";

/**
 * What an allocation run's outbox row carries besides the run itself, so the
 * cloud can consolidate production by site, field, well and month without the
 * run's result rows (docs/corporate.md "What a site sends"). Allocated volumes
 * only, per well and production day, in m3 (Sm3 for gas), aligned with `days`.
 * 500 wells × 31 days is about 300 kB of JSON: one outbox row per run.
 */
export interface AllocationSyncSummary {
  site: { id: string; code: string; name: string };
  /** The field the site hangs under in the register, or null when it hangs under none. */
  field: { id: string; code: string; name: string } | null;
  days: string[];
  wells: AllocationSyncWell[];
}

export interface AllocationSyncWell {
  id: string;
  code: string;
  /** Per day of `days`; 0 for a day with no result row. */
  oilM3: number[];
  gasM3: number[];
  waterM3: number[];
}

type Named = { id: string; code: string; name: string };

const KEYS: Record<Fluid, "oilM3" | "gasM3" | "waterM3"> = { oil: "oilM3", gas: "gasM3", water: "waterM3" };

/** The run's result rows folded per well and day (pure). Wells keep the register's order. */
export function allocationSyncSummary(site: Named, field: Named | null, days: readonly string[], wells: readonly { id: string; code: string }[], results: readonly PlannedResult[]): AllocationSyncSummary {
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const byWell = new Map<string, AllocationSyncWell>(
    wells.map((well) => [well.id, { id: well.id, code: well.code, oilM3: days.map(() => 0), gasM3: days.map(() => 0), waterM3: days.map(() => 0) }]),
  );
  for (const result of results) {
    const well = byWell.get(result.wellId);
    const index = dayIndex.get(result.productionDate);
    if (!well || index === undefined) continue;
    well[KEYS[result.fluid]][index] += Number(result.allocatedM3);
  }
  return {
    site: { id: site.id, code: site.code, name: site.name },
    field: field ? { id: field.id, code: field.code, name: field.name } : null,
    days: [...days],
    wells: [...byWell.values()],
  };
}
