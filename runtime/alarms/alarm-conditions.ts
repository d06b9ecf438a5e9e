import type { TagQuality, TagScalar } from "../tags/tag-types.js";
import type { AlarmDefinitionInput } from "./schema.js";

/**
 * Alarm conditions, pure: is a tag's value abnormal for one definition, with
 * deadband, on-delay and off-delay. Time is passed in (epoch ms), so delays
 * are tested with a fake clock and the engine drives them from its ticker.
 *
 * Bad quality holds: a bad value says nothing about the process, so the
 * condition keeps its last state (an active alarm stays active, a normal one
 * is not raised) and any pending delay is cancelled. Device communication
 * loss is a system alarm of its own. Uncertain values are evaluated.
 */

export type ConditionDefinition = Pick<AlarmDefinitionInput, "kind" | "limit" | "alarmState" | "deadband" | "onDelaySeconds" | "offDelaySeconds">;

export interface ConditionState {
  /** The instantaneous condition (limit and deadband applied, before delays). */
  raw: boolean;
  /** The condition after on/off delays: what the state machine sees. */
  active: boolean;
  /** When raw started to differ from active (a delay is running), else null. */
  pendingSince: number | null;
  /** Rate of change: recent samples (source time, value), oldest first. */
  samples: { t: number; v: number }[];
}

export interface ConditionInput {
  value: TagScalar;
  quality: TagQuality;
  /** Source time of the value (rate of change uses it). */
  t: number;
  /** Deviation: the setpoint tag's current value, if known and good. */
  setpoint?: number | null;
}

/** Rate of change is measured over this window unless the engine says otherwise. */
export const DEFAULT_ROC_WINDOW_SECONDS = 60;

export function initialConditionState(active = false): ConditionState {
  return { raw: active, active, pendingSince: null, samples: [] };
}

function finite(value: TagScalar | undefined): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** Discrete: the configured alarm state is JSON text; booleans and 1/0 compare equal, as PLCs mix them. */
export function matchesAlarmState(alarmState: string, value: TagScalar): boolean {
  let wanted: unknown;
  try {
    wanted = JSON.parse(alarmState);
  } catch {
    wanted = alarmState;
  }
  if (typeof wanted === "boolean" || typeof value === "boolean") {
    const a = typeof wanted === "boolean" ? (wanted ? 1 : 0) : wanted;
    const b = typeof value === "boolean" ? (value ? 1 : 0) : value;
    return a === b;
  }
  return wanted === value;
}

/** Units per minute between the oldest sample in the window and the newest. */
export function ratePerMinute(samples: readonly { t: number; v: number }[]): number {
  if (samples.length < 2) return 0;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const minutes = (last.t - first.t) / 60_000;
  return minutes > 0 ? (last.v - first.v) / minutes : 0;
}

/**
 * The instantaneous condition, or null when the value cannot say (bad
 * quality, not a number, no setpoint): the caller then holds the state.
 * Once active, a high alarm clears only at or below limit - deadband, a low
 * one at or above limit + deadband.
 */
export function rawCondition(definition: ConditionDefinition, wasActive: boolean, value: TagScalar, samples: readonly { t: number; v: number }[], setpoint: number | null | undefined): boolean | null {
  const { kind, limit, deadband } = definition;
  if (kind === "discrete") return definition.alarmState === null ? null : matchesAlarmState(definition.alarmState, value);
  const pv = finite(value);
  if (pv === null || limit === null) return null;
  switch (kind) {
    case "hihi":
    case "hi":
      return wasActive ? pv > limit - deadband : pv > limit;
    case "lo":
    case "lolo":
      return wasActive ? pv < limit + deadband : pv < limit;
    case "roc": {
      const rate = Math.abs(ratePerMinute(samples));
      return wasActive ? rate > limit - deadband : rate > limit;
    }
    case "deviation": {
      if (setpoint === null || setpoint === undefined) return null;
      const difference = Math.abs(pv - setpoint);
      return wasActive ? difference > limit - deadband : difference > limit;
    }
  }
}

export interface ConditionResult {
  state: ConditionState;
  /** When the engine should call tickCondition again (a delay ends), else null. */
  wakeAt: number | null;
}

/** Applies on-delay / off-delay to a new raw condition at `now`. */
function debounce(definition: ConditionDefinition, state: ConditionState, raw: boolean, now: number): ConditionResult {
  if (raw === state.active) return { state: { ...state, raw, pendingSince: null }, wakeAt: null };
  const delayMs = (raw ? definition.onDelaySeconds : definition.offDelaySeconds) * 1000;
  const pendingSince = state.raw === raw && state.pendingSince !== null ? state.pendingSince : now;
  if (now - pendingSince >= delayMs) return { state: { ...state, raw, active: raw, pendingSince: null }, wakeAt: null };
  return { state: { ...state, raw, pendingSince }, wakeAt: pendingSince + delayMs };
}

/** A new value of the tag (or of the setpoint tag) at engine time `now`. */
export function evaluateCondition(definition: ConditionDefinition, state: ConditionState, input: ConditionInput, now: number, rocWindowSeconds = DEFAULT_ROC_WINDOW_SECONDS): ConditionResult {
  if (input.quality === "bad") return { state: { ...state, raw: state.active, pendingSince: null }, wakeAt: null };
  let samples = state.samples;
  if (definition.kind === "roc") {
    const pv = finite(input.value);
    samples = pv === null ? samples : [...samples, { t: input.t, v: pv }];
    samples = trimSamples(samples, input.t, rocWindowSeconds);
  }
  const raw = rawCondition(definition, state.raw, input.value, samples, input.setpoint);
  const withSamples = { ...state, samples };
  if (raw === null) return { state: { ...withSamples, raw: state.active, pendingSince: null }, wakeAt: null };
  return debounce(definition, withSamples, raw, now);
}

/**
 * Time passed with no new value: a running delay may end, and a rate of
 * change decays as old samples leave its window (a ramp that stopped is no
 * longer a fast change, though the steady value is never written again).
 */
export function tickCondition(definition: ConditionDefinition, state: ConditionState, now: number, rocWindowSeconds = DEFAULT_ROC_WINDOW_SECONDS): ConditionResult {
  let current = state;
  if (definition.kind === "roc" && state.samples.length > 0) {
    // The last value still holds at `now`: it is the latest sample the window ends on.
    const last = state.samples[state.samples.length - 1];
    const samples = trimSamples(state.samples, now, rocWindowSeconds, last);
    const raw = rawCondition(definition, state.raw, last.v, steadyUntil(samples, last, now), undefined);
    current = { ...state, samples };
    if (raw !== null) return debounce(definition, current, raw, now);
  }
  if (current.pendingSince === null) return { state: current, wakeAt: null };
  return debounce(definition, current, current.raw, now);
}

/** Samples within the window ending at `end`; `keep` (the latest value) always stays. */
function trimSamples(samples: { t: number; v: number }[], end: number, windowSeconds: number, keep?: { t: number; v: number }): { t: number; v: number }[] {
  const from = end - windowSeconds * 1000;
  const kept = samples.filter((sample) => sample.t >= from || sample === keep);
  return kept.length > 0 ? kept : samples.slice(-1);
}

/** The samples plus the latest value still holding at `now`. */
function steadyUntil(samples: { t: number; v: number }[], last: { t: number; v: number }, now: number): { t: number; v: number }[] {
  return now > last.t ? [...samples, { t: now, v: last.v }] : samples;
}
