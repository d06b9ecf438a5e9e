/*
 * Purchase order amounts. Line totals and order totals are rounded to cents
 * (what the supplier's document shows); unit prices keep their decimals.
 */

export function roundCents(amount: number): number {
  return Math.round((amount + Number.EPSILON * Math.sign(amount)) * 100) / 100;
}

export function lineTotal(quantity: number, unitPrice: number): number {
  return roundCents(quantity * unitPrice);
}

export interface OrderTotals {
  subtotalAmount: number;
  taxAmount: number;
  totalAmount: number;
}

export function orderTotals(lines: readonly { quantity: number; unitPrice: number }[], taxAmount: number): OrderTotals {
  const subtotalAmount = roundCents(lines.reduce((sum, line) => sum + lineTotal(line.quantity, line.unitPrice), 0));
  const tax = roundCents(taxAmount);
  return { subtotalAmount, taxAmount: tax, totalAmount: roundCents(subtotalAmount + tax) };
}
