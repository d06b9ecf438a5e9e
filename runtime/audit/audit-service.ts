import { StatementParams, type Queryable, type SqlValue } from "../db/database.js";
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
  /** One action (`user.update`). */
  action?: string;
  /** Actions starting with this text, e.g. `production.` (plain text, not a pattern). */
  actionPrefix?: string;
  actor?: string;
  entityType?: string;
  entityId?: string;
  /** Occurred at or after (ISO time). */
  from?: string;
  /** Occurred before (ISO time). */
  to?: string;
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
    const params = new StatementParams();
    await tx.query(this.insertSql(entry, params), params.values);
  }

  /**
   * The INSERT of `entry`'s row, its values added to `params`: a caller
   * joins it to its own write as a CTE (recordChangeWith), one round trip.
   */
  insertSql(entry: AuditEntry, params: StatementParams): string {
    const p = (value: SqlValue) => params.add(value);
    return `INSERT INTO audit_log (id, site_id, actor, action, entity_type, entity_id, before, after, details, ip)
       VALUES (${p(newId())}, ${p(this.siteId)}, ${p(entry.actor)}, ${p(entry.action)}, ${p(entry.entityType ?? null)}, ${p(entry.entityId ?? null)},
         ${p(jsonOrNull(entry.before))}::jsonb, ${p(jsonOrNull(entry.after))}::jsonb, ${p(jsonOrNull(entry.details))}::jsonb, ${p(entry.ip ?? null)})`;
  }

  /**
   * Many rows in one statement, with ids the caller made: a writer that
   * retries a batch after a timeout (the alarm journal) cannot record one twice.
   */
  async recordMany(entries: readonly (AuditEntry & { id: string; occurredAt: Date })[], tx: Queryable = this.db): Promise<void> {
    // 11 parameters a row: 5,000 rows stay under PostgreSQL's 65,535 bind parameters.
    const rowsPerStatement = 5_000;
    for (let start = 0; start < entries.length; start += rowsPerStatement) {
      const params: SqlValue[] = [];
      const tuples = entries.slice(start, start + rowsPerStatement).map((entry) => {
        const base = params.length;
        params.push(
          entry.id,
          this.siteId,
          entry.occurredAt,
          entry.actor,
          entry.action,
          entry.entityType ?? null,
          entry.entityId ?? null,
          jsonOrNull(entry.before),
          jsonOrNull(entry.after),
          jsonOrNull(entry.details),
          entry.ip ?? null,
        );
        const p = (offset: number) => `$${base + offset}`;
        return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::jsonb, ${p(9)}::jsonb, ${p(10)}::jsonb, ${p(11)})`;
      });
      await tx.query(
        `INSERT INTO audit_log (id, site_id, occurred_at, actor, action, entity_type, entity_id, before, after, details, ip)
         VALUES ${tuples.join(", ")} ON CONFLICT (id) DO NOTHING`,
        params,
      );
    }
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    const where = (condition: (placeholder: string) => string, value: SqlValue) => {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    };
    if (query.action) where((p) => `action = ${p}`, query.action);
    // left() rather than LIKE: a prefix with % or _ in it matches only itself.
    if (query.actionPrefix) where((p) => `left(action, length(${p})) = ${p}`, query.actionPrefix);
    if (query.actor) where((p) => `actor = ${p}`, query.actor);
    if (query.entityType) where((p) => `entity_type = ${p}`, query.entityType);
    if (query.entityId) where((p) => `entity_id = ${p}`, query.entityId);
    if (query.from) where((p) => `occurred_at >= ${p}`, new Date(query.from));
    if (query.to) where((p) => `occurred_at < ${p}`, new Date(query.to));
    if (query.before) where((p) => `id < ${p}`, query.before);
    params.push(query.limit);
    const filter = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const result = await this.db.query<AuditRow>(
      `SELECT id, site_id, occurred_at, actor, action, entity_type, entity_id, before, after, details, ip
       FROM audit_log ${filter} ORDER BY id DESC LIMIT $${params.length}`,
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

  /** Every action recorded so far, for the audit screen's filter. */
  async actions(): Promise<string[]> {
    const result = await this.db.query<{ action: string }>("SELECT DISTINCT action FROM audit_log ORDER BY action");
    return result.rows.map((row) => row.action);
  }
}
