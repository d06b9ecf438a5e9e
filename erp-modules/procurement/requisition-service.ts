import type { Queryable } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import {
  RequisitionInputSchema,
  RequisitionLineCancelSchema,
  RequisitionLineListQuerySchema,
  type RaisedLine,
  type RaiseRequisitionInput,
  type Requisition,
  type RequisitionLine,
  type RequisitionSource,
} from "./schema.js";
import type { ItemLookup } from "./supplier-service.js";
import { checkRowVersion, isUniqueViolation, iso, MODULE, notFound, parseInput } from "./support.js";

/*
 * Requisitions (docs/erp-procurement.md "Requisitions"): raised by hand, by
 * a reorder point, or by a work order short of parts. An automatic line is
 * raised once per source while it is outstanding (open, or ordered and not
 * yet fully received): a partial unique index refuses the second insert, so
 * concurrent triggers cannot both raise one.
 */

/** The actor of requisitions raised by module events. */
export const REQUISITION_ACTOR = "system:procurement";

interface LineRow {
  id: string;
  requisition_id: string;
  requisition_number: string | number;
  item_id: string;
  quantity: string;
  unit: string;
  location_id: string | null;
  needed_by: string | null;
  source: RequisitionSource;
  source_ref: string;
  status: RequisitionLine["status"];
  purchase_order_line_id: string | null;
  fulfilled_at: Date | null;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

const LINE_SELECT = `SELECT l.id, l.requisition_id, r.number AS requisition_number, l.item_id, l.quantity, l.unit, l.location_id, l.needed_by::text AS needed_by,
  l.source, l.source_ref, l.status, l.purchase_order_line_id, l.fulfilled_at, l.notes, l.created_at, l.updated_at, l.row_version, l.created_by
  FROM procurement_requisition_lines l JOIN procurement_requisitions r ON r.id = l.requisition_id`;

function toLine(row: LineRow): RequisitionLine {
  return {
    id: row.id,
    requisitionId: row.requisition_id,
    requisitionNumber: Number(row.requisition_number),
    itemId: row.item_id,
    quantity: fromNumeric(row.quantity),
    unit: row.unit,
    locationId: row.location_id,
    neededBy: row.needed_by,
    source: row.source,
    sourceRef: row.source_ref,
    status: row.status,
    purchaseOrderLineId: row.purchase_order_line_id,
    fulfilledAt: iso(row.fulfilled_at),
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
    createdBy: row.created_by,
  };
}

interface NewLine {
  itemId: string;
  quantity: number;
  unit: string;
  locationId: string | null;
  neededBy: string | null;
  sourceRef: string;
  notes: string;
}

export class RequisitionService {
  constructor(
    private readonly context: ErpContext,
    private readonly items: ItemLookup,
  ) {}

  /** A requisition typed by a user: one line per item wanted. */
  async create(raw: unknown, actor: string): Promise<Requisition> {
    const input = parseInput(RequisitionInputSchema, raw);
    const lines: NewLine[] = [];
    for (const [index, line] of input.lines.entries()) {
      const item = await this.items.getItem(line.itemId).catch((error: unknown) => {
        if (error instanceof ServiceError && error.code === "not_found") throw invalidInput(`lines/${index}/itemId`, "unknown_item", { value: line.itemId });
        throw error;
      });
      lines.push({ itemId: item.id, quantity: line.quantity, unit: item.baseUnit, locationId: line.locationId ?? null, neededBy: line.neededBy ?? null, sourceRef: "", notes: line.notes });
    }
    return this.context.db.transaction((tx) => this.insert(tx, "manual", input.notes, lines, actor));
  }

  /**
   * Raises one line from another module or a flow. For an automatic source
   * (reorder_point, work_order) whose line for the same item is still
   * outstanding, answers that line with created false and writes nothing.
   */
  async raise(input: RaiseRequisitionInput, actor: string): Promise<RaisedLine> {
    if (!(input.quantity > 0)) throw invalidInput("quantity", "not_above", { limit: 0 });
    const item = await this.items.getItem(input.itemId);
    const line: NewLine = {
      itemId: item.id,
      quantity: input.quantity,
      unit: item.baseUnit,
      locationId: input.locationId ?? null,
      neededBy: input.neededBy ?? null,
      sourceRef: input.sourceRef,
      notes: input.notes ?? "",
    };
    if (input.source !== "manual") {
      const existing = await this.outstanding(input.source, input.sourceRef, input.itemId);
      if (existing) return { line: existing, created: false };
    }
    try {
      const requisition = await this.context.db.transaction((tx) => this.insert(tx, input.source, input.notes ?? "", [line], actor));
      const [created] = requisition.lines;
      if (!created) throw new Error("requisition insert returned no line");
      return { line: created, created: true };
    } catch (error) {
      // Another trigger raised it between the check and the insert.
      const existing = isUniqueViolation(error) ? await this.outstanding(input.source, input.sourceRef, input.itemId) : undefined;
      if (existing) return { line: existing, created: false };
      throw error;
    }
  }

  private async outstanding(source: RequisitionSource, sourceRef: string, itemId: string): Promise<RequisitionLine | undefined> {
    const { rows } = await this.context.db.query<LineRow>(
      `${LINE_SELECT} WHERE l.site_id = $1 AND l.source = $2 AND l.source_ref = $3 AND l.item_id = $4 AND l.status <> 'cancelled' AND l.fulfilled_at IS NULL`,
      [this.context.siteId, source, sourceRef, itemId],
    );
    return rows[0] && toLine(rows[0]);
  }

