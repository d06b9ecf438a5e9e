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
 * (a later issue) drains it with unsent()/markSent().
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
  async unsent(limit: number, filter: { module?: string; entityType?: string; entityId?: string } = {}): Promise<OutboxRecord[]> {
    const params: (string | number)[] = [];
    const conditions = ["sent_at IS NULL", "sequence IS NOT NULL"];
    for (const [column, value] of [
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
    const result = await this.db.query<OutboxRow>(
      `SELECT id, site_id, sequence::text AS sequence, module, entity_type, entity_id, operation, row_version, payload, created_at, sent_at
       FROM sync_outbox WHERE ${conditions.join(" AND ")} ORDER BY site_id, sequence LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => ({
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
    }));
  }

  async markSent(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.query(`UPDATE sync_outbox SET sent_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`, [ids]);
    return result.rowCount;
  }
}
