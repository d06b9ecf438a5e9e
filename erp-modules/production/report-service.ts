import type { NetworkRunMeasured } from "./network-run.js";
import type { Queryable } from "../../runtime/db/database.js";
import type { AssetLookup, AssetRef, WellRef } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { ServiceError, serviceError } from "../shared/service-error.js";
import { measuringMeterIds, periodBounds, readLatestGauges, readPeriodEntries, type PeriodEntries } from "./allocation-inputs.js";
import { currentRunFor, findRun, readRunInputs } from "./allocation-service.js";
import type { AllocationRun } from "./allocation-schema.js";
import { fromUnits, toUnits } from "./model/allocation.js";
import { FLUIDS, measuredTotal, type Fluid, type MeasuredTotal } from "./model/measured-totals.js";
import { productionDayClock, type ProductionDayClock } from "./model/production-day.js";
import { reconciliationOf } from "./model/reconciliation.js";
import { deferredVolume, testInEffect, wellDay, type ApprovedTest } from "./model/theoretical.js";
import { daysBetween, downtimeHoursByLabel, uptimeHoursOn } from "./model/uptime.js";
import { DEFERRING_STATUSES, nonProducingByWell } from "./model/well-status.js";
import { netLiftGas, formationGasRate } from "./model/gas-lift.js";
import { dailyGasLift, liftRatesByTest, type GasLiftWellDay } from "./report-gas-lift.js";
import { readFlags } from "./flag-service.js";
import { MonthCloseService } from "./month-close-service.js";
import { wellRatios } from "./model/well-ratios.js";
import { productionSettings } from "./production-settings.js";
import type { ReportOptions } from "./report-labels.js";
import {
  reportConditions,
  type DailyReport,
  type DailyReportQuery,
  type DailyWell,
  type MonthlyReport,
  type MonthlyReportQuery,
  type MonthlyWell,
  type ReconciliationView,
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

/** A day's ratios from what was allocated, or from the theoretical volumes where the run allocated nothing. */
function dailyRatios(well: DailyWell): DailyWell["ratios"] {
  const volume = (fluid: Fluid) => well[fluid].allocatedM3 ?? well[fluid].theoreticalM3;
  return wellRatios({ oilM3: volume("oil"), gasSm3: volume("gas"), waterM3: volume("water") });
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
  /** The site's production day (UTC calendar days unless the settings say otherwise). */
  private readonly clock: ProductionDayClock;
  private readonly months: MonthCloseService;

  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {
    this.clock = productionDayClock(context.productionDay);
    this.months = new MonthCloseService(context, assets);
  }

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
      this.clock,
    );
    const dayHours = this.clock.hoursOf(query.date);
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
    const gasLiftWells: GasLiftWellDay[] = [];
    const liftRates = new Map([...liftRatesByTest(entries), ...[...runTests].map(([id, test]) => [id, test.liftGasInjectionSm3PerDay] as const)]);
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
      const hoursWithoutPotential = dayHours - uptimeHoursOn(query.date, withoutPotential, now, this.clock);
      const anyResult = byFluid ? [...byFluid.values()][0] : undefined;
      const tests = entries.testsByWell.get(well.id) ?? [];
      const computed = wellDay(query.date, tests, [...downtime, ...withoutPotential], now, this.clock);
      const uptimeHours = anyResult ? fromNumeric(anyResult.uptime_hours) : computed.uptimeHours;
      // Deferred hours: down, but not for want of potential (the union's hours less the suspended/abandoned ones).
      const uptimeForDeferment = Math.min(dayHours, uptimeHours + hoursWithoutPotential);
      const test = anyResult
        ? anyResult.well_test_id === null
          ? null
          : (runTests.get(anyResult.well_test_id) ?? null)
        : testInEffect(tests, query.date, this.clock);
      const volumes = (fluid: Fluid) => {
        const result = byFluid?.get(fluid);
        if (result) return { theoreticalM3: fromNumeric(result.theoretical_m3), allocatedM3: fromNumeric(result.allocated_m3) };
        return { theoreticalM3: fromNumeric(computed.theoreticalM3[fluid]), allocatedM3: null };
      };
      const byReason = downtimeHoursByLabel(
        query.date,
        downtime.map((event) => ({ ...event, label: event.reasonCode })),
        now,
        this.clock,
      );
      gasLiftWells.push({
        wellId: well.id,
        liftGasInjectionSm3PerDay: test ? (liftRates.get(test.id) ?? null) : null,
        uptimeHours,
        gasAllocatedM3: volumes("gas").allocatedM3,
        oilAllocatedM3: volumes("oil").allocatedM3,
      });
      reportWells.push({
        wellId: well.id,
        code: well.code,
        name: well.name,
        uptimeHours,
        downtime: [...byReason].map(([reasonCode, hours]) => ({ reasonCode, hours })),
        oil: volumes("oil"),
        gas: volumes("gas"),
        water: volumes("water"),
        deferredOilM3: fromNumeric(deferredVolume(test, "oil", uptimeForDeferment, dayHours)),
        deferredGasM3: fromNumeric(deferredVolume(test, "gas", uptimeForDeferment, dayHours)),
        deferredWaterM3: fromNumeric(deferredVolume(test, "water", uptimeForDeferment, dayHours)),
        ratios: { waterCutPercent: null, gorSm3PerM3: null, worM3PerM3: null },
      });
    }
    for (const well of reportWells) well.ratios = dailyRatios(well);

    const fluidTotals = (fluid: Fluid) => {
      const allocated = reportWells.flatMap((well) => (well[fluid].allocatedM3 === null ? [] : [well[fluid].allocatedM3]));
      return {
        theoreticalM3: sumVolumes(reportWells.map((well) => well[fluid].theoreticalM3)),
        allocatedM3: allocated.length > 0 ? sumVolumes(allocated) : null,
      };
    };

    const { to: dayEnd } = periodBounds(query.date, query.date, this.clock);
    const measured = await this.measuredOfDay(run, query.date, entries);
    const tankById = new Map(tanks.map((tank) => [tank.id, tank]));
    const gauges = await readLatestGauges(db, siteId, [...tankById.keys()], dayEnd);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      date: query.date,
      run: run ? { id: run.id, version: run.version, createdAt: run.createdAt, priorPeriodAdjustment: run.priorPeriodAdjustment } : null,
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
      measured: Object.fromEntries(FLUIDS.map((fluid) => [fluid, measured[fluid] ? fromNumeric(measured[fluid].volumeM3) : null])) as DailyReport["measured"],
      reconciliation: { oil: reconciliationView(measured.oil), water: reconciliationView(measured.water) },
      gasLift: dailyGasLift(query.date, gasLiftWells, entries),
      conditions: reportConditions(this.context.standardConditions),
      ...(await this.closeAndFlags(site.id, [query.date], run ? new Map([[run.id, [query.date]]]) : new Map())),
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
    const runs = await db.query<{ run_id: string; days: string[] }>(
      `${current} SELECT run_id, array_agg(day::text ORDER BY day) AS days FROM current_runs GROUP BY run_id ORDER BY max(version)`,
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
        ratios: row ? wellRatios({ oilM3: fromNumeric(row.oil), gasSm3: fromNumeric(row.gas), waterM3: fromNumeric(row.water) }) : wellRatios({ oilM3: 0, gasSm3: 0, waterM3: 0 }),
      };
    });
    const closeAndFlags = await this.closeAndFlags(site.id, days, new Map(runs.rows.map((row) => [row.run_id, row.days])));
    const month = await this.months.state(site.id, query.month);
    const priorPeriodRuns = await db.query<{ entity_id: string }>(
      "SELECT DISTINCT entity_id FROM production_prior_period_adjustments WHERE entity_type = 'allocation_run' AND entity_id = ANY($1::uuid[])",
      [runs.rows.map((row) => row.run_id)],
    );
    const total = (pick: (row: (typeof totals.rows)[number]) => string) => sumVolumes(totals.rows.map(pick));
    return {
      site: { id: site.id, code: site.code, name: site.name },
      month: query.month,
      wells: monthlyWells,
      totals: { oilM3: total((row) => row.oil), gasM3: total((row) => row.gas), waterM3: total((row) => row.water), uptimeHours: total((row) => row.uptime) },
      runs: runs.rows.map((row) => row.run_id),
      conditions: reportConditions(this.context.standardConditions),
      priorPeriodRuns: priorPeriodRuns.rows.map((row) => row.entity_id),
      ...closeAndFlags,
      adjustments: month.adjustments,
    };
  }

  // --- issue 10 section 2: flags and month close in the reports ---------------

  /** Language and units of a report file: the request's choice, else the site's settings. */
  fileOptions(query: { lang?: ReportOptions["lang"]; units?: ReportOptions["units"] }): ReportOptions {
    const site = productionSettings(this.context);
    return { lang: query.lang ?? site.siteLanguage, units: query.units ?? site.unitSystem, standardConditions: site.standardConditions };
  }

  /** The flags of the days (each by its current run) and the close state of their month. */
  private async closeAndFlags(
    siteAssetId: string,
    days: readonly string[],
    runDays: ReadonlyMap<string, readonly string[]>,
  ): Promise<Pick<DailyReport, "flags" | "close">> {
    const flags = await readFlags(this.context.db, this.assets, { siteId: this.context.siteId, siteAssetId, days, runDays }, productionSettings(this.context).limits);
    const month = await this.months.state(siteAssetId, days[0].slice(0, 7));
    return { flags, close: { closed: month.closed, closedAt: month.closedAt, closedBy: month.closedBy } };
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
  private async measuredOfDay(run: AllocationRun | null, date: string, entries: PeriodEntries): Promise<Record<Fluid, MeasuredTotal | NetworkRunMeasured | null>> {
    const measured: Record<Fluid, MeasuredTotal | NetworkRunMeasured | null> = { oil: null, gas: null, water: null };
    if (run) {
      const inputs = await readRunInputs(this.context.db, run.id);
      for (const total of inputs.measured) if (total.date === date) measured[total.fluid] = total;
      return measured;
    }
    for (const fluid of FLUIDS) {
      const outcome = measuredTotal(date, fluid, entries, this.clock);
      measured[fluid] = (fluid === "gas" ? netLiftGas(outcome, date, entries) : outcome).total;
    }
    return measured;
  }
}

