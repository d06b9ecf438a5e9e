import assert from "node:assert/strict";
import { procurementAccess } from "../../../../../../editor/src/modules/procurement/procurement-access";

import type { Role, User } from "../../../../../../editor/src/api/auth";

const user = (role: Role, grants: User["grants"]): User => ({ id: "u-1", username: "someone", role, grants });

describe("web app: which procurement actions a user is shown", () => {
  it("a viewer with no grant only reads", () => {
    assert.deepEqual(procurementAccess(user("viewer", [])), { buy: false, approve: false, approvalLimit: 0, receive: false, invoice: false, requisition: false });
  });

  it("grants open the matching actions on the routes' terms (buyer, storekeeper, approver with its limit)", () => {
    const buyer = procurementAccess(user("viewer", [{ grant: "buyer" }]));
    assert.equal(buyer.buy && buyer.invoice && buyer.requisition, true);
    assert.equal(buyer.approve, false, "buying is not approving");
    assert.equal(procurementAccess(user("viewer", [{ grant: "storekeeper" }])).receive, true);
    const approver = procurementAccess(user("viewer", [{ grant: "approver", approvalLimit: 5000 }]));
    assert.equal(approver.approve, true);
    assert.equal(approver.approvalLimit, 5000);
    assert.equal(approver.buy, false);
  });

  it("the role ladder opens what the routes' roles allow; approval stays a grant or admin", () => {
    const operator = procurementAccess(user("operator", []));
    assert.deepEqual([operator.receive, operator.requisition, operator.buy], [true, true, false]);
    const engineer = procurementAccess(user("engineer", []));
    assert.deepEqual([engineer.buy, engineer.invoice, engineer.approve], [true, true, false]);
    const admin = procurementAccess(user("admin", []));
    assert.equal(admin.approve, true);
    assert.equal(admin.approvalLimit, Number.POSITIVE_INFINITY);
  });
});
