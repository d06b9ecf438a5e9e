import assert from "node:assert/strict";
import { LoginLimiter, type LoginAttempt } from "../../../../runtime/auth/login-limiter.js";

const MAX_ATTEMPTS = 3;

/** A limiter whose delays are recorded, not waited. */
function limiter(maxDelaySeconds = 8): { limiter: LoginLimiter; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    limiter: new LoginLimiter({
      maxAttempts: MAX_ATTEMPTS,
      windowSeconds: 900,
      maxDelaySeconds,
      wait: async (ms) => {
        delays.push(ms);
      },
    }),
  };
}

/** A password check that takes a turn of the event loop, as scrypt does, and fails. */
async function wrongPassword(): Promise<null> {
  await new Promise((resolve) => setImmediate(resolve));
  return null;
}

async function rightPassword(): Promise<{ username: string }> {
  await new Promise((resolve) => setImmediate(resolve));
  return { username: "ana" };
}

function limited(outcome: LoginAttempt<unknown>): boolean {
  return outcome.limited;
}

describe("login limiter", () => {
  it("runs exactly maxAttempts of many parallel checks for one account and address", async () => {
    const { limiter: limits } = limiter();
    let checks = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        limits.attempt("10.0.0.1", "ana", () => {
          checks++;
          return wrongPassword();
        }),
      ),
    );
    assert.equal(checks, MAX_ATTEMPTS);
    assert.equal(outcomes.filter(limited).length, 100 - MAX_ATTEMPTS);
    const refused = outcomes.find(limited);
    assert.ok(refused?.limited && refused.retryAfterSeconds > 0 && refused.retryAfterSeconds <= 900);
  });

  it("limits an address per account, not the account: another address still checks the password", async () => {
    const { limiter: limits } = limiter();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) await limits.attempt("10.0.0.1", "ana", wrongPassword);
    assert.equal((await limits.attempt("10.0.0.1", "ANA", rightPassword)).limited, true, "usernames compare without case");
    const elsewhere = await limits.attempt("10.0.0.2", "ana", rightPassword);
    assert.deepEqual(elsewhere, { limited: false, result: { username: "ana" } });
  });

  it("limits an address across accounts at ten times the per-account limit", async () => {
    const { limiter: limits } = limiter();
    for (let account = 0; account < 10 * MAX_ATTEMPTS; account++) {
      assert.equal((await limits.attempt("10.0.0.1", `user-${account}`, wrongPassword)).limited, false);
    }
    assert.equal((await limits.attempt("10.0.0.1", "someone-else", rightPassword)).limited, true);
    assert.equal((await limits.attempt("10.0.0.2", "someone-else", rightPassword)).limited, false);
  });

  it("does not count limited attempts or successes against the address", async () => {
    const { limiter: limits } = limiter();
    for (let round = 0; round < 20; round++) assert.equal((await limits.attempt("10.0.0.1", "ana", rightPassword)).limited, false);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) await limits.attempt("10.0.0.1", "bob", wrongPassword);
    for (let attempt = 0; attempt < 50; attempt++) assert.equal((await limits.attempt("10.0.0.1", "bob", wrongPassword)).limited, true);
    // 3 failures so far from this address: far below the 30 it may make across accounts.
    for (let account = 0; account < 10 * MAX_ATTEMPTS - MAX_ATTEMPTS; account++) {
      assert.equal((await limits.attempt("10.0.0.1", `user-${account}`, wrongPassword)).limited, false, `account ${account}`);
    }
  });

  it("a success clears the address's failures on that account", async () => {
    const { limiter: limits } = limiter();
    for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt++) await limits.attempt("10.0.0.1", "ana", wrongPassword);
    await limits.attempt("10.0.0.1", "ana", rightPassword);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      assert.equal((await limits.attempt("10.0.0.1", "ana", wrongPassword)).limited, false, `failure ${attempt + 1} after the success`);
    }
  });

  it("delays attempts on an account that fails from many addresses, doubling up to the cap, and never refuses them", async () => {
    const { limiter: limits, delays } = limiter(8);
    for (let address = 1; address <= 8; address++) {
      assert.equal((await limits.attempt(`10.0.1.${address}`, "ana", wrongPassword)).limited, false);
    }
    assert.deepEqual(delays, [0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
    const owner = await limits.attempt("10.0.2.1", "ana", rightPassword);
    assert.deepEqual(owner, { limited: false, result: { username: "ana" } });
    assert.equal(delays.at(-1), 8000, "the owner waits the capped delay");
    await limits.attempt("10.0.2.2", "ana", wrongPassword);
    assert.equal(delays.at(-1), 0, "a success resets the account's delay");
  });

  it("gives the points back when the check itself fails (a database error is no failed login)", async () => {
    const { limiter: limits } = limiter();
    for (let attempt = 0; attempt < 5; attempt++) {
      await assert.rejects(
        limits.attempt("10.0.0.1", "ana", () => Promise.reject(new Error("database unreachable"))),
        /database unreachable/,
      );
    }
    assert.equal((await limits.attempt("10.0.0.1", "ana", rightPassword)).limited, false);
  });
});
