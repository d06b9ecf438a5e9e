import assert from "node:assert/strict";
import { approvalLimitOf, GRANTS, holdsGrant, isGrant, type GrantHolder } from "../../../../runtime/auth/grants.js";

const viewer = (grants: GrantHolder["grants"]): GrantHolder => ({ role: "viewer", grants });

describe("grants: functional permissions beside the role ladder", () => {
  it("knows the four grants and nothing else", () => {
    assert.deepEqual([...GRANTS], ["technician", "storekeeper", "buyer", "approver"]);
    for (const grant of GRANTS) assert.ok(isGrant(grant), grant);
    for (const other of ["admin", "operator", "Storekeeper", "", undefined, 1, null]) assert.equal(isGrant(other), false, String(other));
  });

  it("a user holds the grants listed, and an admin holds every grant", () => {
    const storekeeper = viewer([{ grant: "storekeeper" }]);
    assert.equal(holdsGrant(storekeeper, "storekeeper"), true);
    assert.equal(holdsGrant(storekeeper, "technician"), false);
    assert.equal(holdsGrant({ role: "engineer", grants: [] }, "technician"), false, "a high role is not a grant");
    for (const grant of GRANTS) assert.equal(holdsGrant({ role: "admin", grants: [] }, grant), true, grant);
  });

  it("the approval limit is the approver grant's, unlimited for an admin, and 0 for everyone else", () => {
    assert.equal(approvalLimitOf(viewer([{ grant: "buyer" }, { grant: "approver", approvalLimit: 15_000 }])), 15_000);
    assert.equal(approvalLimitOf(viewer([{ grant: "approver", approvalLimit: 0 }])), 0);
    assert.equal(approvalLimitOf(viewer([{ grant: "buyer" }])), 0, "a buyer may not approve");
    assert.equal(approvalLimitOf({ role: "engineer", grants: [] }), 0, "nor may an engineer without the grant");
    assert.equal(approvalLimitOf({ role: "admin", grants: [] }), Number.POSITIVE_INFINITY);
  });
});
