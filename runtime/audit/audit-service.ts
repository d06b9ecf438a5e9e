import type { Queryable, SqlValue } from "../db/database.js";
import { newId } from "../ids.js";

export interface AuditEntry {
  actor: string;
  action: string;
  entityType?: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
  ip?: string;
}

export interface AuditRecord extends Required<Pick<AuditEntry, "actor" | "action">> {
  id: string;
  siteId: string;
  occurredAt: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
  ip: string | null;
}

interface AuditRow {
  id: string;
  site_id: string;
  occurred_at: Date;
  actor: string;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  limit: number;
  /** Keyset paging: the id of the last row of the previous page. */
  before?: string;
}

function jsonOrNull(value: unknown): SqlValue {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * The append-only audit log. record() takes the caller's transaction, so the
 * audit row commits or rolls back with the change it describes.
 */
export class AuditService {
  constructor(
    private readonly db: Queryable,
    private readonly siteId: string,
  ) {}

  async record(entry: AuditEntry, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (id, site_id, actor, action, entity_type, entity_id, before, after, details, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10)`,
      [
        newId(),
        this.siteId,
        entry.actor,
        entry.action,
        entry.entityType ?? null,
        entry.entityId ?? null,
        jsonOrNull(entry.before),
        jsonOrNull(entry.after),
        jsonOrNull(entry.details),
        entry.ip ?? null,
      ],
    );
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (query.action) {
      params.push(query.action);
      conditions.push(`action = $${params.length}`);
    }
    if (query.actor) {
      params.push(query.actor);
      conditions.push(`actor = $${params.length}`);
    }
    if (query.before) {
      params.push(query.before);
      conditions.push(`id < $${params.length}`);
    }
    params.push(query.limit);
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const result = await this.db.query<AuditRow>(
      `SELECT id, site_id, occurred_at, actor, action, entity_type, entity_id, before, after, details, ip
       FROM audit_log ${where} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => ({
      id: row.id,
      siteId: row.site_id,
      occurredAt: row.occurred_at.toISOString(),
      actor: row.actor,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
      details: row.details,
      ip: row.ip,
    }));
  }
}
