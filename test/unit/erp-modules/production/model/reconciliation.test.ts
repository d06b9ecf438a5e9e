import assert from "node:assert/strict";
import type { MeasuredTotal } from "../../../../../erp-modules/production/model/measured-totals.js";
import { reconciliationOf } from "../../../../../erp-modules/production/model/reconciliation.js";

const base: MeasuredTotal = { date: "2026-10-02", fluid: "oil", source: "meters", volumeM3: "120.000000", meterReadingIds: ["r"], tankGaugeIds: [], runTicketIds: [] };

describe("sales and inventory reconciliation", () => {
  it("compares meter + stock change with stock change + shipped", () => {
    const total: MeasuredTotal = {
      ...base,
      source: "meters_and_stock",
      volumeM3: "0.000000",
      balanceM3: "-30.500000",
      meterM3: "10.250000",
      stockChangeM3: "-40.750000",
      shippedM3: "12.000000",
    };
    // measured = 10.25 − 40.75 = −30.5 (0 was allocated, the reconciliation shows the real sum);
    // tank balance = −40.75 + 12 = −28.75; difference = −30.5 − (−28.75) = −1.75 (= meter − shipped).
    assert.deepEqual(reconciliationOf(total), {
      meterM3: "10.250000",
      stockChangeM3: "-40.750000",
      shippedM3: "12.000000",
      measuredM3: "-30.500000",
      tankBalanceM3: "-28.750000",
      differenceM3: "-1.750000",
    });
  });

  it("has nothing to reconcile for meters alone, a tank balance or nothing measured", () => {
    assert.equal(reconciliationOf(base), null);
    assert.equal(reconciliationOf({ ...base, source: "tank_balance" }), null);
    assert.equal(reconciliationOf(null), null);
  });
});