/** A measured total's reconciliation in the report's numbers; null unless it came from meters and stock. */
function reconciliationView(total: MeasuredTotal | NetworkRunMeasured | null): ReconciliationView | null {
  // A network run reconciles per measurement point, in its stages; the site-level view applies to site-level totals.
  const reconciliation = reconciliationOf(total?.source === "network" ? null : total);
  if (!reconciliation) return null;
  return {
    meterM3: fromNumeric(reconciliation.meterM3),
    stockChangeM3: fromNumeric(reconciliation.stockChangeM3),
    shippedM3: fromNumeric(reconciliation.shippedM3),
    measuredM3: fromNumeric(reconciliation.measuredM3),
    tankBalanceM3: fromNumeric(reconciliation.tankBalanceM3),
    differenceM3: fromNumeric(reconciliation.differenceM3),
  };
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

/** Tests by id; their gas rate is the formation gas rate, as allocation used it (model/gas-lift.ts). */
async function readTestsById(db: Queryable, siteId: string, ids: readonly string[]): Promise<Map<string, ApprovedTest & { liftGasInjectionSm3PerDay: string | null }>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<{ id: string; started_at: Date; oil: string; gas: string; water: string; lift: string | null }>(
    `SELECT id, started_at, oil_rate_m3_per_day::text AS oil, gas_rate_sm3_per_day::text AS gas, water_rate_m3_per_day::text AS water,
            lift_gas_injection_sm3_per_day::text AS lift
       FROM well_tests WHERE site_id = $1 AND id = ANY($2::uuid[])`,
    [siteId, [...ids]],
  );
  return new Map(
    result.rows.map((row) => [
      row.id,
      {
        id: row.id,
        startedAt: new Date(row.started_at),
        oilRateM3PerDay: row.oil,
        gasRateSm3PerDay: formationGasRate(row.gas, row.lift).formationGasRateSm3PerDay,
        waterRateM3PerDay: row.water,
        liftGasInjectionSm3PerDay: row.lift,
      },
    ]),
  );
}
