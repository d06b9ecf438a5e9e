import assert from "node:assert/strict";
import { decideApproval, inSiteCurrency, parseExchangeRates, type ApprovalRequest } from "../../../../../erp-modules/procurement/model/approval.js";

const request = (overrides: Partial<ApprovalRequest>): ApprovalRequest => ({
  approver: "ana-approver",
  limit: 10_000,
  createdBy: "bob-buyer",
  submittedBy: "bob-buyer",
  totalAmount: 8_000,
  currency: "USD",
  siteCurrency: "USD",
  rates: parseExchangeRates("EUR=1.1"),
  ...overrides,
});

describe("purchase order approval", () => {
  it("approves within the limit and answers the site-currency total", () => {
    assert.deepEqual(decideApproval(request({})), { approved: true, siteTotal: 8_000 });
    assert.deepEqual(decideApproval(request({ totalAmount: 10_000 })), { approved: true, siteTotal: 10_000 });
  });

  it("refuses above the limit with the limit, the total and the site currency", () => {
    assert.deepEqual(decideApproval(request({ totalAmount: 10_000.01 })), {
      approved: false,
      reason: "approval_limit",
      params: { limit: 10_000, total: 10_000.01, currency: "USD" },
    });
  });

  it("converts a foreign total at the configured rate (9,500 EUR × 1.1 = 10,450 USD, above 10,000)", () => {
    const decision = decideApproval(request({ totalAmount: 9_500, currency: "EUR" }));
    assert.deepEqual(decision, { approved: false, reason: "approval_limit", params: { limit: 10_000, total: 10_450, currency: "USD" } });
    assert.deepEqual(decideApproval(request({ totalAmount: 9_000, currency: "EUR" })), { approved: true, siteTotal: 9_900 });
  });

  it("refuses a currency without a rate, whatever the amount", () => {
    assert.deepEqual(decideApproval(request({ totalAmount: 1, currency: "GBP" })), {
      approved: false,
      reason: "no_exchange_rate",
      params: { currency: "GBP", siteCurrency: "USD" },
    });
  });

  it("never lets the creator or the submitter approve, not even with an unlimited limit (an admin)", () => {
    assert.equal(decideApproval(request({ approver: "bob-buyer", limit: Number.POSITIVE_INFINITY })).approved, false);
    const submitter = decideApproval(request({ approver: "sam", createdBy: "bob-buyer", submittedBy: "sam", limit: Number.POSITIVE_INFINITY }));
    assert.deepEqual(submitter, { approved: false, reason: "own_purchase_order", params: { user: "sam" } });
  });

  it("parses the exchangeRates setting and ignores empty parts", () => {
    const rates = parseExchangeRates("EUR=1.08,CAD=0.73");
    assert.deepEqual([...rates.entries()], [
      ["EUR", 1.08],
      ["CAD", 0.73],
    ]);
    assert.equal(parseExchangeRates("").size, 0);
    assert.equal(inSiteCurrency(100, "CAD", "USD", rates), 73);
    assert.equal(inSiteCurrency(100, "JPY", "USD", rates), undefined);
  });
});
