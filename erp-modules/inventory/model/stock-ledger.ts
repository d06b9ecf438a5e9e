/*
 * The pure rules of the stock ledger (docs/erp-inventory.md): unit
 * conversion, moving-average valuation and the double-entry application of a
 * move to balances. No I/O: the service runs these under row locks, the
 * property tests run them over random move sequences.
 */

export interface UnitConversionRule {
  unit: string;
  /** Base units in one of this unit. */
  toBase: number;
}

/** A quantity in the item's base unit, or undefined when `unit` is neither the base unit nor a conversion. */
export function toBaseQuantity(quantity: number, unit: string | undefined, baseUnit: string, conversions: readonly UnitConversionRule[]): number | undefined {
  if (unit === undefined || unit === baseUnit) return quantity;
  const conversion = conversions.find((candidate) => candidate.unit === unit);
  return conversion === undefined ? undefined : roundQuantity(quantity * conversion.toBase);
}

/**
 * Quantities are kept to 9 decimals: binary floating point would otherwise
 * leave 0.30000000000000004 in a ledger whose sums must match exactly.
 */
export function roundQuantity(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** Money is kept to 6 decimals (unit costs of cheap consumables need more than cents). */
export function roundMoney(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The moving average after a receipt of `quantity` at `unitCost` into a
 * stock of `onHand` valued at `averageUnitCost`:
 *
 *   new average = (onHand x average + quantity x unitCost) / (onHand + quantity)
 *
 * When nothing (or less than nothing, an item allowed to go negative) was on
 * hand, the old average values no stock, so the receipt's cost is the new
 * average: the shortfall was already issued at the last average.
 */
export function movingAverageAfterReceipt(onHand: number, averageUnitCost: number, quantity: number, unitCost: number): number {
  if (quantity <= 0) return averageUnitCost;
  if (onHand <= 0) return roundMoney(unitCost);
  return roundMoney((onHand * averageUnitCost + quantity * unitCost) / (onHand + quantity));
}

/** Whether taking `quantity` from `available` is allowed: never below zero unless the item allows it. */
export function mayTake(available: number, quantity: number, allowNegative: boolean): boolean {
  return allowNegative || roundQuantity(available - quantity) >= 0;
}

export type LedgerMoveKind = "receipt" | "issue" | "transfer" | "adjustment";

/** A move as the ledger model sees it: locations are ids; `internal` says which hold stock. */
export interface LedgerMove {
  kind: LedgerMoveKind;
  from: string;
  to: string;
  quantity: number;
  /** Receipts only: the unit cost the stock comes in at. */
  unitCost?: number;
}

export interface LedgerState {
  /** On hand per location (virtual ones go negative: what left the supplier, etc.). */
  balances: Map<string, number>;
  /** On hand over internal locations: the quantity the average values. */
  onHand: number;
  averageUnitCost: number;
}

export interface PostedMove extends LedgerMove {
  /** The cost the move was valued at: the receipt's cost, otherwise the average at the time. */
  valuedAt: number;
}

export function emptyLedger(): LedgerState {
  return { balances: new Map(), onHand: 0, averageUnitCost: 0 };
}

/**
 * Applies one move: the quantity leaves `from` and enters `to` (double
 * entry), the item's internal on hand changes by what crossed the store's
 * boundary, and a receipt from outside updates the moving average. Returns
 * the valuation the move was posted at; the caller checks availability first.
 */
export function applyMove(state: LedgerState, move: LedgerMove, isInternal: (location: string) => boolean): PostedMove {
  const quantity = roundQuantity(move.quantity);
  const fromInternal = isInternal(move.from);
  const toInternal = isInternal(move.to);
  const onHandDelta = (toInternal ? quantity : 0) - (fromInternal ? quantity : 0);
  let valuedAt = state.averageUnitCost;
  if (move.kind === "receipt" && !fromInternal && toInternal) {
    const unitCost = move.unitCost ?? 0;
    state.averageUnitCost = movingAverageAfterReceipt(state.onHand, state.averageUnitCost, quantity, unitCost);
    valuedAt = unitCost;
  }
  state.balances.set(move.from, roundQuantity((state.balances.get(move.from) ?? 0) - quantity));
  state.balances.set(move.to, roundQuantity((state.balances.get(move.to) ?? 0) + quantity));
  state.onHand = roundQuantity(state.onHand + onHandDelta);
  return { ...move, quantity, valuedAt };
}

/**
 * The moving average after `quantity` at `unitCost` goes back out (a
 * reversed receipt): the receipt's value leaves with it. When nothing would
 * be left the average stays, for the next issue of an item allowed negative.
 */
export function movingAverageAfterReturn(onHand: number, averageUnitCost: number, quantity: number, unitCost: number): number {
  const remaining = onHand - quantity;
  if (remaining <= 0 || onHand <= 0) return averageUnitCost;
  return roundMoney(Math.max(0, (onHand * averageUnitCost - quantity * unitCost) / remaining));
}
