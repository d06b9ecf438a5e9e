import { createHash } from "node:crypto";
import type { Static, TSchema } from "@sinclair/typebox";
import type { Queryable } from "../../runtime/db/database.js";
import { holdsGrant, type UserGrant } from "../../runtime/auth/grants.js";
import { roleAtLeast, type Role } from "../../runtime/auth/roles.js";
import { newId } from "../../runtime/ids.js";
import { checkInput } from "../../runtime/input/schema-check.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { inputRefused, invalidInput, ServiceError, serviceError } from "../shared/service-error.js";
import type { PartsService } from "./parts-service.js";
import { reliability, reliabilityByCode, type FailureRecord } from "./model/reliability.js";
import { isOpen, nextStatuses, transitionRole, type WorkOrderStatus } from "./model/work-order-state.js";
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  AttachmentCreateSchema,
  LabourCreateSchema,
  TaskCreateSchema,
  TaskUpdateSchema,
  TransitionSchema,
  WorkOrderCreateSchema,
  WorkOrderUpdateSchema,
  type EquipmentHistory,
  type WorkOrder,
  type WorkOrderDetail,
  type WorkOrderListQuery,
} from "./schema.js";

/*
 * Work orders (docs/erp-maintenance.md "Work orders"): every write is one
 * transaction with its audit and outbox rows, and emits a module event
 * (maintenance.work_order.created / .status_changed) the erp-event node
 * passes on to flows.
 */

export const MODULE = "maintenance";

interface WorkOrderRow {
  id: string;
  number: string | number;
  equipment_id: string;
  title: string;
  description: string;
  kind: WorkOrder["kind"];
  priority: WorkOrder["priority"];
  status: WorkOrderStatus;
  condition_key: string | null;
  plan_id: string | null;
  alarm_id: string | null;
  trend_tag_path: string | null;
  failed_at: Date | null;
  scheduled_for: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  problem_code: string | null;
  cause_code: string | null;
  remedy_code: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
}

const iso = (value: Date | null): string | null => (value === null ? null : new Date(value).toISOString());

function toWorkOrder(row: WorkOrderRow): WorkOrder {
  return {
    id: row.id,
    number: Number(row.number),
    equipmentId: row.equipment_id,
    title: row.title,
    description: row.description,
    kind: row.kind,
    priority: row.priority,
    status: row.status,
    conditionKey: row.condition_key,
    planId: row.plan_id,
    alarmId: row.alarm_id,
    trendTagPath: row.trend_tag_path,
    failedAt: iso(row.failed_at),
    scheduledFor: iso(row.scheduled_for),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    problemCode: row.problem_code,
    causeCode: row.cause_code,
    remedyCode: row.remedy_code,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
  };
}

export function parseInput<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const checked = checkInput(schema, input, "");
  if ("problem" in checked) throw inputRefused(checked.problem);
  return checked.value;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/** What opening a work order gave: the new order, or the open one that already holds the condition. */
export interface OpenResult {
  workOrder: WorkOrder;
  created: boolean;
}

/** Internal extras a plan's due check sets (not in the API's create body). */
export interface OpenExtras {
  planId?: string;
}

