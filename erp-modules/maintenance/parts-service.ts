import type { Queryable } from "../../runtime/db/database.js";
import { outsideUnitOfWork } from "../../runtime/db/unit-of-work.js";
import { newId } from "../../runtime/ids.js";
import type { InventoryPort } from "../inventory/inventory-port.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric } from "../shared/numeric.js";
import { invalidInput, ServiceError, serviceError } from "../shared/service-error.js";
import { isOpen } from "./model/work-order-state.js";
import { PARTS_SHORT_EVENT, PartConsumeSchema, PartReserveSchema, type Part, type PartsShortPayload } from "./schema.js";
import { MODULE, parseInput } from "./work-order-service.js";

/*
 * Parts on work orders (docs/erp-maintenance.md "Parts"), through the
 * inventory module's port, never its tables. Inventory writes first (its
 * own transaction: the reservation or the issue), then this module records
 * its row with audit and outbox. The reservation carries the order as its
 * source and cost object: one whose maintenance row was never written (a
 * crash between the two writes) stays visible and releasable in inventory
 * under the order. A request retried with its Idempotency-Key is answered
 * from the first one; a consume's sourceKey (part id and quantity consumed
 * so far) makes inventory replay a consume retried after such a crash.
 */

interface PartRow {
  id: string;
  work_order_id: string;
  item_id: string;
  location_id: string;
  reservation_id: string;
  quantity: string;
  unit: string | null;
  consumed_quantity: string;
  consumed_value: string;
  currency: string | null;
  status: Part["status"];
  created_by: string;
  created_at: Date;
}

