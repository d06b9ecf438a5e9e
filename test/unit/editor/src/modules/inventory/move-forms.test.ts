import assert from "node:assert/strict";
import { adjustmentBody, transferBody, type AdjustmentForm, type TransferForm } from "../../../../../../editor/src/modules/inventory/move-forms";

const ITEM = "0190a1b2-0000-7000-8000-000000000011";
const STORE = "0190a1b2-0000-7000-8000-000000000012";
const YARD = "0190a1b2-0000-7000-8000-000000000013";

const transfer: TransferForm = { itemId: ITEM, fromLocationId: STORE, toLocationId: YARD, quantity: 4, notes: "  to the yard  " };
const adjustment: AdjustmentForm = { itemId: ITEM, locationId: STORE, direction: "remove", quantity: 2, reason: " broken in handling " };

describe("editor inventory move forms", () => {
  it("turns a complete transfer into its body, notes trimmed", () => {
    assert.deepEqual(transferBody(transfer), { body: { itemId: ITEM, fromLocationId: STORE, toLocationId: YARD, quantity: 4, notes: "to the yard" } });
  });

  it("names every missing transfer input, and the same store twice", () => {
    assert.deepEqual(transferBody({ itemId: null, fromLocationId: null, toLocationId: null, quantity: "", notes: "" }), {
      errors: { itemId: "required", fromLocationId: "required", toLocationId: "required", quantity: "required" },
    });
    assert.deepEqual(transferBody({ ...transfer, toLocationId: STORE }), { errors: { toLocationId: "sameLocation" } });
    assert.deepEqual(transferBody({ ...transfer, quantity: 0 }), { errors: { quantity: "notPositive" } });
    assert.deepEqual(transferBody({ ...transfer, quantity: -3 }), { errors: { quantity: "notPositive" } });
  });

  it("signs an adjustment by its direction and keeps the reason as the move's notes", () => {
    assert.deepEqual(adjustmentBody(adjustment), { body: { itemId: ITEM, locationId: STORE, quantityDelta: -2, notes: "broken in handling" } });
    assert.deepEqual(adjustmentBody({ ...adjustment, direction: "add", quantity: 1.5 }), { body: { itemId: ITEM, locationId: STORE, quantityDelta: 1.5, notes: "broken in handling" } });
  });

  it("refuses an adjustment without a reason, with a zero or missing quantity", () => {
    assert.deepEqual(adjustmentBody({ ...adjustment, reason: "   " }), { errors: { reason: "required" } });
    assert.deepEqual(adjustmentBody({ ...adjustment, quantity: 0 }), { errors: { quantity: "zero" } });
    assert.deepEqual(adjustmentBody({ ...adjustment, quantity: "", locationId: null }), { errors: { quantity: "required", locationId: "required" } });
  });
});
