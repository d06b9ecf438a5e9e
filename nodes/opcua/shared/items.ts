import { coerceNodeId, NodeIdType } from "node-opcua";
import { isTagPath } from "../../../runtime/tags/tag-path.js";

/** One OPC UA variable a node reads or monitors, and the tag it feeds (if any). */
export interface OpcUaItem {
  nodeId: string;
  tag?: string;
}

/**
 * The tag an item feeds: the explicit one, else the node id's string
 * identifier when it is already a tag path (the simulator's `ns=1;s=<site>/<asset>/<point>`).
 */
export function inferTag(nodeId: string): string | undefined {
  const parsed = coerceNodeId(nodeId);
  return parsed.identifierType === NodeIdType.STRING && typeof parsed.value === "string" && isTagPath(parsed.value) ? parsed.value : undefined;
}

function item(nodeId: string, tag: string | undefined): OpcUaItem {
  coerceNodeId(nodeId);
  const resolved = tag ?? inferTag(nodeId);
  if (resolved !== undefined && !isTagPath(resolved)) throw new Error(`invalid tag path ${JSON.stringify(resolved)} for ${nodeId}: expected <site>/<asset>/<point>`);
  return resolved === undefined ? { nodeId } : { nodeId, tag: resolved };
}

/**
 * Parses the item list of a node's config: one item a line, `<nodeId>` or
 * `<nodeId> -> <site>/<asset>/<point>`; blank lines and `#` comments ignored.
 */
export function parseItems(text: string): OpcUaItem[] {
  const items: OpcUaItem[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [nodeId, tag, extra] = line.split("->").map((part) => part.trim());
    if (extra !== undefined || nodeId === "" || tag === "") throw new Error(`line ${index + 1}: expected "<nodeId>" or "<nodeId> -> <tag path>", got ${JSON.stringify(line)}`);
    try {
      items.push(item(nodeId, tag));
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
  }
  return items;
}

/** Items from a message payload: a node id, an array of node ids, or `{ nodeId, tag? }` objects. */
export function itemsFromPayload(payload: unknown): OpcUaItem[] {
  const list = Array.isArray(payload) ? (payload as unknown[]) : [payload];
  return list.map((entry) => {
    if (typeof entry === "string") return item(entry, undefined);
    if (typeof entry === "object" && entry !== null && typeof (entry as { nodeId?: unknown }).nodeId === "string") {
      const { nodeId, tag } = entry as { nodeId: string; tag?: unknown };
      return item(nodeId, typeof tag === "string" ? tag : undefined);
    }
    throw new Error(`expected a node id, an array of node ids or { nodeId, tag } objects, got ${JSON.stringify(entry)}`);
  });
}
