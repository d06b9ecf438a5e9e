/**
 * One allocation run, computed from entries already read: per day and fluid
 * the measured total (measured-totals.ts) shared among the wells in
 * proportion to their theoretical volumes (theoretical.ts), exactly
 * (allocateProportionally sums to the measured total to the last unit).
 *
 * A day and fluid with a measured volume > 0 but no basis (every well's
 * theoretical volume is 0: no approved tests, or no uptime) is not allocated:
 * it gets no results and a warning, and the rest of the run goes on. The
 * measured volume still counts in the run's measured total, so the gap shows.
 */
import { allocateProportionally, fromUnits, toUnits } from "./allocation.js";
import { liftGasTestWarnings, netLiftGas, type GasLiftInputs } from "./gas-lift.js";
import { FLUIDS, measuredTotal, type DayEntries, type Fluid, type MeasuredTotal } from "./measured-totals.js";
import { UTC_CLOCK, type ProductionDayClock } from "./production-day.js";
import { wellDay, type ApprovedTest } from "./theoretical.js";
import type { DowntimeInterval } from "./uptime.js";

export interface PlanWell {
  id: string;
  code: string;
}

export interface PlanInput extends DayEntries, GasLiftInputs {
  days: readonly string[];
  wells: readonly PlanWell[];
  /** Approved tests per well id (the last one before the period included). */
  testsByWell: ReadonlyMap<string, readonly ApprovedTest[]>;
  /** Non-voided downtime per well id. */
  downtimeByWell: ReadonlyMap<string, readonly DowntimeInterval[]>;
  /** Open downtime runs until now. */
  now: Date;
  /** The site's production day (UTC calendar days when absent). */
  clock?: ProductionDayClock;
}

export interface PlannedResult {
  wellId: string;
  productionDate: string;
  fluid: Fluid;
  theoreticalM3: string;
  allocatedM3: string;
  uptimeHours: number;
  wellTestId: string | null;
}

export interface PlannedMeasured extends MeasuredTotal {
  /** False when there was no basis to share it. */
  allocated: boolean;
}

/** Days a well test was used for a well (consecutive days with the same test; a day split between two tests is in both). */
export interface TestUse {
  wellId: string;
  wellTestId: string | null;
  from: string;
  to: string;
}

export interface AllocationPlan {
  results: PlannedResult[];
  measured: PlannedMeasured[];
  testUse: TestUse[];
  totals: Record<Fluid, { measuredM3: string; allocatedM3: string }>;
  warnings: string[];
}

const ZERO = fromUnits(0n);

/** "2026-01-01", or "2026-01-01..2026-01-04" for a range. */
function span(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

export function planAllocation(input: PlanInput): AllocationPlan {
  const warnings: string[] = [];
  const measuredUnits: Record<Fluid, bigint> = { oil: 0n, gas: 0n, water: 0n };
  const allocatedUnits: Record<Fluid, bigint> = { oil: 0n, gas: 0n, water: 0n };
  const results: PlannedResult[] = [];
  const measured: PlannedMeasured[] = [];
  const testUse: TestUse[] = [];

  const clock = input.clock ?? UTC_CLOCK;
  const wellDays = new Map<string, ReturnType<typeof wellDay>[]>();
  for (const well of input.wells) {
    const tests = input.testsByWell.get(well.id) ?? [];
    const downtime = input.downtimeByWell.get(well.id) ?? [];
    const days = input.days.map((day) => wellDay(day, tests, downtime, input.now, clock));
    wellDays.set(well.id, days);
    days.forEach((current, index) => {
      const day = input.days[index];
      const used = current.wellTestIds.length > 0 ? current.wellTestIds : [null];
      for (const wellTestId of used) {
        const last = testUse.at(-1);
        if (last && last.wellId === well.id && last.wellTestId === wellTestId) last.to = day;
        else testUse.push({ wellId: well.id, wellTestId, from: day, to: day });
      }
    });
  }
  for (const use of testUse) {
    if (use.wellTestId !== null) continue;
    const code = input.wells.find((well) => well.id === use.wellId)?.code ?? use.wellId;
    warnings.push(`well ${code} has no approved well test on ${span(use.from, use.to)}: its theoretical volume is 0`);
  }

  warnings.push(...liftGasTestWarnings(input.liftGasTests ?? [], (id) => input.wells.find((well) => well.id === id)?.code ?? id));

  input.days.forEach((day, dayIndex) => {
    for (const fluid of FLUIDS) {
      // Gas-lift hook: allocation distributes formation gas (measured − lift gas returned).
      const outcome = fluid === "gas" ? netLiftGas(measuredTotal(day, fluid, input, clock), day, input) : measuredTotal(day, fluid, input, clock);
      warnings.push(...outcome.warnings);
      if (!outcome.total) continue;
      const total = outcome.total;
      measuredUnits[fluid] += toUnits(total.volumeM3);
      const shares = input.wells.map((well) => {
        const values = wellDays.get(well.id)?.[dayIndex];
        if (!values) throw new Error(`no well day for ${well.id}`);
        return { well, values, weight: values.theoreticalM3[fluid] };
      });
      // Theoretical volumes are canonical fromUnits strings: zero is exactly ZERO.
      const basis = shares.some((share) => share.weight !== ZERO);
      if (!basis && toUnits(total.volumeM3) > 0n) {
        warnings.push(
          `${fluid} on ${day} not allocated: ${total.volumeM3} m3 measured but every well's theoretical volume is 0 (no approved well test or no uptime)`,
        );
        measured.push({ ...total, allocated: false });
        continue;
      }
      const allocation = allocateProportionally(
        total.volumeM3,
        shares.map((share) => ({ key: share.well.id, weight: share.weight })),
      );
      allocation.forEach((share, index) => {
        const { well, values } = shares[index];
        allocatedUnits[fluid] += share.units;
        results.push({
          wellId: well.id,
          productionDate: day,
          fluid,
          theoreticalM3: values.theoreticalM3[fluid],
          allocatedM3: share.volume,
          uptimeHours: values.uptimeHours,
          wellTestId: values.wellTestId,
        });
      });
      measured.push({ ...total, allocated: true });
    }
  });

  const totals = Object.fromEntries(
    FLUIDS.map((fluid) => [fluid, { measuredM3: fromUnits(measuredUnits[fluid]), allocatedM3: fromUnits(allocatedUnits[fluid]) }]),
  ) as Record<Fluid, { measuredM3: string; allocatedM3: string }>;
  return { results, measured, testUse, totals, warnings };
}
