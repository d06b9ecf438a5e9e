import type { Queryable } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { SettingsSchema } from "../../settings.js";
import type { AssetLookup, AssetRef, WellRef } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import type { GasLiftPlan, GasLiftPlanner } from "./gas-lift-planner.js";
import type {
  Run,
  RunCreateInput,
  RunNetValue,
  RunRejectInput,
  RunSetpoint,
  RunStatus,
  RunSummary,
  SetpointWrite,
  SiteGas,
  SiteGasInput,
  WellLimits,
  WellLimitsInput,
  WriteOutcome,
} from "./gas-lift-run-schema.js";
import type { GasLiftObjective } from "./gas-lift-schema.js";

/*
 * The gas-lift closed loop (docs/optimization-closed-loop.md): an engineer
 * sets each well's injection limits, creates a run (the planner's curves and
 * allocation, stored as proposed), approves or rejects it. Only an approved
 * run is handed to the flow that writes the setpoints (startWrites), and the
 * flow reports each write back (recordWrite). Every step is one transaction
 * with its audit and outbox rows.
 */

const MODULE = "optimization";
export const RUN_APPROVED_EVENT = "optimization.gas_lift_run.approved";

/** A setpoint the flow is to write now. */
export interface SetpointToWrite {
  runId: string;
  setpointId: string;
  wellId: string;
  wellCode: string;
  tagPath: string;
  valueSm3PerDay: number;
}

/** What the flow reports of one write. */
export interface WriteReport {
  outcome: Exclude<WriteOutcome, "refused">;
  readBackSm3PerDay?: number | null;
  detail?: string | null;
}

interface LimitsRow {
  id: string;
  well_id: string;
  min_injection_sm3_per_day: string;
  max_injection_sm3_per_day: string;
  setpoint_tag_path: string;
  row_version: number;
  updated_by: string;
  updated_at: Date;
}

interface RunRow {
  id: string;
  site_asset_id: string;
  status: RunStatus;
  gas_available_sm3_per_day: string;
  gas_source: "request" | "compressor";
  inputs: { curves: Record<string, { injectionSm3PerDay: number; oilM3PerDay: number }[]> };
  /** objective and netValue are absent from runs made before objectives were offered (oil). */
  result: { expectedOilM3PerDay: number; expectedOilGainM3PerDay: number; marginalOilM3PerSm3: number | null; objective?: GasLiftObjective; netValue?: RunNetValue };
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  writes_started_at: Date | null;
  writes_finished_at: Date | null;
  created_by: string;
  created_at: Date;
  row_version: number;
  /** Minutes since created_at, and since decided_at, by the database's clock. */
  age_minutes: string;
  decided_age_minutes: string | null;
}

interface SetpointRow {
  id: string;
  well_id: string;
  well_code: string;
  tag_path: string;
  current_injection_sm3_per_day: string | null;
  recommended_injection_sm3_per_day: string;
  current_oil_m3_per_day: string | null;
  expected_oil_m3_per_day: string;
  min_injection_sm3_per_day: string;
  max_injection_sm3_per_day: string;
}

interface WriteRow {
  id: string;
  setpoint_id: string;
  outcome: WriteOutcome;
  value_sm3_per_day: string;
  read_back_sm3_per_day: string | null;
  detail: string | null;
  created_by: string;
  written_at: Date;
}

const RUN_COLUMNS = `id, site_asset_id, status, gas_available_sm3_per_day::text AS gas_available_sm3_per_day, gas_source, inputs, result,
  decided_by, decided_at, reason, writes_started_at, writes_finished_at, created_by, created_at, row_version,
  (extract(epoch FROM now() - created_at) / 60)::text AS age_minutes,
  (extract(epoch FROM now() - decided_at) / 60)::text AS decided_age_minutes`;

const LIMIT_COLUMNS = `id, well_id, min_injection_sm3_per_day::text AS min_injection_sm3_per_day, max_injection_sm3_per_day::text AS max_injection_sm3_per_day,
  setpoint_tag_path, row_version, updated_by, updated_at`;

interface SiteGasRow {
  id: string;
  compressor_capacity_sm3_per_day: string;
  row_version: number;
  updated_by: string;
  updated_at: Date;
}

