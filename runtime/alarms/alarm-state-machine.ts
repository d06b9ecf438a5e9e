import type { AlarmMode, AlarmState, AlarmTransition } from "./schema.js";

/**
 * The ISA-18.2 alarm state machine, pure: a status and an event in, the next
 * status and the journal transitions out.
 *
 * States: normal, active_unack, active_ack, rtn_unack. Overlays: shelved
 * (operator, with expiry), suppressed (by design, e.g. a shut-in well), out
 * of service (engineer). Entering an overlay takes the alarm out of the
 * operator's view: its state becomes normal and condition changes are
 * tracked silently (no journal, no KPI activation, as EEMUA 191 counts only
 * annunciated alarms). Leaving the last overlay while the condition is still
 * active annunciates it again: the overlay's transition, then `activate`.
 */

export interface AlarmStatus {
  state: AlarmState;
  /** The process condition (after delays), also while an overlay hides it. */
  conditionActive: boolean;
  activeSince: number | null;
  lastChangeAt: number;
  ack: { at: number; by: string; comment: string } | null;
  shelve: { until: number; by: string; reason: string } | null;
  suppressed: { reason: string } | null;
  outOfService: { by: string; reason: string } | null;
}

export type AlarmEvent =
  | { type: "condition"; active: boolean; at: number }
  | { type: "acknowledge"; at: number; user: string; comment: string }
  | { type: "shelve"; at: number; user: string; reason: string; until: number }
  | { type: "unshelve"; at: number; user: string }
  | { type: "shelve_expired"; at: number }
  | { type: "suppress"; at: number; reason: string }
  | { type: "unsuppress"; at: number }
  | { type: "out_of_service"; at: number; user: string; reason: string }
  | { type: "in_service"; at: number; user: string; reason: string };

export type AlarmEventType = AlarmEvent["type"];

export interface MachineTransition {
  transition: AlarmTransition;
  fromState: AlarmState;
  toState: AlarmState;
  /** The mode after the transition. */
  mode: AlarmMode;
  at: number;
  /** The person who did it; null for the engine's own transitions. */
  user: string | null;
  comment: string | null;
}

/** Why an event a person sent was refused (error-contract reasons). */
export type AlarmRefusal = "alarm_not_unacknowledged" | "alarm_not_shelved" | "alarm_out_of_service" | "alarm_not_out_of_service";

export type MachineResult = { status: AlarmStatus; transitions: MachineTransition[] } | { refused: AlarmRefusal };

export function normalStatus(at: number): AlarmStatus {
  return { state: "normal", conditionActive: false, activeSince: null, lastChangeAt: at, ack: null, shelve: null, suppressed: null, outOfService: null };
}

/** Out of service wins over shelved, shelved over suppressed. */
export function modeOf(status: Pick<AlarmStatus, "shelve" | "suppressed" | "outOfService">): AlarmMode {
  if (status.outOfService) return "out_of_service";
  if (status.shelve) return "shelved";
  if (status.suppressed) return "suppressed";
  return "enabled";
}

function transitionTo(
  status: AlarmStatus,
  next: AlarmStatus,
  transition: AlarmTransition,
  at: number,
  user: string | null,
  comment: string | null,
): MachineTransition {
  return { transition, fromState: status.state, toState: next.state, mode: modeOf(next), at, user, comment };
}

/** The condition went active or inactive while no overlay hides the alarm. */
function onCondition(status: AlarmStatus, active: boolean, at: number): MachineResult {
  const tracked = { ...status, conditionActive: active };
  if (modeOf(status) !== "enabled") return { status: tracked, transitions: [] };
  if (active && (status.state === "normal" || status.state === "rtn_unack")) {
    const next: AlarmStatus = { ...tracked, state: "active_unack", activeSince: at, lastChangeAt: at, ack: null };
    return { status: next, transitions: [transitionTo(status, next, "activate", at, null, null)] };
  }
  if (!active && status.state === "active_unack") {
    const next: AlarmStatus = { ...tracked, state: "rtn_unack", activeSince: null, lastChangeAt: at };
    return { status: next, transitions: [transitionTo(status, next, "return", at, null, null)] };
  }
  if (!active && status.state === "active_ack") {
    const next: AlarmStatus = { ...tracked, state: "normal", activeSince: null, lastChangeAt: at };
    return { status: next, transitions: [transitionTo(status, next, "return", at, null, null)] };
  }
  return { status: tracked, transitions: [] };
}

