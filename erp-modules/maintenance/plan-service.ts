import type { Queryable } from "../../runtime/db/database.js";
import { HistoryQueryError } from "../../runtime/historian/history-queries.js";
import { newId } from "../../runtime/ids.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, ServiceError, serviceError } from "../shared/service-error.js";
import { maintenanceSettings } from "./maintenance-settings.js";
import { forecastDue, runHours, starts, throughput, usagePerDay, type MeterSample } from "./model/meters.js";
import { PlanCreateSchema, PlanUpdateSchema, ReadingCreateSchema, type MeterKind, type Plan, type PlanStatus, type WorkOrder } from "./schema.js";
import { MODULE, parseInput, type WorkOrderService } from "./work-order-service.js";

/*
 * Preventive plans (docs/erp-maintenance.md "Plans"): calendar plans by
 * interval, meter plans by run hours, starts or throughput counted from the
 * tags the site already reads, or by hand readings where no tag exists.
 * A periodic check opens one work order per plan coming due (condition
 * plan:<id>, so a plan never has two open orders).
 */

const DAY_MS = 86_400_000;
/** The recent usage rate is measured over this window before now. */
const USAGE_WINDOW_MS = 7 * DAY_MS;
/** Raw history is read in pages of this many samples. */
const PAGE = 50_000;
/** The actor of work orders the periodic check opens. */
export const CHECK_ACTOR = "system:maintenance";

interface PlanRow {
  id: string;
  equipment_id: string;
  name: string;
  kind: Plan["kind"];
  interval_days: string | null;
  meter: MeterKind | null;
  tag_path: string | null;
  interval_amount: string | null;
  last_done_at: Date;
  last_done_reading: string | null;
  tasks: string[] | string;
  active: boolean;
  created_by: string;
  created_at: Date;
  row_version: number;
}

function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    equipmentId: row.equipment_id,
    name: row.name,
    kind: row.kind,
    intervalDays: fromNumericOrNull(row.interval_days),
    meter: row.meter,
    tagPath: row.tag_path,
    intervalAmount: fromNumericOrNull(row.interval_amount),
    lastDoneAt: new Date(row.last_done_at).toISOString(),
    lastDoneReading: fromNumericOrNull(row.last_done_reading),
    tasks: typeof row.tasks === "string" ? (JSON.parse(row.tasks) as string[]) : row.tasks,
    active: row.active,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    rowVersion: Number(row.row_version),
  };
}