export class WorkOrderService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly parts?: Pick<PartsService, "list">,
  ) {}

  private async equipment(id: string, tx?: Queryable): Promise<void> {
    const asset = await this.assets.getAsset(id, tx);
    if (!asset) throw new ServiceError("not_found", `no equipment ${id}`, { field: "equipmentId", reason: "parent_not_found" });
  }

  /**
   * Opens a work order. With a conditionKey already held by an open order,
   * answers that order (created false) and writes nothing: concurrent
   * triggers of one condition make exactly one order (the partial unique
   * index decides the race).
   */
  async create(raw: unknown, actor: string, extras: OpenExtras = {}): Promise<OpenResult> {
    const input = parseInput(WorkOrderCreateSchema, raw);
    await this.equipment(input.equipmentId);
    if (input.conditionKey) {
      const open = await this.openByCondition(input.conditionKey);
      if (open) return { workOrder: open, created: false };
    }
    const id = newId();
    try {
      const workOrder = await this.context.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO maintenance_work_orders (id, site_id, equipment_id, title, description, kind, priority, status, condition_key, plan_id, alarm_id, trend_tag_path, failed_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $10, $11, $12, $13)`,
          [
            id,
            this.context.siteId,
            input.equipmentId,
            input.title,
            input.description ?? "",
            input.kind ?? (extras.planId ? "preventive" : "corrective"),
            input.priority ?? "normal",
            input.conditionKey ?? null,
            extras.planId ?? null,
            input.alarmId ?? null,
            input.trendTagPath ?? null,
            input.failedAt ? new Date(input.failedAt) : null,
            actor,
          ],
        );
        for (const [ordinal, description] of (input.tasks ?? []).entries()) {
          await tx.query("INSERT INTO maintenance_work_order_tasks (id, site_id, work_order_id, ordinal, description) VALUES ($1, $2, $3, $4, $5)", [
            newId(),
            this.context.siteId,
            id,
            ordinal,
            description,
          ]);
        }
        const after = await this.orderIn(tx, id);
        await recordChange(this.context, tx, {
          actor,
          module: MODULE,
          action: "maintenance.work_order.create",
          entityType: "work_order",
          entityId: id,
          operation: "insert",
          rowVersion: 1,
          after,
        });
        return after;
      });
      this.context.events.emit("maintenance.work_order.created", { id, number: workOrder.number, equipmentId: workOrder.equipmentId, status: workOrder.status, conditionKey: workOrder.conditionKey });
      return { workOrder, created: true };
    } catch (error) {
      if (input.conditionKey && isUniqueViolation(error)) {
        const open = await this.openByCondition(input.conditionKey);
        if (open) return { workOrder: open, created: false };
      }
      throw error;
    }
  }

  async openByCondition(conditionKey: string, tx: Queryable = this.context.db): Promise<WorkOrder | null> {
    const { rows } = await tx.query<WorkOrderRow>(
      "SELECT * FROM maintenance_work_orders WHERE site_id = $1 AND condition_key = $2 AND status NOT IN ('done', 'cancelled')",
      [this.context.siteId, conditionKey],
    );
    return rows[0] ? toWorkOrder(rows[0]) : null;
  }

  async list(query: WorkOrderListQuery): Promise<WorkOrder[]> {
    const { rows } = await this.context.db.query<WorkOrderRow>(
      `SELECT * FROM maintenance_work_orders WHERE site_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR equipment_id = $3)
       ORDER BY number DESC LIMIT $4`,
      [this.context.siteId, query.status ?? null, query.equipmentId ?? null, query.limit ?? 200],
    );
    return rows.map(toWorkOrder);
  }

  async get(id: string): Promise<WorkOrderDetail> {
    const order = await this.orderIn(this.context.db, id);
    const tasks = await this.context.db.query<{ id: string; ordinal: number; description: string; done: boolean }>(
      "SELECT id, ordinal, description, done FROM maintenance_work_order_tasks WHERE work_order_id = $1 ORDER BY ordinal",
      [id],
    );
    const labour = await this.context.db.query<{ id: string; technician: string; hours: string; worked_on: string; notes: string; created_by: string; created_at: Date }>(
      "SELECT id, technician, hours, worked_on::text AS worked_on, notes, created_by, created_at FROM maintenance_labour WHERE work_order_id = $1 ORDER BY worked_on, created_at",
      [id],
    );
    const attachments = await this.context.db.query<{ id: string; file_name: string; content_type: string; size_bytes: number; sha256: string; created_by: string; created_at: Date }>(
      "SELECT id, file_name, content_type, size_bytes, sha256, created_by, created_at FROM maintenance_attachments WHERE work_order_id = $1 ORDER BY created_at",
      [id],
    );
    const labourRows = labour.rows.map((row) => ({
      id: row.id,
      technician: row.technician,
      hours: fromNumeric(row.hours),
      workedOn: row.worked_on,
      notes: row.notes,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
    }));
    const parts = (await this.parts?.list(id)) ?? [];
    const costs = new Map<string, number>();
    for (const part of parts) if (part.currency && part.consumedValue !== 0) costs.set(part.currency, (costs.get(part.currency) ?? 0) + part.consumedValue);
    return {
      ...order,
      parts,
      partsCost: [...costs].map(([currency, value]) => ({ currency, value })),
      tasks: tasks.rows.map((row) => ({ id: row.id, ordinal: Number(row.ordinal), description: row.description, done: row.done })),
      labour: labourRows,
      labourHours: labourRows.reduce((sum, row) => sum + row.hours, 0),
      attachments: attachments.rows.map((row) => ({
        id: row.id,
        fileName: row.file_name,
        contentType: row.content_type,
        sizeBytes: Number(row.size_bytes),
        sha256: row.sha256,
        createdBy: row.created_by,
        createdAt: new Date(row.created_at).toISOString(),
      })),
      nextStatuses: nextStatuses(order.status),
    };
  }

  private async orderIn(tx: Queryable, id: string): Promise<WorkOrder> {
    const { rows } = await tx.query<WorkOrderRow>("SELECT * FROM maintenance_work_orders WHERE id = $1 AND site_id = $2", [id, this.context.siteId]);
    if (!rows[0]) throw new ServiceError("not_found", `no work order ${id}`);
    return toWorkOrder(rows[0]);
  }

  private async locked(tx: Queryable, id: string, rowVersion?: number): Promise<WorkOrder> {
    const { rows } = await tx.query<WorkOrderRow>("SELECT * FROM maintenance_work_orders WHERE id = $1 AND site_id = $2 FOR UPDATE", [id, this.context.siteId]);
    if (!rows[0]) throw new ServiceError("not_found", `no work order ${id}`);
    const order = toWorkOrder(rows[0]);
    if (rowVersion !== undefined && order.rowVersion !== rowVersion) {
      throw serviceError("stale", "rowVersion", "changed_since_read", { current: order.rowVersion, sent: rowVersion }, `work order changed since you read it (version ${order.rowVersion}, you sent ${rowVersion})`);
    }
    return order;
  }

  /** An update of the order's own row with its audit/outbox rows; `change` writes inside the lock. */
  private async change(id: string, rowVersion: number | undefined, actor: string, action: string, write: (tx: Queryable, before: WorkOrder) => Promise<void>): Promise<WorkOrder> {
    return this.context.db.transaction(async (tx) => {
      const before = await this.locked(tx, id, rowVersion);
      await write(tx, before);
      await tx.query("UPDATE maintenance_work_orders SET updated_at = now(), row_version = row_version + 1 WHERE id = $1", [id]);
      const after = await this.orderIn(tx, id);
      await recordChange(this.context, tx, { actor, module: MODULE, action, entityType: "work_order", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  async update(id: string, raw: unknown, actor: string): Promise<WorkOrder> {
    const input = parseInput(WorkOrderUpdateSchema, raw);
    return this.change(id, input.rowVersion, actor, "maintenance.work_order.update", async (tx, before) => {
      if (!isOpen(before.status)) throw serviceError("invalid_state", "status", "transition_not_allowed", { from: before.status, to: before.status }, `work order ${before.number} is ${before.status}`);
      const pick = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
      const date = (value: string | null): Date | null => (value === null ? null : new Date(value));
      await tx.query(
        `UPDATE maintenance_work_orders SET title = $2, description = $3, priority = $4, scheduled_for = $5, failed_at = $6, problem_code = $7, cause_code = $8, remedy_code = $9 WHERE id = $1`,
        [
          id,
          pick(input.title, before.title),
          pick(input.description, before.description),
          pick(input.priority, before.priority),
          date(pick(input.scheduledFor, before.scheduledFor)),
          date(pick(input.failedAt, before.failedAt)),
          pick(input.problemCode, before.problemCode),
          pick(input.causeCode, before.causeCode),
          pick(input.remedyCode, before.remedyCode),
        ],
      );
    });
  }

  /**
   * Moves an order along its life (model/work-order-state.ts): a move the
   * model does not allow is 409 transition_not_allowed, one that needs a
   * higher role (approval, cancel: engineer) is 403 needs_role. Operator
   * moves are technician work, which the technician grant opens as the
   * routes do (docs/permissions.md); approval never is.
   */
  async transition(id: string, raw: unknown, actor: string, role: Role, grants: readonly UserGrant[] = []): Promise<WorkOrder> {
    const input = parseInput(TransitionSchema, raw);
    let from: WorkOrderStatus = "requested";
    const after = await this.change(id, input.rowVersion, actor, `maintenance.work_order.${input.to}`, async (tx, before) => {
      from = before.status;
      const required = transitionRole(before.status, input.to);
      if (required === null) {
        throw serviceError("invalid_state", "to", "transition_not_allowed", { from: before.status, to: input.to }, `work order ${before.number} cannot go from ${before.status} to ${input.to}`);
      }
      if (!roleAtLeast(role, required) && !(required === "operator" && holdsGrant({ role, grants }, "technician"))) {
        throw serviceError("forbidden", "to", "needs_role", { role: required }, `moving a work order to ${input.to} needs the ${required} role`);
      }
      if (input.to === "scheduled" && !input.scheduledFor && !before.scheduledFor) throw invalidInput("scheduledFor", "required");
      await tx.query(
        `UPDATE maintenance_work_orders SET status = $2,
           scheduled_for = COALESCE($3, scheduled_for),
           started_at = CASE WHEN $2 = 'in_progress' THEN COALESCE(started_at, now()) ELSE started_at END,
           completed_at = CASE WHEN $2 = 'done' THEN COALESCE($4, now()) ELSE completed_at END
         WHERE id = $1`,
        [id, input.to, input.scheduledFor ? new Date(input.scheduledFor) : null, input.completedAt ? new Date(input.completedAt) : null],
      );
      if (input.to === "done" && before.planId) {
        // A preventive order done restarts its plan's interval (calendar and meter) from the completion.
        await tx.query("UPDATE maintenance_plans SET last_done_at = COALESCE($2, now()), updated_at = now(), row_version = row_version + 1 WHERE id = $1", [
          before.planId,
          input.completedAt ? new Date(input.completedAt) : null,
        ]);
      }
    });
    this.context.events.emit("maintenance.work_order.status_changed", { id, number: after.number, equipmentId: after.equipmentId, from, status: after.status });
    return after;
  }

  async addTask(id: string, raw: unknown, actor: string): Promise<WorkOrder> {
    const input = parseInput(TaskCreateSchema, raw);
    return this.change(id, undefined, actor, "maintenance.work_order.task_add", async (tx, before) => {
      if (!isOpen(before.status)) throw serviceError("invalid_state", "status", "transition_not_allowed", { from: before.status, to: before.status });
      await tx.query(
        `INSERT INTO maintenance_work_order_tasks (id, site_id, work_order_id, ordinal, description)
         SELECT $1, $2, $3, COALESCE(MAX(ordinal) + 1, 0), $4 FROM maintenance_work_order_tasks WHERE work_order_id = $3`,
        [newId(), this.context.siteId, id, input.description],
      );
    });
  }

  async setTaskDone(id: string, taskId: string, raw: unknown, actor: string): Promise<WorkOrder> {
    const input = parseInput(TaskUpdateSchema, raw);
    return this.change(id, undefined, actor, "maintenance.work_order.task_update", async (tx) => {
      const { rows } = await tx.query<{ id: string }>("UPDATE maintenance_work_order_tasks SET done = $3 WHERE id = $2 AND work_order_id = $1 RETURNING id", [id, taskId, input.done]);
      if (rows.length === 0) throw new ServiceError("not_found", `no task ${taskId} on work order ${id}`);
    });
  }

  async addLabour(id: string, raw: unknown, actor: string): Promise<WorkOrder> {
    const input = parseInput(LabourCreateSchema, raw);
    return this.change(id, undefined, actor, "maintenance.work_order.labour_add", async (tx, before) => {
      if (before.status === "cancelled") throw serviceError("invalid_state", "status", "transition_not_allowed", { from: before.status, to: before.status });
      await tx.query(
        "INSERT INTO maintenance_labour (id, site_id, work_order_id, technician, hours, worked_on, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [newId(), this.context.siteId, id, input.technician, input.hours, input.workedOn, input.notes ?? "", actor],
      );
    });
  }

  /**
   * Attachments live in the database (bytea): backed up and access-checked
   * with the order, never served from a path. Refused: a content type off
   * the allowlist (400 not_one_of), a file over ATTACHMENT_MAX_BYTES (400
   * too_large), content that is not base64.
   */
  async addAttachment(id: string, raw: unknown, actor: string): Promise<WorkOrder> {
    const input = parseInput(AttachmentCreateSchema, raw);
    if (!(ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(input.contentType)) {
      throw invalidInput("contentType", "not_one_of", { allowed: ATTACHMENT_CONTENT_TYPES.join(", ") });
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(input.contentBase64)) throw invalidInput("contentBase64", "pattern_mismatch");
    const content = Buffer.from(input.contentBase64, "base64");
    if (content.length === 0) throw invalidInput("contentBase64", "required");
    if (content.length > ATTACHMENT_MAX_BYTES) throw invalidInput("contentBase64", "too_large", { limit: ATTACHMENT_MAX_BYTES });
    const sha256 = createHash("sha256").update(content).digest("hex");
    return this.change(id, undefined, actor, "maintenance.work_order.attachment_add", async (tx) => {
      await tx.query(
        "INSERT INTO maintenance_attachments (id, site_id, work_order_id, file_name, content_type, size_bytes, sha256, content, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [newId(), this.context.siteId, id, input.fileName, input.contentType, content.length, sha256, content, actor],
      );
    });
  }

  async attachment(id: string, attachmentId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    const { rows } = await this.context.db.query<{ file_name: string; content_type: string; content: Uint8Array }>(
      "SELECT file_name, content_type, content FROM maintenance_attachments WHERE id = $1 AND work_order_id = $2 AND site_id = $3",
      [attachmentId, id, this.context.siteId],
    );
    if (!rows[0]) throw new ServiceError("not_found", `no attachment ${attachmentId}`);
    return { fileName: rows[0].file_name, contentType: rows[0].content_type, content: Buffer.from(rows[0].content) };
  }

  /**
   * An equipment's orders and its reliability over a period: every done
   * corrective order is a failure, from failedAt (else its request) to its
   * completion.
   */
  async equipmentHistory(equipmentId: string, range: { from?: string; to?: string }): Promise<EquipmentHistory> {
    await this.equipment(equipmentId);
    const to = range.to ? Date.parse(range.to) : Date.now();
    const from = range.from ? Date.parse(range.from) : to - 365 * 86_400_000;
    if (!(to > from)) throw invalidInput("to", "not_above", { limit: new Date(from).toISOString() });
    const orders = await this.list({ equipmentId, limit: 500 });
    const failures: FailureRecord[] = orders
      .filter((order) => order.kind === "corrective" && order.status === "done" && order.completedAt !== null)
      .map((order) => ({ failedAt: Date.parse(order.failedAt ?? order.createdAt), restoredAt: Date.parse(order.completedAt ?? order.createdAt), failureCode: order.problemCode }));
    const period = { from, to };
    return {
      equipmentId,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      workOrders: orders,
      reliability: reliability(failures, period),
      byFailureCode: [...reliabilityByCode(failures, period)].map(([problemCode, value]) => ({ problemCode, ...value })),
    };
  }
}
