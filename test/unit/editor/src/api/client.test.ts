import assert from "node:assert/strict";
import { ApiError, apiRequest, setCsrfToken, setReauthenticate } from "../../../../../editor/src/api/client";

interface Sent {
  path: string;
  method: string;
  csrf: string | null;
  key: string | null;
  body: string | null;
}

/** A fake fetch answering from a script, recording what was sent. */
function scriptedFetch(answers: ((sent: Sent) => Response)[]): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const request: Sent = {
      path: input instanceof Request ? input.url : input.toString(),
      method: init?.method ?? "GET",
      csrf: headers.get("X-CSRF-Token"),
      key: headers.get("Idempotency-Key"),
      body: typeof init?.body === "string" ? init.body : null,
    };
    sent.push(request);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request ${request.method} ${request.path}`);
    return answer(request);
  };
  return sent;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const unauthenticated = () => json(401, { error: { code: "unauthenticated", message: "login required" } });

describe("web app: API requests when the session ends", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    setReauthenticate(null);
    setCsrfToken(null);
  });

  it("waits for the user to sign in again, then sends the same request with the same key and the new CSRF token", async () => {
    setCsrfToken("old-token");
    const sent = scriptedFetch([unauthenticated, () => json(201, { id: "g1" })]);
    let signIns = 0;
    setReauthenticate(async () => {
      signIns += 1;
      setCsrfToken("new-token");
    });
    const answer = await apiRequest("/api/v1/production/tank-gauges", { method: "POST", body: { levelM: 2.5 }, idempotencyKey: "k-1" });
    assert.deepEqual(answer, { id: "g1" });
    assert.equal(signIns, 1);
    assert.deepEqual(
      sent.map((request) => [request.key, request.csrf, request.body]),
      [
        ["k-1", "old-token", '{"levelM":2.5}'],
        ["k-1", "new-token", '{"levelM":2.5}'],
      ],
    );
  });

  it("fails with the 401 when the user gives up signing in", async () => {
    scriptedFetch([unauthenticated]);
    setReauthenticate(() => Promise.reject(new Error("gave up")));
    await assert.rejects(apiRequest("/api/v1/tags"), (error: unknown) => error instanceof ApiError && error.status === 401);
  });

  it("does not ask to sign in again for a wrong password at login, nor before the page has a session", async () => {
    let asked = false;
    setReauthenticate(async () => {
      asked = true;
    });
    scriptedFetch([() => json(401, { error: { code: "invalid_credentials", message: "wrong username or password" } })]);
    await assert.rejects(apiRequest("/api/v1/auth/login", { method: "POST", body: {}, reauthenticate: false }), /wrong username/);
    assert.equal(asked, false);
    setReauthenticate(null);
    scriptedFetch([unauthenticated]);
    await assert.rejects(apiRequest("/api/v1/auth/me"), (error: unknown) => error instanceof ApiError && error.status === 401);
  });

  it("takes the session's new CSRF token once when another tab signed in again", async () => {
    setCsrfToken("stale");
    const csrfFailed = () => json(403, { error: { code: "csrf_failed", message: "a write with a session cookie needs the header" } });
    const sent = scriptedFetch([csrfFailed, () => json(200, { user: {}, csrfToken: "fresh" }), () => json(200, { ok: true })]);
    assert.deepEqual(await apiRequest("/api/v1/tags", { method: "POST", body: {} }), { ok: true });
    assert.deepEqual(
      sent.map((request) => [request.method, request.path, request.csrf]),
      [
        ["POST", "/api/v1/tags", "stale"],
        ["GET", "/api/v1/auth/me", null],
        ["POST", "/api/v1/tags", "fresh"],
      ],
    );
    scriptedFetch([csrfFailed, () => json(200, { user: {}, csrfToken: "fresh" }), csrfFailed]);
    await assert.rejects(apiRequest("/api/v1/tags", { method: "POST", body: {} }), (error: unknown) => error instanceof ApiError && error.status === 403);
  });
});
