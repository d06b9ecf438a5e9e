import assert from "node:assert/strict";
import { hashPassword, randomPassword, verifyPassword } from "../../../../runtime/auth/passwords.js";
import { hashToken, newToken, tokenKind } from "../../../../runtime/auth/tokens.js";
import { roleAtLeast } from "../../../../runtime/auth/roles.js";

describe("passwords", () => {
  it("hashes with scrypt and a random salt, and verifies", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    assert.match(first, /^scrypt\$32768\$8\$1\$/);
    assert.notEqual(first, second);
    assert.equal(await verifyPassword("correct horse battery", first), true);
    assert.equal(await verifyPassword("wrong horse battery", first), false);
  });

  it("verifies hashes made with other parameters (they are stored in the hash)", async () => {
    const light = await hashPassword("pw-12345678", { N: 1024, r: 8, p: 1 });
    assert.equal(await verifyPassword("pw-12345678", light), true);
  });

  it("treats a malformed hash as a failed check, not an error", async () => {
    assert.equal(await verifyPassword("x", "bcrypt$whatever"), false);
    assert.equal(await verifyPassword("x", "scrypt$0$0$0$$"), false);
  });

  it("generates long random passwords", () => {
    const password = randomPassword();
    assert.ok(password.length >= 20);
    assert.notEqual(password, randomPassword());
  });
});

describe("tokens and roles", () => {
  it("tells token kinds apart by prefix and stores only a hash", () => {
    const token = newToken("api");
    assert.equal(tokenKind(token), "api");
    assert.equal(tokenKind(newToken("editor")), "editor");
    assert.equal(tokenKind("something-else"), null);
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    assert.ok(!hashToken(token).includes(token));
  });

  it("orders roles viewer < operator < engineer < admin", () => {
    assert.equal(roleAtLeast("admin", "engineer"), true);
    assert.equal(roleAtLeast("engineer", "engineer"), true);
    assert.equal(roleAtLeast("operator", "engineer"), false);
    assert.equal(roleAtLeast("viewer", "operator"), false);
  });
});
