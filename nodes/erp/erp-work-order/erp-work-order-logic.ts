import type { NodeMessage } from "../../shared/node-red-types.js";

/*
 * What an erp-work-order node asks the maintenance module for, from its
 * config and the message (docs/erp-maintenance.md "Flows"). Pure: the node
 * file does the I/O.
 */

export interface WorkOrderNodeConfig {
  action?: unknown;
  /** An equipment id, or code:<asset code>. */
  equipment?: unknown;
  title?: unknown;
  priority?: unknown;
  /** Minutes an alarm must stay active before the order opens; empty = the site's maintenanceAlarmDelayMinutes. */
  holdMinutes?: unknown;
}

/** The alarm part of an alarm-events message. */
export interface AlarmOfMessage {
  id: string;
  tagPath: string | null;
  message: string;
  state: string;
  activeSince: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The alarm an alarm-events message carries (msg.alarm), if any. */
export function alarmOf(msg: NodeMessage): AlarmOfMessage | null {
  const alarm = record(msg.alarm);
  const id = text(alarm.id);
  if (!id) return null;
  return {
    id,
    tagPath: text(alarm.tagPath) ?? null,
    message: text(alarm.message) ?? id,
    state: text(alarm.state) ?? "normal",
    activeSince: text(alarm.activeSince) ?? null,
  };
}

export function isActive(state: string): boolean {
  return state === "active_unack" || state === "active_ack";
}

/** An alarm's condition: one open work order per alarm (its tag, else its id). */
export function alarmConditionKey(alarm: AlarmOfMessage): string {
  return `alarm:${alarm.tagPath ?? alarm.id}`;
}

/** The hold in ms: the node's, else the site's; refuses what is not a number of minutes from 0 to 1440. */
export function holdMsOf(config: WorkOrderNodeConfig, siteMinutes: number): number | { error: string } {
  const given = config.holdMinutes;
  const minutes = given === undefined || given === "" ? siteMinutes : Number(given);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 1440) return { error: "holdMinutes must be a number of minutes from 0 to 1440" };
  return minutes * 60_000;
}

export type Equipment = { id: string } | { code: string };

/** The equipment: msg.payload.equipmentId or equipmentCode, else the node's (an id, or code:<code>). */
export function equipmentOf(config: WorkOrderNodeConfig, msg: NodeMessage): Equipment | { error: string } {
  const payload = record(msg.payload);
  const id = text(payload.equipmentId);
  if (id) return { id };
  const code = text(payload.equipmentCode);
  if (code) return { code };
  const configured = text(config.equipment);
  if (!configured) return { error: "no equipment: set the node's equipment or msg.payload.equipmentId / equipmentCode" };
  return configured.startsWith("code:") ? { code: configured.slice(5) } : { id: configured };
}

/**
 * The create body: msg.payload's fields over the node's, with the alarm's
 * link (id, tag for the trend, condition) when the message came from
 * alarm-events. Without a condition the message id is the key, so a
 * redelivered message opens nothing twice.
 */
export function createBody(config: WorkOrderNodeConfig, msg: NodeMessage, equipmentId: string, alarm: AlarmOfMessage | null): Record<string, unknown> {
  const payload = alarm ? {} : record(msg.payload);
  const body: Record<string, unknown> = {
    equipmentId,
    title: text(payload.title) ?? (alarm ? alarm.message : undefined) ?? text(config.title) ?? "Work order",
  };
  for (const field of ["description", "kind", "priority", "failedAt", "tasks", "alarmId", "trendTagPath"] as const) {
    if (payload[field] !== undefined) body[field] = payload[field];
  }
  if (body.priority === undefined && text(config.priority)) body.priority = text(config.priority);
  if (alarm) {
    body.alarmId = alarm.id;
    if (alarm.tagPath) body.trendTagPath = alarm.tagPath;
    if (alarm.activeSince) body.failedAt = alarm.activeSince;
  }
  const key = text(payload.conditionKey) ?? (alarm ? alarmConditionKey(alarm) : text(msg._msgid) ? `msg:${String(msg._msgid)}` : undefined);
  if (key) body.conditionKey = key;
  return body;
}

/** An update: msg.payload.workOrderId, optional `to` (a status move) and the fields to change. */
export function updateOf(msg: NodeMessage): { workOrderId: string; to?: string; fields: Record<string, unknown> } | { error: string } {
  const payload = record(msg.payload);
  const workOrderId = text(payload.workOrderId);
  if (!workOrderId) return { error: "no work order: set msg.payload.workOrderId" };
  const fields: Record<string, unknown> = {};
  for (const field of ["title", "description", "priority", "scheduledFor", "failedAt", "problemCode", "causeCode", "remedyCode"] as const) {
    if (payload[field] !== undefined) fields[field] = payload[field];
  }
  const to = text(payload.to);
  return to ? { workOrderId, to, fields } : { workOrderId, fields };
}
