import { Type, type Static } from "@sinclair/typebox";

/**
 * The wire contract between a site's sync agent and the cloud's receiver
 * (docs/sync.md). One schema gives the types on both ends and the
 * receiver's request validation.
 */

export const SyncOperationSchema = Type.Union([Type.Literal("insert"), Type.Literal("update"), Type.Literal("delete")]);

/** One outbox row as it travels: its per-site sequence is the order and the deduplication key. */
export const SyncRecordSchema = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1 }),
    id: Type.String({ format: "uuid" }),
    module: Type.String({ minLength: 1, maxLength: 64 }),
    entityType: Type.String({ minLength: 1, maxLength: 64 }),
    entityId: Type.String({ format: "uuid" }),
    operation: SyncOperationSchema,
    rowVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    payload: Type.Unknown(),
    /** When the site committed the change (its outbox row's created_at). */
    committedAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);
export type SyncRecord = Static<typeof SyncRecordSchema>;

/** What a site says of its own state with each push: the cloud's sync-health screen shows it. */
export const SiteHealthSchema = Type.Object(
  {
    /** Outbox rows not yet acknowledged by the cloud, this batch included. */
    outboxPending: Type.Integer({ minimum: 0 }),
    /** Commit time of the oldest unacknowledged outbox row, if any. */
    oldestPendingAt: Type.Optional(Type.String({ format: "date-time" })),
    /** Bytes waiting in the site's spools (historian, flow entries). */
    spoolBytes: Type.Integer({ minimum: 0 }),
    appVersion: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type SiteHealth = Static<typeof SiteHealthSchema>;

/**
 * POST /api/v1/sync/push. The records are consecutive: the first has
 * sequence = the cloud's last stored sequence for the site + 1 (a batch
 * already stored, whole or in part, is acknowledged again, not duplicated);
 * a gap is refused with 409 `sync_gap` stating the sequence expected.
 */
export const SyncPushRequestSchema = Type.Object(
  {
    siteId: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$" }),
    records: Type.Array(SyncRecordSchema, { maxItems: 5000 }),
    health: SiteHealthSchema,
  },
  { additionalProperties: false },
);
export type SyncPushRequest = Static<typeof SyncPushRequestSchema>;

/** A record the cloud stored but refused to apply (docs/sync.md, ownership). */
export const SyncConflictNoticeSchema = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1 }),
    entityType: Type.String(),
    entityId: Type.String({ format: "uuid" }),
    reason: Type.Union([Type.Literal("not_owner"), Type.Literal("ownership_moved"), Type.Literal("stale_version")]),
    currentOwner: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type SyncConflictNotice = Static<typeof SyncConflictNoticeSchema>;

export const SyncPushResponseSchema = Type.Object(
  {
    /** Every sequence up to this one is stored: the site may mark those rows sent. */
    acknowledgedThrough: Type.Integer({ minimum: 0 }),
    conflicts: Type.Array(SyncConflictNoticeSchema),
  },
  { additionalProperties: false },
);
export type SyncPushResponse = Static<typeof SyncPushResponseSchema>;
