/*
 * MTBF and MTTR from corrective work orders (docs/erp-maintenance.md
 * "Reliability"). Each failure is a work order that was done, from the time
 * the equipment failed (the order's failure time, else its request) to the
 * time it was back (the order's completion).
 *
 * MTBF = operating time between failures / failures, where the operating
 * time is the observed period minus the repair times; MTTR = total repair
 * time / repairs. Null when there is nothing to divide by.
 */

export interface FailureRecord {
  failedAt: number;
  restoredAt: number;
  failureCode: string | null;
}

export interface Reliability {
  failures: number;
  /** Hours; null without a failure. */
  mtbfHours: number | null;
  /** Hours; null without a failure. */
  mttrHours: number | null;
}

const HOUR_MS = 3_600_000;

export function reliability(failures: readonly FailureRecord[], period: { from: number; to: number }): Reliability {
  const inside = failures.filter((failure) => failure.failedAt >= period.from && failure.failedAt < period.to && failure.restoredAt >= failure.failedAt);
  if (inside.length === 0) return { failures: 0, mtbfHours: null, mttrHours: null };
  const repairMs = inside.reduce((sum, failure) => sum + (Math.min(failure.restoredAt, period.to) - failure.failedAt), 0);
  const upMs = Math.max(period.to - period.from - repairMs, 0);
  return { failures: inside.length, mtbfHours: upMs / inside.length / HOUR_MS, mttrHours: repairMs / inside.length / HOUR_MS };
}

/** The same per failure code (no code: key ""). */
export function reliabilityByCode(failures: readonly FailureRecord[], period: { from: number; to: number }): Map<string, Reliability> {
  const codes = new Map<string, FailureRecord[]>();
  for (const failure of failures) {
    const key = failure.failureCode ?? "";
    codes.set(key, [...(codes.get(key) ?? []), failure]);
  }
  return new Map([...codes].map(([code, list]) => [code, reliability(list, period)]));
}
