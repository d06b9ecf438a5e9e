import assert from "node:assert/strict";
import fc from "fast-check";
import { checkReceipt, fullyReceivedAndInvoiced, receiptState, receivableLimit, unitCostInItemCurrency } from "../../../../../erp-modules/procurement/model/receipt-rules.js";

describe("procurement receipt rules model", () => {
  it("a partial receipt of 4 of 10 is allowed and leaves the line open", () => {
    assert.deepEqual(checkReceipt({ orderedQuantity: 10, receivedQuantity: 0, closed: false }, 4, 0), { ok: true, receivedAfter: 4, fullyReceived: false });
  });

  it("the rest (6 after 4) completes the line", () => {
    assert.deepEqual(checkReceipt({ orderedQuantity: 10, receivedQuantity: 4, closed: false }, 6, 0), { ok: true, receivedAfter: 10, fullyReceived: true });
  });

  it("without tolerance, one more than ordered is over_receipt with what is still allowed", () => {
    assert.deepEqual(checkReceipt({ orderedQuantity: 10, receivedQuantity: 4, closed: false }, 7, 0), {
      ok: false,
      reason: "over_receipt",
      params: { ordered: 10, received: 4, requested: 7, allowed: 6, overReceiptPercent: 0 },
    });
  });

  it("a 10 % tolerance lets 11 of 10 in (10 x 1.10 = 11), not 11.5", () => {
    assert.equal(receivableLimit(10, 10), 11);
    assert.equal(checkReceipt({ orderedQuantity: 10, receivedQuantity: 0, closed: false }, 11, 10).ok, true);
    const refused = checkReceipt({ orderedQuantity: 10, receivedQuantity: 0, closed: false }, 11.5, 10);
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.ok ? null : refused.params, { ordered: 10, received: 0, requested: 11.5, allowed: 11, overReceiptPercent: 10 });
  });

  it("a line closed short takes nothing more", () => {
    assert.deepEqual(checkReceipt({ orderedQuantity: 10, receivedQuantity: 8, closed: true }, 1, 50), { ok: false, reason: "line_closed", params: {} });
  });

  it("order state: none, partial, complete (closed-short lines count as complete)", () => {
    const line = { orderedQuantity: 10, receivedQuantity: 0, invoicedQuantity: 0, closed: false };
    assert.equal(receiptState([line]), "none");
    assert.equal(receiptState([{ ...line, receivedQuantity: 4 }, line]), "partial");
    assert.equal(receiptState([{ ...line, receivedQuantity: 10 }, { ...line, receivedQuantity: 8, closed: true }]), "complete");
  });

  it("an order is done when everything received is billed, and not before", () => {
    const received = { orderedQuantity: 10, receivedQuantity: 10, invoicedQuantity: 10, closed: false };
    assert.equal(fullyReceivedAndInvoiced([received, { orderedQuantity: 5, receivedQuantity: 0, invoicedQuantity: 0, closed: true }]), true);
    assert.equal(fullyReceivedAndInvoiced([{ ...received, invoicedQuantity: 9 }]), false);
    assert.equal(fullyReceivedAndInvoiced([{ ...received, receivedQuantity: 9, invoicedQuantity: 9 }]), false);
  });

  it("property: receipts accepted one after another never exceed the limit, and the limit is always reachable", () => {
    const quantity = fc.integer({ min: 1, max: 100_000 }).map((thousandths) => thousandths / 1000);
    fc.assert(
      fc.property(quantity, fc.integer({ min: 0, max: 50 }), fc.array(quantity, { maxLength: 20 }), (ordered, percent, attempts) => {
        let received = 0;
        for (const attempt of attempts) {
          const check = checkReceipt({ orderedQuantity: ordered, receivedQuantity: received, closed: false }, attempt, percent);
          if (check.ok) received = check.receivedAfter;
          else if (check.reason === "over_receipt") assert.equal(check.params.allowed, Math.max(0, Math.round((receivableLimit(ordered, percent) - received) * 1e9) / 1e9));
        }
        assert.ok(received <= receivableLimit(ordered, percent));
        const rest = Math.round((receivableLimit(ordered, percent) - received) * 1e9) / 1e9;
        if (rest > 0) assert.equal(checkReceipt({ orderedQuantity: ordered, receivedQuantity: received, closed: false }, rest, percent).ok, true);
      }),
    );
  });
});

describe("procurement receipt unit cost in the item's currency", () => {
  const rates = new Map([["EUR", 1.08], ["CAD", 0.73]]);

  it("keeps the order price when the currencies agree", () => {
    assert.equal(unitCostInItemCurrency(12.5, "USD", "USD", "USD", rates), 12.5);
  });

  it("converts through the site currency: 100 EUR at 1.08 is 108 USD; 108 USD is 108 / 0.73 = 147.945205 CAD", () => {
    assert.equal(unitCostInItemCurrency(100, "EUR", "USD", "USD", rates), 108);
    assert.equal(unitCostInItemCurrency(108, "USD", "CAD", "USD", rates), 147.945205);
    assert.equal(unitCostInItemCurrency(100, "EUR", "CAD", "USD", rates), 147.945205);
  });

  it("answers undefined without a rate", () => {
    assert.equal(unitCostInItemCurrency(1, "GBP", "USD", "USD", rates), undefined);
  });
});
