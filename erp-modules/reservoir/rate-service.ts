import type { Role } from "../../runtime/auth/roles.js";
import { HistoryQueryError } from "../../runtime/historian/history-queries.js";
import type { ProductionService } from "../production/service.js";
import type { AssetLookup, WellRef } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { invalidInput, ServiceError } from "../shared/service-error.js";
import type { HistoryService } from "./history-service.js";
import { periodDays } from "./model/history-csv.js";
import { dailyPoints, monthlyPoints, periodPoints, type DailyVolume, type RatePoint } from "./model/rate-series.js";
import type { RateQuery, RateSeries, ReservoirFluid } from "./rate-schema.js";

/*
 * A well's rate series from one of three sources (docs/reservoir-data.md
 * "Rate series"): the production module's current allocation, imported
 * history, or a rate tag's history. Read-only.
 */

const DAY_MS = 86_400_000;
/** Default span of the allocated and tag sources when `from` is not given. */
const DEFAULT_SPAN_DAYS = 730;
/** The most days one daily series spans (the fit engine takes at most 20,000 points). */
const MAX_SPAN_DAYS = 20_000;
const TAG_POINT: Record<ReservoirFluid, string> = { oil: "OIL_RATE", gas: "GAS_RATE", water: "WATER_RATE" };

export function rateUnitOf(fluid: ReservoirFluid): "m3/d" | "Sm3/d" {
  return fluid === "gas" ? "Sm3/d" : "m3/d";
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function spanDays(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

export class RateService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly production: ProductionService,
    private readonly history: HistoryService,
  ) {}

  /** The series; `role` guards a tag source by the tag's read role. */
  async series(wellId: string, query: RateQuery, role: Role): Promise<RateSeries> {
    const well = await this.assets.getWell(wellId);
    if (!well) throw new ServiceError("not_found", `no well ${wellId}`);
    const to = query.to ?? new Date().toISOString().slice(0, 10);
    const from = query.from ?? (query.source === "history" ? null : addDays(to, -DEFAULT_SPAN_DAYS));
    if (from !== null && from > to) throw invalidInput("query.to", "before_field", { other: "from" });
    if (from !== null && query.source !== "history" && spanDays(from, to) > MAX_SPAN_DAYS) {
      throw invalidInput("query.from", "period_too_long", { limit: MAX_SPAN_DAYS });
    }
    const interval = query.interval ?? (query.source === "history" ? "monthly" : "daily");
    let tagPath: string | null = null;
    let daily: RatePoint[];
    let points: RatePoint[];
    if (query.source === "allocated") {
      daily = await this.allocated(well, query.fluid, from ?? to, to);
      points = interval === "monthly" ? monthlyPoints(daily) : daily;
    } else if (query.source === "tag") {
      tagPath = query.tagPath ?? `${this.context.siteId}/${well.code}/${TAG_POINT[query.fluid]}`;
      daily = await this.fromTag(tagPath, query.fluid, from ?? to, to, role);
      points = interval === "monthly" ? monthlyPoints(daily) : daily;
    } else {
      points = await this.fromHistory(well.id, query.fluid, from, to, interval);
    }
    return { wellId: well.id, wellCode: well.code, fluid: query.fluid, source: query.source, interval, from, to, unit: rateUnitOf(query.fluid), tagPath, points };
  }

  /** Daily points of the current allocation: uptime 0 is a shut-in day, a well-test day is flagged. */
  async allocated(well: WellRef, fluid: ReservoirFluid, from: string, to: string): Promise<RatePoint[]> {
    const [days, testDays] = await Promise.all([
      this.production.wellSeries.allocatedDays(well.id, fluid, from, to),
      this.production.wellSeries.wellTestDays(well.id, from, to),
    ]);
    const tests = new Set(testDays);
    return dailyPoints(
      days.map((day): DailyVolume => ({ date: day.date, volume: day.volume, uptimeHours: day.uptimeHours, dayHours: day.dayHours, wellTest: tests.has(day.date) })),
    );
  }

  private async fromHistory(wellId: string, fluid: ReservoirFluid, from: string | null, to: string, interval: "daily" | "monthly"): Promise<RatePoint[]> {
    const rows = await this.history.currentRows(wellId, from, to);
    const volumeOf = (row: (typeof rows)[number]) => (fluid === "oil" ? row.oilVolumeM3 : fluid === "gas" ? row.gasVolumeSm3 : row.waterVolumeM3);
    const monthly = periodPoints(
      rows
        .filter((row) => row.frequency === "monthly")
        .map((row) => ({ date: row.periodStart, periodDays: periodDays(row.periodStart, "monthly"), volume: volumeOf(row), daysOn: row.daysOnProduction })),
    );
    const daily = periodPoints(
      rows.filter((row) => row.frequency === "daily").map((row) => ({ date: row.periodStart, periodDays: 1, volume: volumeOf(row), daysOn: row.daysOnProduction })),
    );
    const merged = interval === "monthly" ? [...monthly, ...monthlyPoints(daily)] : [...monthly, ...daily];
    return merged.sort((a, b) => a.date.localeCompare(b.date));
  }

  /** Daily time-weighted averages of a rate tag (UTC days): a zero average is a shut-in day, a day without values is left out. */
  private async fromTag(tagPath: string, fluid: ReservoirFluid, from: string, to: string, role: Role): Promise<RatePoint[]> {
    const history = this.context.tagHistory;
    if (!history) throw invalidInput("query.source", "not_allowed", undefined, "this site has no historian to read a tag from");
    if (!history.mayRead(tagPath, role)) throw new ServiceError("not_found", `no tag ${tagPath}`, { field: "query.tagPath", reason: "unknown_tag" });
    try {
      const [tag] = await history.queries.resolve([tagPath]);
      const expected = rateUnitOf(fluid);
      if (tag.unit !== expected) throw invalidInput("query.tagPath", "not_a_rate_tag", { unit: tag.unit, fluid, expected });
      const range = { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY_MS };
      const { buckets } = await history.queries.bucketsOf(tag, range, DAY_MS);
      return dailyPoints(
        buckets
          .filter((bucket) => bucket.count > 0 && bucket.twa !== null)
          .map((bucket): DailyVolume => {
            const rate = Math.max(bucket.twa ?? 0, 0);
            return { date: new Date(bucket.t).toISOString().slice(0, 10), volume: rate, uptimeHours: rate > 0 ? null : 0 };
          }),
      );
    } catch (error) {
      if (error instanceof HistoryQueryError) {
        throw new ServiceError(error.code, error.message, error.code === "not_found" ? { field: "query.tagPath", reason: "unknown_tag" } : error.details);
      }
      throw error;
    }
  }
}