const SITE_GAS_COLUMNS = "id, compressor_capacity_sm3_per_day::text AS compressor_capacity_sm3_per_day, row_version, updated_by, updated_at";

function toSiteGas(siteAssetId: string, row: SiteGasRow | undefined): SiteGas {
  return {
    siteAssetId,
    compressorCapacitySm3PerDay: row ? fromNumeric(row.compressor_capacity_sm3_per_day) : null,
    rowVersion: row?.row_version ?? null,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

const iso = (value: Date | null): string | null => (value === null ? null : new Date(value).toISOString());

function toLimits(row: LimitsRow, wellCode: string): WellLimits {
  return {
    id: row.id,
    wellId: row.well_id,
    wellCode,
    minInjectionSm3PerDay: fromNumeric(row.min_injection_sm3_per_day),
    maxInjectionSm3PerDay: fromNumeric(row.max_injection_sm3_per_day),
    setpointTagPath: row.setpoint_tag_path,
    rowVersion: row.row_version,
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    siteAssetId: row.site_asset_id,
    status: row.status,
    gasAvailableSm3PerDay: fromNumeric(row.gas_available_sm3_per_day),
    gasSource: row.gas_source,
    expectedOilM3PerDay: row.result.expectedOilM3PerDay,
    expectedOilGainM3PerDay: row.result.expectedOilGainM3PerDay,
    marginalOilM3PerSm3: row.result.marginalOilM3PerSm3,
    objective: row.result.objective ?? "oil",
    netValue: row.result.netValue ?? null,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    reason: row.reason,
    writesStartedAt: iso(row.writes_started_at),
    writesFinishedAt: iso(row.writes_finished_at),
    rowVersion: row.row_version,
  };
}

function toWrite(row: WriteRow): SetpointWrite {
  return {
    id: row.id,
    outcome: row.outcome,
    valueSm3PerDay: fromNumeric(row.value_sm3_per_day),
    readBackSm3PerDay: fromNumericOrNull(row.read_back_sm3_per_day),
    detail: row.detail,
    by: row.created_by,
    at: new Date(row.written_at).toISOString(),
  };
}

/** A setpoint outside [min, max]: the 409 names the well, the value and the limits. */
function outsideLimits(field: string, wellCode: string, value: number, min: number, max: number): ServiceError {
  return serviceError("conflict", field, "outside_gas_lift_limits", { well: wellCode, value, min, max });
}

/** What a run whose every setpoint has a write ends as. */
function finalStatus(outcomes: readonly WriteOutcome[]): RunStatus {
  const confirmed = outcomes.filter((outcome) => outcome === "confirmed").length;
  if (confirmed === outcomes.length) return "sent";
  return confirmed === 0 ? "failed" : "partially_failed";
}

export class GasLiftRunService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly planner: GasLiftPlanner,
  ) {}

  /** settings.setpointApprovalMaxAgeMinutes, or its default. */
  get maxApprovalAgeMinutes(): number {
    return this.context.settings?.setpointApprovalMaxAgeMinutes ?? (SettingsSchema.properties.setpointApprovalMaxAgeMinutes as { default: number }).default;
  }

  /** The limits of the gas-lift wells under a site, by well code (wells without limits are absent). */
  async listLimits(siteAssetId: string): Promise<WellLimits[]> {
    const site = await this.site(siteAssetId);
    const wells = (await this.assets.wellsUnder(site.id)).filter((well) => well.liftType === "gas_lift");
    const limits = await this.readLimits(this.context.db, wells.map((well) => well.id));
    return wells.flatMap((well) => {
      const row = limits.get(well.id);
      return row ? [toLimits(row, well.code)] : [];
    });
  }

  /** Sets (creates or replaces) a gas-lift well's injection limits and setpoint tag. */
  async setLimits(wellId: string, input: WellLimitsInput, actor: string): Promise<WellLimits> {
    const well = await this.assets.getWell(wellId);
    if (!well) throw new ServiceError("not_found", `no well ${wellId}`);
    if (well.liftType !== "gas_lift") throw invalidInput("wellId", "not_a_gas_lift_well", undefined, `${well.code} is not a gas-lift well`);
    if (input.maxInjectionSm3PerDay < input.minInjectionSm3PerDay) {
      throw invalidInput("maxInjectionSm3PerDay", "limit_below_other", { other: "minInjectionSm3PerDay", otherLimit: input.minInjectionSm3PerDay });
    }
    return this.context.db.transaction(async (tx) => {
      const existing = (await this.readLimits(tx, [well.id], true)).get(well.id);
      if (existing && input.expectedRowVersion !== undefined && existing.row_version !== input.expectedRowVersion) {
        throw serviceError("stale", "expectedRowVersion", "changed_since_read", { current: existing.row_version, sent: input.expectedRowVersion });
      }
      const values = [String(input.minInjectionSm3PerDay), String(input.maxInjectionSm3PerDay), input.setpointTagPath, actor];
      const result = existing
        ? await tx.query<LimitsRow>(
            `UPDATE gas_lift_well_limits SET min_injection_sm3_per_day = $2, max_injection_sm3_per_day = $3, setpoint_tag_path = $4,
                    updated_by = $5, updated_at = now(), row_version = row_version + 1
              WHERE id = $1 RETURNING ${LIMIT_COLUMNS}`,
            [existing.id, ...values],
          )
        : await tx.query<LimitsRow>(
            `INSERT INTO gas_lift_well_limits (id, site_id, well_id, min_injection_sm3_per_day, max_injection_sm3_per_day, setpoint_tag_path, created_by, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${LIMIT_COLUMNS}`,
            [newId(), this.context.siteId, well.id, ...values],
          );
      const limits = toLimits(result.rows[0], well.code);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "optimization.gas_lift_limits.set",
        entityType: "gas_lift_well_limits",
        entityId: limits.id,
        operation: existing ? "update" : "insert",
        rowVersion: limits.rowVersion,
        before: existing ? toLimits(existing, well.code) : undefined,
        after: limits,
      });
      return limits;
    });
  }

  /** The site's compressor capacity (null until set). */
  async siteGas(siteAssetId: string): Promise<SiteGas> {
    const site = await this.site(siteAssetId);
    const row = await this.readSiteGas(this.context.db, site.id);
    return toSiteGas(site.id, row);
  }

  /** Sets the site's lift-gas compressor capacity. */
  async setSiteGas(siteAssetId: string, input: SiteGasInput, actor: string): Promise<SiteGas> {
    const site = await this.site(siteAssetId);
    return this.context.db.transaction(async (tx) => {
      const existing = await this.readSiteGas(tx, site.id, true);
      if (existing && input.expectedRowVersion !== undefined && existing.row_version !== input.expectedRowVersion) {
        throw serviceError("stale", "expectedRowVersion", "changed_since_read", { current: existing.row_version, sent: input.expectedRowVersion });
      }
      const result = existing
        ? await tx.query<SiteGasRow>(
            `UPDATE gas_lift_sites SET compressor_capacity_sm3_per_day = $2, updated_by = $3, updated_at = now(), row_version = row_version + 1
              WHERE id = $1 RETURNING ${SITE_GAS_COLUMNS}`,
            [existing.id, String(input.compressorCapacitySm3PerDay), actor],
          )
        : await tx.query<SiteGasRow>(
            `INSERT INTO gas_lift_sites (id, site_id, site_asset_id, compressor_capacity_sm3_per_day, created_by, updated_by)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${SITE_GAS_COLUMNS}`,
            [newId(), this.context.siteId, site.id, String(input.compressorCapacitySm3PerDay), actor],
          );
      const row = result.rows[0];
      const after = toSiteGas(site.id, row);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "optimization.gas_lift_site.set",
        entityType: "gas_lift_site",
        entityId: row.id,
        operation: existing ? "update" : "insert",
        rowVersion: row.row_version,
        before: existing ? toSiteGas(site.id, existing) : undefined,
        after,
      });
      return after;
    });
  }

  /**
   * Plans the site's producing gas-lift wells within their limits and stores
   * the answer as a proposed run. Refused (409) when a well has no limits or
   * the planner answers a setpoint outside them.
   */
  async createRun(input: RunCreateInput, actor: string): Promise<Run> {
    const site = await this.site(input.siteAssetId);
    const wells = (await this.assets.wellsUnder(site.id)).filter((well) => well.liftType === "gas_lift" && well.status === "producing");
    if (wells.length === 0) throw serviceError("conflict", "siteAssetId", "no_gas_lift_wells", undefined, `${site.code} has no producing gas-lift wells`);
    const limits = await this.readLimits(this.context.db, wells.map((well) => well.id));
    const missing = wells.filter((well) => !limits.has(well.id)).map((well) => well.code);
    if (missing.length > 0) throw serviceError("conflict", "siteAssetId", "no_gas_lift_limits", { wells: missing });
    const bounds = wells.map((well) => {
      const row = limits.get(well.id) as LimitsRow;
      return { well, row, min: fromNumeric(row.min_injection_sm3_per_day), max: fromNumeric(row.max_injection_sm3_per_day) };
    });
    const capacity = (await this.readSiteGas(this.context.db, site.id))?.compressor_capacity_sm3_per_day;
    if (input.gasAvailableSm3PerDay === undefined && capacity === undefined) throw invalidInput("gasAvailableSm3PerDay", "no_compressor_capacity");
    const netValue = input.objective === "net_value";
    if (netValue && input.prices === undefined) throw invalidInput("prices", "required", undefined, "a net-value run needs prices");
    // Prices an oil run would not use are a mistake in the request, not something to drop quietly.
    if (!netValue && input.prices !== undefined) throw invalidInput("prices", "not_allowed", undefined, "prices are for a net-value run (objective net_value)");
    const plan = await this.planner.plan({
      ...(netValue ? { objective: "net_value" as const, prices: input.prices } : {}),
      siteAssetId: site.id,
      gasAvailableSm3PerDay: input.gasAvailableSm3PerDay,
      compressorCapacitySm3PerDay: capacity === undefined ? undefined : fromNumeric(capacity),
      curveSource: input.curveSource,
      wells: bounds.map(({ well, min, max }) => ({ wellId: well.id, wellCode: well.code, minInjectionSm3PerDay: min, maxInjectionSm3PerDay: max })),
    });
    const planned = new Map(plan.wells.map((well) => [well.wellId, well]));
    for (const { well, min, max } of bounds) {
      const answer = planned.get(well.id);
      if (!answer) throw new Error(`the gas-lift planner gave no setpoint for ${well.code}`);
      const value = answer.recommendedInjectionSm3PerDay;
      if (value < min || value > max) throw outsideLimits("siteAssetId", well.code, value, min, max);
    }
    const runId = newId();
    const run = await this.context.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO gas_lift_runs (id, site_id, site_asset_id, status, gas_available_sm3_per_day, gas_source, inputs, result, created_by)
         VALUES ($1, $2, $3, 'proposed', $4, $5, $6, $7, $8)`,
        [runId, this.context.siteId, site.id, String(plan.gasAvailableSm3PerDay), plan.gasSource, JSON.stringify(runInputs(plan, bounds)), JSON.stringify(runResult(plan)), actor],
      );
      for (const { well, row, min, max } of bounds) {
        const answer = planned.get(well.id);
        if (!answer) continue;
        await tx.query(
          `INSERT INTO gas_lift_run_setpoints (id, site_id, run_id, well_id, well_code, tag_path, current_injection_sm3_per_day, recommended_injection_sm3_per_day,
                                              current_oil_m3_per_day, expected_oil_m3_per_day, min_injection_sm3_per_day, max_injection_sm3_per_day, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            newId(),
            this.context.siteId,
            runId,
            well.id,
            well.code,
            row.setpoint_tag_path,
            answer.currentInjectionSm3PerDay === null ? null : String(answer.currentInjectionSm3PerDay),
            String(answer.recommendedInjectionSm3PerDay),
            answer.currentOilM3PerDay === null ? null : String(answer.currentOilM3PerDay),
            String(answer.expectedOilM3PerDay),
            String(min),
            String(max),
            actor,
          ],
        );
      }
      const stored = await this.readRun(tx, runId);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "optimization.gas_lift_run.create",
        entityType: "gas_lift_run",
        entityId: runId,
        operation: "insert",
        rowVersion: 1,
        after: withoutCurves(stored),
      });
      return stored;
    });
    this.context.events.emit("optimization.gas_lift_run.proposed", { runId, siteAssetId: site.id });
    return run;
  }

  async listRuns(siteAssetId: string, limit = 50): Promise<RunSummary[]> {
    const site = await this.site(siteAssetId);
    const result = await this.context.db.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM gas_lift_runs WHERE site_id = $1 AND site_asset_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [this.context.siteId, site.id, limit],
    );
    return result.rows.map(toSummary);
  }

  async getRun(runId: string): Promise<Run> {
    return this.readRun(this.context.db, runId);
  }

  /**
   * Approves a proposed run. Refused (409) when it is no longer proposed,
   * older than setpointApprovalMaxAgeMinutes, or a setpoint lies outside its
   * well's limits as they are now.
   */
  async approve(runId: string, actor: string): Promise<Run> {
    const run = await this.context.db.transaction(async (tx) => {
      const row = await this.lockRun(tx, runId);
      if (row.status !== "proposed") throw serviceError("conflict", "runId", "already_decided", { status: row.status });
      const ageMinutes = fromNumeric(row.age_minutes);
      if (ageMinutes > this.maxApprovalAgeMinutes) {
        throw serviceError("conflict", "runId", "run_too_old", { ageMinutes: Math.floor(ageMinutes), maxMinutes: this.maxApprovalAgeMinutes });
      }
      await this.assertWithinCurrentLimits(tx, runId);
      return this.decide(tx, row, "approved", null, actor);
    });
    this.context.events.emit(RUN_APPROVED_EVENT, { runId, siteAssetId: run.siteAssetId });
    return run;
  }

  /** Rejects a proposed run with a reason; nothing of it is ever written. */
  async reject(runId: string, input: RunRejectInput, actor: string): Promise<Run> {
    const reason = input.reason.trim();
    if (!reason) throw invalidInput("reason", "required");
    const run = await this.context.db.transaction(async (tx) => {
      const row = await this.lockRun(tx, runId);
      if (row.status !== "proposed") throw serviceError("conflict", "runId", "already_decided", { status: row.status });
      return this.decide(tx, row, "rejected", reason, actor);
    });
    this.context.events.emit("optimization.gas_lift_run.rejected", { runId, siteAssetId: run.siteAssetId });
    return run;
  }

  /**
   * The flow takes an approved run to write (setpoint-approval node): the run
   * must be approved and its approval no older than the max age; each
   * setpoint is checked against its well's limits again, and one outside
   * them is recorded as refused instead of being returned. The run moves to
   * writing, so a second call (a redeploy, a replayed event) writes nothing.
   */
  async startWrites(runId: string, actor: string): Promise<SetpointToWrite[]> {
    const { toWrite, done } = await this.context.db.transaction(async (tx) => {
      const row = await this.lockRun(tx, runId);
      if (row.status !== "approved") throw serviceError("conflict", "runId", "run_not_approved", { status: row.status });
      const decidedAge = fromNumeric(row.decided_age_minutes ?? "0");
      if (decidedAge > this.maxApprovalAgeMinutes) {
        throw serviceError("conflict", "runId", "approval_too_old", { ageMinutes: Math.floor(decidedAge), maxMinutes: this.maxApprovalAgeMinutes });
      }
      await tx.query("UPDATE gas_lift_runs SET status = 'writing', writes_started_at = now(), updated_at = now(), row_version = row_version + 1 WHERE id = $1", [runId]);
      const setpoints = await this.readSetpoints(tx, runId);
      const limits = await this.readLimits(tx, setpoints.map((setpoint) => setpoint.well_id));
      const accepted: SetpointToWrite[] = [];
      for (const setpoint of setpoints) {
        const value = fromNumeric(setpoint.recommended_injection_sm3_per_day);
        const current = limits.get(setpoint.well_id);
        const problem = !current
          ? `${setpoint.well_code} has no gas-lift limits any more`
          : value < fromNumeric(current.min_injection_sm3_per_day) || value > fromNumeric(current.max_injection_sm3_per_day)
            ? `${value} Sm3/d is outside ${setpoint.well_code}'s limits ${current.min_injection_sm3_per_day} to ${current.max_injection_sm3_per_day} Sm3/d`
            : current.setpoint_tag_path !== setpoint.tag_path
              ? `${setpoint.well_code}'s setpoint tag changed to ${current.setpoint_tag_path}`
              : null;
        if (problem) {
          await this.insertWrite(tx, runId, setpoint, { outcome: "refused", detail: problem }, actor);
          continue;
        }
        accepted.push({ runId, setpointId: setpoint.id, wellId: setpoint.well_id, wellCode: setpoint.well_code, tagPath: setpoint.tag_path, valueSm3PerDay: value });
      }
      const after = await this.readRun(tx, runId);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "optimization.gas_lift_run.start_writes",
        entityType: "gas_lift_run",
        entityId: runId,
        operation: "update",
        rowVersion: after.rowVersion,
        before: { status: row.status },
        after: { status: after.status, setpointsToWrite: accepted.map((setpoint) => setpoint.setpointId) },
        details: { runId },
      });
      return { toWrite: accepted, done: accepted.length === 0 ? await this.finishIfComplete(tx, runId, actor) : false };
    });
    if (done) this.context.events.emit("optimization.gas_lift_run.written", { runId });
    return toWrite;
  }

  /** The flow's report of one setpoint write: audited with its run; the last one settles the run's status. */
  async recordWrite(runId: string, setpointId: string, report: WriteReport, actor: string): Promise<SetpointWrite> {
    const { write, done } = await this.context.db.transaction(async (tx) => {
      const row = await this.lockRun(tx, runId);
      if (row.status !== "writing") throw serviceError("conflict", "runId", "run_not_writing", { status: row.status });
      const setpoint = (await this.readSetpoints(tx, runId)).find((candidate) => candidate.id === setpointId);
      if (!setpoint) throw new ServiceError("not_found", `run ${runId} has no setpoint ${setpointId}`);
      const written = await tx.query<{ outcome: WriteOutcome }>("SELECT outcome FROM gas_lift_setpoint_writes WHERE setpoint_id = $1", [setpointId]);
      if (written.rows[0]) throw serviceError("conflict", "setpointId", "setpoint_already_written", { outcome: written.rows[0].outcome });
      const stored = await this.insertWrite(tx, runId, setpoint, report, actor);
      return { write: stored, done: await this.finishIfComplete(tx, runId, actor) };
    });
    if (done) this.context.events.emit("optimization.gas_lift_run.written", { runId });
    return write;
  }

  private async insertWrite(tx: Queryable, runId: string, setpoint: SetpointRow, report: WriteReport | { outcome: "refused"; detail: string }, actor: string): Promise<SetpointWrite> {
    const readBack = "readBackSm3PerDay" in report ? (report.readBackSm3PerDay ?? null) : null;
    const result = await tx.query<WriteRow>(
      `INSERT INTO gas_lift_setpoint_writes (id, site_id, run_id, setpoint_id, well_id, tag_path, value_sm3_per_day, outcome, read_back_sm3_per_day, detail, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING id, setpoint_id, outcome, value_sm3_per_day::text AS value_sm3_per_day, read_back_sm3_per_day::text AS read_back_sm3_per_day, detail, created_by, written_at`,
      [
        newId(),
        this.context.siteId,
        runId,
        setpoint.id,
        setpoint.well_id,
        setpoint.tag_path,
        setpoint.recommended_injection_sm3_per_day,
        report.outcome,
        readBack === null ? null : String(readBack),
        report.detail ?? null,
        actor,
      ],
    );
    const write = toWrite(result.rows[0]);
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: "optimization.gas_lift_setpoint.write",
      entityType: "gas_lift_setpoint_write",
      entityId: write.id,
      operation: "insert",
      rowVersion: 1,
      after: { ...write, runId, wellId: setpoint.well_id, wellCode: setpoint.well_code, tagPath: setpoint.tag_path },
      details: { runId, tagPath: setpoint.tag_path, outcome: write.outcome },
    });
    return write;
  }

  /** Settles a writing run whose every setpoint has a write: sent, partially_failed or failed. Answers whether it did. */
  private async finishIfComplete(tx: Queryable, runId: string, actor: string): Promise<boolean> {
    const counts = await tx.query<{ outcome: WriteOutcome | null }>(
      `SELECT w.outcome FROM gas_lift_run_setpoints s LEFT JOIN gas_lift_setpoint_writes w ON w.setpoint_id = s.id WHERE s.run_id = $1`,
      [runId],
    );
    if (counts.rows.some((row) => row.outcome === null)) return false;
    const status = finalStatus(counts.rows.map((row) => row.outcome as WriteOutcome));
    const updated = await tx.query<{ row_version: number }>(
      "UPDATE gas_lift_runs SET status = $2, writes_finished_at = now(), updated_at = now(), row_version = row_version + 1 WHERE id = $1 RETURNING row_version",
      [runId, status],
    );
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: "optimization.gas_lift_run.finish_writes",
      entityType: "gas_lift_run",
      entityId: runId,
      operation: "update",
      rowVersion: updated.rows[0]?.row_version,
      before: { status: "writing" },
      after: { status },
      details: { runId },
    });
    return true;
  }

  private async decide(tx: Queryable, row: RunRow, status: "approved" | "rejected", reason: string | null, actor: string): Promise<Run> {
    await tx.query(
      "UPDATE gas_lift_runs SET status = $2, reason = $3, decided_by = $4, decided_at = now(), updated_at = now(), row_version = row_version + 1 WHERE id = $1",
      [row.id, status, reason, actor],
    );
    const after = await this.readRun(tx, row.id);
    await recordChange(this.context, tx, {
      actor,
      module: MODULE,
      action: status === "approved" ? "optimization.gas_lift_run.approve" : "optimization.gas_lift_run.reject",
      entityType: "gas_lift_run",
      entityId: row.id,
      operation: "update",
      rowVersion: after.rowVersion,
      before: { status: row.status },
      after: { status: after.status, decidedBy: after.decidedBy, decidedAt: after.decidedAt, reason: after.reason },
      details: { runId: row.id },
    });
    return after;
  }

  private async assertWithinCurrentLimits(tx: Queryable, runId: string): Promise<void> {
    const setpoints = await this.readSetpoints(tx, runId);
    const limits = await this.readLimits(tx, setpoints.map((setpoint) => setpoint.well_id));
    for (const setpoint of setpoints) {
      const current = limits.get(setpoint.well_id);
      if (!current) throw serviceError("conflict", "runId", "no_gas_lift_limits", { wells: [setpoint.well_code] });
      const value = fromNumeric(setpoint.recommended_injection_sm3_per_day);
      const min = fromNumeric(current.min_injection_sm3_per_day);
      const max = fromNumeric(current.max_injection_sm3_per_day);
      if (value < min || value > max) throw outsideLimits("runId", setpoint.well_code, value, min, max);
    }
  }

  private async lockRun(tx: Queryable, runId: string): Promise<RunRow> {
    const result = await tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM gas_lift_runs WHERE id = $1 AND site_id = $2 FOR UPDATE`, [runId, this.context.siteId]);
    const row = result.rows[0];
    if (!row) throw new ServiceError("not_found", `no gas-lift run ${runId}`);
    return row;
  }

  private async readRun(db: Queryable, runId: string): Promise<Run> {
    const result = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM gas_lift_runs WHERE id = $1 AND site_id = $2`, [runId, this.context.siteId]);
    const row = result.rows[0];
    if (!row) throw new ServiceError("not_found", `no gas-lift run ${runId}`);
    const writes = await db.query<WriteRow>(
      `SELECT id, setpoint_id, outcome, value_sm3_per_day::text AS value_sm3_per_day, read_back_sm3_per_day::text AS read_back_sm3_per_day, detail, created_by, written_at
         FROM gas_lift_setpoint_writes WHERE run_id = $1`,
      [runId],
    );
    const writeOf = new Map(writes.rows.map((write) => [write.setpoint_id, toWrite(write)]));
    const setpoints = (await this.readSetpoints(db, runId)).map(
      (setpoint): RunSetpoint => ({
        id: setpoint.id,
        wellId: setpoint.well_id,
        wellCode: setpoint.well_code,
        tagPath: setpoint.tag_path,
        currentInjectionSm3PerDay: fromNumericOrNull(setpoint.current_injection_sm3_per_day),
        recommendedInjectionSm3PerDay: fromNumeric(setpoint.recommended_injection_sm3_per_day),
        currentOilM3PerDay: fromNumericOrNull(setpoint.current_oil_m3_per_day),
        expectedOilM3PerDay: fromNumeric(setpoint.expected_oil_m3_per_day),
        minInjectionSm3PerDay: fromNumeric(setpoint.min_injection_sm3_per_day),
        maxInjectionSm3PerDay: fromNumeric(setpoint.max_injection_sm3_per_day),
        curve: row.inputs.curves[setpoint.well_id] ?? [],
        write: writeOf.get(setpoint.id) ?? null,
      }),
    );
    return { ...toSummary(row), setpoints };
  }

  private async readSetpoints(db: Queryable, runId: string): Promise<SetpointRow[]> {
    const result = await db.query<SetpointRow>(
      `SELECT id, well_id, well_code, tag_path, current_injection_sm3_per_day::text AS current_injection_sm3_per_day,
              recommended_injection_sm3_per_day::text AS recommended_injection_sm3_per_day, current_oil_m3_per_day::text AS current_oil_m3_per_day,
              expected_oil_m3_per_day::text AS expected_oil_m3_per_day, min_injection_sm3_per_day::text AS min_injection_sm3_per_day,
              max_injection_sm3_per_day::text AS max_injection_sm3_per_day
         FROM gas_lift_run_setpoints WHERE run_id = $1 ORDER BY well_code`,
      [runId],
    );
    return result.rows;
  }

  private async readLimits(db: Queryable, wellIds: readonly string[], forUpdate = false): Promise<Map<string, LimitsRow>> {
    if (wellIds.length === 0) return new Map();
    const result = await db.query<LimitsRow>(
      `SELECT ${LIMIT_COLUMNS} FROM gas_lift_well_limits WHERE site_id = $1 AND well_id = ANY($2::uuid[])${forUpdate ? " FOR UPDATE" : ""}`,
      [this.context.siteId, [...wellIds]],
    );
    return new Map(result.rows.map((row) => [row.well_id, row]));
  }

  private async readSiteGas(db: Queryable, siteAssetId: string, forUpdate = false): Promise<SiteGasRow | undefined> {
    const result = await db.query<SiteGasRow>(
      `SELECT ${SITE_GAS_COLUMNS} FROM gas_lift_sites WHERE site_id = $1 AND site_asset_id = $2${forUpdate ? " FOR UPDATE" : ""}`,
      [this.context.siteId, siteAssetId],
    );
    return result.rows[0];
  }

  private async site(siteAssetId: string): Promise<AssetRef> {
    const site = await this.assets.getAsset(siteAssetId);
    if (!site) throw new ServiceError("not_found", `no asset ${siteAssetId}`);
    if (site.kind !== "site") throw invalidInput("siteAssetId", "not_a_site", undefined, `${site.code} is a ${site.kind}, not a site`);
    return site;
  }
}