function onAcknowledge(status: AlarmStatus, at: number, user: string, comment: string): MachineResult {
  if (modeOf(status) !== "enabled" || (status.state !== "active_unack" && status.state !== "rtn_unack")) return { refused: "alarm_not_unacknowledged" };
  const ack = { at, by: user, comment };
  const next: AlarmStatus =
    status.state === "active_unack" ? { ...status, state: "active_ack", ack, lastChangeAt: at } : { ...status, state: "normal", ack, activeSince: null, lastChangeAt: at };
  return { status: next, transitions: [transitionTo(status, next, "acknowledge", at, user, comment)] };
}

/** Entering an overlay hides the alarm: its state becomes normal. */
function enterOverlay(status: AlarmStatus, withOverlay: AlarmStatus, transition: AlarmTransition, at: number, user: string | null, comment: string | null): MachineResult {
  const next: AlarmStatus = { ...withOverlay, state: "normal", activeSince: null, ack: null, lastChangeAt: at };
  return { status: next, transitions: [transitionTo(status, next, transition, at, user, comment)] };
}

/** Leaving an overlay: if no other one hides the alarm and its condition is active, it is annunciated again. */
function leaveOverlay(status: AlarmStatus, withoutOverlay: AlarmStatus, transition: AlarmTransition, at: number, user: string | null, comment: string | null): MachineResult {
  const left: AlarmStatus = { ...withoutOverlay, lastChangeAt: at };
  const transitions = [transitionTo(status, left, transition, at, user, comment)];
  if (modeOf(left) !== "enabled" || !left.conditionActive) return { status: left, transitions };
  const active: AlarmStatus = { ...left, state: "active_unack", activeSince: at, ack: null };
  transitions.push(transitionTo(left, active, "activate", at, null, null));
  return { status: active, transitions };
}

const unchanged = (status: AlarmStatus): MachineResult => ({ status, transitions: [] });

export function applyAlarmEvent(status: AlarmStatus, event: AlarmEvent): MachineResult {
  switch (event.type) {
    case "condition":
      return onCondition(status, event.active, event.at);
    case "acknowledge":
      return onAcknowledge(status, event.at, event.user, event.comment);
    case "shelve":
      if (status.outOfService) return { refused: "alarm_out_of_service" };
      // Shelving again moves the expiry (and is journaled: who and why may differ).
      return enterOverlay(status, { ...status, shelve: { until: event.until, by: event.user, reason: event.reason } }, "shelve", event.at, event.user, event.reason);
    case "unshelve":
      if (!status.shelve) return { refused: "alarm_not_shelved" };
      return leaveOverlay(status, { ...status, shelve: null }, "unshelve", event.at, event.user, null);
    case "shelve_expired":
      if (!status.shelve) return unchanged(status);
      return leaveOverlay(status, { ...status, shelve: null }, "shelve_expired", event.at, null, null);
    case "suppress":
      if (status.suppressed) return unchanged(status);
      return enterOverlay(status, { ...status, suppressed: { reason: event.reason } }, "suppress", event.at, null, event.reason);
    case "unsuppress":
      if (!status.suppressed) return unchanged(status);
      return leaveOverlay(status, { ...status, suppressed: null }, "unsuppress", event.at, null, null);
    case "out_of_service":
      if (status.outOfService) return { refused: "alarm_out_of_service" };
      // Out of service ends a shelving: the engineer's decision replaces the operator's.
      return enterOverlay(status, { ...status, shelve: null, outOfService: { by: event.user, reason: event.reason } }, "out_of_service", event.at, event.user, event.reason);
    case "in_service":
      if (!status.outOfService) return { refused: "alarm_not_out_of_service" };
      return leaveOverlay(status, { ...status, outOfService: null }, "in_service", event.at, event.user, event.reason);
  }
}
