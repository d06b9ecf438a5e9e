import { StatementParams, type Queryable, type SqlValue } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { parseInput } from "../production/entry-service.js";
import { fromNumeric } from "../shared/numeric.js";
import { recordChange, recordChangeWith, type ErpContext } from "../shared/module-context.js";
import { invalidInput, serviceError, ServiceError } from "../shared/service-error.js";
import type { InventoryPort } from "./inventory-port.js";
import { mayTake, movingAverageAfterReceipt, movingAverageAfterReturn, roundMoney, roundQuantity, toBaseQuantity } from "./model/stock-ledger.js";
import {
  AdjustmentInputSchema,
  BELOW_REORDER_POINT_EVENT,
  ConsumeReservationInputSchema,
  CountInputSchema,
  INTERNAL_LOCATION_KINDS,
  IssueInputSchema,
  ItemInputSchema,
  LocationInputSchema,
  MoveQuerySchema,
  ReceiptInputSchema,
  ReorderPointInputSchema,
  ReservationInputSchema,
  ReversalInputSchema,
  StockQuerySchema,
  TransferInputSchema,
  VIRTUAL_LOCATION_KINDS,
  type AdjustmentInput,
  type Availability,
  type BelowReorderPointPayload,
  type ConsumeReservationInput,
  type CostObject,
  type CostObjectType,
  type Count,
  type CountInput,
  type IssueInput,
  type Item,
  type ItemCategory,
  type ItemInput,
  type ItemOwner,
  type Location,
  type LocationInput,
  type LocationKind,
  type MoveQuery,
  type MoveType,
  type Page,
  type ReceiptInput,
  type Recorded,
  type ReorderPoint,
  type ReorderPointInput,
  type Reservation,
  type ReservationInput,
  type ReservationStatus,
  type ReversalInput,
  type SourceRef,
  type StockBalance,
  type StockMove,
  type StockQuery,
  type Tracking,
  type TransferInput,
  type UnitConversion,
  type VirtualLocationKind,
} from "./schema.js";

const MODULE = "inventory";

type Numeric = string | number;

interface ItemRow {
  id: string;
  code: string;
  name: string;
  category: ItemCategory;
  base_unit: string;
  unit_conversions: UnitConversion[];
  tracking: Tracking;
  allow_negative: boolean;
  owner: ItemOwner;
  currency: string;
  average_unit_cost: Numeric;
  on_hand_quantity: Numeric;
  active: boolean;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
  /** Read with the item's lock (itemRow): whether any reorder point exists, so moves of items without one skip the check. */
  has_reorder_points?: boolean;
  /** Read with the item's lock: the transaction's now(), the created_at every row this transaction inserts gets by default. */
  tx_now?: Date;
  /**
   * Balance rows made if new and locked in the item lock's own statement
   * (writeMove), each taken once by the move that needs it (takeLocked).
   */
  balances?: BalanceRow[] | null;
}

interface LocationRow {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  parent_id: string | null;
  site_asset_id: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

interface MoveRow {
  id: string;
  item_id: string;
  move_type: MoveType;
  from_location_id: string;
  to_location_id: string;
  lot: string;
  quantity: Numeric;
  entered_quantity: Numeric;
  entered_unit: string;
  unit_cost: Numeric;
  currency: string;
  value: Numeric;
  cost_object_type: CostObjectType | null;
  cost_object_id: string | null;
  source_type: string | null;
  source_id: string | null;
  reservation_id: string | null;
  reverses_move_id: string | null;
  source_key: string | null;
  notes: string;
  moved_at: Date;
  created_at: Date;
  created_by: string;
}

interface BalanceRow {
  item_id: string;
  location_id: string;
  lot: string;
  on_hand_quantity: Numeric;
  reserved_quantity: Numeric;
}

interface ReservationRow {
  id: string;
  item_id: string;
  location_id: string;
  lot: string;
  quantity: Numeric;
  consumed_quantity: Numeric;
  status: ReservationStatus;
  source_type: string;
  source_id: string;
  cost_object_type: CostObjectType | null;
  cost_object_id: string | null;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

const ITEM_COLUMNS = `id, code, name, category, base_unit, unit_conversions, tracking, allow_negative, owner, currency,
  average_unit_cost, on_hand_quantity, active, notes, created_at, updated_at, row_version, created_by`;
const LOCATION_COLUMNS = "id, code, name, kind, parent_id, site_asset_id, active, created_at, updated_at, row_version, created_by";
const MOVE_COLUMNS = `id, item_id, move_type, from_location_id, to_location_id, lot, quantity, entered_quantity, entered_unit,
  unit_cost, currency, value, cost_object_type, cost_object_id, source_type, source_id, reservation_id, reverses_move_id,
  source_key, notes, moved_at, created_at, created_by`;
const RESERVATION_COLUMNS = `id, item_id, location_id, lot, quantity, consumed_quantity, status, source_type, source_id,
  cost_object_type, cost_object_id, created_at, updated_at, row_version, created_by`;

function isInternal(kind: LocationKind): boolean {
  return (INTERNAL_LOCATION_KINDS as readonly string[]).includes(kind);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23503";
}

function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    category: row.category,
    baseUnit: row.base_unit,
    unitConversions: row.unit_conversions,
    tracking: row.tracking,
    allowNegative: row.allow_negative,
    owner: row.owner,
    currency: row.currency,
    averageUnitCost: fromNumeric(row.average_unit_cost),
    onHandQuantity: fromNumeric(row.on_hand_quantity),
    active: row.active,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
  };
}

function toLocation(row: LocationRow): Location {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    siteAssetId: row.site_asset_id,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
  };
}

