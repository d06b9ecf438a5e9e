import type { Queryable } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { invalidInput as invalid, ServiceError } from "../shared/service-error.js";
import { measuringMeterIds, readPeriodEntries } from "./allocation-inputs.js";
import { writeResults } from "./allocation-results-writer.js";
import { readFlags } from "./flag-service.js";
import type { PeriodAccess } from "./month-close-schema.js";
import { assertPeriodWritable, recordAdjustments } from "./month-close-service.js";
import { productionSettings } from "./production-settings.js";
import {
  MAX_RUN_DAYS,
  type AllocationResult,
  type AllocationRun,
  type AllocationRunCreate,
  type AllocationRunDetail,
  type AllocationRunQuery,
} from "./allocation-schema.js";
import { AllocationInputError } from "./model/allocation.js";
import { allocationSyncSummary } from "./model/allocation-sync-summary.js";
import type { Lineage } from "./model/network-allocation.js";
import type { PlannedMeasured, TestUse } from "./model/allocation-plan.js";
import { FLUIDS, type Fluid } from "./model/measured-totals.js";
import { productionDayClock, type ProductionDayClock } from "./model/production-day.js";
import { daysBetween } from "./model/uptime.js";
import { nonProducingByWell, withStatusDowntime } from "./model/well-status.js";
import { lineageForApi, planRun, type NetworkRunMeasured, type StageSummary } from "./network-run.js";
import type { Page } from "./schema.js";

/** What a run keeps of its inputs, so a report can explain it. */
export interface RunInputs {
  /** When the run was computed: open downtime counted until then. */
  computedAt: string;
  wellIds: string[];
  tankIds: string[];
  /** The meters that measured the site (fiscal, sales, unclassified); check meters are not among them. */
  meterIds: string[];
  /** Per day and fluid; a run over the register's network keeps its final points' volumes (docs/erp-production.md). */
  measured: (PlannedMeasured | NetworkRunMeasured)[];
  wellTests: TestUse[];
  /** A run over the register's network: every measurement point's measurement per day and fluid. */
  stages?: StageSummary[];
}

interface RunRow {
  id: string;
  site_asset_id: string;
  period_start: string;
  period_end: string;
  version: number;
  restates_run_id: string | null;
  reason: string | null;
  warnings: string[];
  totals: Record<Fluid, { measuredM3: string; allocatedM3: string }>;
  created_at: Date;
  created_by: string;
  prior_period_adjustment: boolean;
}

const RUN_COLUMNS = `r.id, r.site_asset_id, r.period_start::text AS period_start, r.period_end::text AS period_end, r.version,
  r.restates_run_id, r.reason, r.warnings, r.totals, r.created_at, r.created_by,
  EXISTS (SELECT 1 FROM production_prior_period_adjustments a WHERE a.entity_type = 'allocation_run' AND a.entity_id = r.id) AS prior_period_adjustment`;

function toRun(row: RunRow): AllocationRun {
  const totals = (fluid: Fluid) => ({
    measuredM3: fromNumeric(row.totals[fluid].measuredM3),
    allocatedM3: fromNumeric(row.totals[fluid].allocatedM3),
  });
  return {
    id: row.id,
    siteAssetId: row.site_asset_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    version: row.version,
    restates: row.restates_run_id,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    totals: { oil: totals("oil"), gas: totals("gas"), water: totals("water") },
    warnings: row.warnings,
    priorPeriodAdjustment: row.prior_period_adjustment,
  };
}

/** A run by id (this installation's), or null. */
export async function findRun(db: Queryable, siteId: string, runId: string): Promise<AllocationRun | null> {
  const result = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM allocation_runs r WHERE r.id = $1 AND r.site_id = $2`, [runId, siteId]);
  return result.rows[0] ? toRun(result.rows[0]) : null;
}

/** The run whose results are current for a site and day: the highest version covering the day. */
export async function currentRunFor(db: Queryable, siteId: string, siteAssetId: string, date: string): Promise<AllocationRun | null> {
  const result = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM allocation_runs r
      WHERE r.site_id = $1 AND r.site_asset_id = $2 AND $3::date BETWEEN r.period_start AND r.period_end
      ORDER BY r.version DESC LIMIT 1`,
    [siteId, siteAssetId, date],
  );
  return result.rows[0] ? toRun(result.rows[0]) : null;
}

