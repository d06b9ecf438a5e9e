import { StatementParams, type Queryable, type SqlValue } from "../db/database.js";
import { newId } from "../ids.js";

export type OutboxOperation = "insert" | "update" | "delete";

export interface OutboxEntry {
  /** The module that owns the table (assets, production, ...). */
  module: string;
  entityType: string;
  entityId: string;
  operation: OutboxOperation;
  rowVersion?: number;
  /** The row as the cloud should see it after the change. */
  payload: unknown;
}

export interface OutboxRecord extends OutboxEntry {
  id: string;
  /** Per-site, gap-free, in commit order (migration 0002); null until the writing transaction commits. */
  sequence: number;
  siteId: string;
  createdAt: string;
  sentAt: string | null;
}

interface OutboxRow {
  id: string;
  site_id: string;
  sequence: string;
  module: string;
  entity_type: string;
  entity_id: string;
  operation: OutboxOperation;
  row_version: number | null;
  payload: unknown;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * The sync outbox. record() takes the caller's transaction: the outbox row
 * commits or rolls back with the change (DESIGN: data rules). The sync agent
 * (sync-agent.ts) drains it with unsent()/markSentThrough().
 */
export class Outbox {
  constructor(
    private readonly db: Queryable,
    private readonly siteId: string,
  ) {}

  async record(entry: OutboxEntry, tx: Queryable): Promise<void> {
    const params = new StatementParams();
    await tx.query(this.insertSql(entry, params), params.values);
  }

  /**
   * The INSERT of `entry`'s row, its values added to `params`: a caller
   * joins it to its own write as a CTE (recordChangeWith), one round trip.
   */
  insertSql(entry: OutboxEntry, params: StatementParams): string {
    const p = (value: SqlValue) => params.add(value);
    return `INSERT INTO sync_outbox (id, site_id, module, entity_type, entity_id, operation, row_version, payload)
       VALUES (${p(newId())}, ${p(this.siteId)}, ${p(entry.module)}, ${p(entry.entityType)}, ${p(entry.entityId)}, ${p(entry.operation)},
         ${p(entry.rowVersion ?? null)}, ${p(JSON.stringify(entry.payload ?? null))}::jsonb)`;
  }

  /** Unsent rows in commit order (their sequence), oldest first. */
  async unsent(limit: number, filter: { siteId?: string; module?: string; entityType?: string; entityId?: string } = {}): Promise<OutboxRecord[]> {
    const params: (string | number)[] = [];
    const conditions = ["sent_at IS NULL", "sequence IS NOT NULL"];
    for (const [column, value] of [
      ["site_id", filter.siteId],
      ["module", filter.module],
      ["entity_type", filter.entityType],
      ["entity_id", filter.entityId],
    ] as const) {
      if (value !== undefined) {
        params.push(value);
        conditions.push(`${column} = $${params.length}`);
      }
    }
    params.push(limit);
    // Qualified: a bare `sequence` in ORDER BY would be the text output column (10 before 9).
    const result = await this.db.query<OutboxRow>(
      `SELECT id, site_id, sequence::text AS sequence, module, entity_type, entity_id, operation, row_version, payload, created_at, sent_at
       FROM sync_outbox WHERE ${conditions.join(" AND ")} ORDER BY sync_outbox.site_id, sync_outbox.sequence LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toRecord);
  }

  /** This outbox's site's unsent rows in sequence order: what the sync agent pushes (rows of an earlier site id stay behind). */
  unsentOfSite(limit: number): Promise<OutboxRecord[]> {
    return this.unsent(limit, { siteId: this.siteId });
  }

  /**
   * Rows from `sequence` on, sent or not, in sequence order: the sync agent
   * resends from where the cloud says it stopped (a 409 sync_gap).
   */
  async fromSequence(sequence: number, limit: number): Promise<OutboxRecord[]> {
    const result = await this.db.query<OutboxRow>(
      `SELECT id, site_id, sequence::text AS sequence, module, entity_type, entity_id, operation, row_version, payload, created_at, sent_at
       FROM sync_outbox WHERE site_id = $1 AND sequence >= $2 ORDER BY sync_outbox.sequence LIMIT $3`,
      [this.siteId, sequence, limit],
    );
    return result.rows.map(toRecord);
  }

  /** Marks every row up to `sequence` sent (the cloud acknowledged them); returns how many were still unsent. */
  async markSentThrough(sequence: number): Promise<number> {
    const result = await this.db.query(`UPDATE sync_outbox SET sent_at = now() WHERE site_id = $1 AND sequence <= $2 AND sent_at IS NULL`, [
      this.siteId,
      sequence,
    ]);
    return result.rowCount;
  }

  /** The highest sequence committed so far (0 before the first): with the acknowledged sequence, how many rows wait. */
  async lastSequence(): Promise<number> {
    const result = await this.db.query<{ last_sequence: string }>(`SELECT last_sequence::text AS last_sequence FROM sync_outbox_counter WHERE site_id = $1`, [
      this.siteId,
    ]);
    return Number(result.rows[0]?.last_sequence ?? 0);
  }

  /** The highest sequence marked sent (0 before the first). */
  async lastSentSequence(): Promise<number> {
    const result = await this.db.query<{ sequence: string | null }>(
      `SELECT max(sequence)::text AS sequence FROM sync_outbox WHERE site_id = $1 AND sent_at IS NOT NULL`,
      [this.siteId],
    );
    return Number(result.rows[0]?.sequence ?? 0);
  }

  async markSent(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.query(`UPDATE sync_outbox SET sent_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`, [ids]);
    return result.rowCount;
  }
}

function toRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    sequence: Number(row.sequence),
    module: row.module,
    entityType: row.entity_type,
    entityId: row.entity_id,
    operation: row.operation,
    ...(row.row_version === null ? {} : { rowVersion: row.row_version }),
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}
