/**
 * A well's rate series for decline analysis (docs/reservoir-data.md "Rate
 * series"): volumes per day or month turned into producing-day rates, each
 * point flagged when a fit must leave it out. Pure.
 *
 * The rate is the volume over the time the well produced (uptime, or days on
 * production): a well that ran 12 h for 40 m3 produces at 80 m3/d. Shut-in
 * points (no uptime) and well-test days (flow diverted through the test
 * separator, often at other choke settings) stay in the series, excluded and
 * saying why, so the screen can show them and the fit can skip them.
 */

export type RateFlag = "shutIn" | "test" | "noVolume";
export type RateInterval = "daily" | "monthly";

export interface RatePoint {
  /** First day of the point's period (YYYY-MM-DD). */
  date: string;
  /** Calendar days the point covers (1 for a day, 28..31 for a month). */
  periodDays: number;
  /** Volume of the period (m3; Sm3 for gas); null when nothing was reported. */
  volume: number | null;
  /** Days the well produced in the period; null when the source does not say (calendar days are used). */
  daysOn: number | null;
  /** Volume per producing day; null for a shut-in or empty point. */
  rate: number | null;
  /** Why a fit leaves the point out; empty when it counts. */
  flags: RateFlag[];
  excluded: boolean;
}

export interface DailyVolume {
  date: string;
  volume: number | null;
  /** Hours the well produced that day; null when unknown (the whole day is assumed). */
  uptimeHours: number | null;
  /** Day length in hours (24, or 23/25 across a clock change). */
  dayHours?: number;
  wellTest?: boolean;
}

export interface PeriodVolume {
  date: string;
  periodDays: number;
  volume: number | null;
  daysOn: number | null;
}

function point(date: string, periodDays: number, volume: number | null, daysOn: number | null, extraFlags: RateFlag[]): RatePoint {
  const flags: RateFlag[] = [];
  const producingDays = daysOn ?? periodDays;
  if (daysOn !== null && daysOn <= 0) flags.push("shutIn");
  else if (volume === null) flags.push("noVolume");
  for (const flag of extraFlags) if (!flags.includes(flag)) flags.push(flag);
  const rate = volume !== null && producingDays > 0 && !flags.includes("shutIn") ? volume / producingDays : null;
  return { date, periodDays, volume, daysOn, rate, flags, excluded: flags.length > 0 };
}

/** Daily points from daily volumes and uptime. */
export function dailyPoints(days: readonly DailyVolume[]): RatePoint[] {
  return days.map((day) => {
    const dayHours = day.dayHours ?? 24;
    const daysOn = day.uptimeHours === null ? null : Math.min(day.uptimeHours / dayHours, 1);
    return point(day.date, 1, day.volume, daysOn, day.wellTest ? ["test"] : []);
  });
}

/** Points of stored periods (imported history: a day or a month each). */
export function periodPoints(periods: readonly PeriodVolume[]): RatePoint[] {
  return periods.map((period) => point(period.date, period.periodDays, period.volume, period.daysOn, []));
}

function daysInMonth(month: string): number {
  const [year, monthNumber] = month.split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/**
 * Months from daily points: volumes and producing days summed. A month is
 * shut in when the well never produced in it; test days and empty days do
 * not exclude a month (their volumes are part of its production).
 */
export function monthlyPoints(daily: readonly RatePoint[]): RatePoint[] {
  const months = new Map<string, { volume: number | null; daysOn: number }>();
  for (const day of daily) {
    const month = day.date.slice(0, 7);
    const entry = months.get(month) ?? { volume: null, daysOn: 0 };
    if (day.volume !== null) entry.volume = (entry.volume ?? 0) + day.volume;
    entry.daysOn += day.daysOn ?? day.periodDays;
    months.set(month, entry);
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, entry]) => point(`${month}-01`, daysInMonth(month), entry.volume, entry.daysOn, []));
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysFrom(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
