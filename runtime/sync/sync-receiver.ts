import type { AuditService } from "../audit/audit-service.js";
import { bulkInsert, type Database, type Queryable, type SqlValue } from "../db/database.js";
import { newId } from "../ids.js";
import { CORPORATE_WHEN_MARKED, decideChange, type EntityState, type OwnershipTransfer } from "./ownership.js";
import type { SyncConflictNotice, SyncPushRequest, SyncPushResponse, SyncRecord } from "./sync-schema.js";

/** A push the receiver refuses as a whole; the route maps `kind` to its HTTP answer. */
export class SyncPushError extends Error {
  constructor(
    readonly kind: "gap" | "mismatch" | "not_consecutive" | "unknown_site" | "disabled",
    message: string,
    /** For a gap: the sequence the cloud expects next. */
    readonly expectedSequence?: number,
  ) {
    super(message);
    this.name = "SyncPushError";
  }
}

interface EntityRow {
  entity_type: string;
  entity_id: string;
  owner: string;
  site_id: string;
  payload: unknown;
}

interface TransferRow {
  entity_type: string;
  entity_id: string;
  from_owner: string;
  to_owner: string;
  effective_at: Date;
}

interface EntityUpsert {
  record: SyncRecord;
  owner: string;
}

const entityKey = (entityType: string, entityId: string) => `${entityType}\u0000${entityId}`;

/**
 * The cloud's end of POST /api/v1/sync/push (docs/sync.md "Protocol"): one
 * transaction per batch, under the site row's lock so a site's pushes are
 * applied one at a time and in order. The batch is stored as received
 * (sync_received, deduplicated by (site, sequence)), then applied to
 * sync_entities under the ownership rules; refused changes become
 * sync_conflicts, with both versions.
 */
export class SyncReceiver {
  constructor(private readonly db: Database) {}

  async push(request: SyncPushRequest): Promise<SyncPushResponse> {
    const { siteId, records } = request;
    for (let index = 1; index < records.length; index++) {
      if (records[index].sequence !== records[index - 1].sequence + 1) {
        throw new SyncPushError("not_consecutive", `records must be consecutive: ${records[index].sequence} follows ${records[index - 1].sequence}`);
      }
    }
    return this.db.transaction(async (tx) => {
      const site = await tx.query<{ last_sequence: string; disabled: boolean }>(
        `SELECT last_sequence::text AS last_sequence, disabled_at IS NOT NULL AS disabled FROM sync_sites WHERE site_id = $1 FOR UPDATE`,
        [siteId],
      );
      const row = site.rows[0];
      if (!row) throw new SyncPushError("unknown_site", `site ${siteId} is not registered`);
      if (row.disabled) throw new SyncPushError("disabled", `site ${siteId} is disabled`);
      const last = Number(row.last_sequence);
      const first = records[0]?.sequence;
      if (first !== undefined && first > last + 1) {
        throw new SyncPushError("gap", `the cloud has stored up to sequence ${last}; the push starts at ${first}`, last + 1);
      }
      const already = records.filter((record) => record.sequence <= last);
      if (already.length > 0) await this.checkResent(tx, siteId, already);
      const fresh = records.filter((record) => record.sequence > last);
      const conflicts = fresh.length > 0 ? await this.store(tx, siteId, fresh) : [];
      const acknowledged = fresh.length > 0 ? fresh[fresh.length - 1].sequence : last;
      await tx.query(`UPDATE sync_sites SET last_sequence = $2, last_contact_at = now(), last_health = $3::jsonb WHERE site_id = $1`, [
        siteId,
        acknowledged,
        JSON.stringify(request.health),
      ]);
      return { acknowledgedThrough: acknowledged, conflicts };
    });
  }

