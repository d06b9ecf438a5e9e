import type { NodeStatus } from "../../shared/node-red-types.js";

/**
 * The life of one OPC UA client session, as a pure transition function: the
 * endpoint node performs the side effects (connect, wait, close) a state asks for.
 *
 *   idle ─start→ connecting ─connected→ connected ─lost→ backing-off ─retry→ connecting …
 *                connecting ─failed→ backing-off          any ─close→ closed (final)
 *                connected ─interrupted→ reconnecting ─restored→ connected
 *                                        reconnecting ─lost→ backing-off
 *
 * reconnecting: the link broke under a live session; node-opcua reconnects
 * and repairs that session itself (reactivates it and asks for a republish,
 * or opens a new one and transfers or re-creates its subscriptions), so the
 * workers keep their subscriptions and the values queued meanwhile arrive.
 */
export type ConnectionState =
  | { phase: "idle" }
  | { phase: "connecting"; attempt: number }
  | { phase: "connected" }
  | { phase: "reconnecting"; reason: string }
  | { phase: "backing-off"; attempt: number; retryInMs: number; reason: string }
  | { phase: "closed" };

export type ConnectionEvent =
  | { type: "start" }
  | { type: "connected" }
  | { type: "failed"; reason: string }
  | { type: "lost"; reason: string }
  | { type: "interrupted"; reason: string }
  | { type: "restored" }
  | { type: "retry" }
  | { type: "close" };

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff: initial, 2×, 4× … capped at max; attempt counts failures in a row (≥ 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
}

export function transition(state: ConnectionState, event: ConnectionEvent, policy: BackoffPolicy): ConnectionState {
  if (event.type === "close") return { phase: "closed" };
  switch (state.phase) {
    case "idle":
      return event.type === "start" ? { phase: "connecting", attempt: 1 } : state;
    case "connecting":
      if (event.type === "connected") return { phase: "connected" };
      if (event.type === "failed" || event.type === "lost") {
        return { phase: "backing-off", attempt: state.attempt, retryInMs: backoffDelay(state.attempt, policy), reason: event.reason };
      }
      return state;
    case "connected":
      if (event.type === "interrupted") return { phase: "reconnecting", reason: event.reason };
      return event.type === "lost" ? { phase: "backing-off", attempt: 0, retryInMs: policy.initialMs, reason: event.reason } : state;
    case "reconnecting":
      if (event.type === "restored") return { phase: "connected" };
      return event.type === "lost" ? { phase: "backing-off", attempt: 0, retryInMs: policy.initialMs, reason: event.reason } : state;
    case "backing-off":
      return event.type === "retry" ? { phase: "connecting", attempt: state.attempt + 1 } : state;
    case "closed":
      return state;
  }
}

/** Why values are not live in this state (null when connected). */
export function notLiveReason(state: ConnectionState, endpointUrl: string): string | null {
  switch (state.phase) {
    case "connected":
      return null;
    case "backing-off":
      return `OPC UA ${endpointUrl}: ${state.reason}`;
    case "reconnecting":
      return `OPC UA ${endpointUrl}: ${state.reason}; reconnecting`;
    case "closed":
      return `OPC UA ${endpointUrl}: connection closed`;
    default:
      return `OPC UA ${endpointUrl}: not connected yet`;
  }
}

/** The node status a worker shows for its endpoint's state. */
export function connectionStatus(state: ConnectionState): NodeStatus {
  switch (state.phase) {
    case "idle":
      return { fill: "grey", shape: "ring", text: "idle" };
    case "connecting":
      return { fill: "yellow", shape: "ring", text: state.attempt > 1 ? `connecting (attempt ${state.attempt})` : "connecting" };
    case "connected":
      return { fill: "green", shape: "dot", text: "connected" };
    case "reconnecting":
      return { fill: "yellow", shape: "ring", text: `${state.reason} — reconnecting` };
    case "backing-off":
      return { fill: "red", shape: "ring", text: `${state.reason} — retry in ${Math.ceil(state.retryInMs / 1000)} s` };
    case "closed":
      return { fill: "grey", shape: "ring", text: "closed" };
  }
}
