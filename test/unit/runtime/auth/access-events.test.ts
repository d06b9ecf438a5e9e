import assert from "node:assert/strict";
import { AccessEvents, endsAccessOf, type AccessEnded } from "../../../../runtime/auth/access-events.js";
import type { Principal } from "../../../../runtime/auth/auth-service.js";

const ana = { id: "u-ana", username: "ana", role: "engineer" as const, grants: [], disabled: false, createdAt: "2025-01-01T00:00:00.000Z" };
const bob = { ...ana, id: "u-bob", username: "bob" };

const cookie: Principal = { user: ana, via: "session", sessionTokenHash: "s-1", csrfToken: "c" };
const editorToken: Principal = { user: ana, via: "editor-token", sessionTokenHash: "s-1" };
const otherSession: Principal = { user: ana, via: "session", sessionTokenHash: "s-2", csrfToken: "c" };
const apiToken: Principal = { user: ana, via: "api-token", apiTokenId: "t-1" };
const otherApiToken: Principal = { user: ana, via: "api-token", apiTokenId: "t-2" };
const nodeRedToken: Principal = { user: ana, via: "node-red-token" };
const everyPrincipal = { cookie, editorToken, otherSession, apiToken, otherApiToken, nodeRedToken };

function ended(event: AccessEnded): string[] {
  return Object.entries(everyPrincipal)
    .filter(([, principal]) => endsAccessOf(event, principal))
    .map(([name]) => name);
}

const user = (reason: "password_changed" | "role_changed" | "disabled"): AccessEnded => ({ scope: "user", userId: ana.id, username: "ana", reason });

describe("access events", () => {
  it("a logout ends the session's cookie and editor token, nothing else", () => {
    assert.deepEqual(ended({ scope: "session", userId: ana.id, username: "ana", reason: "logout", sessionTokenHash: "s-1" }), ["cookie", "editorToken"]);
  });

  it("disabling or a role change ends everything of the user; a password change everything but API tokens", () => {
    const all = Object.keys(everyPrincipal);
    assert.deepEqual(ended(user("disabled")), all);
    assert.deepEqual(ended(user("role_changed")), all);
    assert.deepEqual(ended(user("password_changed")), ["cookie", "editorToken", "otherSession", "nodeRedToken"]);
  });

  it("revoking an API token ends only that token", () => {
    assert.deepEqual(ended({ scope: "api-token", userId: ana.id, username: "ana", reason: "token_revoked", apiTokenId: "t-1" }), ["apiToken"]);
  });

  it("never ends another user's access", () => {
    assert.equal(endsAccessOf(user("disabled"), { user: bob, via: "session", sessionTokenHash: "s-1" }), false);
  });

  it("emit waits for every listener and reports one that fails without stopping the others", async () => {
    const failures: string[] = [];
    const events = new AccessEvents((error) => failures.push((error as Error).message));
    const done: string[] = [];
    events.on(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      done.push("slow");
    });
    events.on(() => {
      throw new Error("listener broke");
    });
    const unsubscribe = events.on(() => {
      done.push("fast");
    });
    await events.emit(user("disabled"));
    assert.deepEqual(done.sort(), ["fast", "slow"]);
    assert.deepEqual(failures, ["listener broke"]);
    unsubscribe();
    await events.emit(user("disabled"));
    assert.deepEqual(done.sort(), ["fast", "slow", "slow"]);
  });

  it("endedSince finds an event that arrived while a connection was being authenticated", async () => {
    const events = new AccessEvents();
    await events.emit(user("role_changed"));
    const before = events.sequence;
    assert.equal(events.endedSince(before, cookie), undefined);
    await events.emit({ scope: "session", userId: ana.id, username: "ana", reason: "logout", sessionTokenHash: "s-2" });
    assert.equal(events.endedSince(before, cookie), undefined, "another session's logout");
    await events.emit(user("password_changed"));
    assert.equal(events.endedSince(before, cookie)?.reason, "password_changed");
    assert.equal(events.endedSince(before, apiToken), undefined);
  });
});
