import assert from "node:assert/strict";
import { lineTotal, orderTotals, roundCents } from "../../../../../erp-modules/procurement/model/totals.js";

describe("purchase order totals", () => {
  it("rounds line totals to cents (3 × 0.335 = 1.005 → 1.01; 1.15 × 100 = 115)", () => {
    assert.equal(lineTotal(3, 0.335), 1.01);
    assert.equal(lineTotal(100, 1.15), 115);
    assert.equal(roundCents(2.675), 2.68);
  });

  it("sums the rounded lines and adds the tax (12 × 45.5 + 2.5 × 19.99 = 546 + 49.98; tax 124.46)", () => {
    const totals = orderTotals(
      [
        { quantity: 12, unitPrice: 45.5 },
        { quantity: 2.5, unitPrice: 19.99 },
      ],
      124.46,
    );
    assert.deepEqual(totals, { subtotalAmount: 595.98, taxAmount: 124.46, totalAmount: 720.44 });
  });
});
