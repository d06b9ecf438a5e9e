import assert from "node:assert/strict";
import { acceptsReceipts, isEditable, mayMove, nextActions, statusAfterReceipt } from "../../../../../erp-modules/procurement/model/purchase-order-state.js";
import { PURCHASE_ORDER_STATUSES } from "../../../../../erp-modules/procurement/schema.js";

describe("purchase order states", () => {
  it("goes draft → submitted → approved → sent → closed, with rejection and cancel where the issue says", () => {
    assert.deepEqual(nextActions("draft"), ["submitted", "cancelled"]);
    assert.deepEqual(nextActions("submitted"), ["approved", "rejected", "cancelled"]);
    assert.deepEqual(nextActions("approved"), ["sent", "cancelled"]);
    assert.deepEqual(nextActions("rejected"), ["submitted", "cancelled"]);
    assert.ok(mayMove("sent", "closed") && mayMove("received", "closed") && mayMove("partially_received", "closed"));
  });

  it("cannot cancel once sent, skip approval, or leave closed or cancelled", () => {
    assert.equal(mayMove("sent", "cancelled"), false);
    assert.equal(mayMove("draft", "approved"), false);
    assert.equal(mayMove("draft", "sent"), false);
    assert.deepEqual(nextActions("closed"), []);
    assert.deepEqual(nextActions("cancelled"), []);
  });

  it("edits only drafts and rejected orders; receives only on sent orders", () => {
    assert.deepEqual(
      PURCHASE_ORDER_STATUSES.filter((status) => isEditable(status)),
      ["draft", "rejected"],
    );
    assert.deepEqual(
      PURCHASE_ORDER_STATUSES.filter((status) => acceptsReceipts(status)),
      ["sent", "partially_received", "received"],
    );
  });

  it("derives the receipt status from the lines (over-delivery counts as received)", () => {
    assert.equal(statusAfterReceipt([{ quantity: 10, receivedQuantity: 0 }]), "sent");
    assert.equal(statusAfterReceipt([{ quantity: 10, receivedQuantity: 4 }, { quantity: 5, receivedQuantity: 0 }]), "partially_received");
    assert.equal(statusAfterReceipt([{ quantity: 10, receivedQuantity: 12 }, { quantity: 5, receivedQuantity: 5 }]), "received");
  });
});
