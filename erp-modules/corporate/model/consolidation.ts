/**
 * Consolidated production from the allocation runs sites sent (pure; docs/corporate.md).
 * A day's figures come from the run that is current for it at its site: the
 * highest version covering the day, as the site itself reads them
 * (production's currentRunFor). A restatement is a new run with a higher
 * version, so it replaces the earlier run's days it covers and only those.
 */

export interface NamedRef {
  id: string;
  code: string;
  name: string;
}

/** An allocation run as its outbox row carries it (erp-modules/production, wellVolumes since this release). */
export interface SyncedRun {
  /** The sync site (Petroflow installation) that sent it. */
  siteId: string;
  id: string;
  /** The register's site asset (pad, battery) the run allocated. */
  siteAssetId: string;
  periodStart: string;
  periodEnd: string;
  version: number;
  wellVolumes?: {
    site: NamedRef;
    field: NamedRef | null;
    days: string[];
    wells: { id: string; code: string; oilM3: number[]; gasM3: number[]; waterM3: number[] }[];
  };
}

export interface WellDay {
  siteId: string;
  siteAsset: NamedRef;
  field: NamedRef | null;
  wellId: string;
  wellCode: string;
  /** Production day, YYYY-MM-DD. */
  day: string;
  runId: string;
  runVersion: number;
  oilM3: number;
  gasSm3: number;
  waterM3: number;
}

export interface CurrentVolumes {
  wellDays: WellDay[];
  /** Runs sent before runs carried per-well volumes: they cannot be split by day and are left out. */
  runsWithoutVolumes: number;
}

/**
 * Per well and day, the volumes of the run current for that day (the highest
 * version covering it at its sync site and site asset), restricted to
 * [fromDay, toDay]. Sorted by site, site asset code, day, well code.
 */
export function currentWellDays(runs: readonly SyncedRun[], fromDay: string, toDay: string): CurrentVolumes {
  const current = new Map<string, SyncedRun>();
  let runsWithoutVolumes = 0;
  for (const run of runs) {
    if (!run.wellVolumes) {
      runsWithoutVolumes += 1;
      continue;
    }
    for (const day of run.wellVolumes.days) {
      if (day < fromDay || day > toDay) continue;
      const key = `${run.siteId}\u0000${run.siteAssetId}\u0000${day}`;
      const held = current.get(key);
      if (!held || run.version > held.version) current.set(key, run);
    }
  }
  const wellDays: WellDay[] = [];
  for (const [key, run] of current) {
    const volumes = run.wellVolumes;
    if (!volumes) continue;
    const day = key.slice(key.lastIndexOf("\u0000") + 1);
    const index = volumes.days.indexOf(day);
    for (const well of volumes.wells) {
      wellDays.push({
        siteId: run.siteId,
        siteAsset: volumes.site,
        field: volumes.field,
        wellId: well.id,
        wellCode: well.code,
        day,
        runId: run.id,
        runVersion: run.version,
        oilM3: well.oilM3[index] ?? 0,
        gasSm3: well.gasM3[index] ?? 0,
        waterM3: well.waterM3[index] ?? 0,
      });
    }
  }
  wellDays.sort(
    (a, b) =>
      compare(a.siteId, b.siteId) || compare(a.siteAsset.code, b.siteAsset.code) || compare(a.day, b.day) || compare(a.wellCode, b.wellCode),
  );
  return { wellDays, runsWithoutVolumes };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface MonthlyProduction {
  siteId: string;
  /** Field code, or null for sites hanging under no field. */
  fieldCode: string | null;
  fieldName: string | null;
  /** YYYY-MM. */
  month: string;
  oilM3: number;
  gasSm3: number;
  waterM3: number;
  /** Wells with a result in the month, and production days covered by a run. */
  wells: number;
  days: number;
}

/** Sums kept to 6 decimals: JSON need not carry float noise from many additions of 6-decimal volumes. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Production by sync site, field and month (sorted the same way). */
export function monthlyBySiteAndField(wellDays: readonly WellDay[]): MonthlyProduction[] {
  const groups = new Map<string, { row: MonthlyProduction; wells: Set<string>; days: Set<string> }>();
  for (const wellDay of wellDays) {
    const month = wellDay.day.slice(0, 7);
    const key = `${wellDay.siteId}\u0000${wellDay.field?.code ?? ""}\u0000${month}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        row: { siteId: wellDay.siteId, fieldCode: wellDay.field?.code ?? null, fieldName: wellDay.field?.name ?? null, month, oilM3: 0, gasSm3: 0, waterM3: 0, wells: 0, days: 0 },
        wells: new Set(),
        days: new Set(),
      };
      groups.set(key, group);
    }
    group.row.oilM3 += wellDay.oilM3;
    group.row.gasSm3 += wellDay.gasSm3;
    group.row.waterM3 += wellDay.waterM3;
    group.wells.add(wellDay.wellId);
    group.days.add(wellDay.day);
  }
  return [...groups.values()]
    .map(({ row, wells, days }) => ({ ...row, oilM3: round6(row.oilM3), gasSm3: round6(row.gasSm3), waterM3: round6(row.waterM3), wells: wells.size, days: days.size }))
    .sort((a, b) => compare(a.siteId, b.siteId) || compare(a.fieldCode ?? "", b.fieldCode ?? "") || compare(a.month, b.month));
}

/** Every YYYY-MM-DD from the first day of `fromMonth` to the last of `toMonth`: the range's bounds. */
export function monthBounds(fromMonth: string, toMonth: string): { fromDay: string; toDay: string } {
  const [year, month] = toMonth.split("-").map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { fromDay: `${fromMonth}-01`, toDay: `${toMonth}-${String(last).padStart(2, "0")}` };
}
