/**
 * A well's theoretical production of a day: the rates of the approved well
 * tests in effect × the hours it was up / 24. Pure; the caller reads the
 * approved tests and the non-voided downtime.
 *
 * When a test applies: from the instant it started. A test started before the
 * day applies from the day's start; one started during the day applies from
 * its start on, pro rata: the day's theoretical volume is the old test's rates
 * × the uptime hours before the new test started + the new test's rates × the
 * uptime hours after it, summed exactly and rounded once. A test started at
 * the day's end (00:00 of the next day with the default clock) belongs to the
 * next day only. Rates are per 24 hours whatever the day's length (a 25-hour
 * day at full uptime gives 25/24 of the rate).
 */
import { theoreticalVolumeOfPeriods } from "./allocation.js";
import type { Fluid } from "./measured-totals.js";
import { UTC_CLOCK, type ProductionDayClock } from "./production-day.js";
import { uptimeHoursIn, uptimeHoursOn, type DowntimeInterval } from "./uptime.js";

export interface ApprovedTest {
  id: string;
  startedAt: Date;
  oilRateM3PerDay: string;
  gasRateSm3PerDay: string;
  waterRateM3PerDay: string;
}

export interface WellDay {
  uptimeHours: number;
  /** The day's length in hours (24, or 23 / 25 across a clock change). */
  dayHours: number;
  /** The approved test in effect at the day's end, null when the well has none yet. */
  wellTestId: string | null;
  /** Every approved test used on the day, oldest first (two when a test started during the day). */
  wellTestIds: string[];
  theoreticalM3: Record<Fluid, string>;
}

/** a later than b: started later, then greater id. */
function isLater(a: ApprovedTest, b: ApprovedTest): boolean {
  const byTime = a.startedAt.getTime() - b.startedAt.getTime();
  return byTime !== 0 ? byTime > 0 : a.id > b.id;
}

/** The latest approved test started before `beforeMs` (strictly; ties on the start: greater id). */
function latestBefore(tests: readonly ApprovedTest[], beforeMs: number): ApprovedTest | null {
  let found: ApprovedTest | null = null;
  for (const test of tests) {
    if (test.startedAt.getTime() >= beforeMs) continue;
    if (!found || isLater(test, found)) found = test;
  }
  return found;
}

/**
 * The test in effect at the end of a day: the latest approved test started strictly before the day's end
 * (ties: greater id). A test started exactly at the end of the day starts the next day.
 */
export function testInEffect(tests: readonly ApprovedTest[], day: string, clock: ProductionDayClock = UTC_CLOCK): ApprovedTest | null {
  return latestBefore(tests, clock.bounds(day).endMs);
}

export function rateOf(test: ApprovedTest, fluid: Fluid): string {
  if (fluid === "oil") return test.oilRateM3PerDay;
  return fluid === "gas" ? test.gasRateSm3PerDay : test.waterRateM3PerDay;
}

interface TestPeriod {
  test: ApprovedTest | null;
  startMs: number;
  endMs: number;
}

/** The day cut at each test started inside it: each part with the test in effect over it. */
export function testPeriods(tests: readonly ApprovedTest[], day: string, clock: ProductionDayClock = UTC_CLOCK): TestPeriod[] {
  const { startMs, endMs } = clock.bounds(day);
  const periods: TestPeriod[] = [{ test: latestBefore(tests, startMs + 1), startMs, endMs }];
  const starting = tests
    .filter((test) => test.startedAt.getTime() > startMs && test.startedAt.getTime() < endMs)
    .sort((a, b) => (isLater(a, b) ? 1 : -1));
  for (const test of starting) {
    const last = periods[periods.length - 1];
    const cutMs = test.startedAt.getTime();
    // Two tests started at the same instant: the greater id (sorted last) wins, as in testInEffect.
    if (cutMs === last.startMs) last.test = test;
    else {
      last.endMs = cutMs;
      periods.push({ test, startMs: cutMs, endMs });
    }
  }
  return periods;
}

/** Uptime and theoretical volumes of one well on one day; open downtime runs to `now`. */
export function wellDay(
  day: string,
  tests: readonly ApprovedTest[],
  downtime: readonly DowntimeInterval[],
  now: Date,
  clock: ProductionDayClock = UTC_CLOCK,
): WellDay {
  const uptimeHours = uptimeHoursOn(day, downtime, now, clock);
  const periods = testPeriods(tests, day, clock);
  // One period (the usual day): its hours are the day's uptime; several: the uptime within each.
  const hours = periods.length === 1 ? [uptimeHours] : periods.map((period) => uptimeHoursIn(period, downtime, now));
  const theoretical = (fluid: Fluid) =>
    theoreticalVolumeOfPeriods(periods.map((period, index) => ({ ratePerDay: period.test ? rateOf(period.test, fluid) : 0, hours: hours[index] })));
  const used = periods.flatMap((period) => (period.test ? [period.test.id] : []));
  return {
    uptimeHours,
    dayHours: clock.hoursOf(day),
    wellTestId: periods[periods.length - 1].test?.id ?? null,
    wellTestIds: [...new Set(used)],
    theoreticalM3: { oil: theoretical("oil"), gas: theoretical("gas"), water: theoretical("water") },
  };
}

/** Volume not produced because of downtime: rate × (the day's hours − uptime) / 24 (0 without a test). */
export function deferredVolume(test: ApprovedTest | null, fluid: Fluid, uptimeHours: number, dayHours = 24): string {
  const downHours = Math.max(0, Math.round((dayHours - uptimeHours) * 1e6) / 1e6);
  return theoreticalVolumeOfPeriods([{ ratePerDay: test ? rateOf(test, fluid) : 0, hours: downHours }]);
}
