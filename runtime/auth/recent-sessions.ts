import { isDatabaseUnavailable } from "../db/database-errors.js";
import { endsAccessOf, type AccessEnded } from "./access-events.js";
import type { Principal } from "./auth-service.js";

interface RecentSession {
  principal: Principal;
  /** When the session itself expires (epoch ms): never trusted past it. */
  expiresAtMs: number;
  /** When the database last confirmed it (epoch ms). */
  confirmedAtMs: number;
}

export interface RecentSessionsOptions {
  /** How long a lookup may go unanswered before the last verified answer stands in for it. */
  fallbackAfterMs: number;
  /** Most sessions kept; the least recently verified is dropped first. */
  maxEntries: number;
  /**
   * A session the database confirmed this recently is answered from memory,
   * without a lookup (0: always look up). Ends of access in this process
   * (logout, role, password, disabling, grant changes) drop it at once; a
   * change made by another process (the CLI, another cloud replica) is seen
   * within this time.
   */
  freshForMs?: number;
  now?: () => number;
}

/**
 * Browser sessions the database confirmed recently, so that an operator
 * already signed in keeps the live screens (and sees what waits in the
 * spool) while the database is away: the edge box runs without it. A session
 * confirmed within `freshForMs` is answered from memory (a browser sends
 * requests in bursts, and the lookup was one of the few database round trips
 * of a stock move: docs/performance.md); past that a lookup goes to the
 * database, and the remembered answer is used only when the database fails
 * to answer in time or is unavailable, and only for a session it confirmed
 * before, not yet expired and not ended since (a logout, a password or role
 * change, disabling the user: the access events drop it at once). A session
 * the database says is gone is forgotten.
 */
export class RecentSessions {
  private readonly sessions = new Map<string, RecentSession>();
  private readonly now: () => number;

  constructor(private readonly options: RecentSessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Resolves a session through `lookup` (the database), falling back to the
   * last confirmed answer for this session when the lookup fails as
   * unavailable or takes longer than fallbackAfterMs. A late answer still
   * updates what is remembered.
   */
  async resolve(
    tokenHash: string,
    lookup: () => Promise<{ principal: Principal; expiresAtMs: number } | null>,
  ): Promise<Principal | null> {
    const fresh = this.sessions.get(tokenHash);
    const now = this.now();
    if (fresh && now - fresh.confirmedAtMs < (this.options.freshForMs ?? 0) && fresh.expiresAtMs > now) return fresh.principal;
    const fromDatabase = lookup().then((found) => {
      if (found) this.remember(tokenHash, found.principal, found.expiresAtMs);
      else this.sessions.delete(tokenHash);
      return found?.principal ?? null;
    });
    const remembered = this.sessions.get(tokenHash);
    if (!remembered) return fromDatabase;
    // Whatever the database answers after the fallback stood in, nobody waits for it.
    fromDatabase.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const fallback = new Promise<"fallback">((resolve) => {
      timer = setTimeout(() => resolve("fallback"), this.options.fallbackAfterMs);
    });
    try {
      const first = await Promise.race([fromDatabase, fallback]);
      if (first !== "fallback") return first;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
    } finally {
      clearTimeout(timer);
    }
    return this.stillValid(tokenHash);
  }

  /** A change that ends no access but changes what the user may do (grants): their sessions are looked up afresh. */
  forgetUser(userId: string): void {
    for (const [tokenHash, session] of this.sessions) {
      if (session.principal.user.id === userId) this.sessions.delete(tokenHash);
    }
  }

  /** Access that ended drops every remembered session it covers. */
  forget(event: AccessEnded): void {
    for (const [tokenHash, session] of this.sessions) {
      if (endsAccessOf(event, session.principal)) this.sessions.delete(tokenHash);
    }
  }

  private stillValid(tokenHash: string): Principal | null {
    const session = this.sessions.get(tokenHash);
    if (!session) return null;
    if (session.expiresAtMs <= this.now()) {
      this.sessions.delete(tokenHash);
      return null;
    }
    return session.principal;
  }

  private remember(tokenHash: string, principal: Principal, expiresAtMs: number): void {
    // Re-inserted, so the map's order is the order of the last confirmation.
    this.sessions.delete(tokenHash);
    this.sessions.set(tokenHash, { principal, expiresAtMs, confirmedAtMs: this.now() });
    while (this.sessions.size > this.options.maxEntries) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}
