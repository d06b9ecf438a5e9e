/*
 * How automatic requisitions size and group their lines
 * (docs/erp-procurement.md "Requisitions").
 */

export interface ReorderSignal {
  availableQuantity: number;
  reorderPointQuantity: number;
  reorderQuantity: number;
}

/**
 * What a reorder point asks for: its reorder quantity when one is set;
 * otherwise enough to bring what is available back to twice the reorder
 * point (the point alone would fire again at the first issue). Zero when
 * there is nothing to order.
 */
export function reorderRequisitionQuantity(signal: ReorderSignal): number {
  if (signal.reorderQuantity > 0) return signal.reorderQuantity;
  const wanted = 2 * signal.reorderPointQuantity - signal.availableQuantity;
  return wanted > 0 ? Math.round(wanted * 1e9) / 1e9 : 0;
}

export interface PricedLine<Line> {
  line: Line;
  supplierId: string;
  currency: string;
}

export interface SupplierGroup<Line> {
  supplierId: string;
  currency: string;
  lines: Line[];
}

/**
 * One purchase order per supplier and currency, in the order the suppliers
 * first appear (a supplier quoting two currencies gets two orders: an
 * order has one currency).
 */
export function groupBySupplier<Line>(priced: readonly PricedLine<Line>[]): SupplierGroup<Line>[] {
  const groups = new Map<string, SupplierGroup<Line>>();
  for (const { line, supplierId, currency } of priced) {
    const key = `${supplierId}/${currency}`;
    const group = groups.get(key) ?? { supplierId, currency, lines: [] };
    group.lines.push(line);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface PriceCandidate {
  supplierActive: boolean;
  active: boolean;
  preferred: boolean;
  validFrom: string | null;
  validTo: string | null;
  unitPrice: number;
}

export function isValidOn(candidate: Pick<PriceCandidate, "validFrom" | "validTo">, day: string): boolean {
  return (candidate.validFrom === null || candidate.validFrom <= day) && (candidate.validTo === null || candidate.validTo >= day);
}

/**
 * The price an item is bought at on `day`: among active prices of active
 * suppliers valid that day, the preferred one first, then the one that
 * became valid last, then the cheapest.
 */
export function pickPrice<C extends PriceCandidate>(candidates: readonly C[], day: string): C | undefined {
  return candidates
    .filter((candidate) => candidate.active && candidate.supplierActive && isValidOn(candidate, day))
    .sort(
      (a, b) =>
        Number(b.preferred) - Number(a.preferred) || (b.validFrom ?? "").localeCompare(a.validFrom ?? "") || a.unitPrice - b.unitPrice,
    )[0];
}
