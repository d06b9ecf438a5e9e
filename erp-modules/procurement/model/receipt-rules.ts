/*
 * What a goods receipt may take on a purchase order line
 * (docs/erp-procurement-receiving.md "Goods receipts"). Pure, no I/O: the
 * service runs these under the order's lock.
 *
 * - partial: less than what is still open; the line stays open for the rest.
 * - over: more than ordered, only up to the over-receipt tolerance (a percent
 *   of the ordered quantity, 0 by default: nothing beyond the order).
 * - under: a line that will never be delivered in full is closed short by
 *   hand, with a reason; it takes no more receipts.
 */

export interface ReceivableLine {
  orderedQuantity: number;
  /** On posted receipts so far. */
  receivedQuantity: number;
  /** Closed short: no more receipts. */
  closed: boolean;
}

export type ReceiptCheck =
  | { ok: true; receivedAfter: number; fullyReceived: boolean }
  | { ok: false; reason: "over_receipt"; params: { ordered: number; received: number; requested: number; allowed: number; overReceiptPercent: number } }
  | { ok: false; reason: "line_closed"; params: Record<string, never> };

function roundQuantity(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The most a line may have received in all, over-receipt tolerance included. */
export function receivableLimit(orderedQuantity: number, overReceiptPercent: number): number {
  return roundQuantity(orderedQuantity * (1 + overReceiptPercent / 100));
}

/** Whether `quantity` more may be received on the line; `allowed` is what is still receivable. */
export function checkReceipt(line: ReceivableLine, quantity: number, overReceiptPercent: number): ReceiptCheck {
  if (line.closed) return { ok: false, reason: "line_closed", params: {} };
  const receivedAfter = roundQuantity(line.receivedQuantity + quantity);
  const limit = receivableLimit(line.orderedQuantity, overReceiptPercent);
  if (receivedAfter > limit) {
    return {
      ok: false,
      reason: "over_receipt",
      params: {
        ordered: line.orderedQuantity,
        received: line.receivedQuantity,
        requested: quantity,
        allowed: Math.max(0, roundQuantity(limit - line.receivedQuantity)),
        overReceiptPercent,
      },
    };
  }
  return { ok: true, receivedAfter, fullyReceived: receivedAfter >= line.orderedQuantity };
}

export interface OrderLineProgress {
  orderedQuantity: number;
  receivedQuantity: number;
  invoicedQuantity: number;
  closed: boolean;
}

export type OrderReceiptState = "none" | "partial" | "complete";

/**
 * How far an order's receipts went: complete when every line got its
 * ordered quantity or was closed short; partial when anything arrived.
 */
export function receiptState(lines: readonly OrderLineProgress[]): OrderReceiptState {
  if (lines.length > 0 && lines.every((line) => line.closed || line.receivedQuantity >= line.orderedQuantity)) return "complete";
  return lines.some((line) => line.receivedQuantity > 0) ? "partial" : "none";
}

/**
 * Whether the order is done with: everything received (or closed short) and
 * everything received billed. A line closed short with nothing received
 * needs no invoice.
 */
export function fullyReceivedAndInvoiced(lines: readonly OrderLineProgress[]): boolean {
  return receiptState(lines) === "complete" && lines.every((line) => roundQuantity(line.invoicedQuantity) >= roundQuantity(line.receivedQuantity));
}

/**
 * The order line's unit price as a unit cost in the item's valuation
 * currency: the same when the currencies agree, else through the site
 * currency with the `exchangeRates` setting (site currency per unit of the
 * other); undefined when a rate is missing.
 */
export function unitCostInItemCurrency(unitPrice: number, orderCurrency: string, itemCurrency: string, siteCurrency: string, rates: ReadonlyMap<string, number>): number | undefined {
  if (orderCurrency === itemCurrency) return unitPrice;
  const rateOf = (currency: string) => (currency === siteCurrency ? 1 : rates.get(currency));
  const orderRate = rateOf(orderCurrency);
  const itemRate = rateOf(itemCurrency);
  if (orderRate === undefined || itemRate === undefined) return undefined;
  return Math.round(((unitPrice * orderRate) / itemRate) * 1e6) / 1e6;
}
