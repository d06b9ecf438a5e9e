import { setTimeout as sleep } from "node:timers/promises";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface LoginLimiterOptions {
  /** Failed logins one address may make on one account per window. */
  maxAttempts: number;
  windowSeconds: number;
  /** The longest an attempt on an account under attack is held back. */
  maxDelaySeconds: number;
  /** Injected by unit tests to record delays instead of waiting them. */
  wait?: (ms: number) => Promise<void>;
}

export type LoginAttempt<T> = { limited: false; result: T | null } | { limited: true; retryAfterSeconds: number };

/** The first few failures on an account cost nothing; after those each one doubles the wait, from this. */
const FIRST_DELAY_MS = 1000;

function isLimitReached(reason: unknown): reason is RateLimiterRes {
  return reason instanceof RateLimiterRes;
}

/**
 * The one login policy, for /api/v1/auth/login and Node-RED's
 * /editor/auth/token alike:
 *
 * - per address and account: `maxAttempts` failures per window, then 429
 *   for that pair (stops one machine guessing one password);
 * - per address: ten times that across accounts (stops one machine trying
 *   one password on every account);
 * - per account, from all addresses: no lock, which an attacker could use to
 *   keep the real user out, but a delay before the password is checked that
 *   doubles with each failure past `maxAttempts`, up to `maxDelaySeconds`.
 *   The right password still gets in, from any address that is not itself
 *   limited.
 *
 * Points are taken before the password is checked (scrypt is asynchronous,
 * so check-then-record would let parallel attempts through uncounted), and
 * given back for attempts that succeed or never got checked.
 *
 * rate-limiter-flexible over a hand-rolled map: it handles expiry, blocking
 * and retry times, and its in-memory consume is atomic; it also has
 * PostgreSQL and Redis stores for a multi-process cloud role.
 */
export class LoginLimiter {
  private readonly perPair: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;
  /** Failures per account from every address; never refuses, only measures. */
  private readonly perAccount: RateLimiterMemory;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(private readonly options: LoginLimiterOptions) {
    const { maxAttempts, windowSeconds } = options;
    this.perPair = new RateLimiterMemory({ points: maxAttempts, duration: windowSeconds, blockDuration: windowSeconds });
    this.perAddress = new RateLimiterMemory({ points: maxAttempts * 10, duration: windowSeconds, blockDuration: windowSeconds });
    this.perAccount = new RateLimiterMemory({ points: Number.MAX_SAFE_INTEGER, duration: windowSeconds });
    this.wait = options.wait ?? ((ms) => sleep(ms));
  }

  private static pairKey(ip: string, username: string): string {
    return `${ip}|${LoginLimiter.accountKey(username)}`;
  }

  private static accountKey(username: string): string {
    return username.toLowerCase();
  }

  /** The wait before checking an account's password, given the failures already counted on it. */
  delayMs(previousFailures: number): number {
    const beyondFree = previousFailures - this.options.maxAttempts;
    if (beyondFree < 0) return 0;
    return Math.min(FIRST_DELAY_MS * 2 ** Math.min(beyondFree, 30), this.options.maxDelaySeconds * 1000);
  }

  /**
   * Runs `check` (the password check: a user, or null for a failure) under
   * the policy, or answers how long the caller must wait without running it.
   */
  async attempt<T>(ip: string, username: string, check: () => Promise<T | null>): Promise<LoginAttempt<T>> {
    const pair = LoginLimiter.pairKey(ip, username);
    const account = LoginLimiter.accountKey(username);
    try {
      await this.perPair.consume(pair);
    } catch (reason) {
      if (isLimitReached(reason)) return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(reason.msBeforeNext / 1000)) };
      throw reason;
    }
    try {
      await this.perAddress.consume(ip);
    } catch (reason) {
      await this.perPair.reward(pair);
      if (isLimitReached(reason)) return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(reason.msBeforeNext / 1000)) };
      throw reason;
    }
    const counted = await this.perAccount.consume(account);
    let result: T | null;
    try {
      await this.wait(this.delayMs(counted.consumedPoints - 1));
      result = await check();
    } catch (error) {
      // An attempt that could not be checked (a database error) is no failure.
      await Promise.all([this.perPair.reward(pair), this.perAddress.reward(ip), this.perAccount.reward(account)]);
      throw error;
    }
    if (result !== null) {
      await Promise.all([this.perPair.delete(pair), this.perAddress.reward(ip), this.perAccount.delete(account)]);
    }
    return { limited: false, result };
  }
}
