import assert from "node:assert/strict";
import { passwordError, userCreateBody } from "../../../../../../editor/src/modules/users/user-form";

describe("web app: the new-user form", () => {
  it("sends the username trimmed, the role, and the password only when one was typed", () => {
    assert.deepEqual(userCreateBody({ username: " rosa.m ", role: "operator", password: "" }), { body: { username: "rosa.m", role: "operator" } });
    assert.deepEqual(userCreateBody({ username: "rosa", role: "viewer", password: "12345678" }), {
      body: { username: "rosa", role: "viewer", password: "12345678" },
    });
  });

  it("names the input that the server would refuse", () => {
    assert.deepEqual(userCreateBody({ username: "", role: "viewer", password: "short" }), { errors: { username: "required", password: "shortPassword" } });
    assert.deepEqual(userCreateBody({ username: "-rosa", role: "viewer", password: "" }), { errors: { username: "badUsername" } });
    assert.deepEqual(userCreateBody({ username: "r", role: "viewer", password: "" }), { errors: { username: "badUsername" } });
    assert.equal(passwordError(""), "required");
    assert.equal(passwordError("1234567"), "shortPassword");
    assert.equal(passwordError("12345678"), null);
  });
});
