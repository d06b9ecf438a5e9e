/**
 * Accounting flags on allocated days (docs/erp-production.md "Flags"): a check
 * meter that disagrees with the fiscal/sales meters, an allocation factor out
 * of its band, and a well test too old for the day it was used on. Pure: the
 * services read the inputs, these decide.
 */
import type { Fluid } from "./measured-totals.js";

export interface FlagLimits {
  /** Allocation factor band, measured / sum of theoretical (default 0.9 to 1.1). */
  allocationFactorMin: number;
  allocationFactorMax: number;
  /** Largest |check - fiscal| / fiscal, percent (default 2). */
  checkMeterTolerancePercent: number;
  /** A test older than this many days on the day it is used is stale (default 90). */
  wellTestValidityDays: number;
}

export type ProductionFlag =
  | { kind: "check_meter_deviation"; date: string; fluid: Fluid; checkM3: number; fiscalM3: number; deviationPercent: number; tolerancePercent: number }
  | { kind: "allocation_factor"; date: string; fluid: Fluid; factor: number; min: number; max: number }
  | { kind: "stale_well_test"; date: string; wellId: string; wellTestId: string; testDate: string; ageDays: number; validityDays: number };

export interface MeterDayReading {
  date: string;
  fluid: Fluid;
  /** check meters verify; fiscal, sales and unclassified (null) ones measure. */
  service: "fiscal" | "sales" | "check" | null;
  volumeM3: number;
}

function key(date: string, fluid: Fluid): string {
  return `${date}|${fluid}`;
}

/**
 * Per day and fluid, the check meters' sum against the measuring meters' sum.
 * Flagged when both exist, the fiscal sum is > 0 and the deviation exceeds
 * the tolerance; a day with a check meter but no fiscal reading (or fiscal 0
 * and check > 0) is flagged as 100 % off, since nothing confirms it.
 */
export function checkMeterFlags(readings: readonly MeterDayReading[], tolerancePercent: number): ProductionFlag[] {
  const sums = new Map<string, { date: string; fluid: Fluid; check: number; fiscal: number; hasCheck: boolean; hasFiscal: boolean }>();
  for (const reading of readings) {
    const k = key(reading.date, reading.fluid);
    const sum = sums.get(k) ?? { date: reading.date, fluid: reading.fluid, check: 0, fiscal: 0, hasCheck: false, hasFiscal: false };
    if (reading.service === "check") {
      sum.check += reading.volumeM3;
      sum.hasCheck = true;
    } else {
      sum.fiscal += reading.volumeM3;
      sum.hasFiscal = true;
    }
    sums.set(k, sum);
  }
  const flags: ProductionFlag[] = [];
  for (const sum of sums.values()) {
    if (!sum.hasCheck || !sum.hasFiscal) continue;
    let deviationPercent: number;
    if (sum.fiscal > 0) deviationPercent = (Math.abs(sum.check - sum.fiscal) / sum.fiscal) * 100;
    else if (sum.check > 0) deviationPercent = 100;
    else continue;
    if (deviationPercent > tolerancePercent) {
      flags.push({ kind: "check_meter_deviation", date: sum.date, fluid: sum.fluid, checkM3: sum.check, fiscalM3: sum.fiscal, deviationPercent, tolerancePercent });
    }
  }
  return sortFlags(flags);
}

export interface FactorDay {
  date: string;
  fluid: Fluid;
  measuredM3: number;
  theoreticalM3: number;
}

/** measured / sum of theoretical; null when nothing was theoretical (the run's warnings cover that day). */
export function allocationFactor(measuredM3: number, theoreticalM3: number): number | null {
  if (!(theoreticalM3 > 0)) return null;
  const factor = measuredM3 / theoreticalM3;
  return Number.isFinite(factor) ? factor : null;
}

export function allocationFactorFlags(days: readonly FactorDay[], min: number, max: number): ProductionFlag[] {
  const flags: ProductionFlag[] = [];
  for (const day of days) {
    const factor = allocationFactor(day.measuredM3, day.theoreticalM3);
    if (factor !== null && (factor < min || factor > max)) flags.push({ kind: "allocation_factor", date: day.date, fluid: day.fluid, factor, min, max });
  }
  return sortFlags(flags);
}

export interface TestUseDay {
  date: string;
  wellId: string;
  wellTestId: string;
  /** When the test started (its day, UTC, counts). */
  testStartedAt: string;
}

const MS_PER_DAY = 86_400_000;

/** Whole days from the test's day to the day it is used on. */
export function testAgeDays(testStartedAt: string, date: string): number {
  const testDay = Date.parse(`${testStartedAt.slice(0, 10)}T00:00:00Z`);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - testDay) / MS_PER_DAY);
}

/** One flag per well and day whose test is older than the validity period. */
export function staleTestFlags(uses: readonly TestUseDay[], validityDays: number): ProductionFlag[] {
  const flags: ProductionFlag[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    const k = `${use.date}|${use.wellId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const ageDays = testAgeDays(use.testStartedAt, use.date);
    if (ageDays > validityDays) {
      flags.push({ kind: "stale_well_test", date: use.date, wellId: use.wellId, wellTestId: use.wellTestId, testDate: use.testStartedAt.slice(0, 10), ageDays, validityDays });
    }
  }
  return sortFlags(flags);
}

const FLUID_ORDER: Record<Fluid, number> = { oil: 0, gas: 1, water: 2 };

/** By day, then kind, then fluid or well: the order reports list them in. */
export function sortFlags(flags: ProductionFlag[]): ProductionFlag[] {
  const detail = (flag: ProductionFlag) => (flag.kind === "stale_well_test" ? flag.wellId : String(FLUID_ORDER[flag.fluid]));
  return flags.sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || detail(a).localeCompare(detail(b)));
}
