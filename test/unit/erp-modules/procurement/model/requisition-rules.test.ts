import assert from "node:assert/strict";
import { groupBySupplier, isValidOn, pickPrice, reorderRequisitionQuantity, type PriceCandidate } from "../../../../../erp-modules/procurement/model/requisition-rules.js";

const price = (overrides: Partial<PriceCandidate> & { id: string }): PriceCandidate & { id: string } => ({
  supplierActive: true,
  active: true,
  preferred: false,
  validFrom: null,
  validTo: null,
  unitPrice: 10,
  ...overrides,
});

describe("requisition rules", () => {
  it("orders the reorder quantity when one is set, else refills to twice the point", () => {
    assert.equal(reorderRequisitionQuantity({ availableQuantity: 4, reorderPointQuantity: 5, reorderQuantity: 20 }), 20);
    assert.equal(reorderRequisitionQuantity({ availableQuantity: 4, reorderPointQuantity: 5, reorderQuantity: 0 }), 6);
    assert.equal(reorderRequisitionQuantity({ availableQuantity: 0, reorderPointQuantity: 0, reorderQuantity: 0 }), 0);
  });

  it("picks the preferred valid price, then the latest validity, then the cheapest", () => {
    const candidates = [
      price({ id: "cheap", unitPrice: 8 }),
      price({ id: "preferred-expired", preferred: true, validTo: "2026-01-31", unitPrice: 5 }),
      price({ id: "preferred", preferred: true, validFrom: "2026-02-01", unitPrice: 9 }),
      price({ id: "inactive-supplier", preferred: true, supplierActive: false, unitPrice: 1 }),
    ];
    assert.equal(pickPrice(candidates, "2026-03-01")?.id, "preferred");
    assert.equal(pickPrice(candidates, "2026-01-15")?.id, "preferred-expired");
    assert.equal(pickPrice(candidates.slice(0, 1), "2026-03-01")?.id, "cheap");
    assert.equal(pickPrice([price({ id: "future", validFrom: "2027-01-01" })], "2026-03-01"), undefined);
    assert.ok(isValidOn({ validFrom: "2026-03-01", validTo: "2026-03-01" }, "2026-03-01"));
  });

  it("groups lines into one order per supplier and currency, keeping first-seen order", () => {
    const groups = groupBySupplier([
      { line: "a", supplierId: "S1", currency: "USD" },
      { line: "b", supplierId: "S2", currency: "USD" },
      { line: "c", supplierId: "S1", currency: "USD" },
      { line: "d", supplierId: "S1", currency: "EUR" },
    ]);
    assert.deepEqual(groups, [
      { supplierId: "S1", currency: "USD", lines: ["a", "c"] },
      { supplierId: "S2", currency: "USD", lines: ["b"] },
      { supplierId: "S1", currency: "EUR", lines: ["d"] },
    ]);
  });
});