  private async insert(tx: Queryable, source: RequisitionSource, notes: string, lines: readonly NewLine[], actor: string): Promise<Requisition> {
    const id = newId();
    await tx.query("INSERT INTO procurement_requisitions (id, site_id, source, notes, created_by) VALUES ($1, $2, $3, $4, $5)", [id, this.context.siteId, source, notes, actor]);
    for (const line of lines) {
      await tx.query(
        `INSERT INTO procurement_requisition_lines (id, site_id, requisition_id, item_id, quantity, unit, location_id, needed_by, source, source_ref, notes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [newId(), this.context.siteId, id, line.itemId, line.quantity, line.unit, line.locationId, line.neededBy, source, line.sourceRef, line.notes, actor],
      );
    }
    const after = await this.get(id, tx);
    await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.requisition.create", entityType: "requisition", entityId: id, operation: "insert", rowVersion: 1, after });
    return after;
  }

  async get(id: string, tx: Queryable = this.context.db): Promise<Requisition> {
    const header = await tx.query<{ id: string; number: string | number; source: RequisitionSource; notes: string; created_at: Date; created_by: string }>(
      "SELECT id, number, source, notes, created_at, created_by FROM procurement_requisitions WHERE id = $1 AND site_id = $2",
      [id, this.context.siteId],
    );
    const row = header.rows[0];
    if (!row) throw notFound("requisition", id);
    const lines = await tx.query<LineRow>(`${LINE_SELECT} WHERE l.requisition_id = $1 ORDER BY l.created_at, l.id`, [id]);
    return {
      id: row.id,
      number: Number(row.number),
      source: row.source,
      notes: row.notes,
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.created_by,
      lines: lines.rows.map(toLine),
    };
  }

  async listLines(raw: unknown): Promise<RequisitionLine[]> {
    const query = parseInput(RequisitionLineListQuerySchema, raw ?? {});
    const { rows } = await this.context.db.query<LineRow>(
      `${LINE_SELECT} WHERE l.site_id = $1 AND ($2::text IS NULL OR l.status = $2) AND ($3::uuid IS NULL OR l.item_id = $3) AND ($4::text IS NULL OR l.source = $4)
       ORDER BY l.created_at DESC, l.id LIMIT $5`,
      [this.context.siteId, query.status ?? null, query.itemId ?? null, query.source ?? null, query.limit],
    );
    return rows.map(toLine);
  }

  async line(id: string, tx: Queryable = this.context.db, lock = false): Promise<RequisitionLine> {
    const { rows } = await tx.query<LineRow>(`${LINE_SELECT} WHERE l.id = $1 AND l.site_id = $2${lock ? " FOR UPDATE OF l" : ""}`, [id, this.context.siteId]);
    if (!rows[0]) throw notFound("requisition line", id);
    return toLine(rows[0]);
  }

  /** Cancels an open line (an ordered one is cancelled with its purchase order). */
  async cancelLine(id: string, raw: unknown, actor: string): Promise<RequisitionLine> {
    const input = parseInput(RequisitionLineCancelSchema, raw);
    return this.context.db.transaction(async (tx) => {
      const before = await this.line(id, tx, true);
      checkRowVersion("requisition line", before.rowVersion, input.rowVersion);
      if (before.status !== "open") throw serviceError("invalid_state", "status", "transition_not_allowed", { from: before.status, to: "cancelled" });
      await tx.query("UPDATE procurement_requisition_lines SET status = 'cancelled', updated_at = now(), row_version = row_version + 1 WHERE id = $1", [id]);
      const after = await this.line(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.requisition_line.cancel", entityType: "requisition_line", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
      return after;
    });
  }

  /** Moves a line to ordered (on an order line) or back to open, in the caller's transaction, with its audit and outbox rows. */
  async setLine(tx: Queryable, id: string, status: "open" | "ordered", purchaseOrderLineId: string | null, actor: string): Promise<RequisitionLine> {
    const before = await this.line(id, tx, true);
    await tx.query(
      "UPDATE procurement_requisition_lines SET status = $2, purchase_order_line_id = $3, updated_at = now(), row_version = row_version + 1 WHERE id = $1",
      [id, status, purchaseOrderLineId],
    );
    const after = await this.line(id, tx);
    const action = status === "ordered" ? "procurement.requisition_line.ordered" : "procurement.requisition_line.reopened";
    await recordChange(this.context, tx, { actor, module: MODULE, action, entityType: "requisition_line", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
    return after;
  }

  /** The demand is met (its order line fully received, or its order closed): an automatic source may raise again. Never undone. */
  async markFulfilled(tx: Queryable, purchaseOrderLineId: string, actor: string): Promise<void> {
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id FROM procurement_requisition_lines WHERE purchase_order_line_id = $1 AND status = 'ordered' AND fulfilled_at IS NULL FOR UPDATE",
      [purchaseOrderLineId],
    );
    for (const { id } of rows) {
      const before = await this.line(id, tx);
      await tx.query("UPDATE procurement_requisition_lines SET fulfilled_at = now(), updated_at = now(), row_version = row_version + 1 WHERE id = $1", [id]);
      const after = await this.line(id, tx);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "procurement.requisition_line.fulfilled", entityType: "requisition_line", entityId: id, operation: "update", rowVersion: after.rowVersion, before, after });
    }
  }
}