function toPart(row: PartRow): Part {
  return {
    id: row.id,
    itemId: row.item_id,
    locationId: row.location_id,
    reservationId: row.reservation_id,
    quantity: fromNumeric(row.quantity),
    unit: row.unit,
    consumedQuantity: fromNumeric(row.consumed_quantity),
    consumedValue: fromNumeric(row.consumed_value),
    currency: row.currency,
    status: row.status,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export class PartsService {
  constructor(
    private readonly context: ErpContext,
    private readonly inventory: InventoryPort | undefined,
  ) {}

  private port(): InventoryPort {
    if (!this.inventory) throw invalidInput("itemId", "not_allowed", undefined, "this site has no inventory module to take parts from");
    return this.inventory;
  }

  /**
   * A reservation refused for lack of stock is a fact whatever becomes of the
   * request (a keyed request rolls back on the 409), so the event is emitted
   * outside its unit of work: procurement raises a requisition for the shortfall.
   */
  private reportShortage(error: unknown, workOrderId: string, workOrderNumber: number, itemId: string, locationId: string): void {
    if (!(error instanceof ServiceError) || error.details?.reason !== "insufficient_stock") return;
    const params = error.details.params ?? {};
    const requested = Number(params.requested);
    const available = Number(params.available);
    if (!Number.isFinite(requested) || !Number.isFinite(available) || requested <= available) return;
    const payload: PartsShortPayload = {
      workOrderId,
      workOrderNumber,
      itemId,
      locationId,
      requestedQuantity: requested,
      availableQuantity: available,
      shortQuantity: requested - Math.max(available, 0),
      unit: String(params.unit ?? ""),
    };
    outsideUnitOfWork(() => this.context.events.emit(PARTS_SHORT_EVENT, payload));
  }

  private async openOrder(workOrderId: string): Promise<number> {
    const { rows } = await this.context.db.query<{ status: string; number: string }>("SELECT status, number FROM maintenance_work_orders WHERE id = $1 AND site_id = $2", [
      workOrderId,
      this.context.siteId,
    ]);
    if (!rows[0]) throw new ServiceError("not_found", `no work order ${workOrderId}`);
    const status = rows[0].status as Parameters<typeof isOpen>[0];
    if (!isOpen(status)) throw serviceError("invalid_state", "status", "transition_not_allowed", { from: status, to: status }, `work order ${rows[0].number} is ${status}`);
    return Number(rows[0].number);
  }

  async list(workOrderId: string, tx: Queryable = this.context.db): Promise<Part[]> {
    const { rows } = await tx.query<PartRow>("SELECT * FROM maintenance_work_order_parts WHERE work_order_id = $1 ORDER BY created_at, id", [workOrderId]);
    return rows.map(toPart);
  }

  private async partIn(tx: Queryable, workOrderId: string, partId: string): Promise<Part> {
    const { rows } = await tx.query<PartRow>("SELECT * FROM maintenance_work_order_parts WHERE id = $1 AND work_order_id = $2 FOR UPDATE", [partId, workOrderId]);
    if (!rows[0]) throw new ServiceError("not_found", `no part ${partId} on work order ${workOrderId}`);
    return toPart(rows[0]);
  }

  /** Reserves stock for an open order: lowers what is available, not what is on hand. Not enough stock: inventory's 409 insufficient_stock. */
  async reserve(workOrderId: string, raw: unknown, actor: string): Promise<Part> {
    const input = parseInput(PartReserveSchema, raw);
    const number = await this.openOrder(workOrderId);
    const id = newId();
    const { value: reservation } = await this.port()
      .reserve(
        {
          itemId: input.itemId,
          locationId: input.locationId,
          quantity: input.quantity,
          ...(input.unit ? { unit: input.unit } : {}),
          source: { type: "work_order", id: workOrderId },
          costObject: { type: "work_order", id: workOrderId },
          sourceKey: `maintenance-part:${id}`,
        },
        actor,
      )
      .catch((error: unknown) => {
        this.reportShortage(error, workOrderId, number, input.itemId, input.locationId);
        throw error;
      });
    return this.context.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO maintenance_work_order_parts (id, site_id, work_order_id, item_id, location_id, reservation_id, quantity, unit, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, this.context.siteId, workOrderId, input.itemId, input.locationId, reservation.id, input.quantity, input.unit ?? null, actor],
      );
      const after = await this.partIn(tx, workOrderId, id);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "maintenance.work_order.part_reserve", entityType: "work_order_part", entityId: id, operation: "insert", rowVersion: 1, after });
      return after;
    });
  }

  /** Consumes a reserved part (all that is left, or `quantity`): inventory issues it to the order at its average cost, which the part records. */
  async consume(workOrderId: string, partId: string, raw: unknown, actor: string): Promise<Part> {
    const input = parseInput(PartConsumeSchema, raw);
    const part = await this.partIn(this.context.db, workOrderId, partId);
    if (part.status !== "reserved") throw serviceError("invalid_state", "partId", "transition_not_allowed", { from: part.status, to: "consumed" });
    const { value: move } = await this.port().consumeReservation(
      part.reservationId,
      { ...(input.quantity ? { quantity: input.quantity } : {}), sourceKey: `maintenance-consume:${partId}:${part.consumedQuantity}`, notes: "" },
      actor,
    );
    return this.context.db.transaction(async (tx) => {
      const before = await this.partIn(tx, workOrderId, partId);
      const consumed = before.consumedQuantity + move.enteredQuantity;
      await tx.query(
        `UPDATE maintenance_work_order_parts SET consumed_quantity = $3, consumed_value = consumed_value + $4, currency = $5,
           status = CASE WHEN $3 >= quantity THEN 'consumed' ELSE status END, updated_at = now(), row_version = row_version + 1
         WHERE id = $1 AND work_order_id = $2`,
        [partId, workOrderId, consumed, move.value, move.currency],
      );
      const after = await this.partIn(tx, workOrderId, partId);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "maintenance.work_order.part_consume",
        entityType: "work_order_part",
        entityId: partId,
        operation: "update",
        before,
        after,
        details: { stockMoveId: move.id },
      });
      return after;
    });
  }

  /** Gives back what is left of a reserved part. */
  async release(workOrderId: string, partId: string, actor: string): Promise<Part> {
    const part = await this.partIn(this.context.db, workOrderId, partId);
    if (part.status !== "reserved") throw serviceError("invalid_state", "partId", "transition_not_allowed", { from: part.status, to: "released" });
    await this.port().releaseReservation(part.reservationId, actor, { type: "work_order", id: workOrderId });
    return this.context.db.transaction(async (tx) => {
      const before = await this.partIn(tx, workOrderId, partId);
      await tx.query("UPDATE maintenance_work_order_parts SET status = 'released', updated_at = now(), row_version = row_version + 1 WHERE id = $1", [partId]);
      const after = await this.partIn(tx, workOrderId, partId);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "maintenance.work_order.part_release", entityType: "work_order_part", entityId: partId, operation: "update", before, after });
      return after;
    });
  }
}
