import type { Queryable } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import type { AssetLookup, AssetRef } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import type { RunInputs } from "./allocation-service.js";
import type { MonthCloseEvent, MonthCloseInput, MonthReopenInput, MonthState, PeriodAccess, PriorPeriodAdjustment } from "./month-close-schema.js";
import { daysBetween } from "./model/uptime.js";

/*
 * Month close (docs/erp-production.md "Month close"): an engineer closes a
 * site's month when its current allocation runs cover every day with nothing
 * left unallocated. Afterwards entries dated in the month, their voids and
 * restating runs are refused (409 month_closed) unless an admin makes them
 * with a reason; those are recorded as prior-period adjustments.
 */

const MODULE = "production";

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

/** Writers to a site's production take this lock shared; a close takes it exclusive, so neither slips past the other. */
async function lockSitePeriods(tx: Queryable, siteId: string, siteAssetId: string, exclusive: boolean): Promise<void> {
  const fn = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
  await tx.query(`SELECT ${fn}(hashtextextended($1, 0))`, [`petroflow.production.month-close:${siteId}:${siteAssetId}`]);
}

/** The closed months (YYYY-MM) of a site among firstDay..lastDay: those whose latest close event is a close. */
export async function closedMonths(db: Queryable, siteId: string, siteAssetId: string, firstDay: string, lastDay: string): Promise<string[]> {
  const result = await db.query<{ month: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month FROM (
       SELECT DISTINCT ON (month) month, action FROM production_month_closes
        WHERE site_id = $1 AND site_asset_id = $2 AND month BETWEEN date_trunc('month', $3::date)::date AND $4::date
        ORDER BY month, closed_at DESC, created_at DESC
     ) latest WHERE action = 'close' ORDER BY month`,
    [siteId, siteAssetId, firstDay, lastDay],
  );
  return result.rows.map((row) => row.month);
}

export interface PeriodWrite {
  siteAssetId: string;
  /** The production days the write touches. */
  firstDay: string;
  lastDay: string;
  /** The field the 409 names (the entry's date field, periodStart, ...). */
  field: string;
  access: PeriodAccess | undefined;
  /** The admin's reason (an entry's notes, a void's or a run's reason); blank counts as none. */
  reason: string | null | undefined;
  /** Which field carries the reason, for the 400 when it is missing. */
  reasonField: string;
}

/**
 * In the write's transaction: refuses a write into a closed month (409
 * month_closed) unless an admin gives a reason; returns the closed months the
 * write adjusts (empty for an open period). Call before the write's insert.
 */
export async function assertPeriodWritable(context: ErpContext, tx: Queryable, write: PeriodWrite): Promise<string[]> {
  await lockSitePeriods(tx, context.siteId, write.siteAssetId, false);
  const closed = await closedMonths(tx, context.siteId, write.siteAssetId, write.firstDay, write.lastDay);
  if (closed.length === 0) return [];
  if (write.access?.role !== "admin") {
    throw serviceError("conflict", write.field, "month_closed", { month: closed.join(", ") }, `${closed.join(", ")} is closed: only an admin may change it, with a reason`);
  }
  if (!write.reason?.trim()) throw invalidInput(write.reasonField, "adjustment_needs_reason", { month: closed.join(", ") });
  return closed;
}

/** Records the prior-period adjustment rows of a write that assertPeriodWritable let through (outbox only: the write's own audit row names them). */
export async function recordAdjustments(
  context: ErpContext,
  tx: Queryable,
  adjustment: { siteAssetId: string; months: readonly string[]; entityType: string; entityId: string; reason: string; actor: string },
): Promise<void> {
  for (const month of adjustment.months) {
    const id = newId();
    const row = {
      id,
      siteAssetId: adjustment.siteAssetId,
      month,
      entityType: adjustment.entityType,
      entityId: adjustment.entityId,
      reason: adjustment.reason.trim(),
      createdBy: adjustment.actor,
    };
    await tx.query(
      `INSERT INTO production_prior_period_adjustments (id, site_id, site_asset_id, month, entity_type, entity_id, reason, created_by)
       VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8)`,
      [id, context.siteId, adjustment.siteAssetId, firstDayOf(month), adjustment.entityType, adjustment.entityId, row.reason, adjustment.actor],
    );
    await context.outbox.record(
      { module: MODULE, entityType: "prior_period_adjustment", entityId: id, operation: "insert", rowVersion: 1, payload: row },
      tx,
    );
  }
}

interface CloseRow {
  id: string;
  action: "close" | "reopen";
  reason: string | null;
  closed_by: string;
  closed_at: Date;
}

export class MonthCloseService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {}

  async state(siteAssetId: string, month: string): Promise<MonthState> {
    const site = await this.site(siteAssetId);
    return this.readState(this.context.db, site.id, month);
  }

  /** The month's state read in db (a write's transaction: no other connection is touched). */
  private async readState(db: Queryable, siteAssetId: string, month: string): Promise<MonthState> {
    const site = { id: siteAssetId };
    const events = await db.query<CloseRow>(
      `SELECT id, action, reason, closed_by, closed_at FROM production_month_closes
        WHERE site_id = $1 AND site_asset_id = $2 AND month = $3::date ORDER BY closed_at, created_at`,
      [this.context.siteId, site.id, firstDayOf(month)],
    );
    const adjustments = await db.query<{ id: string; entity_type: string; entity_id: string; reason: string; created_by: string; created_at: Date }>(
      `SELECT id, entity_type, entity_id, reason, created_by, created_at FROM production_prior_period_adjustments
        WHERE site_id = $1 AND site_asset_id = $2 AND month = $3::date ORDER BY created_at`,
      [this.context.siteId, site.id, firstDayOf(month)],
    );
    const history: MonthCloseEvent[] = events.rows.map((row) => ({
      id: row.id,
      action: row.action,
      reason: row.reason,
      by: row.closed_by,
      at: new Date(row.closed_at).toISOString(),
    }));
    const latest = history[history.length - 1];
    const closed = latest?.action === "close";
    return {
      siteAssetId: site.id,
      month,
      closed,
      closedBy: closed ? latest.by : null,
      closedAt: closed ? latest.at : null,
      history,
      adjustments: adjustments.rows.map(
        (row): PriorPeriodAdjustment => ({
          id: row.id,
          entityType: row.entity_type,
          entityId: row.entity_id,
          reason: row.reason,
          by: row.created_by,
          at: new Date(row.created_at).toISOString(),
        }),
      ),
    };
  }

  /** Closes a month whose current runs cover every day with every measured volume allocated; 409 naming the days otherwise. */
  async close(month: string, input: MonthCloseInput, actor: string): Promise<MonthState> {
    const site = await this.site(input.siteAssetId);
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    const { siteId } = this.context;
    const state = await this.context.db.transaction(async (tx) => {
      await lockSitePeriods(tx, siteId, site.id, true);
      if ((await closedMonths(tx, siteId, site.id, firstDayOf(month), lastDayOf(month))).length > 0) {
        throw serviceError("conflict", "month", "month_already_closed", { month });
      }
      await this.assertFullyAllocated(tx, site.id, month);
      const id = newId();
      const inserted = await tx.query<CloseRow>(
        `INSERT INTO production_month_closes (id, site_id, site_asset_id, month, action, reason, closed_by, created_by)
         VALUES ($1, $2, $3, $4::date, 'close', $5, $6, $6) RETURNING id, action, reason, closed_by, closed_at`,
        [id, siteId, site.id, firstDayOf(month), reason, actor],
      );
      const row = inserted.rows[0];
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "production.month.close",
        entityType: "month_close",
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after: { id, siteAssetId: site.id, month, action: "close", reason, closedBy: actor, closedAt: new Date(row.closed_at).toISOString() },
      });
      return this.readState(tx, site.id, month);
    });
    this.context.events.emit("production.month.closed", { siteAssetId: site.id, month });
    return state;
  }

  /** Opens a closed month again (an admin, with a reason): a new row, the close stays on record. */
  async reopen(month: string, input: MonthReopenInput, actor: string): Promise<MonthState> {
    const site = await this.site(input.siteAssetId);
    const reason = input.reason.trim();
    if (!reason) throw invalidInput("reason", "required");
    const { siteId } = this.context;
    const state = await this.context.db.transaction(async (tx) => {
      await lockSitePeriods(tx, siteId, site.id, true);
      if ((await closedMonths(tx, siteId, site.id, firstDayOf(month), lastDayOf(month))).length === 0) {
        throw serviceError("conflict", "month", "month_not_closed", { month });
      }
      const id = newId();
      const inserted = await tx.query<CloseRow>(
        `INSERT INTO production_month_closes (id, site_id, site_asset_id, month, action, reason, closed_by, created_by)
         VALUES ($1, $2, $3, $4::date, 'reopen', $5, $6, $6) RETURNING id, action, reason, closed_by, closed_at`,
        [id, siteId, site.id, firstDayOf(month), reason, actor],
      );
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "production.month.reopen",
        entityType: "month_close",
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after: { id, siteAssetId: site.id, month, action: "reopen", reason, closedBy: actor, closedAt: new Date(inserted.rows[0].closed_at).toISOString() },
      });
      return this.readState(tx, site.id, month);
    });
    this.context.events.emit("production.month.reopened", { siteAssetId: site.id, month });
    return state;
  }

  /** Every day of the month has a current run, and no current run left a measured volume of the month unallocated. */
  private async assertFullyAllocated(tx: Queryable, siteAssetId: string, month: string): Promise<void> {
    const days = daysBetween(firstDayOf(month), lastDayOf(month));
    const current = await tx.query<{ day: string; run_id: string | null; inputs: RunInputs | null }>(
      `WITH days AS (SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d)
       SELECT DISTINCT ON (days.day) days.day::text AS day, r.id AS run_id, r.inputs
         FROM days LEFT JOIN allocation_runs r
           ON r.site_id = $1 AND r.site_asset_id = $2 AND days.day BETWEEN r.period_start AND r.period_end
        ORDER BY days.day, r.version DESC NULLS LAST`,
      [this.context.siteId, siteAssetId, days[0], days[days.length - 1]],
    );
    const uncovered = current.rows.filter((row) => row.run_id === null).map((row) => row.day);
    if (uncovered.length > 0) {
      throw serviceError("conflict", "month", "month_not_covered", { days: uncovered }, `no allocation run covers ${uncovered.join(", ")}`);
    }
    const unallocated = current.rows.filter((row) => row.inputs?.measured.some((total) => total.date === row.day && !total.allocated)).map((row) => row.day);
    if (unallocated.length > 0) {
      throw serviceError("conflict", "month", "month_has_unallocated", { days: unallocated }, `measured volumes were not allocated on ${unallocated.join(", ")}`);
    }
  }

  private async site(siteAssetId: string): Promise<AssetRef> {
    const site = await this.assets.getAsset(siteAssetId);
    if (!site) throw new ServiceError("not_found", `no asset ${siteAssetId}`);
    if (site.kind !== "site") throw invalidInput("siteAssetId", "not_a_site", undefined, `${site.code} is a ${site.kind}, not a site`);
    return site;
  }
}