export async function readRunInputs(db: Queryable, runId: string): Promise<RunInputs> {
  const result = await db.query<{ inputs: RunInputs }>("SELECT inputs FROM allocation_runs WHERE id = $1", [runId]);
  const row = result.rows[0];
  if (!row) throw new ServiceError("not_found", `no allocation run ${runId}`);
  return row.inputs;
}


/** Whole production days from start to end inclusive, checked: a real period of at most 31 days, not after today (the site's day). */
function periodDays(periodStart: string, periodEnd: string, now: Date, clock: ProductionDayClock): string[] {
  let days: string[];
  try {
    days = daysBetween(periodStart, periodEnd);
  } catch (error) {
    if (!(error instanceof AllocationInputError)) throw error;
    const field = error.field === "start" ? "periodStart" : "periodEnd";
    // daysBetween's only complaints: a malformed day (the schema stops those first) or an end before the start.
    throw error.field === "end" && /before/.test(error.message)
      ? invalid(field, "before_field", { other: "periodStart" }, `${field}: ${error.message}`)
      : invalid(field, "not_a_date", undefined, `${field}: ${error.message}`);
  }
  if (days.length > MAX_RUN_DAYS) {
    throw invalid("periodEnd", "period_too_long", { limit: MAX_RUN_DAYS }, `a run covers at most ${MAX_RUN_DAYS} days`);
  }
  const today = clock.dayOf(now.getTime());
  if (periodEnd > today) {
    throw invalid("periodEnd", "after_today", { today }, `periodEnd ${periodEnd} is after today (${today}, production day in ${clock.setting.timeZone})`);
  }
  return days;
}

/**
 * Allocation runs: a site's measured volumes of a period shared among its
 * wells in proportion to their theoretical production (docs/erp-production.md
 * "Allocation" has the rules). A run and its results never change; a new run
 * over an earlier run's days is a restatement with a higher version.
 */
export class AllocationService {
  /** The site's production day (UTC calendar days unless the settings say otherwise). */
  private readonly clock: ProductionDayClock;

  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {
    this.clock = productionDayClock(context.productionDay);
  }

