import type { Queryable } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { invalidInput, ServiceError, serviceError } from "../shared/service-error.js";
import { SEED_FAILURE_CODES } from "./model/failure-code-seed.js";
import {
  FailureCodeCreateSchema,
  FailureCodeUpdateSchema,
  type FailureCodeEntry,
  type FailureCodeKind,
  type FailureCodeListQuery,
} from "./schema.js";
import { MODULE, parseInput } from "./work-order-service.js";

/** The actor of the starting catalogue's rows. */
const SEED_ACTOR = "system:maintenance";

interface FailureCodeRow {
  id: string;
  kind: FailureCodeKind;
  code: string;
  description_en: string;
  description_es: string;
  active: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
}

function toEntry(row: FailureCodeRow): FailureCodeEntry {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    descriptionEn: row.description_en,
    descriptionEs: row.description_es,
    active: row.active,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    rowVersion: Number(row.row_version),
  };
}

/**
 * The failure-code catalogue (docs/erp-maintenance.md "Failure codes"). A
 * site with no codes at all gets the starting set when the site starts, or
 * in the first write that needs the catalogue where no site start ran (a
 * flow test's services); never on a read. Codes are deactivated rather than
 * deleted, so "no codes at all" never seeds twice.
 */
export class FailureCodeService {
  private seeded = false;

  constructor(private readonly context: ErpContext) {}

  /** Seeds the starting set once per site (the site calls this at start); concurrent callers insert each code once (the unique key decides). */
  async ensureSeeded(): Promise<void> {
    if (this.seeded) return;
    await this.context.db.transaction((tx) => this.seedIn(tx));
    this.seeded = true;
  }

  /**
   * The starting set inside the caller's transaction, when the site has no
   * codes at all: a write that then fails rolls the seed back with it, so a
   * refused request leaves every table as it was.
   */
  private async seedIn(tx: Queryable): Promise<void> {
    if (this.seeded) return;
    const { rows } = await tx.query<{ present: boolean }>("SELECT EXISTS (SELECT 1 FROM maintenance_failure_codes WHERE site_id = $1) AS present", [this.context.siteId]);
    if (rows[0]?.present) return;
    for (const seed of SEED_FAILURE_CODES) {
      const inserted = await tx.query<FailureCodeRow>(
        `INSERT INTO maintenance_failure_codes (id, site_id, kind, code, description_en, description_es, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (site_id, kind, code) DO NOTHING RETURNING *`,
        [newId(), this.context.siteId, seed.kind, seed.code, seed.descriptionEn, seed.descriptionEs, SEED_ACTOR],
      );
      const row = inserted.rows[0];
      if (row) await this.record(tx, SEED_ACTOR, "maintenance.failure_code.create", "insert", toEntry(row));
    }
  }

  private async record(tx: Queryable, actor: string, action: string, operation: "insert" | "update", after: FailureCodeEntry, before?: FailureCodeEntry): Promise<void> {
    await recordChange(this.context, tx, { actor, module: MODULE, action, entityType: "failure_code", entityId: after.id, operation, rowVersion: after.rowVersion, before, after });
  }

  async list(query: FailureCodeListQuery = {}): Promise<FailureCodeEntry[]> {
    const { rows } = await this.context.db.query<FailureCodeRow>(
      `SELECT * FROM maintenance_failure_codes WHERE site_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::boolean OR active)
       ORDER BY array_position(ARRAY['problem', 'cause', 'remedy'], kind), code`,
      [this.context.siteId, query.kind ?? null, query.includeInactive ?? false],
    );
    return rows.map(toEntry);
  }

  async create(raw: unknown, actor: string): Promise<FailureCodeEntry> {
    const input = parseInput(FailureCodeCreateSchema, raw);
    const id = newId();
    return this.context.db.transaction(async (tx) => {
      await this.seedIn(tx);
      const inserted = await tx.query<FailureCodeRow>(
        `INSERT INTO maintenance_failure_codes (id, site_id, kind, code, description_en, description_es, active, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (site_id, kind, code) DO NOTHING RETURNING *`,
        [id, this.context.siteId, input.kind, input.code, input.descriptionEn, input.descriptionEs, input.active ?? true, actor],
      );
      const row = inserted.rows[0];
      if (!row) throw serviceError("conflict", "code", "already_exists", undefined, `${input.kind} code ${input.code} already exists`);
      const after = toEntry(row);
      await this.record(tx, actor, "maintenance.failure_code.create", "insert", after);
      return after;
    });
  }

  async update(id: string, raw: unknown, actor: string): Promise<FailureCodeEntry> {
    const input = parseInput(FailureCodeUpdateSchema, raw);
    return this.context.db.transaction(async (tx) => {
      const { rows } = await tx.query<FailureCodeRow>("SELECT * FROM maintenance_failure_codes WHERE id = $1 AND site_id = $2 FOR UPDATE", [id, this.context.siteId]);
      if (!rows[0]) throw new ServiceError("not_found", `no failure code ${id}`);
      const before = toEntry(rows[0]);
      if (before.rowVersion !== input.rowVersion) {
        throw serviceError("stale", "rowVersion", "changed_since_read", { current: before.rowVersion, sent: input.rowVersion });
      }
      const updated = await tx.query<FailureCodeRow>(
        `UPDATE maintenance_failure_codes SET description_en = $2, description_es = $3, active = $4, updated_at = now(), row_version = row_version + 1
         WHERE id = $1 RETURNING *`,
        [id, input.descriptionEn ?? before.descriptionEn, input.descriptionEs ?? before.descriptionEs, input.active ?? before.active],
      );
      const after = toEntry(updated.rows[0]);
      await this.record(tx, actor, "maintenance.failure_code.update", "update", after, before);
      return after;
    });
  }

  /**
   * Refuses a failure code on a work order that is not an active code of its
   * kind, unless it is the value the order already holds: orders from before
   * the catalogue keep their free text (and MTBF/MTTR keep grouping by it).
   * Runs inside the caller's transaction (seeding there first where the
   * site never did).
   */
  async checkChosen(tx: Queryable, kind: FailureCodeKind, field: string, chosen: string | null | undefined, current: string | null): Promise<void> {
    if (chosen === undefined || chosen === null || chosen === current) return;
    await this.seedIn(tx);
    const { rows } = await tx.query<{ id: string }>("SELECT id FROM maintenance_failure_codes WHERE site_id = $1 AND kind = $2 AND code = $3 AND active", [
      this.context.siteId,
      kind,
      chosen,
    ]);
    if (rows.length === 0) throw invalidInput(field, "not_in_catalogue", undefined, `${chosen} is not an active ${kind} code of the failure-code catalogue`);
  }
}
