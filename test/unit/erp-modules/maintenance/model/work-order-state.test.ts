import assert from "node:assert/strict";
import { isOpen, nextStatuses, transitionRole, WORK_ORDER_STATUSES } from "../../../../../erp-modules/maintenance/model/work-order-state.js";

describe("work order state machine", () => {
  it("walks the happy path with technician (operator) work and engineer approval", () => {
    assert.equal(transitionRole("requested", "approved"), "engineer");
    assert.equal(transitionRole("approved", "scheduled"), "operator");
    assert.equal(transitionRole("scheduled", "in_progress"), "operator");
    assert.equal(transitionRole("in_progress", "done"), "operator");
  });

  it("refuses skipping approval and leaving a final state", () => {
    assert.equal(transitionRole("requested", "in_progress"), null);
    assert.equal(transitionRole("requested", "done"), null);
    for (const status of WORK_ORDER_STATUSES) {
      assert.equal(transitionRole("done", status), null);
      assert.equal(transitionRole("cancelled", status), null);
    }
  });

  it("lets every open state be cancelled by an engineer, and only open states hold their condition", () => {
    for (const status of WORK_ORDER_STATUSES.filter(isOpen)) assert.equal(transitionRole(status, "cancelled"), "engineer");
    assert.deepEqual(WORK_ORDER_STATUSES.filter((status) => !isOpen(status)), ["done", "cancelled"]);
    assert.deepEqual(nextStatuses("done"), []);
  });
});
