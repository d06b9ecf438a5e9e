import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Failed-login limits: per username and address (stops guessing one
 * account), and per address alone at ten times that (stops spraying many
 * accounts). Only failures count; a success clears the pair's count.
 * rate-limiter-flexible is used over a hand-rolled map: it handles expiry,
 * blocking windows and retry times, and can move to PostgreSQL or Redis
 * storage for a multi-process cloud deployment.
 */
export class LoginLimiter {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(maxAttempts: number, windowSeconds: number) {
    this.perAccount = new RateLimiterMemory({ points: maxAttempts, duration: windowSeconds, blockDuration: windowSeconds });
    this.perAddress = new RateLimiterMemory({
      points: maxAttempts * 10,
      duration: windowSeconds,
      blockDuration: windowSeconds,
    });
  }

  private static accountKey(ip: string, username: string): string {
    return `${ip}|${username.toLowerCase()}`;
  }

  /** Seconds until another attempt is allowed, or 0 when one may be tried now. */
  async retryAfterSeconds(ip: string, username?: string): Promise<number> {
    const results = await Promise.all([
      this.perAddress.get(ip),
      username === undefined ? Promise.resolve(null) : this.perAccount.get(LoginLimiter.accountKey(ip, username)),
    ]);
    let wait = 0;
    for (const [result, limit] of [
      [results[0], this.perAddress.points],
      [results[1], this.perAccount.points],
    ] as const) {
      if (result && result.consumedPoints >= limit) wait = Math.max(wait, Math.ceil(result.msBeforeNext / 1000));
    }
    return wait;
  }

  async recordFailure(ip: string, username?: string): Promise<void> {
    const consumptions = [this.perAddress.consume(ip)];
    if (username !== undefined) consumptions.push(this.perAccount.consume(LoginLimiter.accountKey(ip, username)));
    // A rejection only means the limit is reached, which retryAfterSeconds reports.
    await Promise.allSettled(consumptions).then((results) => {
      for (const result of results) {
        if (result.status === "rejected" && !(result.reason instanceof RateLimiterRes)) throw result.reason;
      }
    });
  }

  async recordSuccess(ip: string, username: string): Promise<void> {
    await this.perAccount.delete(LoginLimiter.accountKey(ip, username));
  }
}
