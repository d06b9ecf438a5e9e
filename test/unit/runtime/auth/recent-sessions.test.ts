import assert from "node:assert/strict";
import type { Principal } from "../../../../runtime/auth/auth-service.js";
import { RecentSessions } from "../../../../runtime/auth/recent-sessions.js";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";

const HOUR_MS = 3_600_000;

function principal(userId: string, sessionTokenHash: string): Principal {
  return {
    user: { id: userId, username: `user-${userId}`, role: "operator", grants: [], disabled: false, createdAt: "2026-12-01T00:00:00.000Z" },
    via: "session",
    csrfToken: `csrf-${sessionTokenHash}`,
    sessionTokenHash,
  };
}

const unavailable = () => Promise.reject(new DatabaseUnavailableError("connection reset"));
const never = () => new Promise<never>(() => undefined);

describe("RecentSessions: a signed-in operator while the database is away", () => {
  let clock = Date.parse("2026-12-07T08:00:00Z");
  const sessions = () => new RecentSessions({ fallbackAfterMs: 20, maxEntries: 2, now: () => clock });
  const confirmed = (recent: RecentSessions, hash: string, userId = "u1", expiresInMs = HOUR_MS) =>
    recent.resolve(hash, async () => ({ principal: principal(userId, hash), expiresAtMs: clock + expiresInMs }));

  beforeEach(() => {
    clock = Date.parse("2026-12-07T08:00:00Z");
  });

  it("answers from the database while it answers", async () => {
    const recent = sessions();
    assert.equal((await confirmed(recent, "s1"))?.sessionTokenHash, "s1");
    assert.equal(await recent.resolve("s2", async () => null), null);
  });

  it("lets an unavailable database fail a session it never confirmed (503 upstream)", async () => {
    await assert.rejects(sessions().resolve("s1", unavailable), DatabaseUnavailableError);
  });

  it("stands in with the last confirmed answer when the database is unavailable or does not answer in time", async () => {
    const recent = sessions();
    await confirmed(recent, "s1");
    assert.equal((await recent.resolve("s1", unavailable))?.user.id, "u1");
    const started = Date.now();
    assert.equal((await recent.resolve("s1", never))?.csrfToken, "csrf-s1");
    assert.ok(Date.now() - started < 5_000, "the fallback did not wait for the database");
  });

  it("keeps other errors: a broken query is not an outage", async () => {
    const recent = sessions();
    await confirmed(recent, "s1");
    await assert.rejects(
      recent.resolve("s1", () => Promise.reject(new Error("syntax error at or near SELEC"))),
      /syntax error/,
    );
  });

  it("forgets a session the database says is gone, and never stands in past its expiry", async () => {
    const recent = sessions();
    await confirmed(recent, "gone");
    assert.equal(await recent.resolve("gone", async () => null), null);
    await assert.rejects(recent.resolve("gone", unavailable), DatabaseUnavailableError);

    await confirmed(recent, "short", "u1", 60_000);
    clock += 61_000;
    assert.equal(await recent.resolve("short", unavailable), null, "expired while the database was away");
  });

  it("drops what a logout or a change to the user ended, at once", async () => {
    const recent = sessions();
    await confirmed(recent, "s1", "u1");
    await confirmed(recent, "s2", "u2");
    recent.forget({ scope: "session", userId: "u1", username: "user-u1", reason: "logout", sessionTokenHash: "s1" });
    await assert.rejects(recent.resolve("s1", unavailable), DatabaseUnavailableError);
    assert.equal((await recent.resolve("s2", unavailable))?.user.id, "u2", "another user's session stays");
    recent.forget({ scope: "user", userId: "u2", username: "user-u2", reason: "disabled" });
    await assert.rejects(recent.resolve("s2", unavailable), DatabaseUnavailableError);
  });

  it("keeps at most maxEntries sessions, dropping the least recently confirmed", async () => {
    const recent = sessions();
    await confirmed(recent, "a");
    await confirmed(recent, "b");
    await confirmed(recent, "a");
    await confirmed(recent, "c");
    await assert.rejects(recent.resolve("b", unavailable), DatabaseUnavailableError);
    assert.ok(await recent.resolve("a", unavailable));
    assert.ok(await recent.resolve("c", unavailable));
  });

  describe("answering a recently confirmed session from memory (freshForMs)", () => {
    const fresh = () => new RecentSessions({ fallbackAfterMs: 20, maxEntries: 10, freshForMs: 1000, now: () => clock });
    let lookups = 0;
    const counted = (recent: RecentSessions, hash: string, userId = "u1") =>
      recent.resolve(hash, async () => {
        lookups += 1;
        return { principal: principal(userId, hash), expiresAtMs: clock + HOUR_MS };
      });

    beforeEach(() => {
      lookups = 0;
    });

    it("looks a session up once per freshForMs, then again", async () => {
      const recent = fresh();
      await counted(recent, "s1");
      clock += 999;
      assert.equal((await counted(recent, "s1"))?.sessionTokenHash, "s1");
      assert.equal(lookups, 1, "the second request within a second was answered from memory");
      clock += 1;
      await counted(recent, "s1");
      assert.equal(lookups, 2, "a second after its confirmation the session is looked up again");
    });

    it("never answers from memory with freshForMs unset (the fallback-only behaviour)", async () => {
      const recent = sessions();
      await confirmed(recent, "s1");
      assert.equal(await recent.resolve("s1", async () => null), null, "the database said the session is gone");
    });

    it("drops a user's sessions at once when their grants change, and a session whose access ended", async () => {
      const recent = fresh();
      await counted(recent, "a", "u1");
      await counted(recent, "b", "u2");
      recent.forgetUser("u1");
      await counted(recent, "a", "u1");
      await counted(recent, "b", "u2");
      assert.equal(lookups, 3, "u1 was looked up again, u2 was not");
      recent.forget({ scope: "session", userId: "u2", username: "user-u2", reason: "logout", sessionTokenHash: "b" });
      assert.equal(await recent.resolve("b", async () => null), null, "a logged-out session is not answered from memory");
    });

    it("never answers past the session's own expiry", async () => {
      const recent = fresh();
      await recent.resolve("short", async () => ({ principal: principal("u1", "short"), expiresAtMs: clock + 500 }));
      clock += 600;
      assert.equal(await recent.resolve("short", async () => null), null);
    });
  });
});