  /** A batch sent again (its answer was lost): the stored rows must be the same records, else the site's numbering broke. */
  private async checkResent(tx: Queryable, siteId: string, records: readonly SyncRecord[]): Promise<void> {
    const stored = await tx.query<{ sequence: string; record_id: string }>(
      `SELECT sequence::text AS sequence, record_id FROM sync_received WHERE site_id = $1 AND sequence = ANY($2::bigint[])`,
      [siteId, records.map((record) => record.sequence)],
    );
    const byId = new Map(stored.rows.map((row) => [Number(row.sequence), row.record_id]));
    for (const record of records) {
      const storedId = byId.get(record.sequence);
      if (storedId !== record.id) {
        throw new SyncPushError("mismatch", `sequence ${record.sequence} of site ${siteId} is stored as record ${storedId ?? "(none)"}, not ${record.id}`);
      }
    }
  }

  private async store(tx: Queryable, siteId: string, records: readonly SyncRecord[]): Promise<SyncConflictNotice[]> {
    await bulkInsert(
      tx,
      "sync_received",
      ["site_id", "sequence", "record_id", "module", "entity_type", "entity_id", "operation", "row_version", "payload", "committed_at"],
      records.map((record) => [
        siteId,
        record.sequence,
        record.id,
        record.module,
        record.entityType,
        record.entityId,
        record.operation,
        record.rowVersion ?? null,
        JSON.stringify(record.payload ?? null),
        record.committedAt,
      ]),
    );
    const types = records.map((record) => record.entityType);
    const ids = records.map((record) => record.entityId);
    const current = await tx.query<EntityRow>(
      `SELECT e.entity_type, e.entity_id, e.owner, e.site_id, e.payload
       FROM sync_entities e JOIN unnest($1::text[], $2::uuid[]) AS k(entity_type, entity_id) USING (entity_type, entity_id)
       FOR UPDATE OF e`,
      [types, ids],
    );
    const transfers = await tx.query<TransferRow>(
      `SELECT t.entity_type, t.entity_id, t.from_owner, t.to_owner, t.effective_at
       FROM sync_ownership_transfers t JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::uuid[]) AS k(entity_type, entity_id)) k USING (entity_type, entity_id)
       ORDER BY t.effective_at`,
      [types, ids],
    );
    const states = new Map<string, EntityState>();
    for (const row of current.rows) states.set(entityKey(row.entity_type, row.entity_id), { owner: row.owner, siteId: row.site_id, payload: row.payload });
    const movesOf = new Map<string, OwnershipTransfer[]>();
    for (const row of transfers.rows) {
      const key = entityKey(row.entity_type, row.entity_id);
      const list = movesOf.get(key) ?? [];
      list.push({ fromOwner: row.from_owner, toOwner: row.to_owner, effectiveAt: row.effective_at });
      movesOf.set(key, list);
    }
    // A batch may change one entity several times: decide in order against the state so far, write the last state once.
    const upserts = new Map<string, EntityUpsert>();
    const conflicts: SyncConflictNotice[] = [];
    const conflictRows: SqlValue[][] = [];
    for (const record of records) {
      const key = entityKey(record.entityType, record.entityId);
      const state = states.get(key) ?? null;
      const decision = decideChange(
        { siteId, entityType: record.entityType, payload: record.payload, committedAt: new Date(record.committedAt) },
        state,
        movesOf.get(key) ?? [],
      );
      if (decision.kind === "apply") {
        states.set(key, { owner: decision.owner, siteId, payload: record.payload });
        upserts.set(key, { record, owner: decision.owner });
      } else {
        conflicts.push({ sequence: record.sequence, entityType: record.entityType, entityId: record.entityId, reason: decision.reason, currentOwner: decision.currentOwner });
        conflictRows.push([
          newId(),
          siteId,
          record.sequence,
          record.entityType,
          record.entityId,
          decision.reason,
          JSON.stringify(record.payload ?? null),
          decision.currentOwner,
          state ? JSON.stringify(state.payload ?? null) : null,
        ]);
      }
    }
    if (upserts.size > 0) {
      const rows = [...upserts.values()].map(({ record, owner }) => [
        record.entityType,
        record.entityId,
        record.module,
        owner,
        siteId,
        record.rowVersion ?? null,
        record.operation === "delete",
        JSON.stringify(record.payload ?? null),
        record.sequence,
        record.committedAt,
      ]);
      await upsertEntities(tx, rows);
    }
    if (conflictRows.length > 0) {
      await bulkInsert(
        tx,
        "sync_conflicts",
        ["id", "site_id", "sequence", "entity_type", "entity_id", "reason", "incoming_payload", "current_owner", "current_payload"],
        conflictRows,
      );
    }
    return conflicts;
  }
}

