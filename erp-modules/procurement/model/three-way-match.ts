/*
 * The three-way match of a supplier invoice (docs/erp-procurement-receiving.md
 * "Three-way match"): per purchase order line, what was ordered, what was
 * received and what is billed, and the invoice's unit price against the
 * order's. Pure, no I/O: the service feeds it the quantities it read under
 * the order's lock and stores what it answers.
 *
 * The rules are the holds an accounts-payable department places:
 * - quantity: the quantity billed so far on the line (earlier posted
 *   invoices and this one) may not exceed the quantity received, nor the
 *   quantity ordered, by more than the quantity tolerance. Nothing received
 *   at all is its own exception (the goods may still be on the road).
 * - price: the invoice's unit price may not exceed the order's by more than
 *   the price tolerance, a percentage of the order price and, when set, an
 *   absolute amount on the line's variance (excess unit price x quantity
 *   billed). Both limits apply, so the stricter one decides. A price below
 *   the order's is no exception (the variance is still reported).
 */

export interface MatchTolerances {
  /** Percent by which the quantity billed may exceed the quantity received and the quantity ordered. */
  quantityPercent: number;
  /** Percent of the order's unit price by which the invoice's unit price may exceed it. */
  pricePercent: number;
  /** Largest variance (excess unit price x quantity billed) a line may carry, in the invoice's currency; null for no absolute limit. */
  priceAmount: number | null;
}

/** What the match knows of one invoice line and the order line it bills. */
export interface MatchLineInput {
  /** The order line it bills: lines billing the same order line are matched cumulatively, in invoice order. */
  orderLineId: string;
  orderedQuantity: number;
  /** Received on posted goods receipts, all of them. */
  receivedQuantity: number;
  /** Billed on other posted invoices before this one. */
  previouslyInvoicedQuantity: number;
  /** Billed on this line. */
  invoicedQuantity: number;
  orderUnitPrice: number;
  invoiceUnitPrice: number;
}

export const MATCH_EXCEPTION_REASONS = ["not_received", "invoiced_more_than_received", "quantity_over_order", "price_above_order"] as const;
export type MatchExceptionReason = (typeof MATCH_EXCEPTION_REASONS)[number];

export interface MatchException {
  reason: MatchExceptionReason;
  /** The figures behind the exception, for the screen and the error texts. */
  params: Record<string, number>;
}

export type LineMatchStatus = "matched" | "exception";
export type InvoiceMatchStatus = "matched" | "exceptions";

export interface LineMatchResult {
  status: LineMatchStatus;
  exceptions: MatchException[];
  /** Billed on the order line so far, this line included. */
  billedQuantity: number;
  /** Invoice unit price minus order unit price (negative: billed below the order). */
  priceVariancePerUnit: number;
  /** The variance over the line's quantity, in the invoice's currency. */
  priceVarianceAmount: number;
}

export interface InvoiceMatchResult {
  status: InvoiceMatchStatus;
  lines: LineMatchResult[];
}

/** Quantities to 9 decimals and money to 6, as the stock ledger keeps them (inventory model). */
function roundQuantity(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function roundMoney(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Whether `value` exceeds `limit` by more than floating-point noise: a
 * difference below a billionth of the figures compared is rounding, not a
 * variance, so a price scaled by any factor keeps its decision.
 */
function exceeds(value: number, limit: number): boolean {
  return value - limit > 1e-9 * Math.max(1, Math.abs(value), Math.abs(limit));
}

/** One line against its order line; `previouslyInvoicedQuantity` already counts earlier lines of the same invoice. */
export function matchLine(input: Omit<MatchLineInput, "orderLineId">, tolerances: MatchTolerances): LineMatchResult {
  const exceptions: MatchException[] = [];
  const billed = roundQuantity(input.previouslyInvoicedQuantity + input.invoicedQuantity);
  const quantityFactor = 1 + tolerances.quantityPercent / 100;
  if (input.receivedQuantity <= 0) {
    exceptions.push({ reason: "not_received", params: { invoiced: billed } });
  } else {
    const allowed = roundQuantity(input.receivedQuantity * quantityFactor);
    if (exceeds(billed, allowed)) exceptions.push({ reason: "invoiced_more_than_received", params: { received: input.receivedQuantity, invoiced: billed, allowed } });
  }
  const allowedByOrder = roundQuantity(input.orderedQuantity * quantityFactor);
  if (exceeds(billed, allowedByOrder)) exceptions.push({ reason: "quantity_over_order", params: { ordered: input.orderedQuantity, invoiced: billed, allowed: allowedByOrder } });

  const variancePerUnit = input.invoiceUnitPrice - input.orderUnitPrice;
  const varianceAmount = variancePerUnit * input.invoicedQuantity;
  if (variancePerUnit > 0) {
    const overPercent = exceeds(variancePerUnit, (input.orderUnitPrice * tolerances.pricePercent) / 100);
    const overAmount = tolerances.priceAmount !== null && exceeds(varianceAmount, tolerances.priceAmount);
    if (overPercent || overAmount) {
      exceptions.push({
        reason: "price_above_order",
        params: {
          orderUnitPrice: input.orderUnitPrice,
          invoiceUnitPrice: input.invoiceUnitPrice,
          variancePercent: input.orderUnitPrice > 0 ? Math.round((variancePerUnit / input.orderUnitPrice) * 10_000) / 100 : 100,
          varianceAmount: roundMoney(varianceAmount),
        },
      });
    }
  }
  return {
    status: exceptions.length === 0 ? "matched" : "exception",
    exceptions,
    billedQuantity: billed,
    priceVariancePerUnit: roundMoney(variancePerUnit),
    priceVarianceAmount: roundMoney(varianceAmount),
  };
}

/**
 * Every line of one invoice, in order: a second line billing the same order
 * line counts the first one's quantity as already billed. The invoice is
 * matched when every line is.
 */
export function matchInvoice(lines: readonly MatchLineInput[], tolerances: MatchTolerances): InvoiceMatchResult {
  const billedHere = new Map<string, number>();
  const results = lines.map((line) => {
    const earlierOnThisInvoice = billedHere.get(line.orderLineId) ?? 0;
    billedHere.set(line.orderLineId, earlierOnThisInvoice + line.invoicedQuantity);
    return matchLine({ ...line, previouslyInvoicedQuantity: line.previouslyInvoicedQuantity + earlierOnThisInvoice }, tolerances);
  });
  return { status: results.every((result) => result.status === "matched") ? "matched" : "exceptions", lines: results };
}
