import { Type } from "@sinclair/typebox";
import { parse as parseCsv } from "csv-parse/sync";
import { stringify as stringifyCsv } from "csv-stringify/sync";
import type { AuditService } from "../audit/audit-service.js";
import { roleAtLeast, type Role } from "../auth/roles.js";
import type { Database, Queryable, SqlValue } from "../db/database.js";
import { detailsMessage, type ErrorDetails } from "../error-contract.js";
import { newId } from "../ids.js";
import { checkInput, parseText } from "../input/schema-check.js";
import { displayUnitsFor } from "./display-units.js";
import { ScalingSchema, TagInputSchema, type TagCreate, type TagInput, type TagPatch } from "./schema.js";
import type { WritePolicy, WriteRole } from "./tag-writes.js";
import { afterCommit } from "../db/unit-of-work.js";

export interface TagDefinition extends TagInput {
  id: string;
  createdAt: string;
  updatedAt: string;
  rowVersion: number;
}

export class TagRegistryError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "stale" | "invalid_input",
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "TagRegistryError";
  }
}

interface TagRow {
  id: string;
  path: string;
  data_type: TagInput["dataType"];
  unit: string;
  display_unit: string | null;
  description: string;
  deadband: string;
  scaling: TagInput["scaling"];
  source: string | null;
  read_role: Role;
  history_enabled: boolean;
  history_deviation: string;
  history_max_interval_seconds: number;
  writable: boolean;
  write_min: string | null;
  write_max: string | null;
  write_role: WriteRole;
  created_at: Date;
  updated_at: Date;
  row_version: number;
}

const COLUMNS =
  "id, path, data_type, unit, display_unit, description, deadband, scaling, source, read_role, history_enabled, history_deviation, history_max_interval_seconds, created_at, updated_at, row_version, writable, write_min, write_max, write_role";

function toDefinition(row: TagRow): TagDefinition {
  return {
    id: row.id,
    path: row.path,
    dataType: row.data_type,
    unit: row.unit,
    displayUnit: row.display_unit,
    description: row.description,
    deadband: Number(row.deadband),
    scaling: row.scaling,
    source: row.source,
    readRole: row.read_role,
    historyEnabled: row.history_enabled,
    historyDeviation: Number(row.history_deviation),
    historyMaxIntervalSeconds: row.history_max_interval_seconds,
    writable: row.writable,
    writeMin: row.write_min === null ? null : Number(row.write_min),
    writeMax: row.write_max === null ? null : Number(row.write_max),
    writeRole: row.write_role,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
  };
}

function withDefaults(input: TagCreate): TagInput {
  return {
    path: input.path,
    dataType: input.dataType,
    unit: input.unit ?? "",
    // Schema coercion turns a missing (null) display unit into "": both mean none.
    displayUnit: input.displayUnit ? input.displayUnit : null,
    description: input.description ?? "",
    deadband: input.deadband ?? 0,
    scaling: input.scaling ?? null,
    source: input.source ?? null,
    readRole: input.readRole ?? "viewer",
    historyEnabled: input.historyEnabled ?? false,
    historyDeviation: input.historyDeviation ?? 0,
    historyMaxIntervalSeconds: input.historyMaxIntervalSeconds ?? 3600,
    writable: input.writable ?? false,
    writeMin: input.writeMin ?? null,
    writeMax: input.writeMax ?? null,
    writeRole: input.writeRole ?? "operator",
  };
}

function checkDisplayUnit(tag: Pick<TagInput, "unit" | "displayUnit">): void {
  if (!tag.displayUnit || tag.displayUnit === tag.unit) return;
  const allowed = displayUnitsFor(tag.unit);
  if (!allowed.includes(tag.displayUnit)) {
    throw new TagRegistryError(
      "invalid_input",
      allowed.length
        ? `displayUnit ${tag.displayUnit} cannot show a value in ${tag.unit}; choose one of ${allowed.join(", ")}`
        : `a tag in ${JSON.stringify(tag.unit)} has no other display units`,
      { field: "displayUnit", reason: "display_unit_not_convertible", params: { unit: tag.unit, allowed } },
    );
  }
}

function checkTag(tag: TagInput): void {
  checkScaling(tag.scaling);
  checkDisplayUnit(tag);
  checkWriteLimits(tag);
}

function checkWriteLimits(tag: TagInput): void {
  if (tag.writeMin !== null && tag.writeMax !== null && tag.writeMin > tag.writeMax) {
    throw new TagRegistryError("invalid_input", `writeMin ${tag.writeMin} is above writeMax ${tag.writeMax}`, {
      field: "writeMin",
      reason: "above_field",
      params: { other: "writeMax" },
    });
  }
}