const ENTITY_COLUMNS = ["entity_type", "entity_id", "module", "owner", "site_id", "row_version", "deleted", "payload", "last_site_sequence", "committed_at"];

/** Multi-row upsert of the entities' latest states (one row per entity: PostgreSQL refuses to touch a row twice). */
async function upsertEntities(tx: Queryable, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  const rowsPerStatement = Math.floor(60_000 / ENTITY_COLUMNS.length);
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const params: SqlValue[] = [];
    const tuples = rows.slice(start, start + rowsPerStatement).map((row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(", ")})`);
    await tx.query(
      `INSERT INTO sync_entities (${ENTITY_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}
       ON CONFLICT (entity_type, entity_id) DO UPDATE SET
         module = EXCLUDED.module, owner = EXCLUDED.owner, site_id = EXCLUDED.site_id, row_version = EXCLUDED.row_version,
         deleted = EXCLUDED.deleted, payload = EXCLUDED.payload, last_site_sequence = EXCLUDED.last_site_sequence,
         committed_at = EXCLUDED.committed_at, updated_at = now()`,
      params,
    );
  }
}

/** Admin actions on the cloud's ownership and conflicts (docs/sync.md "Ownership"). */
export class SyncOwnership {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /**
   * Hands an entity to another owner from `effectiveAt` on. Changes the old
   * owner commits from then on are ownership_moved conflicts.
   */
  async transfer(input: { entityType: string; entityId: string; toOwner: string; effectiveAt: Date; reason: string }, actor: string): Promise<{ id: string; fromOwner: string }> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ owner: string }>(`SELECT owner FROM sync_entities WHERE entity_type = $1 AND entity_id = $2 FOR UPDATE`, [
        input.entityType,
        input.entityId,
      ]);
      const fromOwner = current.rows[0]?.owner;
      if (fromOwner === undefined) throw new SyncOwnershipError("not_found", `the cloud has no ${input.entityType} ${input.entityId}`);
      if (fromOwner === input.toOwner) throw new SyncOwnershipError("invalid_state", `${input.toOwner} already owns it`);
      const id = newId();
      await tx.query(
        `INSERT INTO sync_ownership_transfers (id, entity_type, entity_id, from_owner, to_owner, effective_at, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, input.entityType, input.entityId, fromOwner, input.toOwner, input.effectiveAt, input.reason, actor],
      );
      await tx.query(`UPDATE sync_entities SET owner = $3, updated_at = now() WHERE entity_type = $1 AND entity_id = $2`, [
        input.entityType,
        input.entityId,
        input.toOwner,
      ]);
      await this.audit.record(
        {
          actor,
          action: "sync.ownership.transfer",
          entityType: input.entityType,
          entityId: input.entityId,
          before: { owner: fromOwner },
          after: { owner: input.toOwner, effectiveAt: input.effectiveAt.toISOString() },
          details: { reason: input.reason, transferId: id },
        },
        tx,
      );
      return { id, fromOwner };
    });
  }

  async conflicts(filter: { open?: boolean; siteId?: string; limit: number }): Promise<SyncConflict[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (filter.open) conditions.push("resolved_at IS NULL");
    if (filter.siteId) {
      params.push(filter.siteId);
      conditions.push(`site_id = $${params.length}`);
    }
    params.push(filter.limit);
    const result = await this.db.query<ConflictRow>(
      `SELECT id, site_id, sequence::text AS sequence, entity_type, entity_id, reason, incoming_payload, current_owner, current_payload,
              created_at, resolved_at, resolved_by, resolution
       FROM sync_conflicts ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toConflict);
  }

  /**
   * Closes a conflict: `keep_current` leaves the owner's state, `take_incoming`
   * makes the refused version the entity's state (the owner stays). Audited
   * with the reason; never automatic.
   */
  async resolve(id: string, choice: "keep_current" | "take_incoming", reason: string, actor: string): Promise<SyncConflict> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query<ConflictRow>(
        `UPDATE sync_conflicts SET resolved_at = now(), resolved_by = $2, resolution = $3 WHERE id = $1 AND resolved_at IS NULL
         RETURNING id, site_id, sequence::text AS sequence, entity_type, entity_id, reason, incoming_payload, current_owner, current_payload,
                   created_at, resolved_at, resolved_by, resolution`,
        [id, actor, `${choice}: ${reason}`],
      );
      const row = result.rows[0];
      if (!row) throw new SyncOwnershipError("not_found", `no open conflict ${id}`);
      if (choice === "take_incoming") {
        await tx.query(`UPDATE sync_entities SET payload = $3::jsonb, updated_at = now() WHERE entity_type = $1 AND entity_id = $2`, [
          row.entity_type,
          row.entity_id,
          JSON.stringify(row.incoming_payload ?? null),
        ]);
      }
      await this.audit.record(
        { actor, action: "sync.conflict.resolve", entityType: "sync_conflict", entityId: id, after: { choice }, details: { reason } },
        tx,
      );
      return toConflict(row);
    });
  }
}

export class SyncOwnershipError extends Error {
  constructor(
    readonly kind: "not_found" | "invalid_state",
    message: string,
  ) {
    super(message);
    this.name = "SyncOwnershipError";
  }
}

interface ConflictRow {
  id: string;
  site_id: string;
  sequence: string | null;
  entity_type: string;
  entity_id: string;
  reason: string;
  incoming_payload: unknown;
  current_owner: string | null;
  current_payload: unknown;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface SyncConflict {
  id: string;
  siteId: string;
  sequence: number | null;
  entityType: string;
  entityId: string;
  reason: string;
  incoming: unknown;
  currentOwner: string | null;
  current: unknown;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

function toConflict(row: ConflictRow): SyncConflict {
  return {
    id: row.id,
    siteId: row.site_id,
    sequence: row.sequence === null ? null : Number(row.sequence),
    entityType: row.entity_type,
    entityId: row.entity_id,
    reason: row.reason,
    incoming: row.incoming_payload,
    currentOwner: row.current_owner,
    current: row.current_payload,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}

/**
 * The down direction's source: the cloud's own outbox (its changes are
 * numbered like a site's), filtered to what the cloud owns. A site pulls
 * with the last sequence it applied. Applying on the site is the next step
 * (docs/sync.md "Down from the cloud").
 */
export class SyncPull {
  constructor(
    private readonly db: Database,
    private readonly cloudSiteId: string,
  ) {}

  async after(sequence: number, limit: number): Promise<{ records: SyncRecord[]; through: number }> {
    const result = await this.db.query<{
      id: string;
      sequence: string;
      module: string;
      entity_type: string;
      entity_id: string;
      operation: SyncRecord["operation"];
      row_version: number | null;
      payload: unknown;
      created_at: Date;
    }>(
      `SELECT id, sequence::text AS sequence, module, entity_type, entity_id, operation, row_version, payload, created_at
       FROM sync_outbox
       WHERE site_id = $1 AND sync_outbox.sequence > $2 AND entity_type = ANY($3::text[]) AND payload->>'owner' = 'corporate'
       ORDER BY sync_outbox.sequence LIMIT $4`,
      [this.cloudSiteId, sequence, [...CORPORATE_WHEN_MARKED], limit],
    );
    const records = result.rows.map((row) => ({
      sequence: Number(row.sequence),
      id: row.id,
      module: row.module,
      entityType: row.entity_type,
      entityId: row.entity_id,
      operation: row.operation,
      ...(row.row_version === null ? {} : { rowVersion: row.row_version }),
      payload: row.payload,
      committedAt: row.created_at.toISOString(),
    }));
    return { records, through: records.at(-1)?.sequence ?? sequence };
  }
}
