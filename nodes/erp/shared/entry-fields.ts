import { createHash } from "node:crypto";
import { detailsMessage } from "../../../runtime/error-contract.js";
import { stableStringify } from "../../../runtime/flows/stable-json.js";
import { inputProblem } from "../../../runtime/input/input-policy.js";

/** What a pure builder gives back: the value, or why there is none (the node's error). */
export type Built<T> = { value: T } | { error: string };

export type EntryFields = Record<string, unknown>;

/** The sourceKey field's limit in the entry schemas. */
const SOURCE_KEY_MAX_LENGTH = 200;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The entry fields a message carries in msg.payload (a copy). `source` and
 * `sourceKey` belong to the node, so a payload that sets them is refused
 * rather than silently overridden.
 */
export function payloadFields(payload: unknown): Built<EntryFields> {
  if (!isPlainObject(payload)) return { error: "msg.payload must be an object with the entry's fields" };
  // Before anything recursive (the key's stable JSON): the service applies the same policy again.
  const problem = inputProblem(payload, "msg.payload");
  if (problem) return { error: detailsMessage(problem) };
  for (const owned of ["source", "sourceKey"]) {
    if (owned in payload) return { error: `msg.payload.${owned} is set by the node (use msg.idempotencyKey for your own key)` };
  }
  return { value: { ...payload } };
}

/**
 * Adds values that come from elsewhere (the node's config, tags) to the
 * payload's fields. A field both give must agree: recording against another
 * tank or well than the one a node is set up for is refused, never guessed.
 */
export function withFixedFields(fields: EntryFields, fixed: EntryFields, origin: string): Built<EntryFields> {
  const merged = { ...fields };
  for (const [field, value] of Object.entries(fixed)) {
    if (field in merged && stableStringify(merged[field]) !== stableStringify(value)) {
      return { error: `msg.payload.${field} (${stableStringify(merged[field])}) differs from the ${origin}'s ${field} (${stableStringify(value)})` };
    }
    merged[field] = value;
  }
  return { value: merged };
}

/**
 * The entry's sourceKey: msg.idempotencyKey when the message has one,
 * otherwise `<kind>:<sha256 of the fields' stable JSON>`, so a redelivered
 * identical message finds the first entry instead of recording a second.
 */
export function sourceKeyFor(kind: string, fields: EntryFields, idempotencyKey: unknown): Built<string> {
  if (idempotencyKey !== undefined) {
    if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey.length > SOURCE_KEY_MAX_LENGTH) {
      return { error: `msg.idempotencyKey must be a string of 1 to ${SOURCE_KEY_MAX_LENGTH} characters` };
    }
    return { value: idempotencyKey };
  }
  return { value: `${kind}:${createHash("sha256").update(stableStringify(fields)).digest("hex")}` };
}

/** The input a node hands to the production port: the fields, marked as coming from a flow, with their key. */
export function flowInput(kind: string, fields: EntryFields, idempotencyKey: unknown): Built<EntryFields> {
  const key = sourceKeyFor(kind, fields, idempotencyKey);
  if ("error" in key) return key;
  return { value: { ...fields, source: "flow", sourceKey: key.value } };
}
