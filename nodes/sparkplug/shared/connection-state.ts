/** The broker connection's life cycle, as a pure state machine shown in the config node's status. */
import type { NodeStatus } from "../../shared/node-red-types.js";

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "closed";
export type ConnectionEvent = "start" | "connack" | "lost" | "retry" | "close";

/** The next state; `closed` is final. */
export function nextConnectionState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (state === "closed" || event === "close") return "closed";
  switch (event) {
    case "start":
      return state === "idle" ? "connecting" : state;
    case "connack":
      return "connected";
    case "lost":
      return state === "idle" ? state : "reconnecting";
    case "retry":
      return state === "connected" ? state : "reconnecting";
  }
}

export function connectionStatus(state: ConnectionState, detail?: string): NodeStatus {
  const text = detail ? `${state}: ${detail}` : state;
  switch (state) {
    case "connected":
      return { fill: "green", shape: "dot", text };
    case "connecting":
    case "reconnecting":
      return { fill: "yellow", shape: "ring", text };
    case "closed":
      return { fill: "grey", shape: "ring", text };
    case "idle":
      return { fill: "grey", shape: "dot", text };
  }
}
