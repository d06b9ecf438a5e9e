import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import type { Fluid } from "./entry-schemas.js";
import { siteAbove } from "./entry-service.js";
import { fromNumeric } from "../shared/numeric.js";
import { productionDayClock, type ProductionDayClock } from "./model/production-day.js";

/** One production day of a well as its current allocation run gave it. */
export interface AllocatedWellDay {
  date: string;
  /** Allocated volume of the fluid (m3; Sm3 for gas). */
  volume: number;
  uptimeHours: number;
  /** The day's length in hours (24, or 23/25 across a clock change). */
  dayHours: number;
}

/**
 * Read-only views of one well's production for other modules (reservoir's
 * rate series, its shortfall check): the allocated volumes of the current
 * runs per day, and the days of its approved well tests. Other modules call
 * these instead of reading production's tables.
 */
export class WellSeriesService {
  private readonly clock: ProductionDayClock;

  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {
    this.clock = productionDayClock(context.productionDay);
  }

  /**
   * Per production day from..to (inclusive), the well's allocated volume of
   * the fluid from the day's current run of its site (the highest version
   * covering the day, as reports take it). Days no run covers or without the
   * fluid are absent; a well that is under no site has none.
   */
  async allocatedDays(wellId: string, fluid: Fluid, from: string, to: string): Promise<AllocatedWellDay[]> {
    const well = await this.assets.getWell(wellId);
    if (!well) return [];
    const siteAssetId = await siteAbove(this.assets, well.parentId, "wellId").catch(() => null);
    if (siteAssetId === null) return [];
    const rows = await this.context.db.query<{ day: string; allocated: string; uptime: string }>(
      `WITH days AS (
         SELECT d::date AS day FROM generate_series($4::date, $5::date, interval '1 day') AS d
       ), current_runs AS (
         SELECT DISTINCT ON (days.day) days.day, r.id AS run_id
           FROM days JOIN allocation_runs r
             ON r.site_id = $1 AND r.site_asset_id = $6 AND days.day BETWEEN r.period_start AND r.period_end
          ORDER BY days.day, r.version DESC
       )
       SELECT c.day::text AS day, res.allocated_m3::text AS allocated, res.uptime_hours::text AS uptime
         FROM current_runs c JOIN allocation_results res ON res.run_id = c.run_id AND res.production_date = c.day
        WHERE res.well_id = $2 AND res.fluid = $3
        ORDER BY c.day`,
      [this.context.siteId, wellId, fluid, from, to, siteAssetId],
    );
    return rows.rows.map((row) => ({ date: row.day, volume: fromNumeric(row.allocated), uptimeHours: fromNumeric(row.uptime), dayHours: this.clock.hoursOf(row.day) }));
  }

  /** The production days (from..to) on which an approved well test of the well ran. */
  async wellTestDays(wellId: string, from: string, to: string): Promise<string[]> {
    const fromMs = this.clock.bounds(from).startMs;
    const toMs = this.clock.bounds(to).endMs;
    const tests = await this.context.db.query<{ started_at: Date; duration_hours: string }>(
      `SELECT started_at, duration_hours::text AS duration_hours FROM well_tests
        WHERE site_id = $1 AND well_id = $2 AND status = 'approved'
          AND started_at < $4 AND started_at + duration_hours * interval '1 hour' > $3`,
      [this.context.siteId, wellId, new Date(fromMs), new Date(toMs)],
    );
    const days = new Set<string>();
    for (const test of tests.rows) {
      const startMs = new Date(test.started_at).getTime();
      const endMs = startMs + fromNumeric(test.duration_hours) * 3_600_000;
      // Every production day the test touched: its first, its last and each in between.
      for (let day = this.clock.dayOf(startMs); ; ) {
        if (day >= from && day <= to) days.add(day);
        const next = this.clock.bounds(day).endMs;
        if (next >= endMs) break;
        day = this.clock.dayOf(next);
      }
    }
    return [...days].sort();
  }
}
