import assert from "node:assert/strict";
import { keyForSubmission } from "../../../../../../editor/src/modules/production/submission-key";
import { newIdempotencyKey } from "../../../../../../editor/src/api/client";

describe("web app: Idempotency-Key per submitted entry", () => {
  let made = 0;
  const makeKey = () => `key-${++made}`;

  it("keeps the key while the very same entry is sent again, and takes a new one for another entry", () => {
    const gauge = { tankId: "tk-1", gaugedAt: "2026-11-27T08:00:00.000Z", levelM: 3.2 };
    const first = keyForSubmission(null, gauge, makeKey);
    const resent = keyForSubmission(first, { ...gauge }, makeKey);
    assert.equal(resent.key, first.key, "a re-send after a lost answer replays");
    const corrected = keyForSubmission(resent, { ...gauge, levelM: 3.25 }, makeKey);
    assert.notEqual(corrected.key, first.key, "a changed entry is a new request");
    assert.notEqual(keyForSubmission(null, gauge, makeKey).key, first.key, "after a save the same values are a new entry");
  });

  it("makes random 128-bit keys without crypto.randomUUID (plain http on the plant network)", () => {
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    assert.equal(keys.size, 100);
    for (const key of keys) assert.match(key, /^[0-9a-f]{32}$/);
  });
});
