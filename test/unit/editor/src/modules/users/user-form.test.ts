import assert from "node:assert/strict";
import { grantsBody, grantsFormOf, NO_GRANTS, passwordError, userCreateBody } from "../../../../../../editor/src/modules/users/user-form";

describe("web app: the new-user form", () => {
  it("sends the username trimmed, the role, and the password only when one was typed", () => {
    assert.deepEqual(userCreateBody({ username: " rosa.m ", role: "operator", password: "", grants: NO_GRANTS }), { body: { username: "rosa.m", role: "operator", grants: [] } });
    assert.deepEqual(userCreateBody({ username: "rosa", role: "viewer", password: "12345678", grants: NO_GRANTS }), {
      body: { username: "rosa", role: "viewer", grants: [], password: "12345678" },
    });
  });

  it("names the input that the server would refuse", () => {
    assert.deepEqual(userCreateBody({ username: "", role: "viewer", password: "short", grants: NO_GRANTS }), { errors: { username: "required", password: "shortPassword" } });
    assert.deepEqual(userCreateBody({ username: "-rosa", role: "viewer", password: "", grants: NO_GRANTS }), { errors: { username: "badUsername" } });
    assert.deepEqual(userCreateBody({ username: "r", role: "viewer", password: "", grants: NO_GRANTS }), { errors: { username: "badUsername" } });
    assert.equal(passwordError(""), "required");
    assert.equal(passwordError("1234567"), "shortPassword");
    assert.equal(passwordError("12345678"), null);
  });

  it("sends the ticked grants in a fixed order, the approver with its limit, and names a missing or negative limit", () => {
    assert.deepEqual(grantsBody({ held: ["approver", "technician"], approvalLimit: 2500 }), {
      grants: [{ grant: "technician" }, { grant: "approver", approvalLimit: 2500 }],
    });
    assert.deepEqual(grantsBody({ held: ["storekeeper"], approvalLimit: 300 }), { grants: [{ grant: "storekeeper" }] }, "a limit left over from an unticked approver is not sent");
    assert.deepEqual(grantsBody({ held: ["approver"], approvalLimit: 0 }), { grants: [{ grant: "approver", approvalLimit: 0 }] });
    assert.deepEqual(grantsBody({ held: ["approver"], approvalLimit: "" }), { error: "required" });
    assert.deepEqual(grantsBody({ held: ["approver"], approvalLimit: -5 }), { error: "negativeLimit" });
    assert.deepEqual(userCreateBody({ username: "rosa", role: "viewer", password: "", grants: { held: ["approver"], approvalLimit: "" } }), { errors: { grants: "required" } });
  });

  it("reads a user's grants back into the form", () => {
    assert.deepEqual(grantsFormOf([{ grant: "buyer" }, { grant: "approver", approvalLimit: 900 }]), { held: ["buyer", "approver"], approvalLimit: 900 });
    assert.deepEqual(grantsFormOf([]), NO_GRANTS);
  });
});
