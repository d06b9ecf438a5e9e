import type { TagQuality, TagScalar, TagUpdate, TagWrite } from "../../../runtime/tags/tag-types.js";
import { detailsMessage, type ErrorParams, type Reason } from "../../../runtime/error-contract.js";
import { epochMsInRange, instantProblem, textProblem, YEAR_RANGE } from "../../../runtime/input/input-policy.js";
import type { NodeMessage } from "../../shared/node-red-types.js";

const QUALITIES: readonly TagQuality[] = ["good", "uncertain", "bad"];

function isScalar(value: unknown): value is TagScalar {
  return value === null || ["number", "boolean", "string"].includes(typeof value);
}

/**
 * A source time under the site's input policy: epoch ms, a Date, or RFC 3339
 * text, within the accepted years and without a leap second. Absent is
 * fine (the store stamps now); anything else is refused, naming the field.
 */
function timestampOf(value: unknown, field: string): { t?: number } | { error: string } {
  if (value === undefined) return {};
  const refuse = (reason: Reason, params?: ErrorParams) => ({ error: detailsMessage(params ? { field, reason, params } : { field, reason }) });
  if (typeof value === "string") {
    const problem = instantProblem(value);
    if (problem) return refuse(problem, problem === "year_out_of_range" ? YEAR_RANGE : undefined);
    return { t: Date.parse(value) };
  }
  const epochMs = value instanceof Date ? value.getTime() : value;
  if (typeof epochMs !== "number") return refuse("wrong_type", { expected: ["number", "string"] });
  if (!Number.isFinite(epochMs)) return refuse("not_finite");
  if (!epochMsInRange(epochMs)) return refuse("year_out_of_range", YEAR_RANGE);
  return { t: epochMs };
}

/** What is wrong with a text the store would keep, if anything (a NUL, a lone surrogate). */
function badText(text: unknown): Reason | null {
  return typeof text === "string" ? textProblem(text) : null;
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
  let valueField = "msg.payload";
  if (isScalar(payload)) {
    value = { v: payload };
  } else if (typeof payload === "object" && payload !== null && "v" in payload && isScalar(payload.v)) {
    const candidate = payload as { v: TagScalar; q?: unknown; t?: unknown; reason?: unknown };
    valueField = "msg.payload.v";
    value = { v: candidate.v };
    if (candidate.q !== undefined) value.q = candidate.q as TagQuality;
    const t = timestampOf(candidate.t, "msg.payload.t");
    if ("error" in t) return t;
    if (t.t !== undefined) value.t = t.t;
    const reasonProblem = badText(candidate.reason);
    if (reasonProblem) return { error: detailsMessage({ field: "msg.payload.reason", reason: reasonProblem }) };
    if (typeof candidate.reason === "string") value.reason = candidate.reason;
  } else {
    return { error: "payload must be a number, boolean, string, null or {v, q, t}" };
  }
  if (typeof value.v === "number" && !Number.isFinite(value.v)) return { error: `${valueField} ${value.v} is not a finite number` };
  const valueProblem = badText(value.v);
  if (valueProblem) return { error: detailsMessage({ field: valueField, reason: valueProblem }) };
  if (msg.quality !== undefined) value.q = msg.quality as TagQuality;
  if (value.q !== undefined && !QUALITIES.includes(value.q)) return { error: `quality must be good, uncertain or bad (got ${String(value.q)})` };
  const t = timestampOf(msg.timestamp, "msg.timestamp");
  if ("error" in t) return t;
  if (t.t !== undefined) value.t = t.t;
  return { path, value };
}

/** The message a tag-in or tag-read node sends for one tag (pure). */
export function messageFromUpdate(update: TagUpdate): NodeMessage {
  const msg: NodeMessage = { topic: update.path, payload: update.value.v, quality: update.value.q, timestamp: update.value.t };
  if (update.value.reason !== undefined) msg.reason = update.value.reason;
  return msg;
}