  async createRun(input: AllocationRunCreate, actor: string, access?: PeriodAccess): Promise<AllocationRun> {
    const now = new Date();
    const days = periodDays(input.periodStart, input.periodEnd, now, this.clock);
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    const { siteId } = this.context;
    const run = await this.context.db.transaction(async (tx) => {
      const site = await this.assets.getAsset(input.siteAssetId, tx);
      if (!site) throw new ServiceError("not_found", `no asset ${input.siteAssetId}`);
      if (site.kind !== "site") throw invalid("siteAssetId", "not_a_site", undefined, `${site.code} is a ${site.kind}, not a site`);
      const wells = await this.assets.wellsUnder(site.id, tx);
      if (wells.length === 0) throw invalid("siteAssetId", "has_no_wells", undefined, `site ${site.code} has no wells to allocate to`);
      const tanks = await this.assets.tanksUnder(site.id, tx);
      const meterIds = await measuringMeterIds(this.assets, site.id, tx);

      // Runs of one site are made one at a time: versions stay gapless and a
      // restatement always sees the run it restates.
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`allocation-run:${siteId}:${site.id}`]);
      const earlier = await tx.query<{ id: string; version: number }>(
        `SELECT r.id, r.version
           FROM allocation_runs r
          WHERE r.site_id = $1 AND r.site_asset_id = $2 AND r.period_start <= $4::date AND r.period_end >= $3::date
          ORDER BY r.version DESC LIMIT 1`,
        [siteId, site.id, input.periodStart, input.periodEnd],
      );
      const restated = earlier.rows[0] ?? null;
      // A run over a closed month restates final figures: an admin with a reason only (a prior-period adjustment).
      const adjusted = await assertPeriodWritable(this.context, tx, {
        siteAssetId: site.id,
        firstDay: input.periodStart,
        lastDay: input.periodEnd,
        field: "periodStart",
        access,
        reason,
        reasonField: "reason",
      });
      if (restated && reason === null) {
        throw invalid(
          "reason",
          "restatement_needs_reason",
          { version: restated.version },
          `the period overlaps run version ${restated.version}: a restatement needs a reason`,
        );
      }
      const lastVersion = await tx.query<{ version: number | null }>(
        "SELECT max(version) AS version FROM allocation_runs WHERE site_id = $1 AND site_asset_id = $2",
        [siteId, site.id],
      );
      const version = (lastVersion.rows[0]?.version ?? 0) + 1;

      const entries = await readPeriodEntries(
        tx,
        { siteId, siteAssetId: site.id, wellIds: wells.map((well) => well.id), tanks, meterIds },
        days[0],
        days[days.length - 1],
        this.clock,
      );
      // A well shut in, suspended or abandoned in the register is down for those hours, downtime recorded or not.
      const statusByWell = nonProducingByWell(await this.assets.wellStatusChanges(wells.map((well) => well.id), tx));
      const downtimeByWell = withStatusDowntime(entries.downtimeByWell, statusByWell);
      const plan = await planRun(this.assets, tx, { ...entries, downtimeByWell, days, wells, now, meterIds, clock: this.clock });
      const inputs: RunInputs = {
        computedAt: now.toISOString(),
        wellIds: wells.map((well) => well.id),
        tankIds: tanks.map((tank) => tank.id),
        meterIds,
        measured: plan.measured,
        wellTests: plan.testUse,
        ...("stages" in plan ? { stages: plan.stages } : {}),
      };

      const runId = newId();
      const inserted = await tx.query<RunRow>(
        `INSERT INTO allocation_runs AS r (id, site_id, site_asset_id, period_start, period_end, version, restates_run_id, reason,
                                          inputs, warnings, totals, created_at, updated_at, created_by)
         VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $12, $13)
         RETURNING ${RUN_COLUMNS}`,
        [
          runId,
          siteId,
          site.id,
          input.periodStart,
          input.periodEnd,
          version,
          restated?.id ?? null,
          reason,
          JSON.stringify(inputs),
          JSON.stringify(plan.warnings),
          JSON.stringify(plan.totals),
          now,
          actor,
        ],
      );
      const resultRows = await writeResults(tx, { siteId, runId, actor }, plan.results);
      await assertBalanced(tx, runId);
      if (adjusted.length > 0 && reason !== null) {
        await recordAdjustments(this.context, tx, { siteAssetId: site.id, months: adjusted, entityType: "allocation_run", entityId: runId, reason, actor });
      }

      const created = { ...toRun(inserted.rows[0]), priorPeriodAdjustment: adjusted.length > 0 };
      // The cloud consolidates production from the outbox row alone: it carries the per-well daily volumes too.
      const field = site.parentId ? await this.assets.getAsset(site.parentId, tx) : null;
      const wellVolumes = allocationSyncSummary(site, field?.kind === "field" ? field : null, days, wells, plan.results);
      await recordChange(this.context, tx, {
        actor,
        module: "production",
        action: "production.allocation_run.create",
        entityType: "allocation_run",
        entityId: runId,
        operation: "insert",
        rowVersion: 1,
        after: created,
        outboxPayload: { ...created, wellVolumes },
        details: { resultRows, restates: created.restates, ...(adjusted.length > 0 ? { priorPeriodAdjustment: adjusted } : {}) },
      });
      return created;
    });
    this.context.events.emit("production.allocation.completed", {
      runId: run.id,
      siteAssetId: run.siteAssetId,
      periodStart: run.periodStart,
      periodEnd: run.periodEnd,
      version: run.version,
      restates: run.restates,
    });
    return run;
  }

  async listRuns(query: AllocationRunQuery): Promise<Page<AllocationRun>> {
    const where = `r.site_id = $1 AND ($2::uuid IS NULL OR r.site_asset_id = $2::uuid)
      AND ($3::date IS NULL OR $3::date BETWEEN r.period_start AND r.period_end)`;
    const params = [this.context.siteId, query.siteAssetId ?? null, query.date ?? null];
    const total = await this.context.db.query<{ total: number | string }>(`SELECT count(*) AS total FROM allocation_runs r WHERE ${where}`, params);
    const page = await this.context.db.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM allocation_runs r WHERE ${where} ORDER BY r.created_at DESC, r.version DESC LIMIT $4 OFFSET $5`,
      [...params, query.limit, query.offset],
    );
    return { items: page.rows.map(toRun), total: Number(total.rows[0]?.total ?? 0) };
  }

  async getRun(runId: string): Promise<AllocationRunDetail> {
    const run = await findRun(this.context.db, this.context.siteId, runId);
    if (!run) throw new ServiceError("not_found", `no allocation run ${runId}`);
    const result = await this.context.db.query<{
      well_id: string;
      production_date: string;
      fluid: Fluid;
      theoretical_m3: string;
      allocated_m3: string;
      uptime_hours: string;
      well_test_id: string | null;
      lineage: Lineage | null;
    }>(
      `SELECT well_id, production_date::text AS production_date, fluid, theoretical_m3::text AS theoretical_m3,
              allocated_m3::text AS allocated_m3, uptime_hours::text AS uptime_hours, well_test_id, lineage
         FROM allocation_results WHERE run_id = $1`,
      [runId],
    );
    const codes = await this.wellCodes(run.siteAssetId, result.rows.map((row) => row.well_id));
    const fluidOrder = (fluid: Fluid) => FLUIDS.indexOf(fluid);
    const results: AllocationResult[] = result.rows
      .map((row) => ({
        wellId: row.well_id,
        wellCode: codes.get(row.well_id) ?? row.well_id,
        productionDate: row.production_date,
        fluid: row.fluid,
        theoreticalM3: fromNumeric(row.theoretical_m3),
        allocatedM3: fromNumeric(row.allocated_m3),
        uptimeHours: fromNumeric(row.uptime_hours),
        wellTestId: row.well_test_id,
        ...(row.lineage ? { lineage: lineageForApi(row.lineage) } : {}),
      }))
      .sort(
        (a, b) =>
          a.productionDate.localeCompare(b.productionDate) ||
          fluidOrder(a.fluid) - fluidOrder(b.fluid) ||
          (a.wellCode < b.wellCode ? -1 : a.wellCode > b.wellCode ? 1 : 0),
      );
    const days = daysBetween(run.periodStart, run.periodEnd);
    const flags = await readFlags(
      this.context.db,
      this.assets,
      { siteId: this.context.siteId, siteAssetId: run.siteAssetId, days, runDays: new Map([[run.id, days]]) },
      productionSettings(this.context).limits,
    );
    return { ...run, results, flags };
  }

  /** Codes of the site's wells, and of wells since moved elsewhere that its results name. */
  private async wellCodes(siteAssetId: string, wellIds: readonly string[]): Promise<Map<string, string>> {
    const codes = new Map((await this.assets.wellsUnder(siteAssetId)).map((well) => [well.id, well.code]));
    for (const wellId of new Set(wellIds)) {
      if (codes.has(wellId)) continue;
      const well = await this.assets.getWell(wellId);
      if (well) codes.set(wellId, well.code);
    }
    return codes;
  }
}

/**
 * The ledger guard, in SQL inside the run's transaction: for every day and
 * fluid the run allocated, the stored results must sum to the stored measured
 * volume exactly, and no results may exist for anything else. A failure is a
 * bug, never bad input: the transaction rolls back and nothing is kept.
 */
async function assertBalanced(tx: Queryable, runId: string): Promise<void> {
  const result = await tx.query<{ production_date: string; fluid: string; measured: string | null; allocated: string | null }>(
    `WITH measured AS (
       SELECT m.date AS production_date, m.fluid, m."volumeM3" AS volume
         FROM allocation_runs r, jsonb_to_recordset(r.inputs -> 'measured') AS m(date date, fluid text, "volumeM3" numeric, allocated boolean)
        WHERE r.id = $1 AND m.allocated
     ), allocated AS (
       SELECT production_date, fluid, sum(allocated_m3) AS volume FROM allocation_results WHERE run_id = $1 GROUP BY production_date, fluid
     )
     SELECT coalesce(m.production_date, a.production_date)::text AS production_date, coalesce(m.fluid, a.fluid) AS fluid,
            m.volume::text AS measured, a.volume::text AS allocated
       FROM measured m FULL JOIN allocated a ON a.production_date = m.production_date AND a.fluid = m.fluid
      WHERE m.volume IS DISTINCT FROM a.volume`,
    [runId],
  );
  if (result.rows.length > 0) {
    const first = result.rows[0];
    throw new Error(
      `allocation run ${runId} does not balance on ${result.rows.length} day(s)/fluid(s), e.g. ${first.fluid} ${first.production_date}: measured ${first.measured}, allocated ${first.allocated}`,
    );
  }
}
