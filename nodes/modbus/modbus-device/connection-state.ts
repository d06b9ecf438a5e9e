/**
 * The life of one device connection as a pure transition function: the
 * driver feeds it what happened (an event) and carries out what it returns
 * (actions). Keeping the decisions here means reconnect, backoff and
 * shutdown races are tested without sockets or timers.
 */
export type ConnectionState =
  /** Not started yet, or shut down (flows stopped): holds nothing open. */
  | { kind: "closed" }
  | { kind: "connecting"; attempt: number }
  /** attempt counts failures since the last good reply: a device that accepts TCP but never answers still backs off. */
  | { kind: "connected"; attempt: number }
  /** Waiting delayMs before the next attempt; reason is why the last one ended. */
  | { kind: "backing-off"; attempt: number; delayMs: number; reason: string };

export type ConnectionEvent =
  | { type: "start" }
  | { type: "opened" }
  /** A request got a valid reply: the device works, so the backoff schedule starts over. */
  | { type: "replied" }
  /** random ∈ [0, 1) picks the jitter; passed in so the function stays pure. */
  | { type: "open-failed"; reason: string; random: number }
  /** The link broke, or a reply proved the stream can no longer be trusted (timeout, corrupt frame). */
  | { type: "lost"; reason: string; random: number }
  | { type: "retry" }
  | { type: "stop" };

export type ConnectionAction =
  | { type: "open" }
  | { type: "destroy" }
  | { type: "schedule-retry"; delayMs: number }
  | { type: "cancel-retry" }
  /** Start sending queued requests. */
  | { type: "drain" }
  /** End the request in flight and every queued one with this reason. */
  | { type: "fail-pending"; reason: string };

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export interface Transition {
  state: ConnectionState;
  actions: ConnectionAction[];
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is
 * random. Devices restarted together (a site power cut) do not all reconnect
 * in the same instant, yet no retry comes sooner than half the schedule.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (base / 2) * Math.min(Math.max(random, 0), 1));
}

function backOff(attempt: number, reason: string, random: number, policy: BackoffPolicy, destroy: boolean): Transition {
  const delayMs = backoffDelay(attempt, policy, random);
  const actions: ConnectionAction[] = destroy ? [{ type: "destroy" }] : [];
  actions.push({ type: "fail-pending", reason }, { type: "schedule-retry", delayMs });
  return { state: { kind: "backing-off", attempt, delayMs, reason }, actions };
}

export function transition(state: ConnectionState, event: ConnectionEvent, policy: BackoffPolicy): Transition {
  const stay: Transition = { state, actions: [] };
  if (event.type === "stop") {
    if (state.kind === "closed") return stay;
    return {
      state: { kind: "closed" },
      actions: [{ type: "cancel-retry" }, { type: "destroy" }, { type: "fail-pending", reason: "device closed" }],
    };
  }
  switch (state.kind) {
    case "closed":
      if (event.type === "start") return { state: { kind: "connecting", attempt: 0 }, actions: [{ type: "open" }] };
      // A socket that finished connecting after shutdown must not stay open.
      if (event.type === "opened") return { state, actions: [{ type: "destroy" }] };
      return stay;
    case "connecting":
      if (event.type === "opened") return { state: { kind: "connected", attempt: state.attempt }, actions: [{ type: "drain" }] };
      if (event.type === "open-failed" || event.type === "lost") {
        return backOff(state.attempt + 1, event.reason, event.random, policy, true);
      }
      return stay;
    case "connected":
      if (event.type === "replied" && state.attempt > 0) return { state: { kind: "connected", attempt: 0 }, actions: [] };
      if (event.type === "lost" || event.type === "open-failed") {
        return backOff(state.attempt + 1, event.reason, event.random, policy, true);
      }
      return stay;
    case "backing-off":
      if (event.type === "retry") return { state: { kind: "connecting", attempt: state.attempt }, actions: [{ type: "open" }] };
      return stay;
  }
}
