import { detailsMessage } from "../../../runtime/error-contract.js";
import { inputProblem } from "../../../runtime/input/input-policy.js";
import { sourceKeyFor, withFixedFields, type Built, type EntryFields } from "./entry-fields.js";

export const STOCK_MOVE_TYPES = ["receipt", "issue", "transfer"] as const;
export type StockMoveType = (typeof STOCK_MOVE_TYPES)[number];

/** The erp-stock-move node's config: the move, and the item and locations it is fixed to (blank = from msg.payload). */
export interface StockMoveConfig {
  moveType: string;
  itemId: string;
  fromLocationId: string;
  toLocationId: string;
}

function isStockMoveType(value: string): value is StockMoveType {
  return (STOCK_MOVE_TYPES as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The move a message asks for: msg.payload's fields with the node's fixed
 * item and locations (a different one in the payload is refused), and the
 * idempotency key: msg.idempotencyKey, or a hash of the fields, so a
 * redelivered message answers the first move instead of moving stock twice.
 * A receipt goes to `toLocationId`, an issue comes from `fromLocationId`, a
 * transfer needs both; the service checks every field against its schema.
 */
export function stockMoveInput(config: StockMoveConfig, msg: { payload?: unknown; idempotencyKey?: unknown }): Built<{ moveType: StockMoveType; input: EntryFields }> {
  if (!isStockMoveType(config.moveType)) return { error: `unknown move type ${JSON.stringify(config.moveType)}` };
  const moveType = config.moveType;
  if (!isPlainObject(msg.payload)) return { error: "msg.payload must be an object with the move's fields" };
  const problem = inputProblem(msg.payload, "msg.payload");
  if (problem) return { error: detailsMessage(problem) };
  if ("sourceKey" in msg.payload) return { error: "msg.payload.sourceKey is set by the node (use msg.idempotencyKey for your own key)" };
  const fixed: EntryFields = {};
  if (config.itemId) fixed.itemId = config.itemId;
  if (config.fromLocationId && moveType !== "receipt") fixed.fromLocationId = config.fromLocationId;
  if (config.toLocationId && moveType !== "issue") fixed.toLocationId = config.toLocationId;
  const merged = withFixedFields({ ...msg.payload }, fixed, "node");
  if ("error" in merged) return merged;
  const key = sourceKeyFor(`stock-${moveType}`, merged.value, msg.idempotencyKey);
  if ("error" in key) return key;
  return { value: { moveType, input: { ...merged.value, sourceKey: key.value } } };
}
