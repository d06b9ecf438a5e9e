import { Type, type Static, type TLiteral, type TSchema, type TUnion } from "@sinclair/typebox";

/*
 * What the inventory routes, the port and the erp-stock-move node accept and
 * answer (docs/erp-inventory.md). Quantities are in the item's base unit
 * unless a `unit` names one of the item's conversions; money is a number with
 * its ISO 4217 currency.
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Code = Type.String({ minLength: 1, maxLength: 64 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Notes = Type.String({ maxLength: 2000, default: "" });
const UnitName = Type.String({ minLength: 1, maxLength: 32 });
const Lot = Type.String({ minLength: 1, maxLength: 100 });
const Currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 currency code, e.g. USD" });
const PositiveQuantity = Type.Number({ exclusiveMinimum: 0 });
const SourceKey = Type.String({ minLength: 1, maxLength: 200, description: "Idempotency key: a second write with the same key returns the first" });

/** A union of string literals whose static type is the literals, not `string`. */
function literals<T extends string>(values: readonly T[]): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

export const ITEM_CATEGORIES = ["spare_part", "chemical", "tubular", "consumable", "other"] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];
export const TRACKINGS = ["none", "lot", "serial"] as const;
export type Tracking = (typeof TRACKINGS)[number];
export const ITEM_OWNERS = ["site", "corporate"] as const;
export type ItemOwner = (typeof ITEM_OWNERS)[number];
/** Locations that hold stock. */
export const INTERNAL_LOCATION_KINDS = ["warehouse", "bin", "yard"] as const;
/** Where stock comes from and goes to outside the site's stores: one of each per site. */
export const VIRTUAL_LOCATION_KINDS = ["supplier", "consumption", "adjustment", "count"] as const;
export type InternalLocationKind = (typeof INTERNAL_LOCATION_KINDS)[number];
export type VirtualLocationKind = (typeof VIRTUAL_LOCATION_KINDS)[number];
export type LocationKind = InternalLocationKind | VirtualLocationKind;
export const MOVE_TYPES = ["receipt", "issue", "transfer", "adjustment", "reversal"] as const;
export type MoveType = (typeof MOVE_TYPES)[number];
export const COST_OBJECT_TYPES = ["well", "equipment", "work_order", "afe"] as const;
export type CostObjectType = (typeof COST_OBJECT_TYPES)[number];
export const RESERVATION_STATUSES = ["open", "consumed", "released"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const UnitConversionSchema = Type.Object(
  { unit: UnitName, toBase: Type.Number({ exclusiveMinimum: 0, description: "Base units in one of this unit" }) },
  { additionalProperties: false },
);
export type UnitConversion = Static<typeof UnitConversionSchema>;

/** What an issue is charged to, so costs roll up per well (an equipment, a work order or an AFE too). */
export const CostObjectSchema = Type.Object({ type: literals(COST_OBJECT_TYPES), id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type CostObject = Static<typeof CostObjectSchema>;

/** The document behind a move or reservation: `{ type: "work_order", id }`, `{ type: "goods_receipt", id }`. */
export const SourceRefSchema = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type SourceRef = Static<typeof SourceRefSchema>;

// --- items -----------------------------------------------------------------

export const ItemInputSchema = Type.Object(
  {
    code: Code,
    name: Name,
    category: literals(ITEM_CATEGORIES),
    baseUnit: UnitName,
    unitConversions: Type.Array(UnitConversionSchema, { maxItems: 20, default: [] }),
    tracking: literals(TRACKINGS),
    allowNegative: Type.Boolean({ default: false }),
    owner: literals(ITEM_OWNERS),
    currency: Currency,
    notes: Notes,
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInputSchema>;

export const ItemSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  category: literals(ITEM_CATEGORIES),
  baseUnit: Type.String(),
  unitConversions: Type.Array(UnitConversionSchema),
  tracking: literals(TRACKINGS),
  allowNegative: Type.Boolean(),
  owner: literals(ITEM_OWNERS),
  currency: Type.String(),
  averageUnitCost: Type.Number(),
  onHandQuantity: Type.Number({ description: "At every internal location, in the base unit" }),
  active: Type.Boolean(),
  notes: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type Item = Static<typeof ItemSchema>;

// --- locations ---------------------------------------------------------------

export const LocationInputSchema = Type.Object(
  {
    code: Code,
    name: Name,
    kind: literals(INTERNAL_LOCATION_KINDS),
    parentId: Type.Optional(Uuid),
    siteAssetId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type LocationInput = Static<typeof LocationInputSchema>;

export const LocationSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: literals([...INTERNAL_LOCATION_KINDS, ...VIRTUAL_LOCATION_KINDS]),
  parentId: Nullable(Uuid),
  siteAssetId: Nullable(Uuid),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type Location = Static<typeof LocationSchema>;

// --- moves -------------------------------------------------------------------

const MoveCommon = {
  itemId: Uuid,
  quantity: PositiveQuantity,
  unit: Type.Optional(UnitName),
  lot: Type.Optional(Lot),
  movedAt: Type.Optional(Instant),
  source: Type.Optional(SourceRefSchema),
  sourceKey: Type.Optional(SourceKey),
  notes: Notes,
};

/** Stock in from the supplier (a goods receipt) at a unit cost, which updates the moving average. */
export const ReceiptInputSchema = Type.Object(
  { ...MoveCommon, toLocationId: Uuid, unitCost: Type.Number({ minimum: 0 }), currency: Currency },
  { additionalProperties: false },
);
export type ReceiptInput = Static<typeof ReceiptInputSchema>;

/** Stock out to consumption, charged to a cost object, valued at the current average cost. */
export const IssueInputSchema = Type.Object(
  { ...MoveCommon, fromLocationId: Uuid, costObject: CostObjectSchema },
  { additionalProperties: false },
);
export type IssueInput = Static<typeof IssueInputSchema>;

export const TransferInputSchema = Type.Object(
  { ...MoveCommon, fromLocationId: Uuid, toLocationId: Uuid },
  { additionalProperties: false },
);
export type TransferInput = Static<typeof TransferInputSchema>;

/** A signed correction at one location (found or lost stock), against the adjustment location; a reason is required. */
export const AdjustmentInputSchema = Type.Object(
  {
    itemId: Uuid,
    locationId: Uuid,
    quantityDelta: Type.Number({ description: "Positive adds stock, negative removes it" }),
    unit: Type.Optional(UnitName),
    lot: Type.Optional(Lot),
    movedAt: Type.Optional(Instant),
    sourceKey: Type.Optional(SourceKey),
    notes: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type AdjustmentInput = Static<typeof AdjustmentInputSchema>;

export const ReversalInputSchema = Type.Object(
  { sourceKey: Type.Optional(SourceKey), notes: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type ReversalInput = Static<typeof ReversalInputSchema>;

export const StockMoveSchema = Type.Object({
  id: Uuid,
  itemId: Uuid,
  moveType: literals(MOVE_TYPES),
  fromLocationId: Uuid,
  toLocationId: Uuid,
  lot: Nullable(Type.String()),
  quantity: Type.Number({ description: "In the item's base unit" }),
  enteredQuantity: Type.Number(),
  enteredUnit: Type.String(),
  unitCost: Type.Number(),
  currency: Type.String(),
  value: Type.Number(),
  costObject: Nullable(CostObjectSchema),
  source: Nullable(SourceRefSchema),
  reservationId: Nullable(Uuid),
  reversesMoveId: Nullable(Uuid),
  sourceKey: Nullable(Type.String()),
  notes: Type.String(),
  movedAt: Instant,
  createdAt: Instant,
  createdBy: Type.String(),
});
export type StockMove = Static<typeof StockMoveSchema>;

export const MoveQuerySchema = Type.Object(
  {
    itemId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    moveType: Type.Optional(literals(MOVE_TYPES)),
    costObjectType: Type.Optional(literals(COST_OBJECT_TYPES)),
    costObjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type MoveQuery = Static<typeof MoveQuerySchema>;

// --- stock -------------------------------------------------------------------

export const StockBalanceSchema = Type.Object({
  itemId: Uuid,
  locationId: Uuid,
  lot: Nullable(Type.String()),
  onHandQuantity: Type.Number(),
  reservedQuantity: Type.Number(),
  availableQuantity: Type.Number({ description: "On hand minus reserved" }),
  averageUnitCost: Type.Number(),
  currency: Type.String(),
  value: Type.Number({ description: "On hand x average unit cost" }),
});
export type StockBalance = Static<typeof StockBalanceSchema>;

export const StockQuerySchema = Type.Object(
  { itemId: Type.Optional(Uuid), locationId: Type.Optional(Uuid), includeZero: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);
export type StockQuery = Static<typeof StockQuerySchema>;

export const AvailabilitySchema = Type.Object({
  itemId: Uuid,
  locationId: Nullable(Uuid),
  onHandQuantity: Type.Number(),
  reservedQuantity: Type.Number(),
  availableQuantity: Type.Number(),
  baseUnit: Type.String(),
});
export type Availability = Static<typeof AvailabilitySchema>;

// --- reservations --------------------------------------------------------------

export const ReservationInputSchema = Type.Object(
  {
    itemId: Uuid,
    locationId: Uuid,
    quantity: PositiveQuantity,
    unit: Type.Optional(UnitName),
    lot: Type.Optional(Lot),
    source: SourceRefSchema,
    costObject: Type.Optional(CostObjectSchema),
    sourceKey: Type.Optional(SourceKey),
  },
  { additionalProperties: false },
);
export type ReservationInput = Static<typeof ReservationInputSchema>;

/** Consuming issues the reserved stock (all that is left, or `quantity` of it) to the reservation's cost object. */
export const ConsumeReservationInputSchema = Type.Object(
  {
    quantity: Type.Optional(PositiveQuantity),
    costObject: Type.Optional(CostObjectSchema),
    sourceKey: Type.Optional(SourceKey),
    notes: Notes,
  },
  { additionalProperties: false },
);
export type ConsumeReservationInput = Static<typeof ConsumeReservationInputSchema>;

export const ReservationSchema = Type.Object({
  id: Uuid,
  itemId: Uuid,
  locationId: Uuid,
  lot: Nullable(Type.String()),
  quantity: Type.Number(),
  consumedQuantity: Type.Number(),
  status: literals(RESERVATION_STATUSES),
  source: SourceRefSchema,
  costObject: Nullable(CostObjectSchema),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
  createdBy: Type.String(),
});
export type Reservation = Static<typeof ReservationSchema>;

// --- reorder points --------------------------------------------------------------

export const ReorderPointInputSchema = Type.Object(
  {
    itemId: Uuid,
    locationId: Uuid,
    reorderPointQuantity: Type.Number({ minimum: 0 }),
    reorderQuantity: Type.Number({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type ReorderPointInput = Static<typeof ReorderPointInputSchema>;

export const ReorderPointSchema = Type.Object({
  id: Uuid,
  itemId: Uuid,
  locationId: Uuid,
  reorderPointQuantity: Type.Number(),
  reorderQuantity: Type.Number(),
  below: Type.Boolean(),
  updatedAt: Instant,
  rowVersion: Type.Integer(),
});
export type ReorderPoint = Static<typeof ReorderPointSchema>;

/** Payload of the module event `inventory.stock.below_reorder_point`, once per crossing. */
export interface BelowReorderPointPayload extends Record<string, unknown> {
  itemId: string;
  itemCode: string;
  locationId: string;
  availableQuantity: number;
  reorderPointQuantity: number;
  reorderQuantity: number;
  baseUnit: string;
}
export const BELOW_REORDER_POINT_EVENT = "inventory.stock.below_reorder_point";

// --- counts ----------------------------------------------------------------------

export const CountInputSchema = Type.Object(
  {
    locationId: Uuid,
    countedAt: Type.Optional(Instant),
    lines: Type.Array(
      Type.Object(
        { itemId: Uuid, lot: Type.Optional(Lot), countedQuantity: Type.Number({ minimum: 0 }), unit: Type.Optional(UnitName) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
    sourceKey: Type.Optional(SourceKey),
    notes: Notes,
  },
  { additionalProperties: false },
);
export type CountInput = Static<typeof CountInputSchema>;

export const CountSchema = Type.Object({
  id: Uuid,
  locationId: Uuid,
  countedAt: Instant,
  status: Type.Literal("posted"),
  notes: Type.String(),
  lines: Type.Array(
    Type.Object({
      itemId: Uuid,
      lot: Nullable(Type.String()),
      systemQuantity: Type.Number(),
      countedQuantity: Type.Number(),
      adjustmentMoveId: Nullable(Uuid),
    }),
  ),
  createdAt: Instant,
  createdBy: Type.String(),
});
export type Count = Static<typeof CountSchema>;

export function pageSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** A write answered again for its sourceKey (200) or made now (201). */
export interface Recorded<T> {
  value: T;
  replayed: boolean;
}
