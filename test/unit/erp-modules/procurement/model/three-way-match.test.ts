import assert from "node:assert/strict";
import fc from "fast-check";
import { matchInvoice, matchLine, type MatchLineInput, type MatchTolerances } from "../../../../../erp-modules/procurement/model/three-way-match.js";

const EXACT: MatchTolerances = { quantityPercent: 0, pricePercent: 0, priceAmount: null };

/** 10 ordered at 25.00, all received, nothing billed before: the line every example starts from. */
function line(overrides: Partial<Omit<MatchLineInput, "orderLineId">> = {}): Omit<MatchLineInput, "orderLineId"> {
  return { orderedQuantity: 10, receivedQuantity: 10, previouslyInvoicedQuantity: 0, invoicedQuantity: 10, orderUnitPrice: 25, invoiceUnitPrice: 25, ...overrides };
}

describe("procurement three-way match model", () => {
  describe("worked examples", () => {
    it("10 ordered, 10 received, 10 billed at the order price: matched, no variance", () => {
      const result = matchLine(line(), EXACT);
      assert.equal(result.status, "matched");
      assert.deepEqual(result.exceptions, []);
      assert.equal(result.billedQuantity, 10);
      assert.equal(result.priceVarianceAmount, 0);
    });

    it("billing 8 of 10 received (a partial invoice) matches; the next 2 match too", () => {
      assert.equal(matchLine(line({ invoicedQuantity: 8 }), EXACT).status, "matched");
      const second = matchLine(line({ previouslyInvoicedQuantity: 8, invoicedQuantity: 2 }), EXACT);
      assert.equal(second.status, "matched");
      assert.equal(second.billedQuantity, 10);
    });

    it("6 received, 10 billed: invoiced_more_than_received (allowed 6)", () => {
      const result = matchLine(line({ receivedQuantity: 6 }), EXACT);
      assert.equal(result.status, "exception");
      assert.deepEqual(result.exceptions, [{ reason: "invoiced_more_than_received", params: { received: 6, invoiced: 10, allowed: 6 } }]);
    });

    it("nothing received yet: not_received rather than a quantity comparison", () => {
      const result = matchLine(line({ receivedQuantity: 0, invoicedQuantity: 4 }), EXACT);
      assert.deepEqual(result.exceptions, [{ reason: "not_received", params: { invoiced: 4 } }]);
    });

    it("a quantity tolerance of 5 %: 10.5 billed on 10 received passes, 10.6 does not (10 x 1.05 = 10.5)", () => {
      const tolerances = { ...EXACT, quantityPercent: 5 };
      assert.equal(matchLine(line({ invoicedQuantity: 10.5 }), tolerances).status, "matched");
      const over = matchLine(line({ invoicedQuantity: 10.6 }), tolerances);
      assert.deepEqual(
        over.exceptions.map((exception) => exception.reason),
        ["invoiced_more_than_received", "quantity_over_order"],
      );
      assert.deepEqual(over.exceptions[0]?.params, { received: 10, invoiced: 10.6, allowed: 10.5 });
    });

    it("12 received on an order of 10 (an accepted over-receipt): billing 12 is quantity_over_order only", () => {
      const result = matchLine(line({ receivedQuantity: 12, invoicedQuantity: 12 }), EXACT);
      assert.deepEqual(result.exceptions, [{ reason: "quantity_over_order", params: { ordered: 10, invoiced: 12, allowed: 10 } }]);
    });

    it("price 27.50 against 25.00: 10 % above; exception without tolerance, matched with 10 %", () => {
      const result = matchLine(line({ invoiceUnitPrice: 27.5 }), EXACT);
      assert.deepEqual(result.exceptions, [{ reason: "price_above_order", params: { orderUnitPrice: 25, invoiceUnitPrice: 27.5, variancePercent: 10, varianceAmount: 25 } }]);
      assert.equal(result.priceVariancePerUnit, 2.5);
      assert.equal(matchLine(line({ invoiceUnitPrice: 27.5 }), { ...EXACT, pricePercent: 10 }).status, "matched");
    });

    it("the stricter of percent and amount decides: 10 % allows 2.50 a unit, but 10 units x 2.50 = 25.00 exceeds an amount limit of 20", () => {
      const result = matchLine(line({ invoiceUnitPrice: 27.5 }), { quantityPercent: 0, pricePercent: 10, priceAmount: 20 });
      assert.equal(result.status, "exception");
      assert.equal(result.exceptions[0]?.reason, "price_above_order");
      // One unit at the same price variance carries 2.50, inside both limits.
      assert.equal(matchLine(line({ invoicedQuantity: 1, invoiceUnitPrice: 27.5 }), { quantityPercent: 0, pricePercent: 10, priceAmount: 20 }).status, "matched");
      // The amount limit alone (percent wide open) still holds the line.
      assert.equal(matchLine(line({ invoiceUnitPrice: 27.5 }), { quantityPercent: 0, pricePercent: 100, priceAmount: 20 }).status, "exception");
    });

    it("a price below the order's is no exception; its variance is reported negative", () => {
      const result = matchLine(line({ invoiceUnitPrice: 24 }), EXACT);
      assert.equal(result.status, "matched");
      assert.equal(result.priceVariancePerUnit, -1);
      assert.equal(result.priceVarianceAmount, -10);
    });

    it("floating point noise is no variance: 0.1 + 0.2 billed against 0.3 received and priced", () => {
      assert.equal(matchLine({ orderedQuantity: 0.3, receivedQuantity: 0.3, previouslyInvoicedQuantity: 0.1, invoicedQuantity: 0.2, orderUnitPrice: 0.3, invoiceUnitPrice: 0.1 + 0.2 }, EXACT).status, "matched");
    });
  });

  describe("whole invoices", () => {
    it("two lines billing one order line add up: 6 + 6 against 10 received puts the second line over", () => {
      const base = { orderLineId: "A", ...line() };
      const result = matchInvoice([{ ...base, invoicedQuantity: 6 }, { ...base, invoicedQuantity: 6 }], EXACT);
      assert.equal(result.status, "exceptions");
      assert.equal(result.lines[0]?.status, "matched");
      assert.deepEqual(result.lines[1]?.exceptions.map((exception) => exception.reason), ["invoiced_more_than_received", "quantity_over_order"]);
      assert.equal(result.lines[1]?.billedQuantity, 12);
    });

    it("lines of different order lines do not add up; every line matched makes the invoice matched", () => {
      const result = matchInvoice([{ orderLineId: "A", ...line() }, { orderLineId: "B", ...line({ orderedQuantity: 3, receivedQuantity: 3, invoicedQuantity: 3 }) }], EXACT);
      assert.equal(result.status, "matched");
    });
  });

  describe("properties", () => {
    const quantity = fc.integer({ min: 1, max: 1_000_000 }).map((thousandths) => thousandths / 1000);
    const price = fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100);
    const percent = fc.integer({ min: 0, max: 50 });
    const tolerances: fc.Arbitrary<MatchTolerances> = fc.record({ quantityPercent: percent, pricePercent: percent, priceAmount: fc.option(price, { nil: null }) });
    const anyLine = fc.record({
      orderedQuantity: quantity,
      receivedQuantity: fc.oneof(fc.constant(0), quantity),
      previouslyInvoicedQuantity: fc.oneof(fc.constant(0), quantity),
      invoicedQuantity: quantity,
      orderUnitPrice: price,
      invoiceUnitPrice: price,
    });

    it("billing exactly what was ordered and received, at the order price, always matches", () => {
      fc.assert(
        fc.property(quantity, price, tolerances, (ordered, unitPrice, tolerance) => {
          const result = matchLine({ orderedQuantity: ordered, receivedQuantity: ordered, previouslyInvoicedQuantity: 0, invoicedQuantity: ordered, orderUnitPrice: unitPrice, invoiceUnitPrice: unitPrice }, tolerance);
          return result.status === "matched" && result.exceptions.length === 0;
        }),
      );
    });

    it("scaling every price and the amount limit by one factor keeps every decision", () => {
      const factor = fc.constantFrom(0.01, 0.1, 3, 7.5, 100, 1000);
      fc.assert(
        fc.property(anyLine, tolerances, factor, (input, tolerance, k) => {
          const before = matchLine(input, tolerance);
          const after = matchLine(
            { ...input, orderUnitPrice: input.orderUnitPrice * k, invoiceUnitPrice: input.invoiceUnitPrice * k },
            { ...tolerance, priceAmount: tolerance.priceAmount === null ? null : tolerance.priceAmount * k },
          );
          assert.deepEqual(
            after.exceptions.map((exception) => exception.reason),
            before.exceptions.map((exception) => exception.reason),
          );
        }),
      );
    });

    it("a wider tolerance never turns a matched line into an exception", () => {
      fc.assert(
        fc.property(anyLine, tolerances, percent, percent, (input, tolerance, extraQuantity, extraPrice) => {
          if (matchLine(input, tolerance).status !== "matched") return true;
          const wider = { quantityPercent: tolerance.quantityPercent + extraQuantity, pricePercent: tolerance.pricePercent + extraPrice, priceAmount: tolerance.priceAmount === null ? null : tolerance.priceAmount * 2 };
          return matchLine(input, wider).status === "matched";
        }),
      );
    });

    it("splitting a line into two lines of the same order line reaches the same quantity decision on the last one", () => {
      fc.assert(
        fc.property(anyLine, fc.integer({ min: 1, max: 999 }), tolerances, (input, split, tolerance) => {
          const first = Math.round(input.invoicedQuantity * split) / 1000;
          if (first <= 0 || first >= input.invoicedQuantity) return true;
          const whole = matchInvoice([{ orderLineId: "A", ...input }], tolerance);
          const parts = matchInvoice([{ orderLineId: "A", ...input, invoicedQuantity: first }, { orderLineId: "A", ...input, invoicedQuantity: input.invoicedQuantity - first }], tolerance);
          const quantityReasons = (result: typeof whole, index: number) =>
            (result.lines[index]?.exceptions ?? []).map((exception) => exception.reason).filter((reason) => reason !== "price_above_order");
          assert.deepEqual(quantityReasons(parts, 1), quantityReasons(whole, 0));
          return true;
        }),
      );
    });
  });
});