/** What a run was given: the curves per well and the limits the planner respected. */
function runInputs(plan: GasLiftPlan, bounds: readonly { well: WellRef; row: LimitsRow; min: number; max: number }[]) {
  return {
    curves: Object.fromEntries(plan.wells.map((well) => [well.wellId, well.curve])),
    limits: bounds.map(({ well, row, min, max }) => ({ wellId: well.id, wellCode: well.code, min, max, tagPath: row.setpoint_tag_path, rowVersion: row.row_version })),
  };
}

function runResult(plan: GasLiftPlan) {
  return {
    expectedOilM3PerDay: plan.expectedOilM3PerDay,
    expectedOilGainM3PerDay: plan.expectedOilGainM3PerDay,
    marginalOilM3PerSm3: plan.marginalOilM3PerSm3,
    objective: plan.netValue ? "net_value" : "oil",
    ...(plan.netValue ? { netValue: plan.netValue } : {}),
    solver: plan.solver,
  };
}

/** A run as its audit row keeps it: the curves are in the run's inputs, not repeated per change. */
function withoutCurves(run: Run) {
  return {
    ...run,
    setpoints: run.setpoints.map((setpoint) => {
      const kept: Partial<RunSetpoint> = { ...setpoint };
      delete kept.curve;
      return kept;
    }),
  };
}