function checkScaling(scaling: TagInput["scaling"]): void {
  if (scaling && (scaling.rawMax === scaling.rawMin || scaling.engMax === scaling.engMin)) {
    throw new TagRegistryError("invalid_input", "scaling needs rawMin ≠ rawMax and engMin ≠ engMax", { field: "scaling", reason: "degenerate_scaling" });
  }
}

/** The CSV columns, in order; scaling is spread over four columns (empty = no scaling). */
export const CSV_COLUMNS = [
  "path",
  "dataType",
  "unit",
  "displayUnit",
  "description",
  "deadband",
  "rawMin",
  "rawMax",
  "engMin",
  "engMax",
  "source",
  "readRole",
  "historyEnabled",
  "historyDeviation",
  "historyMaxIntervalSeconds",
  "writable",
  "writeMin",
  "writeMax",
  "writeRole",
] as const;

/**
 * Columns older exports have and imports still accept, ignored: a tag's
 * asset is the register's link (asset_tags), not a column of the tag.
 */
const RETIRED_CSV_COLUMNS: readonly string[] = ["assetId"];

/** A CSV row that was not applied: its line, its path, why in English and as the error contract says it. */
export interface RejectedRow {
  line: number;
  path: string;
  reason: string;
  details: ErrorDetails;
}

export interface ImportReport {
  created: number;
  updated: number;
  rejected: RejectedRow[];
}

export interface TagListQuery {
  search?: string;
  prefix?: string;
  limit: number;
  offset: number;
  role: Role;
}

/** How the historian stores a tag (only tags with history enabled have one). */
export interface TagHistoryPolicy {
  tagId: string;
  deviation: number;
  maxIntervalMs: number;
}

type RememberedTag = Pick<
  TagDefinition,
  "id" | "path" | "deadband" | "readRole" | "historyEnabled" | "historyDeviation" | "historyMaxIntervalSeconds" | "dataType" | "unit" | "writable" | "writeMin" | "writeMax" | "writeRole"
>;

/**
 * Tag definitions: one transaction per change with its audit row. Keeps an
 * in-memory copy of the deadbands, ids and history policies so the live
 * store and the historian can apply them on every write without a query;
 * the copy changes once the change has committed (afterCommit: a keyed
 * request commits only when it answers).
 */
