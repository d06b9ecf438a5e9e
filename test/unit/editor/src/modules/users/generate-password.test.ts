import assert from "node:assert/strict";
import { GENERATED_PASSWORD_LENGTH, generatePassword } from "../../../../../../editor/src/modules/users/generate-password";

describe("web app: generated passwords", () => {
  it("makes 16 characters without look-alikes, long enough for the server's minimum", () => {
    for (let round = 0; round < 50; round++) {
      const password = generatePassword();
      assert.equal(password.length, GENERATED_PASSWORD_LENGTH);
      assert.match(password, /^[a-km-zA-HJ-NP-Z2-9]+$/);
    }
  });

  it("skips the bytes that would favour some characters", () => {
    // 57 characters: bytes from 228 (4 x 57) up would wrap onto the first 28.
    let calls = 0;
    const biased = (bytes: Uint8Array) => {
      calls += 1;
      bytes.fill(calls === 1 ? 255 : 0);
      return bytes;
    };
    assert.equal(generatePassword(biased), "a".repeat(GENERATED_PASSWORD_LENGTH));
    assert.equal(calls, 2);
  });
});
