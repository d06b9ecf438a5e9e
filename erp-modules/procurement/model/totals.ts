/*
 * Purchase order amounts. Line totals and order totals are rounded to cents
 * (what the supplier's document shows); unit prices keep their decimals.
 */

/**
 * Half away from zero, on the decimal value: 2.5 × 19.99 is 49.974999… in
 * binary, but 49.975 on paper, and the supplier's invoice says 49.98.
 */
export function roundCents(amount: number): number {
  const cents = Number((Math.abs(amount) * 100).toPrecision(12));
  return (Math.sign(amount) * Math.round(cents)) / 100;
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
