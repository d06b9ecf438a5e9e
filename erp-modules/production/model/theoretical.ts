/**
 * A well's theoretical production of a day: the rates of the approved well
 * test in effect × the hours it was up / 24. Pure; the caller reads the
 * approved tests and the non-voided downtime.
 */
import { theoreticalVolume } from "./allocation.js";
import type { Fluid } from "./measured-totals.js";
import { dayStartMs } from "./measured-totals.js";
import { uptimeHoursOn, type DowntimeInterval } from "./uptime.js";

export interface ApprovedTest {
  id: string;
  startedAt: Date;
  oilRateM3PerDay: string;
  gasRateSm3PerDay: string;
  waterRateM3PerDay: string;
}

export interface WellDay {
  uptimeHours: number;
  /** The approved test in effect, null when the well has none yet. */
  wellTestId: string | null;
  theoreticalM3: Record<Fluid, string>;
}

const MS_PER_DAY = 86_400_000;

/** The test in effect on a day: the latest approved test started before the day's end (ties: greater id). */
export function testInEffect(tests: readonly ApprovedTest[], day: string): ApprovedTest | null {
  const dayEndMs = dayStartMs(day) + MS_PER_DAY;
  let found: ApprovedTest | null = null;
  for (const test of tests) {
    const startedMs = test.startedAt.getTime();
    if (startedMs > dayEndMs) continue;
    if (!found) {
      found = test;
      continue;
    }
    const foundMs = found.startedAt.getTime();
    if (startedMs > foundMs || (startedMs === foundMs && test.id > found.id)) found = test;
  }
  return found;
}

export function rateOf(test: ApprovedTest, fluid: Fluid): string {
  if (fluid === "oil") return test.oilRateM3PerDay;
  return fluid === "gas" ? test.gasRateSm3PerDay : test.waterRateM3PerDay;
}

/** Uptime and theoretical volumes of one well on one day; open downtime runs to `now`. */
export function wellDay(day: string, tests: readonly ApprovedTest[], downtime: readonly DowntimeInterval[], now: Date): WellDay {
  const uptimeHours = uptimeHoursOn(day, downtime, now);
  const test = testInEffect(tests, day);
  const theoretical = (fluid: Fluid) => (test ? theoreticalVolume(rateOf(test, fluid), uptimeHours) : theoreticalVolume(0, uptimeHours));
  return {
    uptimeHours,
    wellTestId: test?.id ?? null,
    theoreticalM3: { oil: theoretical("oil"), gas: theoretical("gas"), water: theoretical("water") },
  };
}

/** Volume not produced because of downtime: rate × downtime hours / 24 (0 without a test). */
export function deferredVolume(test: ApprovedTest | null, fluid: Fluid, uptimeHours: number): string {
  return theoreticalVolume(test ? rateOf(test, fluid) : 0, 24 - uptimeHours);
}
