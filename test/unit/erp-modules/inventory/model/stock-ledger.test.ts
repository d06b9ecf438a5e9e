import assert from "node:assert/strict";
import fc from "fast-check";
import {
  applyMove,
  emptyLedger,
  mayTake,
  movingAverageAfterReceipt,
  movingAverageAfterReturn,
  roundQuantity,
  toBaseQuantity,
  type LedgerMove,
} from "../../../../../erp-modules/inventory/model/stock-ledger.js";

const INTERNAL = ["WH-1", "WH-2", "YARD"] as const;
const isInternal = (location: string) => (INTERNAL as readonly string[]).includes(location);

describe("inventory stock ledger model", () => {
  describe("moving average", () => {
    it("weights the receipt by quantity: (10 x 5 + 30 x 9) / 40 = 8 (arithmetic worked by hand)", () => {
      assert.equal(movingAverageAfterReceipt(10, 5, 30, 9), 8);
    });

    it("takes the receipt's cost when nothing, or less than nothing, was on hand", () => {
      assert.equal(movingAverageAfterReceipt(0, 5, 3, 7), 7);
      assert.equal(movingAverageAfterReceipt(-3, 12.5, 10, 20), 20);
    });

    it("a returned receipt takes its value back out: (40 x 8 - 30 x 9) / 10 = 5", () => {
      assert.equal(movingAverageAfterReturn(40, 8, 30, 9), 5);
      assert.equal(movingAverageAfterReturn(30, 9, 30, 9), 9);
    });
  });

  describe("units and rules", () => {
    it("converts to the base unit, refusing unknown units", () => {
      assert.equal(toBaseQuantity(2, "drum", "L", [{ unit: "drum", toBase: 208 }]), 416);
      assert.equal(toBaseQuantity(2, "L", "L", []), 2);
      assert.equal(toBaseQuantity(2, undefined, "L", []), 2);
      assert.equal(toBaseQuantity(2, "tote", "L", [{ unit: "drum", toBase: 208 }]), undefined);
    });

    it("never takes below zero unless the item allows it", () => {
      assert.equal(mayTake(3, 3, false), true);
      assert.equal(mayTake(3, 3.000001, false), false);
      assert.equal(mayTake(3, 10, true), true);
      assert.equal(mayTake(0.3, 0.1 + 0.2, false), true);
    });
  });

  describe("any sequence of moves (property)", () => {
    const location = fc.constantFrom("WH-1", "WH-2", "YARD");
    const quantity = fc.integer({ min: 1, max: 5000 }).map((thousandths) => thousandths / 1000);
    const move: fc.Arbitrary<LedgerMove> = fc.oneof(
      fc.record({ kind: fc.constant("receipt" as const), from: fc.constant("SUPPLIER"), to: location, quantity, unitCost: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100) }),
      fc.record({ kind: fc.constant("issue" as const), from: location, to: fc.constant("CONSUMPTION"), quantity }),
      fc.record({ kind: fc.constant("transfer" as const), from: location, to: location, quantity }).filter((candidate) => candidate.from !== candidate.to),
      fc.record({ kind: fc.constant("adjustment" as const), from: fc.constant("ADJUSTMENT"), to: location, quantity }),
    );

    it("keeps every balance equal to its ledger sum, never negative, and the cost equal to the moving-average definition", () => {
      fc.assert(
        fc.property(fc.array(move, { maxLength: 60 }), (moves) => {
          const state = emptyLedger();
          const posted: LedgerMove[] = [];
          // The average by its definition, recomputed from the receipts alone.
          let definitionOnHand = 0;
          let definitionAverage = 0;
          for (const candidate of moves) {
            const available = state.balances.get(candidate.from) ?? 0;
            if (isInternal(candidate.from) && !mayTake(available, candidate.quantity, false)) continue;
            applyMove(state, candidate, isInternal);
            posted.push(candidate);
            if (candidate.kind === "receipt") {
              const cost = candidate.unitCost ?? 0;
              definitionAverage = definitionOnHand <= 0 ? cost : (definitionOnHand * definitionAverage + candidate.quantity * cost) / (definitionOnHand + candidate.quantity);
            }
            definitionOnHand += (isInternal(candidate.to) ? candidate.quantity : 0) - (isInternal(candidate.from) ? candidate.quantity : 0);
            // The stored average is rounded to 6 decimals at each receipt; the rounding errors stay far below 1e-4.
            assert.ok(Math.abs(state.averageUnitCost - definitionAverage) <= 1e-4, `average ${state.averageUnitCost} vs ${definitionAverage}`);
          }
          let internalTotal = 0;
          for (const [place, balance] of state.balances) {
            const ledger = posted.reduce((sum, entry) => sum + (entry.to === place ? entry.quantity : 0) - (entry.from === place ? entry.quantity : 0), 0);
            assert.ok(Math.abs(balance - ledger) < 1e-6, `${place}: balance ${balance}, ledger ${ledger}`);
            if (isInternal(place)) {
              assert.ok(balance >= 0, `${place} went negative: ${balance}`);
              internalTotal += balance;
            }
          }
          // Double entry: every quantity left one place and entered another.
          const everything = [...state.balances.values()].reduce((sum, balance) => sum + balance, 0);
          assert.ok(Math.abs(everything) < 1e-6, `the ledger does not balance: ${everything}`);
          assert.ok(Math.abs(state.onHand - roundQuantity(internalTotal)) < 1e-6);
        }),
        { numRuns: 300 },
      );
    });
  });
});
