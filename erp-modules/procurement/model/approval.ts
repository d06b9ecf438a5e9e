import { roundCents } from "./totals.js";

/*
 * Who may approve a purchase order (docs/erp-procurement.md "Approval"):
 * nobody approves an order they created or submitted (four eyes, admins
 * included), and the order's total in the site currency must be within the
 * approver's limit (runtime/auth/grants.ts approvalLimitOf).
 */

/** Site currency per unit of another currency, parsed from the `exchangeRates` setting ("EUR=1.08,CAD=0.73"). */
export type ExchangeRates = ReadonlyMap<string, number>;

export function parseExchangeRates(text: string): ExchangeRates {
  const rates = new Map<string, number>();
  for (const pair of text.split(",")) {
    const [currency, rate] = pair.split("=");
    if (!currency || rate === undefined) continue;
    const value = Number(rate);
    if (Number.isFinite(value) && value > 0) rates.set(currency.trim(), value);
  }
  return rates;
}

/** The amount in the site currency, or undefined when there is no rate for its currency. */
export function inSiteCurrency(amount: number, currency: string, siteCurrency: string, rates: ExchangeRates): number | undefined {
  if (currency === siteCurrency) return amount;
  const rate = rates.get(currency);
  return rate === undefined ? undefined : roundCents(amount * rate);
}

export interface ApprovalRequest {
  approver: string;
  /** approvalLimitOf(user), in the site currency (Infinity for admins). */
  limit: number;
  createdBy: string;
  submittedBy: string | null;
  totalAmount: number;
  currency: string;
  siteCurrency: string;
  rates: ExchangeRates;
}

export type ApprovalDecision =
  | { approved: true; siteTotal: number }
  | { approved: false; reason: "own_purchase_order"; params: { user: string } }
  | { approved: false; reason: "no_exchange_rate"; params: { currency: string; siteCurrency: string } }
  | { approved: false; reason: "approval_limit"; params: { limit: number; total: number; currency: string } };

export function decideApproval(request: ApprovalRequest): ApprovalDecision {
  if (request.approver === request.createdBy || request.approver === request.submittedBy) {
    return { approved: false, reason: "own_purchase_order", params: { user: request.approver } };
  }
  const siteTotal = inSiteCurrency(request.totalAmount, request.currency, request.siteCurrency, request.rates);
  if (siteTotal === undefined) return { approved: false, reason: "no_exchange_rate", params: { currency: request.currency, siteCurrency: request.siteCurrency } };
  if (siteTotal > request.limit) return { approved: false, reason: "approval_limit", params: { limit: request.limit, total: siteTotal, currency: request.siteCurrency } };
  return { approved: true, siteTotal };
}
