/**
 * Who owns a synced record, and what the cloud does with a change a site
 * pushes for it (docs/sync.md "Ownership"). Pure functions: the receiver
 * loads the current state and the transfers, asks decideChange(), and
 * writes what it says.
 *
 * Every record has exactly one owner: the site that made it (operational
 * records: entries, allocation runs, well tests, work orders, stock moves,
 * ...) or the cloud (`CLOUD_OWNER`: corporate master data such as the
 * item catalogue, which the cloud pushes down). A change by anyone else is
 * refused and reported, never merged.
 */

/** The owner of corporate master data. */
export const CLOUD_OWNER = "cloud";

export type OwnerRule = "site" | "cloud";

/**
 * Entity types whose records are corporate master data when the record says
 * so. The item catalogue marks catalogue items `owner: "corporate"`
 * (erp-modules/inventory migration); a site's own items stay site-owned.
 * Price lists do not exist yet: they join this list when they do.
 */
export const CORPORATE_WHEN_MARKED: ReadonlySet<string> = new Set(["inventory_item"]);

/** The owner rule of one record, from its type and payload. */
export function ownerRuleOf(entityType: string, payload: unknown): OwnerRule {
  if (!CORPORATE_WHEN_MARKED.has(entityType)) return "site";
  const owner = payload !== null && typeof payload === "object" ? (payload as { owner?: unknown }).owner : undefined;
  return owner === "corporate" ? "cloud" : "site";
}

/** What the cloud holds for an entity before the change. */
export interface EntityState {
  owner: string;
  /** The site whose change is the current state. */
  siteId: string;
  payload: unknown;
}

/** An ownership move an admin recorded on the cloud (sync_ownership_transfers). */
export interface OwnershipTransfer {
  fromOwner: string;
  toOwner: string;
  effectiveAt: Date;
}

export interface IncomingChange {
  siteId: string;
  entityType: string;
  payload: unknown;
  committedAt: Date;
}

export type ChangeDecision =
  | { kind: "apply"; owner: string }
  /** Stored as received, not applied: the current state stays, both versions are kept in a conflict. */
  | { kind: "conflict"; reason: "not_owner" | "ownership_moved"; currentOwner: string };

/**
 * The decision for one change. `transfers` are the entity's moves, oldest
 * first.
 *
 * - A new entity belongs to its sender, unless its rule makes it the
 *   cloud's: then a site may not create it (not_owner).
 * - A change by the owner applies.
 * - A change by a site that owned the entity before a move:
 *   committed before the move took effect, while that site still owned it,
 *   it applies as long as the new owner has not changed the entity since
 *   (the later owner's state is never overwritten); otherwise, and always
 *   when committed after the move (an edit made during a partition), it is
 *   an ownership_moved conflict.
 * - Anyone else: not_owner.
 */
export function decideChange(change: IncomingChange, current: EntityState | null, transfers: readonly OwnershipTransfer[]): ChangeDecision {
  const rule = ownerRuleOf(change.entityType, change.payload);
  if (!current) {
    return rule === "cloud" ? { kind: "conflict", reason: "not_owner", currentOwner: CLOUD_OWNER } : { kind: "apply", owner: change.siteId };
  }
  if (current.owner === change.siteId) return { kind: "apply", owner: current.owner };
  const moveAway = transfers.find((transfer) => transfer.fromOwner === change.siteId);
  if (moveAway) {
    const madeWhileOwner = change.committedAt.getTime() < moveAway.effectiveAt.getTime();
    const untouchedSince = current.siteId === change.siteId;
    if (madeWhileOwner && untouchedSince) return { kind: "apply", owner: current.owner };
    return { kind: "conflict", reason: "ownership_moved", currentOwner: current.owner };
  }
  return { kind: "conflict", reason: "not_owner", currentOwner: current.owner };
}
