import type { TagQuality, TagScalar, TagUpdate, TagWrite } from "../../../runtime/tags/tag-types.js";
import type { NodeMessage } from "../../shared/node-red-types.js";

const QUALITIES: readonly TagQuality[] = ["good", "uncertain", "bad"];

function isScalar(value: unknown): value is TagScalar {
  return value === null || ["number", "boolean", "string"].includes(typeof value);
}

function timestampOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}

/**
 * What a tag-write node writes for a message (pure): the path from the node
 * or msg.topic; the value from msg.payload (a scalar, or {v, q, t, reason});
 * msg.quality / msg.timestamp override. Returns the reason when it cannot.
 */
export function tagWriteFromMessage(configuredPath: string, msg: NodeMessage): { path: string; value: TagWrite } | { error: string } {
  const path = configuredPath || (typeof msg.topic === "string" ? msg.topic : "");
  if (!path) return { error: "no tag path: set one on the node or send it as msg.topic" };
  const payload = msg.payload;
  let value: TagWrite;
  if (isScalar(payload)) {
    if (typeof payload === "number" && !Number.isFinite(payload)) return { error: `payload ${payload} is not a finite number` };
    value = { v: payload };
  } else if (typeof payload === "object" && payload !== null && "v" in payload && isScalar(payload.v)) {
    const candidate = payload as { v: TagScalar; q?: unknown; t?: unknown; reason?: unknown };
    value = { v: candidate.v };
    if (candidate.q !== undefined) value.q = candidate.q as TagQuality;
    const t = timestampOf(candidate.t);
    if (t !== undefined) value.t = t;
    if (typeof candidate.reason === "string") value.reason = candidate.reason;
  } else {
    return { error: "payload must be a number, boolean, string, null or {v, q, t}" };
  }
  if (msg.quality !== undefined) value.q = msg.quality as TagQuality;
  if (value.q !== undefined && !QUALITIES.includes(value.q)) return { error: `quality must be good, uncertain or bad (got ${String(value.q)})` };
  const t = timestampOf(msg.timestamp);
  if (t !== undefined) value.t = t;
  return { path, value };
}

/** The message a tag-in or tag-read node sends for one tag (pure). */
export function messageFromUpdate(update: TagUpdate): NodeMessage {
  const msg: NodeMessage = { topic: update.path, payload: update.value.v, quality: update.value.q, timestamp: update.value.t };
  if (update.value.reason !== undefined) msg.reason = update.value.reason;
  return msg;
}