export class PlanService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly workOrders: WorkOrderService,
  ) {}

  async create(raw: unknown, actor: string): Promise<Plan> {
    const input = parseInput(PlanCreateSchema, raw);
    if (!(await this.assets.getAsset(input.equipmentId))) throw new ServiceError("not_found", `no equipment ${input.equipmentId}`, { field: "equipmentId", reason: "parent_not_found" });
    if (input.kind === "calendar") {
      if (input.intervalDays === undefined) throw invalidInput("intervalDays", "required");
      if (input.meter !== undefined) throw invalidInput("meter", "not_allowed");
    } else {
      if (input.meter === undefined) throw invalidInput("meter", "required");
      if (input.intervalAmount === undefined) throw invalidInput("intervalAmount", "required");
      if (input.meter !== "manual" && input.tagPath === undefined) throw invalidInput("tagPath", "required");
      if (input.meter === "manual" && input.tagPath !== undefined) throw invalidInput("tagPath", "not_allowed");
      if (input.tagPath !== undefined) await this.resolveTag(input.tagPath);
    }
    const id = newId();
    return this.context.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO maintenance_plans (id, site_id, equipment_id, name, kind, interval_days, meter, tag_path, interval_amount, last_done_at, last_done_reading, tasks, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          this.context.siteId,
          input.equipmentId,
          input.name,
          input.kind,
          input.kind === "calendar" ? (input.intervalDays ?? null) : null,
          input.meter ?? null,
          input.tagPath ?? null,
          input.kind === "meter" ? (input.intervalAmount ?? null) : null,
          input.lastDoneAt ? new Date(input.lastDoneAt) : new Date(),
          input.lastDoneReading ?? (input.meter === "manual" ? 0 : null),
          JSON.stringify(input.tasks ?? []),
          actor,
        ],
      );
      const after = await this.planIn(tx, id);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "maintenance.plan.create", entityType: "plan", entityId: id, operation: "insert", rowVersion: 1, after });
      return after;
    });
  }

  /**
   * Edits a plan: name, interval, the tag of a tag meter, tasks, active. Its
   * kind and meter stay (docs/erp-maintenance.md "Plans"); an interval that
   * does not belong to its kind is refused like on create.
   */
  async update(planId: string, raw: unknown, actor: string): Promise<Plan> {
    const input = parseInput(PlanUpdateSchema, raw);
    const current = await this.planIn(this.context.db, planId);
    if (current.kind === "calendar") {
      if (input.intervalAmount !== undefined) throw invalidInput("intervalAmount", "not_allowed", undefined, "a calendar plan has no intervalAmount");
      if (input.tagPath !== undefined) throw invalidInput("tagPath", "not_allowed", undefined, "a calendar plan has no tag");
    } else {
      if (input.intervalDays !== undefined) throw invalidInput("intervalDays", "not_allowed", undefined, "a meter plan has no intervalDays");
      if (input.tagPath !== undefined && current.meter === "manual") throw invalidInput("tagPath", "not_allowed", undefined, "a manual meter plan has no tag");
      if (input.tagPath !== undefined) await this.resolveTag(input.tagPath);
    }
    return this.context.db.transaction(async (tx) => {
      const { rows } = await tx.query<PlanRow>("SELECT * FROM maintenance_plans WHERE id = $1 AND site_id = $2 FOR UPDATE", [planId, this.context.siteId]);
      if (!rows[0]) throw new ServiceError("not_found", `no plan ${planId}`);
      const before = toPlan(rows[0]);
      if (before.rowVersion !== input.rowVersion) {
        throw serviceError("stale", "rowVersion", "changed_since_read", { current: before.rowVersion, sent: input.rowVersion });
      }
      await tx.query(
        `UPDATE maintenance_plans SET name = $2, interval_days = $3, tag_path = $4, interval_amount = $5, tasks = $6, active = $7, updated_at = now(), row_version = row_version + 1
         WHERE id = $1`,
        [
          planId,
          input.name ?? before.name,
          input.intervalDays ?? before.intervalDays,
          input.tagPath ?? before.tagPath,
          input.intervalAmount ?? before.intervalAmount,
          JSON.stringify(input.tasks ?? before.tasks),
          input.active ?? before.active,
        ],
      );
      const after = await this.planIn(tx, planId);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "maintenance.plan.update", entityType: "plan", entityId: planId, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  async addReading(planId: string, raw: unknown, actor: string): Promise<PlanStatus> {
    const input = parseInput(ReadingCreateSchema, raw);
    await this.context.db.transaction(async (tx) => {
      const plan = await this.planIn(tx, planId);
      if (plan.meter !== "manual") throw invalidInput("reading", "not_allowed", undefined, "only a manual meter plan takes hand readings");
      const id = newId();
      await tx.query("INSERT INTO maintenance_meter_readings (id, site_id, plan_id, read_at, reading, created_by) VALUES ($1, $2, $3, $4, $5, $6)", [
        id,
        this.context.siteId,
        planId,
        new Date(input.readAt),
        input.reading,
        actor,
      ]);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "maintenance.meter_reading.create",
        entityType: "meter_reading",
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after: { id, planId, readAt: input.readAt, reading: input.reading },
      });
    });
    return this.status(await this.planIn(this.context.db, planId), Date.now());
  }

  private async planIn(tx: Queryable, id: string): Promise<Plan> {
    const { rows } = await tx.query<PlanRow>("SELECT * FROM maintenance_plans WHERE id = $1 AND site_id = $2", [id, this.context.siteId]);
    if (!rows[0]) throw new ServiceError("not_found", `no plan ${id}`);
    return toPlan(rows[0]);
  }

  async list(equipmentId: string | undefined, now = Date.now()): Promise<PlanStatus[]> {
    const { rows } = await this.context.db.query<PlanRow>(
      "SELECT * FROM maintenance_plans WHERE site_id = $1 AND ($2::uuid IS NULL OR equipment_id = $2) ORDER BY name, id",
      [this.context.siteId, equipmentId ?? null],
    );
    const plans: PlanStatus[] = [];
    for (const row of rows) plans.push(await this.status(toPlan(row), now));
    return plans;
  }

  /** Where a plan stands at `now`: the meter since last done, the recent usage rate and the forecast due date. */
  async status(plan: Plan, now: number): Promise<PlanStatus> {
    const lastDone = Date.parse(plan.lastDoneAt);
    if (plan.kind === "calendar") {
      const dueAt = lastDone + (plan.intervalDays ?? 0) * DAY_MS;
      return { ...plan, meterSinceDone: null, usagePerDay: null, dueAt: new Date(dueAt).toISOString(), due: now >= dueAt };
    }
    const threshold = plan.intervalAmount ?? Number.POSITIVE_INFINITY;
    let since: number | null;
    let usage: number | null;
    if (plan.meter === "manual") ({ since, usage } = await this.manualMeter(plan, now));
    else ({ since, usage } = await this.tagMeter(plan, lastDone, now));
    const due = since !== null && since >= threshold;
    const dueAt = since === null || usage === null ? null : forecastDue(since, threshold, usage, now);
    return { ...plan, meterSinceDone: since, usagePerDay: usage, dueAt: dueAt === null ? null : new Date(dueAt).toISOString(), due };
  }

  private async manualMeter(plan: Plan, now: number): Promise<{ since: number | null; usage: number | null }> {
    const { rows } = await this.context.db.query<{ read_at: Date; reading: string }>(
      "SELECT read_at, reading FROM maintenance_meter_readings WHERE plan_id = $1 ORDER BY read_at DESC LIMIT 50",
      [plan.id],
    );
    if (rows.length === 0) return { since: null, usage: null };
    const latest = { t: new Date(rows[0].read_at).getTime(), v: fromNumeric(rows[0].reading) };
    const since = Math.max(latest.v - (plan.lastDoneReading ?? 0), 0);
    const earlier = rows.map((row) => ({ t: new Date(row.read_at).getTime(), v: fromNumeric(row.reading) })).filter((reading) => reading.t >= now - USAGE_WINDOW_MS && reading.t < latest.t);
    const oldest = earlier[earlier.length - 1];
    const usage = oldest ? usagePerDay(latest.v - oldest.v, { from: oldest.t, to: latest.t }) : null;
    return { since, usage };
  }

  private async resolveTag(path: string): Promise<Awaited<ReturnType<NonNullable<ErpContext["tagHistory"]>["queries"]["resolve"]>>[number]> {
    const history = this.context.tagHistory;
    if (!history) throw invalidInput("tagPath", "not_allowed", undefined, "this site has no historian to count a meter from");
    try {
      const [tag] = await history.queries.resolve([path]);
      return tag;
    } catch (error) {
      if (error instanceof HistoryQueryError) throw new ServiceError("not_found", `no tag ${path}`, { field: "tagPath", reason: "unknown_tag" });
      throw error;
    }
  }

  /** Raw samples of a tag in [from, to), read in pages so a long period is never cut short. */
  private async samples(path: string, from: number, to: number): Promise<MeterSample[]> {
    const history = this.context.tagHistory;
    if (!history || !(to > from)) return [];
    const tag = await this.resolveTag(path);
    const samples: MeterSample[] = [];
    let start = from;
    for (;;) {
      const { points, truncated } = await history.queries.rawOf(tag, { from: start, to }, PAGE);
      samples.push(...points);
      if (!truncated || points.length === 0) return samples;
      start = points[points.length - 1].t + 1;
    }
  }

  private count(meter: MeterKind, samples: readonly MeterSample[], window: { from: number; to: number; maxHoldMs: number }): number {
    if (meter === "run_hours") return runHours(samples, window);
    if (meter === "starts") return starts(samples, window);
    return throughput(samples, window);
  }

  private async tagMeter(plan: Plan, lastDone: number, now: number): Promise<{ since: number | null; usage: number | null }> {
    if (!plan.tagPath || !plan.meter || !this.context.tagHistory) return { since: null, usage: null };
    // Asked about a time before the plan was last done: nothing counted yet.
    if (now <= lastDone) return { since: 0, usage: null };
    const maxHoldMs = maintenanceSettings(this.context).meterMaxHoldMs;
    const usageFrom = Math.min(lastDone, now - USAGE_WINDOW_MS);
    // Samples from one hold before the window, so the value held at its start counts.
    const samples = await this.samples(plan.tagPath, Math.min(lastDone, usageFrom) - maxHoldMs, now);
    const since = this.count(plan.meter, samples, { from: lastDone, to: now, maxHoldMs });
    const recentFrom = Math.max(now - USAGE_WINDOW_MS, lastDone);
    const usage = now > recentFrom ? usagePerDay(this.count(plan.meter, samples, { from: recentFrom, to: now, maxHoldMs }), { from: recentFrom, to: now }) : null;
    return { since, usage };
  }

  /**
   * Opens a work order for every active plan that is due at `now` (one per
   * plan: the condition plan:<id> holds while its order is open). A plan
   * that cannot be counted is logged and skipped, never stops the others.
   */
  async checkDue(now = Date.now()): Promise<WorkOrder[]> {
    const opened: WorkOrder[] = [];
    const { rows } = await this.context.db.query<PlanRow>("SELECT * FROM maintenance_plans WHERE site_id = $1 AND active ORDER BY id", [this.context.siteId]);
    for (const row of rows) {
      const plan = toPlan(row);
      try {
        const status = await this.status(plan, now);
        if (!status.due) continue;
        const { workOrder, created } = await this.workOrders.create(
          {
            equipmentId: plan.equipmentId,
            title: plan.name,
            kind: "preventive",
            conditionKey: `plan:${plan.id}`,
            tasks: plan.tasks,
            ...(plan.meter && plan.meter !== "manual" && plan.tagPath ? { trendTagPath: plan.tagPath } : {}),
          },
          CHECK_ACTOR,
          { planId: plan.id },
        );
        if (created) opened.push(workOrder);
      } catch (error) {
        this.context.logger.warn({ err: error, planId: plan.id }, "a maintenance plan could not be checked");
      }
    }
    return opened;
  }

  /** Starts the periodic due check (main.ts starts it with the site). */
  start(): void {
    if (this.timer) return;
    const { checkIntervalMs } = maintenanceSettings(this.context);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.checkDue()
        .catch((error: unknown) => this.context.logger.warn({ err: error }, "the maintenance due check failed"))
        .finally(() => {
          this.running = null;
        });
    }, checkIntervalMs);
    this.timer.unref();
  }

  /** Stops the check and waits for one in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
