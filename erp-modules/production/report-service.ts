import type { Queryable } from "../../runtime/db/database.js";
import type { AssetLookup, AssetRef, WellRef } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { ServiceError, serviceError } from "../shared/service-error.js";
import { measuringMeterIds, periodBounds, readLatestGauges, readPeriodEntries, type PeriodEntries } from "./allocation-inputs.js";
import { currentRunFor, findRun, readRunInputs } from "./allocation-service.js";
import type { AllocationRun } from "./allocation-schema.js";
import { fromUnits, theoreticalVolume, toUnits } from "./model/allocation.js";
import { FLUIDS, measuredTotal, type Fluid } from "./model/measured-totals.js";
import { deferredVolume, rateOf, testInEffect, type ApprovedTest } from "./model/theoretical.js";
import { daysBetween, downtimeHoursByLabel, uptimeHoursOn } from "./model/uptime.js";
import { DEFERRING_STATUSES, nonProducingByWell } from "./model/well-status.js";
import {
  reportConditions,
  type DailyReport,
  type DailyReportQuery,
  type DailyWell,
  type MonthlyReport,
  type MonthlyReportQuery,
  type MonthlyWell,
} from "./report-schema.js";

interface ResultRow {
  well_id: string;
  fluid: Fluid;
  theoretical_m3: string;
  allocated_m3: string;
  uptime_hours: string;
  well_test_id: string | null;
}

/** Sums decimal strings exactly (integer units), for totals that must match the rows they add up. */
function sumVolumes(values: readonly (string | number)[]): number {
  return fromNumeric(fromUnits(values.reduce<bigint>((sum, value) => sum + toUnits(value), 0n)));
}

function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

/**
 * Daily and monthly production reports: what an allocation run gave each
 * well, with the day's downtime, deferment, tank stocks and shipments.
 * Reads only (no audit): the runs are the record.
 */