function toMove(row: MoveRow): StockMove {
  return {
    id: row.id,
    itemId: row.item_id,
    moveType: row.move_type,
    fromLocationId: row.from_location_id,
    toLocationId: row.to_location_id,
    lot: row.lot === "" ? null : row.lot,
    quantity: fromNumeric(row.quantity),
    enteredQuantity: fromNumeric(row.entered_quantity),
    enteredUnit: row.entered_unit,
    unitCost: fromNumeric(row.unit_cost),
    currency: row.currency,
    value: fromNumeric(row.value),
    costObject: row.cost_object_type !== null && row.cost_object_id !== null ? { type: row.cost_object_type, id: row.cost_object_id } : null,
    source: row.source_type !== null && row.source_id !== null ? { type: row.source_type, id: row.source_id } : null,
    reservationId: row.reservation_id,
    reversesMoveId: row.reverses_move_id,
    sourceKey: row.source_key,
    notes: row.notes,
    movedAt: row.moved_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

function toReservation(row: ReservationRow): Reservation {
  return {
    id: row.id,
    itemId: row.item_id,
    locationId: row.location_id,
    lot: row.lot === "" ? null : row.lot,
    quantity: fromNumeric(row.quantity),
    consumedQuantity: fromNumeric(row.consumed_quantity),
    status: row.status,
    source: { type: row.source_type, id: row.source_id },
    costObject: row.cost_object_type !== null && row.cost_object_id !== null ? { type: row.cost_object_type, id: row.cost_object_id } : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
  };
}

/** What postMove writes: quantities already in the base unit, locations and the item already read (the item locked). */
interface MoveSpec {
  moveType: MoveType;
  item: ItemRow;
  from: LocationRow;
  to: LocationRow;
  lot: string;
  quantity: number;
  enteredQuantity: number;
  enteredUnit: string;
  /** Receipts: the cost the stock comes in at; reversals: the reversed move's cost. Otherwise the average. */
  unitCost?: number;
  costObject?: CostObject | null;
  source?: SourceRef | null;
  reservationId?: string | null;
  reversesMoveId?: string | null;
  reversedReceipt?: boolean;
  sourceKey?: string;
  notes: string;
  movedAt: string;
  /** Reserved quantity this move consumes at `from`: it is available to this move and no longer reserved. */
  consumesReserved?: number;
  /** Check on hand rather than available at `from` (adjustments and counts: physical truth, not claims). */
  checkOnHand?: boolean;
  /** Counts set stock to what was counted, whatever the item allows. */
  skipAvailabilityCheck?: boolean;
}

/**
 * Where a move will take or put stock, known before its item is read: the
 * balance rows to lock with the item (only internal locations of this site
 * are; anything else is refused by the checks that follow, under the lock).
 */
interface BalancesAt {
  locationIds: readonly string[];
  /** As entered: an untracked item's balances are under lot "", whatever was sent (lotOf refuses a lot it does not track). */
  lot: string | undefined;
}

/** Events waiting for their transaction to commit. */
type PendingEvents = BelowReorderPointPayload[];

/**
 * The inventory module: items, locations, the stock ledger and everything
 * that posts to it. Every write is one transaction with its audit and outbox
 * rows; every move locks its item row first (FOR UPDATE), so moves of one
 * item are serialized and the availability check cannot race.
 */
export class InventoryService implements InventoryPort {
  /** The virtual locations once seen committed (never ones this service made in a transaction that may yet roll back). */
  private virtualCache: Record<VirtualLocationKind, LocationRow> | undefined;
  /** Locations as read (none is ever updated or deleted: code, kind and parent are fixed once made). */
  private readonly locationCache = new Map<string, LocationRow>();

  constructor(private readonly context: ErpContext) {}

  // --- items -------------------------------------------------------------------

  async createItem(raw: unknown, actor: string): Promise<Item> {
    const input: ItemInput = parseInput(ItemInputSchema, raw);
    const units = new Set<string>([input.baseUnit]);
    input.unitConversions.forEach((conversion, index) => {
      if (units.has(conversion.unit)) throw invalidInput(`unitConversions/${index}/unit`, "duplicate_items");
      units.add(conversion.unit);
    });
    const id = newId();
    try {
      return await this.context.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO inventory_items (id, site_id, code, name, category, base_unit, unit_conversions, tracking, allow_negative, owner, currency, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [id, this.context.siteId, input.code, input.name, input.category, input.baseUnit, JSON.stringify(input.unitConversions), input.tracking, input.allowNegative, input.owner, input.currency, input.notes, actor],
        );
        const item = toItem(await this.itemRow(tx, id, false));
        await recordChange(this.context, tx, { actor, module: MODULE, action: "inventory.item.create", entityType: "inventory_item", entityId: id, operation: "insert", rowVersion: 1, after: item });
        return item;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw serviceError("conflict", "code", "already_exists");
      throw error;
    }
  }

  async listItems(): Promise<Item[]> {
    const result = await this.context.db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM inventory_items WHERE site_id = $1 ORDER BY code`, [this.context.siteId]);
    return result.rows.map(toItem);
  }

  async getItem(id: string): Promise<Item> {
    return toItem(await this.itemRow(this.context.db, id, false));
  }

  // --- locations -----------------------------------------------------------------

  async createLocation(raw: unknown, actor: string): Promise<Location> {
    const input: LocationInput = parseInput(LocationInputSchema, raw);
    const id = newId();
    try {
      return await this.context.db.transaction(async (tx) => {
        if (input.parentId !== undefined) {
          const parent = await this.locationRow(tx, input.parentId, "parentId");
          if (!isInternal(parent.kind)) throw invalidInput("parentId", "not_a_stock_location", { kind: parent.kind });
        }
        await tx.query(
          `INSERT INTO inventory_locations (id, site_id, code, name, kind, parent_id, site_asset_id, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, this.context.siteId, input.code, input.name, input.kind, input.parentId ?? null, input.siteAssetId ?? null, actor],
        );
        const location = toLocation(await this.locationRow(tx, id, "id"));
        await recordChange(this.context, tx, { actor, module: MODULE, action: "inventory.location.create", entityType: "inventory_location", entityId: id, operation: "insert", rowVersion: 1, after: location });
        return location;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw serviceError("conflict", "code", "already_exists");
      throw error;
    }
  }

  /** Internal locations, and the site's virtual ones (made on first use). */
  async listLocations(): Promise<Location[]> {
    await this.context.db.transaction((tx) => this.virtualLocations(tx));
    const result = await this.context.db.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM inventory_locations WHERE site_id = $1 ORDER BY code`, [this.context.siteId]);
    return result.rows.map(toLocation);
  }

  // --- moves -----------------------------------------------------------------------

  async receive(raw: ReceiptInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(ReceiptInputSchema, raw);
    return this.writeMove(input.sourceKey, input.itemId, { locationIds: [input.toLocationId], lot: input.lot }, async (tx, item, events) => {
      if (input.currency !== item.currency) throw invalidInput("currency", "currency_mismatch", { currency: input.currency, expected: item.currency });
      const virtual = await this.virtualLocations(tx);
      const to = await this.stockLocation(tx, input.toLocationId, "toLocationId");
      return this.postMove(tx, this.moveSpec(item, input, { moveType: "receipt", from: virtual.supplier, to, unitCost: input.unitCost }), actor, events);
    });
  }

  async issue(raw: IssueInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(IssueInputSchema, raw);
    return this.writeMove(input.sourceKey, input.itemId, { locationIds: [input.fromLocationId], lot: input.lot }, async (tx, item, events) => {
      const virtual = await this.virtualLocations(tx);
      const from = await this.stockLocation(tx, input.fromLocationId, "fromLocationId");
      return this.postMove(tx, this.moveSpec(item, input, { moveType: "issue", from, to: virtual.consumption, costObject: input.costObject }), actor, events);
    });
  }

  async transfer(raw: TransferInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(TransferInputSchema, raw);
    if (input.fromLocationId === input.toLocationId) throw invalidInput("toLocationId", "same_location", { other: "fromLocationId" });
    return this.writeMove(input.sourceKey, input.itemId, { locationIds: [input.fromLocationId, input.toLocationId], lot: input.lot }, async (tx, item, events) => {
      const from = await this.stockLocation(tx, input.fromLocationId, "fromLocationId");
      const to = await this.stockLocation(tx, input.toLocationId, "toLocationId");
      return this.postMove(tx, this.moveSpec(item, input, { moveType: "transfer", from, to }), actor, events);
    });
  }

  async adjust(raw: AdjustmentInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(AdjustmentInputSchema, raw);
    if (input.quantityDelta === 0) throw invalidInput("quantityDelta", "must_not_be_zero");
    return this.writeMove(input.sourceKey, input.itemId, { locationIds: [input.locationId], lot: input.lot }, async (tx, item, events) => {
      const virtual = await this.virtualLocations(tx);
      const location = await this.stockLocation(tx, input.locationId, "locationId");
      const adding = input.quantityDelta > 0;
      const spec = this.moveSpec(item, { ...input, quantity: Math.abs(input.quantityDelta) }, {
        moveType: "adjustment",
        from: adding ? virtual.adjustment : location,
        to: adding ? location : virtual.adjustment,
        checkOnHand: true,
        quantityField: "quantityDelta",
      });
      return this.postMove(tx, spec, actor, events);
    });
  }

  /** A correction: the opposite move, at the reversed move's cost; a move is reversed once. */
  async reverse(moveId: string, raw: ReversalInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(ReversalInputSchema, raw);
    const original = await this.moveRow(this.context.db, moveId);
    const lockAt = { locationIds: [original.from_location_id, original.to_location_id], lot: original.lot };
    return this.writeMove(input.sourceKey, original.item_id, lockAt, async (tx, item, events) => {
      if (original.move_type === "reversal") throw serviceError("invalid_state", "moveId", "already_reversed");
      const reversed = await tx.query(`SELECT 1 FROM stock_moves WHERE reverses_move_id = $1`, [moveId]);
      if (reversed.rowCount > 0) throw serviceError("invalid_state", "moveId", "already_reversed");
      const from = await this.locationRow(tx, original.to_location_id, "toLocationId");
      const to = await this.locationRow(tx, original.from_location_id, "fromLocationId");
      const quantity = fromNumeric(original.quantity);
      return this.postMove(
        tx,
        {
          moveType: "reversal",
          item,
          from,
          to,
          lot: original.lot,
          quantity,
          enteredQuantity: fromNumeric(original.entered_quantity),
          enteredUnit: original.entered_unit,
          unitCost: fromNumeric(original.unit_cost),
          costObject: original.cost_object_type !== null && original.cost_object_id !== null ? { type: original.cost_object_type, id: original.cost_object_id } : null,
          source: { type: "stock_move", id: moveId },
          reversesMoveId: moveId,
          reversedReceipt: original.move_type === "receipt",
          sourceKey: input.sourceKey,
          notes: input.notes,
          movedAt: new Date().toISOString(),
          checkOnHand: true,
        },
        actor,
        events,
      );
    });
  }

  async listMoves(raw: Partial<MoveQuery>): Promise<Page<StockMove>> {
    const query = parseInput(MoveQuerySchema, raw);
    const where = ["site_id = $1"];
    const params: (string | number)[] = [this.context.siteId];
    const add = (clause: (n: string) => string, value: string) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.itemId !== undefined) add((n) => `item_id = ${n}`, query.itemId);
    if (query.locationId !== undefined) add((n) => `(from_location_id = ${n} OR to_location_id = ${n})`, query.locationId);
    if (query.moveType !== undefined) add((n) => `move_type = ${n}`, query.moveType);
    if (query.costObjectType !== undefined) add((n) => `cost_object_type = ${n}`, query.costObjectType);
    if (query.costObjectId !== undefined) add((n) => `cost_object_id = ${n}`, query.costObjectId);
    const filter = where.join(" AND ");
    const total = await this.context.db.query<{ count: Numeric }>(`SELECT count(*) AS count FROM stock_moves WHERE ${filter}`, params);
    const rows = await this.context.db.query<MoveRow>(
      `SELECT ${MOVE_COLUMNS} FROM stock_moves WHERE ${filter} ORDER BY moved_at DESC, id DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return { items: rows.rows.map(toMove), total: fromNumeric(total.rows[0]?.count ?? 0) };
  }

  // --- stock ---------------------------------------------------------------------------

  async onHand(raw: Partial<StockQuery>): Promise<StockBalance[]> {
    const query = parseInput(StockQuerySchema, raw);
    const where = ["b.site_id = $1"];
    const params: string[] = [this.context.siteId];
    if (query.itemId !== undefined) {
      params.push(query.itemId);
      where.push(`b.item_id = $${params.length}`);
    }
    if (query.locationId !== undefined) {
      params.push(query.locationId);
      where.push(`b.location_id = $${params.length}`);
    }
    if (!query.includeZero) where.push("(b.on_hand_quantity <> 0 OR b.reserved_quantity <> 0)");
    const result = await this.context.db.query<BalanceRow & { average_unit_cost: Numeric; currency: string }>(
      `SELECT b.item_id, b.location_id, b.lot, b.on_hand_quantity, b.reserved_quantity, i.average_unit_cost, i.currency
       FROM stock_balances b JOIN inventory_items i ON i.id = b.item_id
       WHERE ${where.join(" AND ")} ORDER BY i.code, b.location_id, b.lot`,
      params,
    );
    return result.rows.map((row) => {
      const onHandQuantity = fromNumeric(row.on_hand_quantity);
      const reservedQuantity = fromNumeric(row.reserved_quantity);
      const averageUnitCost = fromNumeric(row.average_unit_cost);
      return {
        itemId: row.item_id,
        locationId: row.location_id,
        lot: row.lot === "" ? null : row.lot,
        onHandQuantity,
        reservedQuantity,
        availableQuantity: roundQuantity(onHandQuantity - reservedQuantity),
        averageUnitCost,
        currency: row.currency,
        value: roundMoney(onHandQuantity * averageUnitCost),
      };
    });
  }

  async availability(itemId: string, locationId?: string): Promise<Availability> {
    const item = await this.itemRow(this.context.db, itemId, false);
    const params: string[] = [itemId];
    if (locationId !== undefined) params.push(locationId);
    const result = await this.context.db.query<{ on_hand: Numeric | null; reserved: Numeric | null }>(
      `SELECT sum(on_hand_quantity) AS on_hand, sum(reserved_quantity) AS reserved FROM stock_balances
       WHERE item_id = $1${locationId === undefined ? "" : " AND location_id = $2"}`,
      params,
    );
    const onHandQuantity = fromNumeric(result.rows[0]?.on_hand ?? 0);
    const reservedQuantity = fromNumeric(result.rows[0]?.reserved ?? 0);
    return {
      itemId,
      locationId: locationId ?? null,
      onHandQuantity,
      reservedQuantity,
      availableQuantity: roundQuantity(onHandQuantity - reservedQuantity),
      baseUnit: item.base_unit,
    };
  }

  // --- reservations ----------------------------------------------------------------------

  async reserve(raw: ReservationInput, actor: string): Promise<Recorded<Reservation>> {
    const input = parseInput(ReservationInputSchema, raw);
    if (input.sourceKey !== undefined) {
      const replay = await this.context.db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM stock_reservations WHERE site_id = $1 AND source_key = $2`, [this.context.siteId, input.sourceKey]);
      if (replay.rows[0] !== undefined) return { value: toReservation(replay.rows[0]), replayed: true };
    }
    const events: PendingEvents = [];
    const reservation = await this.context.db.transaction(async (tx) => {
      const item = await this.itemRow(tx, input.itemId, true);
      const location = await this.stockLocation(tx, input.locationId, "locationId");
      const lot = this.lotOf(item, input.lot, "lot");
      const quantity = this.baseQuantity(item, input.quantity, input.unit, "quantity");
      const balance = await this.lockBalance(tx, item.id, location.id, lot);
      const available = fromNumeric(balance.on_hand_quantity) - fromNumeric(balance.reserved_quantity);
      // A reservation is a promise of stock that exists: even an item allowed negative cannot reserve what is not there.
      if (!mayTake(available, quantity, false)) throw this.insufficient(item, available, quantity, "quantity");
      await tx.query(
        `UPDATE stock_balances SET reserved_quantity = reserved_quantity + $4, updated_at = now(), row_version = row_version + 1
         WHERE item_id = $1 AND location_id = $2 AND lot = $3`,
        [item.id, location.id, lot, quantity],
      );
      const id = newId();
      await tx.query(
        `INSERT INTO stock_reservations (id, site_id, item_id, location_id, lot, quantity, source_type, source_id, cost_object_type, cost_object_id, source_key, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, this.context.siteId, item.id, location.id, lot, quantity, input.source.type, input.source.id, input.costObject?.type ?? null, input.costObject?.id ?? null, input.sourceKey ?? null, actor],
      );
      const stored = toReservation(await this.reservationRow(tx, id, false));
      await recordChange(this.context, tx, { actor, module: MODULE, action: "inventory.reservation.create", entityType: "stock_reservation", entityId: id, operation: "insert", rowVersion: 1, after: stored });
      await this.checkReorderPoint(tx, item, location.id, events);
      return stored;
    });
    this.emit(events);
    return { value: reservation, replayed: false };
  }

  async releaseReservation(reservationId: string, actor: string, source?: SourceRef): Promise<Reservation> {
    const events: PendingEvents = [];
    const reservation = await this.context.db.transaction(async (tx) => {
      const found = await this.reservationRow(tx, reservationId, false);
      const item = await this.itemRow(tx, found.item_id, true);
      const row = await this.reservationRow(tx, reservationId, true);
      if (row.status !== "open") throw serviceError("invalid_state", "reservationId", "reservation_not_open", { status: row.status });
      const left = roundQuantity(fromNumeric(row.quantity) - fromNumeric(row.consumed_quantity));
      await this.lockBalance(tx, row.item_id, row.location_id, row.lot);
      await tx.query(
        `UPDATE stock_balances SET reserved_quantity = greatest(reserved_quantity - $4, 0), updated_at = now(), row_version = row_version + 1
         WHERE item_id = $1 AND location_id = $2 AND lot = $3`,
        [row.item_id, row.location_id, row.lot, left],
      );
      await tx.query(`UPDATE stock_reservations SET status = 'released', updated_at = now(), row_version = row_version + 1 WHERE id = $1`, [reservationId]);
      const stored = toReservation(await this.reservationRow(tx, reservationId, false));
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "inventory.reservation.release",
        entityType: "stock_reservation",
        entityId: reservationId,
        operation: "update",
        rowVersion: stored.rowVersion,
        before: toReservation(row),
        after: stored,
        details: source === undefined ? undefined : { source },
      });
      await this.checkReorderPoint(tx, item, row.location_id, events);
      return stored;
    });
    this.emit(events);
    return reservation;
  }

  async consumeReservation(reservationId: string, raw: ConsumeReservationInput, actor: string): Promise<Recorded<StockMove>> {
    const input = parseInput(ConsumeReservationInputSchema, raw);
    const found = await this.reservationRow(this.context.db, reservationId, false);
    return this.writeMove(input.sourceKey, found.item_id, { locationIds: [found.location_id], lot: found.lot }, async (tx, item, events) => {
      const row = await this.reservationRow(tx, reservationId, true);
      if (row.status !== "open") throw serviceError("invalid_state", "reservationId", "reservation_not_open", { status: row.status });
      const left = roundQuantity(fromNumeric(row.quantity) - fromNumeric(row.consumed_quantity));
      const quantity = input.quantity ?? left;
      if (roundQuantity(quantity - left) > 0) throw invalidInput("quantity", "above_reservation_left", { left, unit: item.base_unit });
      const costObject = input.costObject ?? (row.cost_object_type !== null && row.cost_object_id !== null ? { type: row.cost_object_type, id: row.cost_object_id } : undefined);
      if (costObject === undefined) throw invalidInput("costObject", "required");
      const virtual = await this.virtualLocations(tx);
      const from = await this.locationRow(tx, row.location_id, "locationId");
      const move = await this.postMove(
        tx,
        {
          moveType: "issue",
          item,
          from,
          to: virtual.consumption,
          lot: row.lot,
          quantity,
          enteredQuantity: quantity,
          enteredUnit: item.base_unit,
          costObject,
          source: { type: row.source_type, id: row.source_id },
          reservationId,
          sourceKey: input.sourceKey,
          notes: input.notes,
          movedAt: new Date().toISOString(),
          consumesReserved: quantity,
        },
        actor,
        events,
      );
      const consumed = roundQuantity(fromNumeric(row.consumed_quantity) + quantity);
      await tx.query(
        `UPDATE stock_reservations SET consumed_quantity = $2, status = $3, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [reservationId, consumed, consumed >= fromNumeric(row.quantity) ? "consumed" : "open"],
      );
      const stored = toReservation(await this.reservationRow(tx, reservationId, false));
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "inventory.reservation.consume",
        entityType: "stock_reservation",
        entityId: reservationId,
        operation: "update",
        rowVersion: stored.rowVersion,
        before: toReservation(row),
        after: stored,
        details: { moveId: move.id },
      });
      return move;
    });
  }

  async listReservations(query: { itemId?: string; status?: ReservationStatus; sourceType?: string; sourceId?: string }): Promise<Reservation[]> {
    const where = ["site_id = $1"];
    const params: string[] = [this.context.siteId];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add("item_id", query.itemId);
    add("status", query.status);
    add("source_type", query.sourceType);
    add("source_id", query.sourceId);
    const result = await this.context.db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM stock_reservations WHERE ${where.join(" AND ")} ORDER BY created_at DESC LIMIT 500`, params);
    return result.rows.map(toReservation);
  }

  // --- reorder points -----------------------------------------------------------------------

  async setReorderPoint(raw: ReorderPointInput, actor: string): Promise<ReorderPoint> {
    const input = parseInput(ReorderPointInputSchema, raw);
    const events: PendingEvents = [];
    const point = await this.context.db.transaction(async (tx) => {
      const item = await this.itemRow(tx, input.itemId, true);
      await this.stockLocation(tx, input.locationId, "locationId");
      const before = await this.reorderPointRow(tx, item.id, input.locationId);
      await tx.query(
        `INSERT INTO stock_reorder_points (id, site_id, item_id, location_id, reorder_point_quantity, reorder_quantity, created_by)
         VALUES ($7, $1, $2, $3, $4, $5, $6)
         ON CONFLICT (item_id, location_id) DO UPDATE SET reorder_point_quantity = EXCLUDED.reorder_point_quantity,
           reorder_quantity = EXCLUDED.reorder_quantity, below = false, updated_at = now(), row_version = stock_reorder_points.row_version + 1`,
        [this.context.siteId, item.id, input.locationId, input.reorderPointQuantity, input.reorderQuantity, actor, newId()],
      );
      // A new point is judged afresh: stock already below it is a crossing to report.
      item.has_reorder_points = true;
      await this.checkReorderPoint(tx, item, input.locationId, events);
      const stored = await this.reorderPointRow(tx, item.id, input.locationId);
      if (stored === null) throw new Error("reorder point vanished in its own transaction");
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "inventory.reorder_point.set",
        entityType: "stock_reorder_point",
        entityId: stored.id,
        operation: before === null ? "insert" : "update",
        rowVersion: stored.rowVersion,
        before: before ?? undefined,
        after: stored,
      });
      return stored;
    });
    this.emit(events);
    return point;
  }

  async listReorderPoints(): Promise<ReorderPoint[]> {
    const result = await this.context.db.query<ReorderPointRow>(`SELECT ${REORDER_COLUMNS} FROM stock_reorder_points WHERE site_id = $1`, [this.context.siteId]);
    return result.rows.map(toReorderPoint);
  }

  // --- counts ----------------------------------------------------------------------------------

  /** Posts a physical count: every difference from the system quantity becomes an adjustment against the count location. */
  async postCount(raw: CountInput, actor: string): Promise<Recorded<Count>> {
    const input = parseInput(CountInputSchema, raw);
    if (input.sourceKey !== undefined) {
      const replay = await this.context.db.query<{ id: string }>(`SELECT id FROM stock_counts WHERE site_id = $1 AND source_key = $2`, [this.context.siteId, input.sourceKey]);
      if (replay.rows[0] !== undefined) return { value: await this.countOf(this.context.db, replay.rows[0].id), replayed: true };
    }
    const seen = new Set<string>();
    input.lines.forEach((line, index) => {
      const key = `${line.itemId}\u0000${line.lot ?? ""}`;
      if (seen.has(key)) throw invalidInput(`lines/${index}`, "duplicate_count_line", { item: line.itemId, lot: line.lot ?? "" });
      seen.add(key);
    });
    const events: PendingEvents = [];
    const countedAt = input.countedAt ?? new Date().toISOString();
    const count = await this.context.db.transaction(async (tx) => {
      const location = await this.stockLocation(tx, input.locationId, "locationId");
      const virtual = await this.virtualLocations(tx);
      const id = newId();
      await tx.query(`INSERT INTO stock_counts (id, site_id, location_id, counted_at, source_key, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        id,
        this.context.siteId,
        location.id,
        countedAt,
        input.sourceKey ?? null,
        input.notes,
        actor,
      ]);
      // Items locked in id order: two counts over the same items cannot deadlock.
      const lines = input.lines.map((line, index) => ({ line, index })).sort((a, b) => (a.line.itemId < b.line.itemId ? -1 : a.line.itemId > b.line.itemId ? 1 : 0));
      for (const { line, index } of lines) {
        const item = await this.itemRow(tx, line.itemId, true, `lines/${index}/itemId`);
        const lot = this.lotOf(item, line.lot, `lines/${index}/lot`);
        const counted = this.baseQuantity(item, line.countedQuantity, line.unit, `lines/${index}/countedQuantity`);
        const balance = await this.lockBalance(tx, item.id, location.id, lot);
        const system = fromNumeric(balance.on_hand_quantity);
        const difference = roundQuantity(counted - system);
        let moveId: string | null = null;
        if (difference !== 0) {
          const move = await this.postMove(
            tx,
            {
              moveType: "adjustment",
              item: await this.itemRow(tx, item.id, true),
              from: difference > 0 ? virtual.count : location,
              to: difference > 0 ? location : virtual.count,
              lot,
              quantity: Math.abs(difference),
              enteredQuantity: Math.abs(difference),
              enteredUnit: item.base_unit,
              source: { type: "stock_count", id },
              notes: input.notes,
              movedAt: countedAt,
              skipAvailabilityCheck: true,
            },
            actor,
            events,
          );
          moveId = move.id;
        }
        await tx.query(`INSERT INTO stock_count_lines (count_id, item_id, lot, system_quantity, counted_quantity, adjustment_move_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
          id,
          item.id,
          lot,
          system,
          counted,
          moveId,
        ]);
      }
      const stored = await this.countOf(tx, id);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "inventory.count.post", entityType: "stock_count", entityId: id, operation: "insert", rowVersion: 1, after: stored });
      return stored;
    });
    this.emit(events);
    return { value: count, replayed: false };
  }

  async listCounts(): Promise<Count[]> {
    const result = await this.context.db.query<{ id: string }>(`SELECT id FROM stock_counts WHERE site_id = $1 ORDER BY counted_at DESC LIMIT 200`, [this.context.siteId]);
    const counts: Count[] = [];
    for (const row of result.rows) counts.push(await this.countOf(this.context.db, row.id));
    return counts;
  }

  // --- internals ----------------------------------------------------------------------------------

  /**
   * One move write: a replay of its sourceKey answers the first move; else
   * one transaction that locks the item row first (with the balance rows at
   * `lockAt`'s internal locations, in the same statement), posts, and emits
   * the reorder events after the commit.
   */
  private async writeMove(
    sourceKey: string | undefined,
    itemId: string,
    lockAt: BalancesAt,
    post: (tx: Queryable, item: ItemRow, events: PendingEvents) => Promise<StockMove>,
  ): Promise<Recorded<StockMove>> {
    const replay = await this.replayMove(this.context.db, sourceKey);
    if (replay) return { value: replay, replayed: true };
    const events: PendingEvents = [];
    try {
      const move = await this.context.db.transaction(async (tx) => {
        const item = await this.itemRow(tx, itemId, true, "itemId", lockAt);
        return post(tx, item, events);
      });
      this.emit(events);
      return { value: move, replayed: false };
    } catch (error) {
      // A cached virtual location made by a unit of work that then rolled back (the only way one can vanish): read them again next time.
      if (isForeignKeyViolation(error)) {
        this.virtualCache = undefined;
        this.locationCache.clear();
      }
      // Two writes with one key at once: the loser answers the winner's move.
      if (sourceKey !== undefined && isUniqueViolation(error)) {
        const winner = await this.replayMove(this.context.db, sourceKey);
        if (winner) return { value: winner, replayed: true };
      }
      throw error;
    }
  }

  private async replayMove(db: Queryable, sourceKey: string | undefined): Promise<StockMove | null> {
    if (sourceKey === undefined) return null;
    const result = await db.query<MoveRow>(`SELECT ${MOVE_COLUMNS} FROM stock_moves WHERE site_id = $1 AND source_key = $2`, [this.context.siteId, sourceKey]);
    return result.rows[0] === undefined ? null : toMove(result.rows[0]);
  }

  private moveSpec(
    item: ItemRow,
    input: { quantity: number; unit?: string; lot?: string; movedAt?: string; source?: SourceRef; sourceKey?: string; notes: string },
    spec: Pick<MoveSpec, "moveType" | "from" | "to" | "unitCost" | "costObject" | "checkOnHand"> & { quantityField?: string },
  ): MoveSpec {
    const { quantityField, ...rest } = spec;
    return {
      ...rest,
      item,
      lot: this.lotOf(item, input.lot, "lot"),
      quantity: this.baseQuantity(item, input.quantity, input.unit, quantityField ?? "quantity"),
      enteredQuantity: input.quantity,
      enteredUnit: input.unit ?? item.base_unit,
      source: input.source ?? null,
      sourceKey: input.sourceKey,
      notes: input.notes,
      movedAt: input.movedAt ?? new Date().toISOString(),
    };
  }

  /**
   * Posts one move in `tx` (its item row already locked): checks the stock
   * at `from`, writes the ledger row, updates both balances, the item's on
   * hand and moving average, checks reorder points, and records audit and
   * outbox rows.
   */
  private async postMove(tx: Queryable, spec: MoveSpec, actor: string, events: PendingEvents): Promise<StockMove> {
    const { item, from, to, lot, quantity } = spec;
    const fromInternal = isInternal(from.kind);
    const toInternal = isInternal(to.kind);
    if (item.tracking === "serial" && quantity !== 1) throw invalidInput("quantity", "serial_quantity");
    const consumes = spec.consumesReserved ?? 0;
    if (fromInternal) {
      const balance = this.takeLocked(item, from.id, lot) ?? (await this.lockBalance(tx, item.id, from.id, lot));
      const onHand = fromNumeric(balance.on_hand_quantity);
      const available = spec.checkOnHand ? onHand : onHand - fromNumeric(balance.reserved_quantity) + consumes;
      if (!spec.skipAvailabilityCheck && !mayTake(available, quantity, item.allow_negative)) throw this.insufficient(item, available, quantity, "quantity");
    }
    if (toInternal) {
      if (this.takeLocked(item, to.id, lot) === undefined) await this.lockBalance(tx, item.id, to.id, lot);
      if (item.tracking === "serial" && !fromInternal) {
        const inStock = await tx.query<{ total: Numeric | null }>(`SELECT sum(on_hand_quantity) AS total FROM stock_balances WHERE item_id = $1 AND lot = $2`, [item.id, lot]);
        if (fromNumeric(inStock.rows[0]?.total ?? 0) > 0) throw serviceError("conflict", "lot", "serial_in_stock");
      }
    }
    const onHandBefore = fromNumeric(item.on_hand_quantity);
    const averageBefore = fromNumeric(item.average_unit_cost);
    let unitCost = spec.unitCost ?? averageBefore;
    let average = averageBefore;
    if (spec.moveType === "receipt") average = movingAverageAfterReceipt(onHandBefore, averageBefore, quantity, unitCost);
    if (spec.reversedReceipt) average = movingAverageAfterReturn(onHandBefore, averageBefore, quantity, unitCost);
    unitCost = roundMoney(unitCost);
    const onHandDelta = (toInternal ? quantity : 0) - (fromInternal ? quantity : 0);
    const txNow = item.tx_now;
    if (txNow === undefined) throw new Error("postMove needs the item as read with its lock (itemRow)");
    // The move as stored, known before it is written, so its audit and outbox rows go in the same statement.
    // Times at millisecond precision (what the API shows); created_at is the column default, now(), read with the item lock.
    const move: StockMove = {
      id: newId(),
      itemId: item.id,
      moveType: spec.moveType,
      fromLocationId: from.id,
      toLocationId: to.id,
      lot: lot === "" ? null : lot,
      quantity,
      enteredQuantity: spec.enteredQuantity,
      enteredUnit: spec.enteredUnit,
      unitCost,
      currency: item.currency,
      value: roundMoney(quantity * unitCost),
      costObject: spec.costObject ?? null,
      source: spec.source ?? null,
      reservationId: spec.reservationId ?? null,
      reversesMoveId: spec.reversesMoveId ?? null,
      sourceKey: spec.sourceKey ?? null,
      notes: spec.notes,
      movedAt: new Date(spec.movedAt).toISOString(),
      createdAt: txNow.toISOString(),
      createdBy: actor,
    };
    const params = new StatementParams();
    const p = (value: SqlValue) => params.add(value);
    const writes = [
      `INSERT INTO stock_moves (id, site_id, item_id, move_type, from_location_id, to_location_id, lot, quantity, entered_quantity, entered_unit,
         unit_cost, currency, value, cost_object_type, cost_object_id, source_type, source_id, reservation_id, reverses_move_id, source_key, notes, moved_at, created_by)
       VALUES (${p(move.id)}, ${p(this.context.siteId)}, ${p(item.id)}, ${p(spec.moveType)}, ${p(from.id)}, ${p(to.id)}, ${p(lot)}, ${p(quantity)},
         ${p(move.enteredQuantity)}, ${p(move.enteredUnit)}, ${p(unitCost)}, ${p(move.currency)}, ${p(move.value)}, ${p(move.costObject?.type ?? null)},
         ${p(move.costObject?.id ?? null)}, ${p(move.source?.type ?? null)}, ${p(move.source?.id ?? null)}, ${p(move.reservationId)}, ${p(move.reversesMoveId)},
         ${p(move.sourceKey)}, ${p(move.notes)}, ${p(move.movedAt)}, ${p(actor)})`,
      `UPDATE inventory_items SET on_hand_quantity = on_hand_quantity + ${p(onHandDelta)}, average_unit_cost = ${p(average)}, updated_at = now(),
         row_version = row_version + 1 WHERE id = ${p(item.id)}`,
    ];
    if (fromInternal) {
      writes.push(`UPDATE stock_balances SET on_hand_quantity = on_hand_quantity - ${p(quantity)}, reserved_quantity = greatest(reserved_quantity - ${p(consumes)}, 0),
         updated_at = now(), row_version = row_version + 1 WHERE item_id = ${p(item.id)} AND location_id = ${p(from.id)} AND lot = ${p(lot)}`);
    }
    if (toInternal) {
      writes.push(`UPDATE stock_balances SET on_hand_quantity = on_hand_quantity + ${p(quantity)}, updated_at = now(), row_version = row_version + 1
         WHERE item_id = ${p(item.id)} AND location_id = ${p(to.id)} AND lot = ${p(lot)}`);
    }
    // The ledger row, both balances, the item, the audit and the outbox rows: one statement, one round trip.
    await recordChangeWith(
      this.context,
      tx,
      {
        actor,
        module: MODULE,
        action: `inventory.stock_move.${spec.moveType}`,
        entityType: "stock_move",
        entityId: move.id,
        operation: "insert",
        rowVersion: 1,
        after: move,
        details: average === averageBefore ? undefined : { averageUnitCostBefore: averageBefore, averageUnitCostAfter: average },
      },
      writes,
      params,
    );
    // The caller's item row now reflects this move, for the next move of the same transaction (a count's lines).
    item.on_hand_quantity = roundQuantity(onHandBefore + onHandDelta);
    item.average_unit_cost = average;
    if (fromInternal) await this.checkReorderPoint(tx, item, from.id, events);
    if (toInternal) await this.checkReorderPoint(tx, item, to.id, events);
    return move;
  }

  /** Emits `inventory.stock.below_reorder_point` once per crossing: `below` is set when it fires and cleared when stock recovers. */
  private async checkReorderPoint(tx: Queryable, item: ItemRow, locationId: string, events: PendingEvents): Promise<void> {
    // Reorder points are set under the item's lock, so what was read with the lock still holds.
    if (item.has_reorder_points === false) return;
    // The point and what is available at its location (every lot) in one round trip.
    const point = await tx.query<{ reorder_point_quantity: Numeric; reorder_quantity: Numeric; below: boolean; available: Numeric | null }>(
      `SELECT r.reorder_point_quantity, r.reorder_quantity, r.below,
         (SELECT sum(b.on_hand_quantity - b.reserved_quantity) FROM stock_balances b WHERE b.item_id = r.item_id AND b.location_id = r.location_id) AS available
       FROM stock_reorder_points r WHERE r.item_id = $1 AND r.location_id = $2 FOR UPDATE OF r`,
      [item.id, locationId],
    );
    const row = point.rows[0];
    if (row === undefined) return;
    const available = roundQuantity(fromNumeric(row.available ?? 0));
    const reorderPointQuantity = fromNumeric(row.reorder_point_quantity);
    const below = available <= reorderPointQuantity;
    if (below === row.below) return;
    await tx.query(`UPDATE stock_reorder_points SET below = $3, updated_at = now(), row_version = row_version + 1 WHERE item_id = $1 AND location_id = $2`, [item.id, locationId, below]);
    if (below) {
      events.push({ itemId: item.id, itemCode: item.code, locationId, availableQuantity: available, reorderPointQuantity, reorderQuantity: fromNumeric(row.reorder_quantity), baseUnit: item.base_unit });
    }
  }

  private emit(events: PendingEvents): void {
    for (const payload of events) this.context.events.emit(BELOW_REORDER_POINT_EVENT, payload);
  }

  private insufficient(item: ItemRow, available: number, requested: number, field: string): ServiceError {
    const availableQuantity = roundQuantity(available);
    return serviceError("conflict", field, "insufficient_stock", { available: availableQuantity, requested, unit: item.base_unit });
  }

  private baseQuantity(item: ItemRow, quantity: number, unit: string | undefined, field: string): number {
    const base = toBaseQuantity(quantity, unit, item.base_unit, item.unit_conversions);
    if (base === undefined) {
      throw invalidInput("unit", "unknown_unit", { baseUnit: item.base_unit, units: item.unit_conversions.map((conversion) => conversion.unit).join(", ") || "-" });
    }
    if (base <= 0) throw invalidInput(field, "not_above", { limit: 0 });
    return base;
  }

  private lotOf(item: ItemRow, lot: string | undefined, field: string): string {
    if (item.tracking === "none") {
      if (lot !== undefined) throw invalidInput(field, "lot_not_tracked");
      return "";
    }
    if (lot === undefined) throw invalidInput(field, "lot_required", { tracking: item.tracking });
    return lot;
  }

  private async itemRow(db: Queryable, id: string, lock: boolean, field = "itemId", balancesAt?: BalancesAt): Promise<ItemRow> {
    const select = `SELECT ${ITEM_COLUMNS}, EXISTS (SELECT 1 FROM stock_reorder_points r WHERE r.item_id = inventory_items.id) AS has_reorder_points,
         now() AS tx_now
       FROM inventory_items WHERE id = $1 AND site_id = $2${lock ? " FOR UPDATE OF inventory_items" : ""}`;
    // The balance upsert reads the item CTE, so it runs after the item row is locked: the lock order (item, then its balances) of every write holds.
    const result =
      lock && balancesAt !== undefined
        ? await db.query<ItemRow>(
            `WITH item AS (${select}),
             balances AS (
               INSERT INTO stock_balances (site_id, item_id, location_id, lot)
               SELECT $2, item.id, l.id, CASE WHEN item.tracking = 'none' THEN '' ELSE $4::text END
               FROM item JOIN inventory_locations l ON l.id = ANY($3::uuid[]) AND l.site_id = $2 AND l.kind = ANY($5::text[])
               WHERE item.tracking = 'none' OR $4::text IS NOT NULL
               ON CONFLICT (item_id, location_id, lot) DO UPDATE SET site_id = stock_balances.site_id
               RETURNING item_id, location_id, lot, on_hand_quantity::text AS on_hand_quantity, reserved_quantity::text AS reserved_quantity
             )
             SELECT item.*, (SELECT json_agg(balances) FROM balances) AS balances FROM item`,
            [id, this.context.siteId, [...balancesAt.locationIds], balancesAt.lot ?? null, [...INTERNAL_LOCATION_KINDS]],
          )
        : await db.query<ItemRow>(select, [id, this.context.siteId]);
    const row = result.rows[0];
    if (row === undefined) throw serviceError("not_found", field, "invalid", undefined, `item ${id} not found`);
    return row;
  }

  /** The balance row of (location, lot) locked with the item (itemRow), once: a second move of the item in one transaction reads it again. */
  private takeLocked(item: ItemRow, locationId: string, lot: string): BalanceRow | undefined {
    const index = item.balances?.findIndex((balance) => balance.location_id === locationId && balance.lot === lot) ?? -1;
    if (index < 0) return undefined;
    return item.balances?.splice(index, 1)[0];
  }

  private async locationRow(db: Queryable, id: string, field: string): Promise<LocationRow> {
    const cached = this.locationCache.get(id);
    if (cached) return cached;
    const result = await db.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM inventory_locations WHERE id = $1 AND site_id = $2`, [id, this.context.siteId]);
    const row = result.rows[0];
    if (row === undefined) throw serviceError("not_found", field, "invalid", undefined, `location ${id} not found`);
    // A location read in the unit of work that made it and then rolled back is dropped on the foreign key error it causes (writeMove).
    this.locationCache.set(id, row);
    return row;
  }

  /** An internal location (warehouse, bin, yard): virtual ones are reached only through receipts, issues and adjustments. */
  private async stockLocation(db: Queryable, id: string, field: string): Promise<LocationRow> {
    const row = await this.locationRow(db, id, field);
    if (!isInternal(row.kind)) throw invalidInput(field, "not_a_stock_location", { kind: row.kind });
    return row;
  }

  /** The site's virtual locations, made on first use (the site id is the runtime's, not the migration's). */
  private async virtualLocations(tx: Queryable): Promise<Record<VirtualLocationKind, LocationRow>> {
    if (this.virtualCache) return this.virtualCache;
    const read = async () => {
      const result = await tx.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM inventory_locations WHERE site_id = $1 AND kind = ANY($2::text[])`, [this.context.siteId, [...VIRTUAL_LOCATION_KINDS]]);
      return result.rows;
    };
    let rows = await read();
    const foundAll = rows.length === VIRTUAL_LOCATION_KINDS.length;
    if (!foundAll) {
      for (const kind of VIRTUAL_LOCATION_KINDS) {
        await tx.query(
          `INSERT INTO inventory_locations (id, site_id, code, name, kind, created_by) VALUES ($1, $2, $3, $4, $5, 'system') ON CONFLICT DO NOTHING`,
          [newId(), this.context.siteId, `~${kind.toUpperCase()}`, kind, kind],
        );
      }
      rows = await read();
    }
    const byKind = new Map(rows.map((row) => [row.kind, row]));
    const pick = (kind: VirtualLocationKind): LocationRow => {
      const row = byKind.get(kind);
      if (row === undefined) throw new Error(`virtual location ${kind} missing after creation`);
      return row;
    };
    const virtual = { supplier: pick("supplier"), consumption: pick("consumption"), adjustment: pick("adjustment"), count: pick("count") };
    // Rows found without inserting were, but for one case, committed earlier and are never deleted; the
    // exception (this unit of work made them and rolls back later) is undone in writeMove on its foreign key error.
    if (foundAll) this.virtualCache = virtual;
    return virtual;
  }

  /**
   * The balance row of (item, location, lot), made if new, locked until the
   * transaction ends: an upsert that touches the row takes the same row lock
   * as SELECT ... FOR UPDATE, in one round trip.
   */
  private async lockBalance(tx: Queryable, itemId: string, locationId: string, lot: string): Promise<BalanceRow> {
    const result = await tx.query<BalanceRow>(
      `INSERT INTO stock_balances (site_id, item_id, location_id, lot) VALUES ($1, $2, $3, $4)
       ON CONFLICT (item_id, location_id, lot) DO UPDATE SET site_id = stock_balances.site_id
       RETURNING item_id, location_id, lot, on_hand_quantity, reserved_quantity`,
      [this.context.siteId, itemId, locationId, lot],
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error("stock balance upsert returned no row");
    return row;
  }

  private async moveRow(db: Queryable, id: string): Promise<MoveRow> {
    const result = await db.query<MoveRow>(`SELECT ${MOVE_COLUMNS} FROM stock_moves WHERE id = $1 AND site_id = $2`, [id, this.context.siteId]);
    const row = result.rows[0];
    if (row === undefined) throw serviceError("not_found", "moveId", "invalid", undefined, `stock move ${id} not found`);
    return row;
  }

  private async reservationRow(db: Queryable, id: string, lock: boolean): Promise<ReservationRow> {
    const result = await db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM stock_reservations WHERE id = $1 AND site_id = $2${lock ? " FOR UPDATE" : ""}`, [id, this.context.siteId]);
    const row = result.rows[0];
    if (row === undefined) throw serviceError("not_found", "reservationId", "invalid", undefined, `reservation ${id} not found`);
    return row;
  }

  private async reorderPointRow(db: Queryable, itemId: string, locationId: string): Promise<ReorderPoint | null> {
    const result = await db.query<ReorderPointRow>(`SELECT ${REORDER_COLUMNS} FROM stock_reorder_points WHERE item_id = $1 AND location_id = $2`, [itemId, locationId]);
    return result.rows[0] === undefined ? null : toReorderPoint(result.rows[0]);
  }

  private async countOf(db: Queryable, id: string): Promise<Count> {
    const header = await db.query<{ id: string; location_id: string; counted_at: Date; notes: string; created_at: Date; created_by: string }>(
      `SELECT id, location_id, counted_at, notes, created_at, created_by FROM stock_counts WHERE id = $1`,
      [id],
    );
    const row = header.rows[0];
    if (row === undefined) throw serviceError("not_found", "countId", "invalid", undefined, `count ${id} not found`);
    const lines = await db.query<{ item_id: string; lot: string; system_quantity: Numeric; counted_quantity: Numeric; adjustment_move_id: string | null }>(
      `SELECT item_id, lot, system_quantity, counted_quantity, adjustment_move_id FROM stock_count_lines WHERE count_id = $1 ORDER BY item_id, lot`,
      [id],
    );
    return {
      id: row.id,
      locationId: row.location_id,
      countedAt: row.counted_at.toISOString(),
      status: "posted",
      notes: row.notes,
      lines: lines.rows.map((line) => ({
        itemId: line.item_id,
        lot: line.lot === "" ? null : line.lot,
        systemQuantity: fromNumeric(line.system_quantity),
        countedQuantity: fromNumeric(line.counted_quantity),
        adjustmentMoveId: line.adjustment_move_id,
      })),
      createdAt: row.created_at.toISOString(),
      createdBy: row.created_by,
    };
  }
}

interface ReorderPointRow {
  id: string;
  item_id: string;
  location_id: string;
  reorder_point_quantity: Numeric;
  reorder_quantity: Numeric;
  below: boolean;
  updated_at: Date;
  row_version: number;
}

const REORDER_COLUMNS = "id, item_id, location_id, reorder_point_quantity, reorder_quantity, below, updated_at, row_version";

function toReorderPoint(row: ReorderPointRow): ReorderPoint {
  return {
    id: row.id,
    itemId: row.item_id,
    locationId: row.location_id,
    reorderPointQuantity: fromNumeric(row.reorder_point_quantity),
    reorderQuantity: fromNumeric(row.reorder_quantity),
    below: row.below,
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
  };
}