export class TagRegistry {
  private readonly deadbands = new Map<string, number>();
  private readonly readRoles = new Map<string, Role>();
  private readonly ids = new Map<string, string>();
  private readonly historyPolicies = new Map<string, TagHistoryPolicy>();
  private readonly writePolicies = new Map<string, WritePolicy>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly siteId: string,
  ) {}

  async load(): Promise<void> {
    const result = await this.db.query<TagRow>(`SELECT ${COLUMNS} FROM tags`);
    this.deadbands.clear();
    this.readRoles.clear();
    this.ids.clear();
    this.historyPolicies.clear();
    this.writePolicies.clear();
    for (const row of result.rows) this.remember(toDefinition(row));
  }

  deadbandOf(path: string): number | undefined {
    return this.deadbands.get(path);
  }

  /** The registered tag's id (the historian keys rows by it). */
  idOf(path: string): string | undefined {
    return this.ids.get(path);
  }

  /** The history policy of a tag whose history is enabled; undefined for the others. */
  historyPolicyOf(path: string): TagHistoryPolicy | undefined {
    return this.historyPolicies.get(path);
  }

  /** How a tag may be written to its device; undefined for a tag the registry does not know. */
  writePolicyOf(path: string): WritePolicy | undefined {
    return this.writePolicies.get(path);
  }

  /** Unregistered tags are readable by any logged-in user; registered ones by their readRole and up. */
  mayRead(path: string, role: Role): boolean {
    const required = this.readRoles.get(path);
    return required === undefined || roleAtLeast(role, required);
  }

  async list(query: TagListQuery): Promise<{ tags: TagDefinition[]; total: number }> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (query.prefix) {
      params.push(`${query.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(`path LIKE $${params.length}`);
    }
    if (query.search) {
      params.push(`%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(`(lower(path) LIKE $${params.length} OR lower(description) LIKE $${params.length})`);
    }
    params.push([...allowedRoles(query.role)]);
    conditions.push(`read_role = ANY($${params.length}::text[])`);
    const where = `WHERE ${conditions.join(" AND ")}`;
    const total = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM tags ${where}`, params);
    const rows = await this.db.query<TagRow>(
      `SELECT ${COLUMNS} FROM tags ${where} ORDER BY path LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { tags: rows.rows.map(toDefinition), total: total.rows[0]?.count ?? 0 };
  }

  /** The registered tags among these paths, by path (paths the registry does not know are absent). */
  async definitionsOf(paths: readonly string[]): Promise<Map<string, TagDefinition>> {
    if (paths.length === 0) return new Map();
    const result = await this.db.query<TagRow>(`SELECT ${COLUMNS} FROM tags WHERE path = ANY($1::text[])`, [[...new Set(paths)]]);
    return new Map(result.rows.map((row) => [row.path, toDefinition(row)]));
  }

  async get(id: string): Promise<TagDefinition> {
    const result = await this.db.query<TagRow>(`SELECT ${COLUMNS} FROM tags WHERE id = $1`, [id]);
    if (!result.rows[0]) throw new TagRegistryError("not_found", `no tag ${id}`);
    return toDefinition(result.rows[0]);
  }

  async create(input: TagCreate, actor: string): Promise<TagDefinition> {
    const tag = withDefaults(input);
    checkTag(tag);
    const created = await this.db.transaction(async (tx) => {
      const existing = await tx.query("SELECT 1 FROM tags WHERE path = $1", [tag.path]);
      if (existing.rowCount > 0) throw new TagRegistryError("conflict", `tag ${tag.path} already exists`, { field: "path", reason: "already_exists" });
      return this.insert(tx, tag, actor);
    });
    afterCommit(() => this.remember(created));
    return created;
  }

  async update(id: string, patch: TagPatch, actor: string): Promise<TagDefinition> {
    const updated = await this.db.transaction(async (tx) => {
      const current = await tx.query<TagRow>(`SELECT ${COLUMNS} FROM tags WHERE id = $1 FOR UPDATE`, [id]);
      const row = current.rows[0];
      if (!row) throw new TagRegistryError("not_found", `no tag ${id}`);
      if (row.row_version !== patch.rowVersion) {
        throw new TagRegistryError("stale", `tag ${row.path} changed since you read it (version ${row.row_version}, you sent ${patch.rowVersion})`, {
          field: "rowVersion",
          reason: "changed_since_read",
          params: { current: row.row_version, sent: patch.rowVersion },
        });
      }
      const before = toDefinition(row);
      const { rowVersion: _rowVersion, ...changes } = patch;
      const next: TagInput = { ...before, ...changes };
      if (!next.displayUnit) next.displayUnit = null;
      checkTag(next);
      return this.save(tx, before, next, actor);
    });
    afterCommit(() => this.remember(updated));
    return updated;
  }

  async delete(id: string, actor: string): Promise<void> {
    const removed = await this.db.transaction(async (tx) => {
      const current = await tx.query<TagRow>(`DELETE FROM tags WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
      const row = current.rows[0];
      if (!row) throw new TagRegistryError("not_found", `no tag ${id}`);
      const before = toDefinition(row);
      await this.audit.record({ actor, action: "tag.delete", entityType: "tag", entityId: id, before }, tx);
      return before;
    });
    afterCommit(() => {
      this.deadbands.delete(removed.path);
      this.readRoles.delete(removed.path);
      this.ids.delete(removed.path);
      this.historyPolicies.delete(removed.path);
      this.writePolicies.delete(removed.path);
    });
  }

  /**
   * Creates the tags that do not exist yet, leaving existing ones as they
   * are (an engineer may have tuned them). For a device or simulator that
   * announces its points.
   */
  async ensure(tags: readonly TagCreate[], actor: string): Promise<number> {
    const missing = tags.filter((tag) => !this.readRoles.has(tag.path));
    if (missing.length === 0) return 0;
    const created = await this.db.transaction(async (tx) => {
      const saved: TagDefinition[] = [];
      for (const tag of missing) {
        const input = withDefaults(tag);
        checkTag(input);
        const exists = await tx.query("SELECT 1 FROM tags WHERE path = $1", [input.path]);
        if (exists.rowCount === 0) saved.push(await this.insert(tx, input, actor));
      }
      return saved;
    });
    afterCommit(() => {
      for (const tag of created) this.remember(tag);
    });
    return created.length;
  }

  async exportCsv(): Promise<string> {
    const rows = await this.db.query<TagRow>(`SELECT ${COLUMNS} FROM tags ORDER BY path`);
    const records = rows.rows.map(toDefinition).map((tag) => [
      tag.path,
      tag.dataType,
      tag.unit,
      tag.displayUnit ?? "",
      tag.description,
      String(tag.deadband),
      tag.scaling ? String(tag.scaling.rawMin) : "",
      tag.scaling ? String(tag.scaling.rawMax) : "",
      tag.scaling ? String(tag.scaling.engMin) : "",
      tag.scaling ? String(tag.scaling.engMax) : "",
      tag.source ?? "",
      tag.readRole,
      String(tag.historyEnabled),
      String(tag.historyDeviation),
      String(tag.historyMaxIntervalSeconds),
      String(tag.writable),
      tag.writeMin === null ? "" : String(tag.writeMin),
      tag.writeMax === null ? "" : String(tag.writeMax),
      tag.writeRole,
    ]);
    return stringifyCsv([[...CSV_COLUMNS], ...records]);
  }

  /**
   * Creates or updates tags by path from CSV (header row required). Rows that
   * fail a check are reported with their line and reason and skipped; the
   * good rows are applied together in one transaction.
   */
  async importCsv(text: string, actor: string): Promise<ImportReport> {
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
    } catch (error) {
      throw new TagRegistryError("invalid_input", `CSV could not be read: ${(error as Error).message}`, { field: "body", reason: "malformed_csv" });
    }
    const report: ImportReport = { created: 0, updated: 0, rejected: [] };
    const accepted: { line: number; tag: TagInput }[] = [];
    const seen = new Set<string>();
    records.forEach((record, index) => {
      const line = index + 2;
      const reject = (path: string, details: ErrorDetails, reason = detailsMessage(details)) => report.rejected.push({ line, path, reason, details });
      const unknown = Object.keys(record).filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column) && !RETIRED_CSV_COLUMNS.includes(column));
      if (unknown.length) {
        reject(record.path ?? "", { field: unknown[0] ?? "", reason: "not_allowed" }, `unknown column(s): ${unknown.join(", ")}`);
        return;
      }
      const result = csvRecordToInput(record);
      if ("problem" in result) {
        reject(record.path ?? "", result.problem, result.reason);
        return;
      }
      if (seen.has(result.tag.path)) {
        reject(result.tag.path, { field: "path", reason: "duplicate_in_file" });
        return;
      }
      seen.add(result.tag.path);
      accepted.push({ line, tag: result.tag });
    });
    const applied = await this.db.transaction(async (tx) => {
      const saved: TagDefinition[] = [];
      for (const { tag } of accepted) {
        const current = await tx.query<TagRow>(`SELECT ${COLUMNS} FROM tags WHERE path = $1 FOR UPDATE`, [tag.path]);
        if (current.rows[0]) {
          saved.push(await this.save(tx, toDefinition(current.rows[0]), tag, actor));
          report.updated++;
        } else {
          saved.push(await this.insert(tx, tag, actor));
          report.created++;
        }
      }
      return saved;
    });
    afterCommit(() => {
      for (const tag of applied) this.remember(tag);
    });
    return report;
  }

  private remember(tag: RememberedTag): void {
    this.deadbands.set(tag.path, tag.deadband);
    this.readRoles.set(tag.path, tag.readRole);
    this.ids.set(tag.path, tag.id);
    if (tag.historyEnabled) {
      this.historyPolicies.set(tag.path, { tagId: tag.id, deviation: tag.historyDeviation, maxIntervalMs: tag.historyMaxIntervalSeconds * 1000 });
    } else {
      this.historyPolicies.delete(tag.path);
    }
    this.writePolicies.set(tag.path, { dataType: tag.dataType, unit: tag.unit, writable: tag.writable, writeMin: tag.writeMin, writeMax: tag.writeMax, writeRole: tag.writeRole });
  }

  private async insert(tx: Queryable, tag: TagInput, actor: string): Promise<TagDefinition> {
    const inserted = await tx.query<TagRow>(
      `INSERT INTO tags (id, site_id, path, data_type, unit, display_unit, description, deadband, scaling, source, read_role, created_by,
         history_enabled, history_deviation, history_max_interval_seconds, writable, write_min, write_max, write_role)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING ${COLUMNS}`,
      [
        newId(),
        this.siteId,
        tag.path,
        tag.dataType,
        tag.unit,
        tag.displayUnit,
        tag.description,
        tag.deadband,
        tag.scaling ? JSON.stringify(tag.scaling) : null,
        tag.source,
        tag.readRole,
        actor,
        tag.historyEnabled,
        tag.historyDeviation,
        tag.historyMaxIntervalSeconds,
        tag.writable,
        tag.writeMin,
        tag.writeMax,
        tag.writeRole,
      ],
    );
    const created = toDefinition(inserted.rows[0]);
    await this.audit.record({ actor, action: "tag.create", entityType: "tag", entityId: created.id, after: created }, tx);
    return created;
  }

  private async save(tx: Queryable, before: TagDefinition, next: TagInput, actor: string): Promise<TagDefinition> {
    const updated = await tx.query<TagRow>(
      `UPDATE tags SET data_type = $2, unit = $3, display_unit = $9, description = $4, deadband = $5, scaling = $6::jsonb,
         source = $7, read_role = $8, history_enabled = $10, history_deviation = $11, history_max_interval_seconds = $12,
         writable = $13, write_min = $14, write_max = $15, write_role = $16, updated_at = now(), row_version = row_version + 1
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        before.id,
        next.dataType,
        next.unit,
        next.description,
        next.deadband,
        next.scaling ? JSON.stringify(next.scaling) : null,
        next.source,
        next.readRole,
        next.displayUnit,
        next.historyEnabled,
        next.historyDeviation,
        next.historyMaxIntervalSeconds,
        next.writable,
        next.writeMin,
        next.writeMax,
        next.writeRole,
      ],
    );
    const after = toDefinition(updated.rows[0]);
    await this.audit.record({ actor, action: "tag.update", entityType: "tag", entityId: before.id, before, after }, tx);
    return after;
  }
}

