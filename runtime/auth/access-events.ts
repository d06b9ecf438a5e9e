import type { Principal } from "./auth-service.js";

/** Why a user's access ended; also the close reason a live websocket gets. */
export type AccessEndReason = "logout" | "password_changed" | "role_changed" | "disabled" | "token_revoked";

/**
 * Some of a user's access ended, after the change that ended it committed:
 * all of it (scope "user"), one browser session with its editor token
 * (logout), or one API token.
 */
export type AccessEnded =
  | { scope: "user"; userId: string; username: string; reason: "password_changed" | "role_changed" | "disabled" }
  | { scope: "session"; userId: string; username: string; reason: "logout"; sessionTokenHash: string }
  | { scope: "api-token"; userId: string; username: string; reason: "token_revoked"; apiTokenId: string };

/**
 * API tokens are credentials of their own, named and revocable, that scripts
 * hold: a password change (routine rotation) leaves them working; every
 * other change of the user ends them too. Stated in docs/decisions.md.
 */
const API_TOKENS_OUTLIVE: ReadonlySet<AccessEndReason> = new Set(["password_changed"]);

/** Whether the event ends what this principal authenticated with. The one place this policy is decided. */
export function endsAccessOf(event: AccessEnded, principal: Principal): boolean {
  if (principal.user.id !== event.userId) return false;
  switch (event.scope) {
    case "user":
      return !(principal.via === "api-token" && API_TOKENS_OUTLIVE.has(event.reason));
    case "session":
      return principal.sessionTokenHash === event.sessionTokenHash;
    case "api-token":
      return principal.apiTokenId === event.apiTokenId;
  }
}

export type AccessListener = (event: AccessEnded) => void | Promise<void>;

/** How many recent events are kept for endedSince; far more than can happen while one upgrade authenticates. */
const RECENT_EVENTS = 256;

/**
 * Tells whoever holds a long-lived connection (the live hub, the websocket
 * gate, the Node-RED token store) that some access ended. emit() resolves
 * once every listener is done, so the request that revoked access answers
 * only after the access is gone.
 */
export class AccessEvents {
  private readonly listeners = new Set<AccessListener>();
  private readonly recent: { sequence: number; event: AccessEnded }[] = [];
  private counter = 0;

  constructor(private readonly onListenerError: (error: unknown, event: AccessEnded) => void = () => undefined) {}

  /** Returns the unsubscribe function. */
  on(listener: AccessListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async emit(event: AccessEnded): Promise<void> {
    this.counter++;
    this.recent.push({ sequence: this.counter, event });
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
    const outcomes = await Promise.allSettled([...this.listeners].map(async (listener) => listener(event)));
    for (const outcome of outcomes) if (outcome.status === "rejected") this.onListenerError(outcome.reason, event);
  }

  /** A marker to pass to endedSince later. */
  get sequence(): number {
    return this.counter;
  }

  /**
   * An event since `sequence` that ends this principal's access: closes the
   * gap between authenticating a websocket and registering it, during which
   * an event would otherwise pass unseen.
   */
  endedSince(sequence: number, principal: Principal): AccessEnded | undefined {
    return this.recent.find((entry) => entry.sequence > sequence && endsAccessOf(entry.event, principal))?.event;
  }
}
