/**
 * Gas lift and gas disposition rules (docs/erp-production.md "Gas lift and
 * gas disposition"). Pure; exact decimal strings in integer units like the
 * rest of allocation (model/allocation.ts).
 *
 * A gas-lift well's separator gas is its formation gas plus the lift gas
 * injected into it, which returns with the production. Only formation gas is
 * production:
 * - A well test's formation gas rate = its separator gas rate − the lift gas
 *   injected during the test, never below 0 (a test with more lift gas than
 *   gas is flagged: its formation gas is taken as 0).
 * - A site's measured formation gas of a day = the gas its meters measured −
 *   the lift gas returned, which is the lift gas sent to the wells that day
 *   (the day's `lift_recycle` gas dispositions). Never below 0 (flagged).
 * - The gas balance of a day: measured gas = sales + fuel + flare + vent +
 *   lift recycle; the difference is shown, not hidden.
 */
import { fromUnits, theoreticalVolume, toUnits } from "./allocation.js";
import type { MeasuredOutcome, MeasuredTotal } from "./measured-totals.js";

export const GAS_DISPOSITION_KINDS = ["sales", "fuel", "flare", "vent", "lift_recycle"] as const;
export type GasDispositionKind = (typeof GAS_DISPOSITION_KINDS)[number];

export interface GasDispositionEntry {
  id: string;
  productionDate: string;
  disposition: GasDispositionKind;
  volumeSm3: string;
}

/** An approved test that recorded lift gas (the reader gives these besides the tests themselves). */
export interface LiftGasTest {
  id: string;
  wellId: string;
  /** Separator gas of the test. */
  gasRateSm3PerDay: string;
  liftGasInjectionSm3PerDay: string;
}

/** What allocation needs besides its entries to net lift gas out. */
export interface GasLiftInputs {
  /** Non-voided gas dispositions of the site over the period. */
  gasDispositions?: readonly GasDispositionEntry[];
  /** The period's approved tests that recorded lift gas. */
  liftGasTests?: readonly LiftGasTest[];
}

/** A measured gas total with lift gas netted out: volumeM3 is the formation gas. */
export interface NettedGasTotal extends MeasuredTotal {
  /** Gas the meters measured (formation + lift gas returned). */
  separatorGasM3: string;
  liftGasReturnedM3: string;
  gasDispositionIds: string[];
}

export interface FormationGasRate {
  formationGasRateSm3PerDay: string;
  /** The lift gas recorded exceeds the separator gas: formation gas taken as 0. */
  liftGasExceedsGas: boolean;
}

/** gas − lift gas injected, never below 0; no lift gas recorded = all of it is formation gas. */
export function formationGasRate(gasRateSm3PerDay: string | number, liftGasInjectionSm3PerDay: string | number | null): FormationGasRate {
  const gasUnits = toUnits(gasRateSm3PerDay);
  const netUnits = liftGasInjectionSm3PerDay === null ? gasUnits : gasUnits - toUnits(liftGasInjectionSm3PerDay);
  return { formationGasRateSm3PerDay: fromUnits(netUnits > 0n ? netUnits : 0n), liftGasExceedsGas: netUnits < 0n };
}

/** Lift gas injected into a well over a day: its test's lift rate × uptime / 24 (0 without lift gas). */
export function liftGasInjected(liftGasInjectionSm3PerDay: string | number | null, uptimeHours: number): string {
  return theoreticalVolume(liftGasInjectionSm3PerDay ?? 0, uptimeHours);
}

function sumUnits(entries: readonly GasDispositionEntry[]): bigint {
  return entries.reduce((sum, entry) => sum + toUnits(entry.volumeSm3), 0n);
}

/** The lift gas sent to the wells on a day (its lift_recycle dispositions), or null when none was recorded. */
export function liftGasReturned(day: string, dispositions: readonly GasDispositionEntry[]): { volumeSm3: string; ids: string[] } | null {
  const lift = dispositions.filter((entry) => entry.productionDate === day && entry.disposition === "lift_recycle");
  if (lift.length === 0) return null;
  return { volumeSm3: fromUnits(sumUnits(lift)), ids: lift.map((entry) => entry.id).sort() };
}

