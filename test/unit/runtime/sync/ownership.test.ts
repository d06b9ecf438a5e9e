import assert from "node:assert/strict";
import { CLOUD_OWNER, decideChange, ownerRuleOf, type EntityState } from "../../../../runtime/sync/ownership.js";

const at = (iso: string) => new Date(iso);
const change = (siteId: string, committedAt = "2026-03-01T10:00:00Z", entityType = "asset", payload: unknown = { name: "W-1" }) => ({
  siteId,
  entityType,
  payload,
  committedAt: at(committedAt),
});

describe("Sync ownership rules", () => {
  it("makes operational records their site's, and marked catalogue items the cloud's", () => {
    assert.equal(ownerRuleOf("stock_move", { owner: "corporate" }), "site");
    assert.equal(ownerRuleOf("inventory_item", { owner: "site" }), "site");
    assert.equal(ownerRuleOf("inventory_item", { owner: "corporate" }), "cloud");
    assert.equal(ownerRuleOf("inventory_item", null), "site");
  });

  it("gives a new record to its sender, and refuses a site's new corporate item", () => {
    assert.deepEqual(decideChange(change("A"), null, []), { kind: "apply", owner: "A" });
    assert.deepEqual(decideChange(change("A", undefined, "inventory_item", { owner: "corporate" }), null, []), {
      kind: "conflict",
      reason: "not_owner",
      currentOwner: CLOUD_OWNER,
    });
  });

  it("applies the owner's change and refuses anyone else's", () => {
    const current: EntityState = { owner: "A", siteId: "A", payload: {} };
    assert.deepEqual(decideChange(change("A"), current, []), { kind: "apply", owner: "A" });
    assert.deepEqual(decideChange(change("B"), current, []), { kind: "conflict", reason: "not_owner", currentOwner: "A" });
    const corporate: EntityState = { owner: CLOUD_OWNER, siteId: "A", payload: {} };
    assert.deepEqual(decideChange(change("A"), corporate, []), { kind: "conflict", reason: "not_owner", currentOwner: CLOUD_OWNER });
  });

  it("turns the old owner's edit after a move into ownership_moved, and keeps one made before it", () => {
    const moved = [{ fromOwner: "A", toOwner: "B", effectiveAt: at("2026-03-01T12:00:00Z") }];
    const untouched: EntityState = { owner: "B", siteId: "A", payload: {} };
    assert.deepEqual(decideChange(change("A", "2026-03-01T13:00:00Z"), untouched, moved), {
      kind: "conflict",
      reason: "ownership_moved",
      currentOwner: "B",
    });
    // Made while A owned it, and B has not changed it since: it applies, B stays the owner.
    assert.deepEqual(decideChange(change("A", "2026-03-01T11:00:00Z"), untouched, moved), { kind: "apply", owner: "B" });
    // B changed it since: the new owner's state is never overwritten.
    const changedByB: EntityState = { owner: "B", siteId: "B", payload: {} };
    assert.deepEqual(decideChange(change("A", "2026-03-01T11:00:00Z"), changedByB, moved), {
      kind: "conflict",
      reason: "ownership_moved",
      currentOwner: "B",
    });
    assert.deepEqual(decideChange(change("B", "2026-03-01T13:00:00Z"), untouched, moved), { kind: "apply", owner: "B" });
    assert.deepEqual(decideChange(change("C", "2026-03-01T13:00:00Z"), untouched, moved), { kind: "conflict", reason: "not_owner", currentOwner: "B" });
  });
});