function allowedRoles(role: Role): Role[] {
  return (["viewer", "operator", "engineer", "admin"] as const).filter((candidate) => roleAtLeast(role, candidate));
}

/** The cells typed by the schema (compiled once: a schema per row would be compiled per row). */
const CSV_TYPED_COLUMNS = [
  "dataType",
  "unit",
  "description",
  "deadband",
  "readRole",
  "historyEnabled",
  "historyDeviation",
  "historyMaxIntervalSeconds",
  "writable",
  "writeMin",
  "writeMax",
  "writeRole",
] as const;
const CsvTypedCellsSchema = Type.Partial(Type.Pick(TagInputSchema, CSV_TYPED_COLUMNS));

/** The value cells of a CSV record: an empty cell is absent, so the schema's default applies. */
function filledCells(record: Record<string, string>, columns: readonly string[]): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const column of columns) {
    const value = record[column];
    if (value !== undefined && value !== "") cells[column] = value;
  }
  return cells;
}

/**
 * One CSV record to a checked tag input, or why it is refused (pure). CSV
 * cells are text: each is parsed by its field's schema (a deadband of "1.5"
 * is the number 1.5, "abc" is refused), never coerced loosely.
 */
export function csvRecordToInput(record: Record<string, string>): { tag: TagInput } | { problem: ErrorDetails; reason: string } {
  const refuse = (problem: ErrorDetails, reason = detailsMessage(problem)) => ({ problem, reason });
  const scalingCells = filledCells(record, ["rawMin", "rawMax", "engMin", "engMax"]);
  const filled = Object.keys(scalingCells).length;
  if (filled !== 0 && filled !== 4) return refuse({ field: "scaling", reason: "scaling_incomplete" }, "scaling needs all of rawMin, rawMax, engMin, engMax or none");
  let scaling: TagInput["scaling"] = null;
  if (filled === 4) {
    const parsed = parseText(ScalingSchema, scalingCells, "");
    if ("problem" in parsed) return refuse(parsed.problem);
    scaling = parsed.value;
  }
  const cells = filledCells(record, CSV_TYPED_COLUMNS);
  const typed = parseText(CsvTypedCellsSchema, cells, "");
  if ("problem" in typed) return refuse(typed.problem);
  const candidate = {
    path: record.path ?? "",
    readRole: "viewer",
    ...typed.value,
    displayUnit: record.displayUnit ? record.displayUnit : null,
    scaling,
    source: record.source ? record.source : null,
  };
  const checked = checkInput(TagInputSchema, candidate, "");
  if ("problem" in checked) return refuse(checked.problem);
  const tag = checked.value;
  if (!tag.displayUnit) tag.displayUnit = null;
  try {
    checkTag(tag);
  } catch (error) {
    if (error instanceof TagRegistryError && error.details) return refuse(error.details, error.message);
    throw error;
  }
  return { tag };
}