export class ReportService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {}

  async daily(query: DailyReportQuery): Promise<DailyReport> {
    const db = this.context.db;
    const { siteId } = this.context;
    const site = await this.site(query.siteAssetId);
    const run = await this.runFor(site, query.date, query.runId);
    const wells = await this.assets.wellsUnder(site.id);
    const tanks = await this.assets.tanksUnder(site.id);
    const now = new Date();

    const entries = await readPeriodEntries(
      db,
      { siteId, siteAssetId: site.id, wellIds: wells.map((well) => well.id), tanks, meterIds: await measuringMeterIds(this.assets, site.id) },
      query.date,
      query.date,
    );
    const results = run ? await readDayResults(db, run.id, query.date) : [];
    const resultsByWell = new Map<string, Map<Fluid, ResultRow>>();
    for (const row of results) {
      const byFluid = resultsByWell.get(row.well_id) ?? new Map<Fluid, ResultRow>();
      byFluid.set(row.fluid, row);
      resultsByWell.set(row.well_id, byFluid);
    }
    // The run explains its own numbers: the tests it used, even if a newer one was approved since.
    const runTestIds = [...new Set(results.flatMap((row) => (row.well_test_id ? [row.well_test_id] : [])))];
    const runTests = await readTestsById(db, siteId, runTestIds);

    const reportWells: DailyWell[] = [];
    const reportedWells = await this.withResultWells(wells, [...resultsByWell.keys()]);
    const statusByWell = nonProducingByWell(await this.assets.wellStatusChanges(reportedWells.map((well) => well.id)));
    for (const well of reportedWells) {
      const byFluid = resultsByWell.get(well.id);
      const recorded = entries.downtimeByWell.get(well.id) ?? [];
      const statusSpans = statusByWell.get(well.id) ?? [];
      // A shut-in span reads as the operator's shut-in; suspended and abandoned spans are down time without potential.
      const downtime = [
        ...recorded,
        ...statusSpans.filter((span) => DEFERRING_STATUSES.has(span.status)).map((span) => ({ ...span, reasonCode: "shut_in_by_operator" as const })),
      ];
      const withoutPotential = statusSpans.filter((span) => !DEFERRING_STATUSES.has(span.status));
      const hoursWithoutPotential = 24 - uptimeHoursOn(query.date, withoutPotential, now);
      const anyResult = byFluid ? [...byFluid.values()][0] : undefined;
      const uptimeHours = anyResult ? fromNumeric(anyResult.uptime_hours) : uptimeHoursOn(query.date, [...downtime, ...withoutPotential], now);
      // Deferred hours: down, but not for want of potential (the union's hours less the suspended/abandoned ones).
      const uptimeForDeferment = Math.min(24, uptimeHours + hoursWithoutPotential);
      const test = anyResult
        ? anyResult.well_test_id === null
          ? null
          : (runTests.get(anyResult.well_test_id) ?? null)
        : testInEffect(entries.testsByWell.get(well.id) ?? [], query.date);
      const volumes = (fluid: Fluid) => {
        const result = byFluid?.get(fluid);
        if (result) return { theoreticalM3: fromNumeric(result.theoretical_m3), allocatedM3: fromNumeric(result.allocated_m3) };
        return { theoreticalM3: fromNumeric(theoreticalVolume(test ? rateOf(test, fluid) : 0, uptimeHours)), allocatedM3: null };
      };
      const byReason = downtimeHoursByLabel(
        query.date,
        downtime.map((event) => ({ ...event, label: event.reasonCode })),
        now,
      );
      reportWells.push({
        wellId: well.id,
        code: well.code,
        name: well.name,
        uptimeHours,
        downtime: [...byReason].map(([reasonCode, hours]) => ({ reasonCode, hours })),
        oil: volumes("oil"),
        gas: volumes("gas"),
        water: volumes("water"),
        deferredOilM3: fromNumeric(deferredVolume(test, "oil", uptimeForDeferment)),
        deferredGasM3: fromNumeric(deferredVolume(test, "gas", uptimeForDeferment)),
        deferredWaterM3: fromNumeric(deferredVolume(test, "water", uptimeForDeferment)),
      });
    }

    const fluidTotals = (fluid: Fluid) => {
      const allocated = reportWells.flatMap((well) => (well[fluid].allocatedM3 === null ? [] : [well[fluid].allocatedM3]));
      return {
        theoreticalM3: sumVolumes(reportWells.map((well) => well[fluid].theoreticalM3)),
        allocatedM3: allocated.length > 0 ? sumVolumes(allocated) : null,
      };
    };

    const { to: dayEnd } = periodBounds(query.date, query.date);
    const tankById = new Map(tanks.map((tank) => [tank.id, tank]));
    const gauges = await readLatestGauges(db, siteId, [...tankById.keys()], dayEnd);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      date: query.date,
      run: run ? { id: run.id, version: run.version, createdAt: run.createdAt } : null,
      wells: reportWells,
      totals: {
        oil: fluidTotals("oil"),
        gas: fluidTotals("gas"),
        water: fluidTotals("water"),
        deferredOilM3: sumVolumes(reportWells.map((well) => well.deferredOilM3)),
        deferredGasM3: sumVolumes(reportWells.map((well) => well.deferredGasM3)),
        deferredWaterM3: sumVolumes(reportWells.map((well) => well.deferredWaterM3)),
      },
      tanks: gauges
        .map((gauge) => ({
          tankId: gauge.tank_id,
          code: tankById.get(gauge.tank_id)?.code ?? gauge.tank_id,
          name: tankById.get(gauge.tank_id)?.name ?? "",
          levelM: fromNumeric(gauge.level_m),
          volumeM3: fromNumeric(gauge.volume_m3),
          gaugedAt: new Date(gauge.gauged_at).toISOString(),
        }))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
      shipments: entries.runTickets.map((ticket) => ({
        ticketNumber: ticket.ticketNumber,
        shippedAt: ticket.shippedAt.toISOString(),
        fluid: ticket.fluid,
        volumeM3: fromNumeric(ticket.volumeM3),
        destination: ticket.destination,
        carrier: ticket.carrier,
      })),
      measured: await this.measuredOfDay(run, query.date, entries),
      conditions: reportConditions(this.context.standardConditions),
    };
  }

  async monthly(query: MonthlyReportQuery): Promise<MonthlyReport> {
    const db = this.context.db;
    const site = await this.site(query.siteAssetId);
    const days = daysBetween(`${query.month}-01`, lastDayOfMonth(query.month));
    const current = `WITH days AS (
        SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d
      ), current_runs AS (
        SELECT DISTINCT ON (days.day) days.day, r.id AS run_id, r.version
          FROM days JOIN allocation_runs r
            ON r.site_id = $1 AND r.site_asset_id = $2 AND days.day BETWEEN r.period_start AND r.period_end
         ORDER BY days.day, r.version DESC
      )`;
    const params = [this.context.siteId, site.id, days[0], days[days.length - 1]];
    const totals = await db.query<{ well_id: string; oil: string; gas: string; water: string; uptime: string; days: number | string }>(
      `${current}, per_day AS (
         SELECT res.well_id, res.production_date,
                coalesce(sum(res.allocated_m3) FILTER (WHERE res.fluid = 'oil'), 0) AS oil,
                coalesce(sum(res.allocated_m3) FILTER (WHERE res.fluid = 'gas'), 0) AS gas,
                coalesce(sum(res.allocated_m3) FILTER (WHERE res.fluid = 'water'), 0) AS water,
                max(res.uptime_hours) AS uptime
           FROM current_runs c JOIN allocation_results res ON res.run_id = c.run_id AND res.production_date = c.day
          GROUP BY res.well_id, res.production_date
       )
       SELECT well_id, sum(oil)::text AS oil, sum(gas)::text AS gas, sum(water)::text AS water, sum(uptime)::text AS uptime, count(*) AS days
         FROM per_day GROUP BY well_id`,
      params,
    );
    const runs = await db.query<{ run_id: string }>(
      `${current} SELECT run_id FROM current_runs GROUP BY run_id ORDER BY max(version)`,
      params,
    );
    const byWell = new Map(totals.rows.map((row) => [row.well_id, row]));
    const wells = await this.withResultWells(await this.assets.wellsUnder(site.id), [...byWell.keys()]);
    const monthlyWells: MonthlyWell[] = wells.map((well) => {
      const row = byWell.get(well.id);
      return {
        wellId: well.id,
        code: well.code,
        name: well.name,
        oilM3: row ? fromNumeric(row.oil) : 0,
        gasM3: row ? fromNumeric(row.gas) : 0,
        waterM3: row ? fromNumeric(row.water) : 0,
        uptimeHours: row ? fromNumeric(row.uptime) : 0,
        days: row ? Number(row.days) : 0,
      };
    });
    const total = (pick: (row: (typeof totals.rows)[number]) => string) => sumVolumes(totals.rows.map(pick));
    return {
      site: { id: site.id, code: site.code, name: site.name },
      month: query.month,
      wells: monthlyWells,
      totals: { oilM3: total((row) => row.oil), gasM3: total((row) => row.gas), waterM3: total((row) => row.water), uptimeHours: total((row) => row.uptime) },
      runs: runs.rows.map((row) => row.run_id),
      conditions: reportConditions(this.context.standardConditions),
    };
  }

  private async site(siteAssetId: string): Promise<AssetRef> {
    const site = await this.assets.getAsset(siteAssetId);
    if (!site) throw new ServiceError("not_found", `no asset ${siteAssetId}`);
    if (site.kind !== "site") {
      throw serviceError("invalid_input", "siteAssetId", "not_a_site", undefined, `${site.code} is a ${site.kind}, not a site`);
    }
    return site;
  }

  /** The run asked for (it must be the site's and cover the date), else the current one. */
  private async runFor(site: AssetRef, date: string, runId: string | undefined): Promise<AllocationRun | null> {
    if (runId === undefined) return currentRunFor(this.context.db, this.context.siteId, site.id, date);
    const run = await findRun(this.context.db, this.context.siteId, runId);
    if (!run) throw new ServiceError("not_found", `no allocation run ${runId}`);
    if (run.siteAssetId !== site.id || date < run.periodStart || date > run.periodEnd) {
      throw serviceError("invalid_input", "runId", "run_does_not_cover", undefined, `run ${runId} does not cover ${site.code} on ${date}`);
    }
    return run;
  }

  /** The site's wells, and any well since moved elsewhere that the results still name; ordered by code. */
  private async withResultWells(wells: readonly WellRef[], resultWellIds: readonly string[]): Promise<WellRef[]> {
    const known = new Set(wells.map((well) => well.id));
    const all = [...wells];
    for (const wellId of resultWellIds) {
      if (known.has(wellId)) continue;
      const well = await this.assets.getWell(wellId);
      if (well) all.push(well);
    }
    return all.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  /** The run's measured totals for the day when it has them; otherwise measured now, by the same rules. */
  private async measuredOfDay(
    run: AllocationRun | null,
    date: string,
    entries: PeriodEntries,
  ): Promise<DailyReport["measured"]> {
    const measured: DailyReport["measured"] = { oil: null, gas: null, water: null };
    if (run) {
      const inputs = await readRunInputs(this.context.db, run.id);
      for (const total of inputs.measured) if (total.date === date) measured[total.fluid] = fromNumeric(total.volumeM3);
      return measured;
    }
    for (const fluid of FLUIDS) {
      const total = measuredTotal(date, fluid, entries).total;
      measured[fluid] = total ? fromNumeric(total.volumeM3) : null;
    }
    return measured;
  }
}

async function readDayResults(db: Queryable, runId: string, date: string): Promise<ResultRow[]> {
  const result = await db.query<ResultRow>(
    `SELECT well_id, fluid, theoretical_m3::text AS theoretical_m3, allocated_m3::text AS allocated_m3,
            uptime_hours::text AS uptime_hours, well_test_id
       FROM allocation_results WHERE run_id = $1 AND production_date = $2::date`,
    [runId, date],
  );
  return result.rows;
}

async function readTestsById(db: Queryable, siteId: string, ids: readonly string[]): Promise<Map<string, ApprovedTest>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<{ id: string; started_at: Date; oil: string; gas: string; water: string }>(
    `SELECT id, started_at, oil_rate_m3_per_day::text AS oil, gas_rate_sm3_per_day::text AS gas, water_rate_m3_per_day::text AS water
       FROM well_tests WHERE site_id = $1 AND id = ANY($2::uuid[])`,
    [siteId, [...ids]],
  );
  return new Map(
    result.rows.map((row) => [
      row.id,
      { id: row.id, startedAt: new Date(row.started_at), oilRateM3PerDay: row.oil, gasRateSm3PerDay: row.gas, waterRateM3PerDay: row.water },
    ]),
  );
}
