import type { AlarmPort } from "../../../runtime/alarms/alarm-types.js";
import type { Alarm, AlarmJournalEntry } from "../../../runtime/alarms/schema.js";
import type { NodeMessage, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";

/** The alarm engine, or a clear error where the runtime has none. */
export function alarmPort(RED: NodeRedRuntime): AlarmPort {
  const alarms = petroflowServices(RED).alarms;
  if (!alarms) throw new Error("the alarm engine is not available in this runtime");
  return alarms;
}

/** A comma-separated list from a node's config ("critical, high"); empty means any. */
export function listOf(text: unknown): string[] {
  return typeof text === "string"
    ? text
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "")
    : [];
}

export interface EventFilter {
  areas: string[];
  priorities: string[];
  transitions: string[];
}

export function eventFilter(config: { area?: unknown; priorities?: unknown; transitions?: unknown }): EventFilter {
  return { areas: listOf(config.area), priorities: listOf(config.priorities), transitions: listOf(config.transitions) };
}

export function eventMatches(filter: EventFilter, entry: AlarmJournalEntry): boolean {
  return (
    (filter.areas.length === 0 || filter.areas.includes(entry.area)) &&
    (filter.priorities.length === 0 || filter.priorities.includes(entry.priority)) &&
    (filter.transitions.length === 0 || filter.transitions.includes(entry.transition))
  );
}

/** The message alarm-events sends: topic `<area>/<priority>/<transition>`, the journal entry as payload, the alarm as it is now. */
export function messageFromTransition(entry: AlarmJournalEntry, alarm: Alarm): NodeMessage {
  return { topic: `${entry.area}/${entry.priority}/${entry.transition}`, payload: entry, alarm };
}

function field(msg: NodeMessage, name: string): unknown {
  const payload = msg.payload;
  return payload !== null && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Which alarm a message acts on: msg.payload.alarmId, else the node's configured one. */
export function alarmIdOf(msg: NodeMessage, configured: unknown): string | { error: string } {
  const id = text(field(msg, "alarmId")) ?? text(configured);
  return id ?? { error: "no alarm: set msg.payload.alarmId or the node's alarm id" };
}

export function ackInput(msg: NodeMessage, config: { alarmId?: unknown; comment?: unknown }): { alarmId: string; comment: string } | { error: string } {
  const alarmId = alarmIdOf(msg, config.alarmId);
  if (typeof alarmId !== "string") return alarmId;
  const comment = field(msg, "comment");
  return { alarmId, comment: typeof comment === "string" ? comment : typeof config.comment === "string" ? config.comment : "" };
}

export type ShelveInput = { unshelve: true; alarmId: string } | { unshelve: false; alarmId: string; reason: string; minutes: number };

/** msg.payload.{alarmId, reason, minutes} over the node's config; `unshelve: true` returns the alarm to service instead. */
export function shelveInput(msg: NodeMessage, config: { alarmId?: unknown; reason?: unknown; minutes?: unknown }): ShelveInput | { error: string } {
  const alarmId = alarmIdOf(msg, config.alarmId);
  if (typeof alarmId !== "string") return alarmId;
  if (field(msg, "unshelve") === true) return { unshelve: true, alarmId };
  const reason = text(field(msg, "reason")) ?? text(config.reason);
  if (!reason) return { error: "a shelve needs a reason: set msg.payload.reason or the node's reason" };
  const given = field(msg, "minutes") ?? config.minutes;
  const minutes = typeof given === "number" ? given : typeof given === "string" && given.trim() !== "" ? Number(given) : Number.NaN;
  if (!Number.isFinite(minutes) || minutes <= 0) return { error: "minutes must be a number above 0" };
  return { unshelve: false, alarmId, reason, minutes };
}

const PRIORITIES = ["critical", "high", "medium", "low"] as const;
type Priority = (typeof PRIORITIES)[number];

export type RaiseInput =
  | { active: true; key: string; alarm: { priority: Priority; area: string; message: string; value: number | string | boolean | null } }
  | { active: false; key: string };

/**
 * What alarm-raise does with a message: msg.payload.{key, message, priority,
 * area, value, active} over the node's config. The key names one condition
 * (raising it again refreshes it; active: false clears it); it is kept apart
 * from the runtime's own system alarms by the `flow:` prefix.
 */
export function raiseInput(msg: NodeMessage, config: { key?: unknown; priority?: unknown; area?: unknown }): RaiseInput | { error: string } {
  const key = text(field(msg, "key")) ?? text(config.key);
  if (!key) return { error: "no alarm key: set msg.payload.key or the node's key" };
  if (field(msg, "active") === false) return { active: false, key: `flow:${key}` };
  const message = text(field(msg, "message"));
  if (!message) return { error: "an alarm needs a message: set msg.payload.message" };
  const priority = text(field(msg, "priority")) ?? text(config.priority) ?? "medium";
  if (!(PRIORITIES as readonly string[]).includes(priority)) return { error: `priority must be one of ${PRIORITIES.join(", ")}` };
  const value = field(msg, "value");
  return {
    active: true,
    key: `flow:${key}`,
    alarm: {
      priority: priority as Priority,
      area: text(field(msg, "area")) ?? text(config.area) ?? "flows",
      message,
      value: typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : null,
    },
  };
}