/**
 * The day's measured gas outcome with the lift gas returned taken off. Without
 * a lift-recycle entry the measured gas stays as it is; when the period has
 * gas-lift tests, a warning says the lift gas is still in it.
 */
export function netLiftGas(outcome: MeasuredOutcome, day: string, inputs: GasLiftInputs): MeasuredOutcome {
  const total = outcome.total;
  if (!total) return outcome;
  const lift = liftGasReturned(day, inputs.gasDispositions ?? []);
  if (!lift) {
    if ((inputs.liftGasTests ?? []).length === 0) return outcome;
    return {
      total,
      warnings: [...outcome.warnings, `gas on ${day}: no lift-gas recycle recorded, so the measured gas (lift gas included) is allocated as formation gas`],
    };
  }
  const netUnits = toUnits(total.volumeM3) - toUnits(lift.volumeSm3);
  const netted: NettedGasTotal = {
    ...total,
    volumeM3: fromUnits(netUnits > 0n ? netUnits : 0n),
    separatorGasM3: total.volumeM3,
    liftGasReturnedM3: lift.volumeSm3,
    gasDispositionIds: lift.ids,
  };
  const warnings =
    netUnits < 0n
      ? [`gas on ${day}: lift gas returned ${lift.volumeSm3} Sm3 exceeds the measured ${total.volumeM3} Sm3: 0 formation gas allocated; check the meters and the lift-gas entry`]
      : [];
  return { total: netted, warnings: [...outcome.warnings, ...warnings] };
}

/** Warnings for approved tests whose lift gas exceeds their separator gas. */
export function liftGasTestWarnings(tests: readonly LiftGasTest[], codeOf: (wellId: string) => string): string[] {
  return tests
    .filter((test) => formationGasRate(test.gasRateSm3PerDay, test.liftGasInjectionSm3PerDay).liftGasExceedsGas)
    .map(
      (test) =>
        `well ${codeOf(test.wellId)} test ${test.id}: lift gas injected ${test.liftGasInjectionSm3PerDay} Sm3/d exceeds the separator gas ${test.gasRateSm3PerDay} Sm3/d: formation gas taken as 0`,
    );
}

export interface GasBalanceFigures {
  measuredSm3: string | null;
  bySm3: Record<GasDispositionKind, string>;
  /** Sum of every disposition of the day. */
  disposedSm3: string;
  /** measured − disposed; null without a measured volume. */
  differenceSm3: string | null;
  /** measured − lift recycle, never below 0; null without a measured volume. */
  formationSm3: string | null;
}

/** A day's gas balance: measured gas = sales + fuel + flare + vent + lift recycle (+ the difference). */
export function gasBalance(day: string, measuredSm3: string | null, dispositions: readonly GasDispositionEntry[]): GasBalanceFigures {
  const ofDay = dispositions.filter((entry) => entry.productionDate === day);
  const by = Object.fromEntries(
    GAS_DISPOSITION_KINDS.map((kind) => [kind, fromUnits(sumUnits(ofDay.filter((entry) => entry.disposition === kind)))]),
  ) as Record<GasDispositionKind, string>;
  const disposedUnits = sumUnits(ofDay);
  if (measuredSm3 === null) return { measuredSm3, bySm3: by, disposedSm3: fromUnits(disposedUnits), differenceSm3: null, formationSm3: null };
  const measuredUnits = toUnits(measuredSm3);
  const formationUnits = measuredUnits - toUnits(by.lift_recycle);
  return {
    measuredSm3: fromUnits(measuredUnits),
    bySm3: by,
    disposedSm3: fromUnits(disposedUnits),
    differenceSm3: fromUnits(measuredUnits - disposedUnits),
    formationSm3: fromUnits(formationUnits > 0n ? formationUnits : 0n),
  };
}

/** Gas-oil ratio, Sm3/m3; null without oil. */
export function gasOilRatio(gasSm3: number, oilM3: number): number | null {
  return oilM3 > 0 ? gasSm3 / oilM3 : null;
}
