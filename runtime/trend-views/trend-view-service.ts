import type { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable } from "../db/database.js";
import type { ErrorDetails } from "../error-contract.js";
import { newId } from "../ids.js";
import type { TrendPen, TrendRange, TrendView, TrendViewCreate, TrendViewPatch } from "./schema.js";

export class TrendViewError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "stale",
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "TrendViewError";
  }
}

interface TrendViewRow {
  id: string;
  name: string;
  pens: TrendPen[];
  range: TrendRange;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
  row_version: number;
}

const COLUMNS = "id, name, pens, range, created_by, created_at, updated_by, updated_at, row_version";

function toView(row: TrendViewRow): TrendView {
  return {
    id: row.id,
    name: row.name,
    pens: row.pens,
    range: row.range,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: row.row_version,
  };
}

function nameTaken(name: string): TrendViewError {
  return new TrendViewError("conflict", `a trend view named ${JSON.stringify(name)} already exists`, { field: "body.name", reason: "already_exists" });
}

/**
 * Saved trend views, shared by everyone on the site: one transaction per
 * change with its audit row (trend_view.create / update / delete).
 */
export class TrendViewService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly siteId: string,
  ) {}

  async list(): Promise<TrendView[]> {
    const rows = await this.db.query<TrendViewRow>(`SELECT ${COLUMNS} FROM trend_views WHERE site_id = $1 ORDER BY lower(name), id`, [this.siteId]);
    return rows.rows.map(toView);
  }

  async get(id: string): Promise<TrendView> {
    const rows = await this.db.query<TrendViewRow>(`SELECT ${COLUMNS} FROM trend_views WHERE id = $1 AND site_id = $2`, [id, this.siteId]);
    if (!rows.rows[0]) throw new TrendViewError("not_found", `no trend view ${id}`);
    return toView(rows.rows[0]);
  }

  async create(input: TrendViewCreate, actor: string): Promise<TrendView> {
    const name = input.name.trim();
    return this.db.transaction(async (tx) => {
      await this.refuseTakenName(tx, name, null);
      const inserted = await tx.query<TrendViewRow>(
        `INSERT INTO trend_views (id, site_id, name, pens, range, created_by, updated_by)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $6) RETURNING ${COLUMNS}`,
        [newId(), this.siteId, name, JSON.stringify(input.pens), JSON.stringify(input.range), actor],
      );
      const created = toView(inserted.rows[0]);
      await this.audit.record({ actor, action: "trend_view.create", entityType: "trend_view", entityId: created.id, after: created }, tx);
      return created;
    });
  }

  async update(id: string, patch: TrendViewPatch, actor: string): Promise<TrendView> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<TrendViewRow>(`SELECT ${COLUMNS} FROM trend_views WHERE id = $1 AND site_id = $2 FOR UPDATE`, [id, this.siteId]);
      const row = current.rows[0];
      if (!row) throw new TrendViewError("not_found", `no trend view ${id}`);
      if (row.row_version !== patch.rowVersion) {
        throw new TrendViewError("stale", `trend view ${row.name} changed since you read it (version ${row.row_version}, you sent ${patch.rowVersion})`, {
          field: "body.rowVersion",
          reason: "changed_since_read",
          params: { current: row.row_version, sent: patch.rowVersion },
        });
      }
      const before = toView(row);
      const name = patch.name?.trim() ?? before.name;
      if (name !== before.name) await this.refuseTakenName(tx, name, id);
      const updated = await tx.query<TrendViewRow>(
        `UPDATE trend_views SET name = $2, pens = $3::jsonb, range = $4::jsonb, updated_by = $5, updated_at = now(), row_version = row_version + 1
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, name, JSON.stringify(patch.pens ?? before.pens), JSON.stringify(patch.range ?? before.range), actor],
      );
      const after = toView(updated.rows[0]);
      await this.audit.record({ actor, action: "trend_view.update", entityType: "trend_view", entityId: id, before, after }, tx);
      return after;
    });
  }

  async delete(id: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const removed = await tx.query<TrendViewRow>(`DELETE FROM trend_views WHERE id = $1 AND site_id = $2 RETURNING ${COLUMNS}`, [id, this.siteId]);
      if (!removed.rows[0]) throw new TrendViewError("not_found", `no trend view ${id}`);
      await this.audit.record({ actor, action: "trend_view.delete", entityType: "trend_view", entityId: id, before: toView(removed.rows[0]) }, tx);
    });
  }

  /** Checked first so the answer names the field; the UNIQUE constraint still guards against a race. */
  private async refuseTakenName(tx: Queryable, name: string, exceptId: string | null): Promise<void> {
    const taken = await tx.query("SELECT 1 FROM trend_views WHERE site_id = $1 AND name = $2 AND id IS DISTINCT FROM $3", [this.siteId, name, exceptId]);
    if (taken.rowCount > 0) throw nameTaken(name);
  }
}
