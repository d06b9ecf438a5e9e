import type {
  Availability,
  ConsumeReservationInput,
  IssueInput,
  ReceiptInput,
  Recorded,
  Reservation,
  ReservationInput,
  ReversalInput,
  SourceRef,
  StockBalance,
  StockMove,
  StockQuery,
  TransferInput,
} from "./schema.js";

export type {
  Availability,
  ConsumeReservationInput,
  CostObject,
  IssueInput,
  ReceiptInput,
  Recorded,
  Reservation,
  ReservationInput,
  ReversalInput,
  SourceRef,
  StockBalance,
  StockMove,
  StockQuery,
  TransferInput,
} from "./schema.js";
export { BELOW_REORDER_POINT_EVENT, type BelowReorderPointPayload } from "./schema.js";

/**
 * What other modules may do with stock (DESIGN: a module calls another's
 * service, never its tables). Maintenance reserves parts for a work order and
 * consumes the reservation when the parts are used; procurement receives a
 * goods receipt at its unit cost and currency. Every write is one transaction
 * with its audit and outbox rows, inside the caller's unit of work when there
 * is one; `actor` is the username (or `flow:<node id>`), and `source` names
 * the caller's document, kept on the move for traceability.
 *
 * Failures are ServiceError: `conflict` (409) with reason
 * `insufficient_stock` and params { available, requested, unit } when stock
 * or availability would go negative; `not_found` for an unknown item,
 * location or reservation; `invalid_input` naming the field otherwise.
 *
 * Stable contract: later changes only add members.
 */
export interface InventoryPort {
  /** Holds stock at a location for a document; lowers available, not on hand. */
  reserve(input: ReservationInput, actor: string): Promise<Recorded<Reservation>>;
  /** Gives back what is left of an open reservation. */
  releaseReservation(reservationId: string, actor: string, source?: SourceRef): Promise<Reservation>;
  /** Issues reserved stock (all that is left, or `quantity`) to the reservation's cost object, or the one given. */
  consumeReservation(reservationId: string, input: ConsumeReservationInput, actor: string): Promise<Recorded<StockMove>>;
  /** Issues stock to a cost object at the current moving-average cost. */
  issue(input: IssueInput, actor: string): Promise<Recorded<StockMove>>;
  /** Receives stock from the supplier at a unit cost (a goods receipt): updates the moving average. */
  receive(input: ReceiptInput, actor: string): Promise<Recorded<StockMove>>;
  /** Reverses a move (a goods receipt returned to the supplier takes its value back out of the average); 409 already_reversed. */
  reverse(moveId: string, input: ReversalInput, actor: string): Promise<Recorded<StockMove>>;
  /** On hand, reserved and available per item, location and lot. */
  onHand(query: Partial<StockQuery>): Promise<StockBalance[]>;
  /** Totals for an item at one internal location, or across all of them. */
  availability(itemId: string, locationId?: string): Promise<Availability>;
}

/** What flows may do (the erp-stock-move node): the port, and transfers between the site's stores. */
export interface InventoryFlowPort extends InventoryPort {
  transfer(input: TransferInput, actor: string): Promise<Recorded<StockMove>>;
}
