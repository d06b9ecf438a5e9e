import { Type } from "@sinclair/typebox";
import { parse as parseCsv } from "csv-parse/sync";
import { stringify as stringifyCsv } from "csv-stringify/sync";
import type { AuditService } from "../audit/audit-service.js";
import { ROLES, roleAtLeast, type Role } from "../auth/roles.js";
import type { Database, Queryable, SqlValue } from "../db/database.js";
import { detailsMessage, type ErrorDetails } from "../error-contract.js";
import type { ModuleEventBus } from "../events/event-bus.js";
import { newId } from "../ids.js";
import { checkInput, parseText } from "../input/schema-check.js";
import { AlarmDefinitionInputSchema, type AlarmDefinition, type AlarmDefinitionInput } from "./schema.js";

/** The module event the alarm engine reloads on; payload `{ ids }`: the definitions created, changed or deleted. */
export const ALARM_DEFINITIONS_CHANGED = "alarms.definitions.changed";

export class AlarmDefinitionError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "stale" | "invalid_input",
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AlarmDefinitionError";
  }
}

type Kind = AlarmDefinitionInput["kind"];
export type AlarmDefinitionPatch = Partial<Omit<AlarmDefinitionInput, "tagPath" | "kind">> & { rowVersion: number };

interface DefinitionRow {
  id: string;
  tag_path: string;
  kind: Kind;
  limit_value: number | null;
  alarm_state: string | null;
  setpoint_path: string | null;
  priority: AlarmDefinitionInput["priority"];
  deadband: number;
  on_delay_seconds: number;
  off_delay_seconds: number;
  area: string;
  message: string;
  enabled: boolean;
  updated_at: Date;
  row_version: number;
}

const SELECT = `SELECT d.id, t.path AS tag_path, d.kind, d.limit_value, d.alarm_state, d.setpoint_path, d.priority, d.deadband,
  d.on_delay_seconds, d.off_delay_seconds, d.area, d.message, d.enabled, d.updated_at, d.row_version
  FROM alarm_definitions d JOIN tags t ON t.id = d.tag_id`;

function toDefinition(row: DefinitionRow): AlarmDefinition {
  return {
    id: row.id,
    tagPath: row.tag_path,
    kind: row.kind,
    limit: row.limit_value === null ? null : Number(row.limit_value),
    alarmState: row.alarm_state,
    setpointPath: row.setpoint_path,
    priority: row.priority,
    deadband: Number(row.deadband),
    onDelaySeconds: Number(row.on_delay_seconds),
    offDelaySeconds: Number(row.off_delay_seconds),
    area: row.area,
    message: row.message,
    enabled: row.enabled,
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
  };
}

function inputOf(definition: AlarmDefinition): AlarmDefinitionInput {
  const { id: _id, updatedAt: _updatedAt, rowVersion: _rowVersion, ...input } = definition;
  return input;
}

const LIMIT_KINDS: ReadonlySet<Kind> = new Set(["hihi", "hi", "lo", "lolo", "roc", "deviation"]);
/** Absolute limits, highest first: HiHi ≥ Hi > Lo ≥ LoLo. */
const LEVEL_RANK: Partial<Record<Kind, number>> = { hihi: 4, hi: 3, lo: 2, lolo: 1 };

interface TagFacts {
  id: string;
  dataType: "float" | "int" | "bool" | "string";
}

const refuse = (field: string, details: Omit<ErrorDetails, "field">, message?: string): never => {
  const full: ErrorDetails = { field, ...details };
  throw new AlarmDefinitionError("invalid_input", message ?? detailsMessage(full), full);
};

/** The checks of one definition on its own, given its tag (pure). */
export function checkDefinition(input: AlarmDefinitionInput, tag: TagFacts | undefined, setpointExists: boolean): void {
  const kind = input.kind;
  if (!tag) refuse("tagPath", { reason: "unknown_tag" }, `tagPath ${input.tagPath} is not a tag of this site`);
  if (LIMIT_KINDS.has(kind)) {
    if (input.limit === null) refuse("limit", { reason: "required_for_kind", params: { kind } });
    if (tag && (tag.dataType === "bool" || tag.dataType === "string")) {
      refuse("kind", { reason: "not_for_data_type", params: { dataType: tag.dataType } }, `a ${kind} alarm does not apply to a ${tag.dataType} tag`);
    }
    if ((kind === "roc" || kind === "deviation") && input.limit !== null && input.limit <= 0) refuse("limit", { reason: "not_above", params: { limit: 0 } });
  } else if (input.limit !== null) refuse("limit", { reason: "not_for_kind", params: { kind } });
  if (kind === "discrete") {
    if (input.alarmState === null) refuse("alarmState", { reason: "required_for_kind", params: { kind } });
    else {
      try {
        JSON.parse(input.alarmState);
      } catch {
        refuse("alarmState", { reason: "not_json" }, `alarmState ${input.alarmState} is not JSON text (true, 0, "TRIP")`);
      }
    }
  } else if (input.alarmState !== null) refuse("alarmState", { reason: "not_for_kind", params: { kind } });
  if (kind === "deviation") {
    if (input.setpointPath === null) refuse("setpointPath", { reason: "required_for_kind", params: { kind } });
    else if (!setpointExists) refuse("setpointPath", { reason: "unknown_tag" }, `setpointPath ${input.setpointPath} is not a tag of this site`);
  } else if (input.setpointPath !== null) refuse("setpointPath", { reason: "not_for_kind", params: { kind } });
}

/**
 * HiHi ≥ Hi > Lo ≥ LoLo across one tag's definitions (pure). `changed` is
 * the definition being saved; the refusal names it and the one it crosses.
 */
export function checkLimitOrder(changed: Pick<AlarmDefinitionInput, "kind" | "limit">, others: readonly Pick<AlarmDefinitionInput, "kind" | "limit">[]): void {
  const rank = LEVEL_RANK[changed.kind];
  if (rank === undefined || changed.limit === null) return;
  for (const other of others) {
    const otherRank = LEVEL_RANK[other.kind];
    if (otherRank === undefined || other.limit === null || other.kind === changed.kind) continue;
    // Hi and Lo must not meet (an alarm in both at once); a HiHi may equal its Hi.
    const strict = (rank >= 3) !== (otherRank >= 3);
    const params = { other: other.kind, otherLimit: other.limit };
    if (rank > otherRank) {
      if (strict ? changed.limit <= other.limit : changed.limit < other.limit) {
        refuse("limit", { reason: strict ? "limit_not_above_other" : "limit_below_other", params }, `${changed.kind} limit ${changed.limit} must be ${strict ? "above" : "at least"} the ${other.kind} limit ${other.limit}`);
      }
    } else if (strict ? changed.limit >= other.limit : changed.limit > other.limit) {
      refuse("limit", { reason: strict ? "limit_not_below_other" : "limit_above_other", params }, `${changed.kind} limit ${changed.limit} must be ${strict ? "below" : "at most"} the ${other.kind} limit ${other.limit}`);
    }
  }
}

/** The CSV columns, in order (the import and export format). */
export const ALARM_CSV_COLUMNS = [
  "tagPath",
  "kind",
  "limit",
  "alarmState",
  "setpointPath",
  "priority",
  "deadband",
  "onDelaySeconds",
  "offDelaySeconds",
  "area",
  "message",
  "enabled",
] as const;

export interface AlarmRejectedRow {
  line: number;
  tagPath: string;
  kind: string;
  reason: string;
  details: ErrorDetails;
}

export interface AlarmImportReport {
  created: number;
  updated: number;
  rejected: AlarmRejectedRow[];
}

export interface AlarmDefinitionQuery {
  /** Tag path prefix (plain text), e.g. `SITE1/WELL-101/`. */
  prefix?: string;
  area?: string;
  limit: number;
  offset: number;
  /** Only the definitions of tags this role may read (the tag's readRole). */
  role: Role;
}

function readableBy(role: Role): Role[] {
  return ROLES.filter((candidate) => roleAtLeast(role, candidate));
}

const CsvTypedCellsSchema = Type.Partial(Type.Pick(AlarmDefinitionInputSchema, ["kind", "limit", "priority", "deadband", "onDelaySeconds", "offDelaySeconds", "enabled"]));

/** One CSV record to an input, or why not (pure). Empty optional cells take the form's defaults. */
export function csvRecordToDefinition(record: Record<string, string>): { input: AlarmDefinitionInput } | { problem: ErrorDetails; reason: string } {
  const cells: Record<string, string> = {};
  for (const column of ["kind", "limit", "priority", "deadband", "onDelaySeconds", "offDelaySeconds", "enabled"]) {
    const value = record[column];
    if (value !== undefined && value !== "") cells[column] = value;
  }
  const typed = parseText(CsvTypedCellsSchema, cells, "");
  if ("problem" in typed) return { problem: typed.problem, reason: detailsMessage(typed.problem) };
  const candidate = {
    tagPath: record.tagPath ?? "",
    limit: null,
    deadband: 0,
    onDelaySeconds: 0,
    offDelaySeconds: 0,
    enabled: true,
    ...typed.value,
    alarmState: record.alarmState ? record.alarmState : null,
    setpointPath: record.setpointPath ? record.setpointPath : null,
    area: record.area ?? "",
    message: record.message ?? "",
  };
  const checked = checkInput(AlarmDefinitionInputSchema, candidate, "");
  if ("problem" in checked) return { problem: checked.problem, reason: detailsMessage(checked.problem) };
  return { input: checked.value };
}

function sameInput(a: AlarmDefinitionInput, b: AlarmDefinitionInput): boolean {
  return ALARM_CSV_COLUMNS.every((column) => a[column] === b[column]);
}

/**
 * Alarm definitions, stored with their tags. Every change is one transaction
 * with one audit row per definition (who, before, after, and the reason the
 * caller gave: ISA-18.2 management of change), then the module event
 * `alarms.definitions.changed` after the commit, on which the engine reloads.
 */
export class AlarmDefinitionService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly events: Pick<ModuleEventBus, "emit">,
    private readonly siteId: string,
  ) {}

  async list(query: AlarmDefinitionQuery): Promise<{ definitions: AlarmDefinition[]; total: number }> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    // left() rather than LIKE: a prefix with % or _ in it matches only itself.
    if (query.prefix) {
      params.push(query.prefix);
      conditions.push(`left(t.path, length($${params.length})) = $${params.length}`);
    }
    if (query.area) {
      params.push(query.area);
      conditions.push(`d.area = $${params.length}`);
    }
    params.push(readableBy(query.role));
    conditions.push(`t.read_role = ANY($${params.length}::text[])`);
    const where = `WHERE ${conditions.join(" AND ")}`;
    const total = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM alarm_definitions d JOIN tags t ON t.id = d.tag_id ${where}`, params);
    const rows = await this.db.query<DefinitionRow>(`${SELECT} ${where} ORDER BY t.path, d.kind LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      query.limit,
      query.offset,
    ]);
    return { definitions: rows.rows.map(toDefinition), total: total.rows[0]?.count ?? 0 };
  }

  async get(id: string, role: Role): Promise<AlarmDefinition> {
    const result = await this.db.query<DefinitionRow>(`${SELECT} WHERE d.id = $1 AND t.read_role = ANY($2::text[])`, [id, readableBy(role)]);
    if (!result.rows[0]) throw new AlarmDefinitionError("not_found", `no alarm definition ${id}`);
    return toDefinition(result.rows[0]);
  }

  async create(input: AlarmDefinitionInput, actor: string, reason: string): Promise<AlarmDefinition> {
    const created = await this.db.transaction(async (tx) => {
      const tag = await this.checked(tx, input, null);
      const existing = await tx.query("SELECT 1 FROM alarm_definitions WHERE tag_id = $1 AND kind = $2", [tag.id, input.kind]);
      if (existing.rowCount > 0) {
        throw new AlarmDefinitionError("conflict", `${input.tagPath} already has a ${input.kind} alarm`, { field: "kind", reason: "already_exists" });
      }
      return this.insert(tx, tag.id, input, actor, reason);
    });
    this.changed([created.id]);
    return created;
  }

  async update(id: string, patch: AlarmDefinitionPatch, actor: string, reason: string): Promise<AlarmDefinition> {
    const updated = await this.db.transaction(async (tx) => {
      const before = await this.locked(tx, id);
      if (before.rowVersion !== patch.rowVersion) {
        throw new AlarmDefinitionError("stale", `alarm definition ${id} changed since you read it (version ${before.rowVersion}, you sent ${patch.rowVersion})`, {
          field: "rowVersion",
          reason: "changed_since_read",
          params: { current: before.rowVersion, sent: patch.rowVersion },
        });
      }
      const { rowVersion: _rowVersion, ...changes } = patch;
      const next: AlarmDefinitionInput = { ...inputOf(before), ...changes };
      await this.checked(tx, next, id);
      return this.save(tx, before, next, actor, reason);
    });
    this.changed([updated.id]);
    return updated;
  }

  async delete(id: string, actor: string, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const before = await this.locked(tx, id);
      await tx.query("DELETE FROM alarm_definitions WHERE id = $1", [id]);
      await this.audit.record({ actor, action: "alarm.definition.delete", entityType: "alarm_definition", entityId: id, before, details: { reason } }, tx);
    });
    this.changed([id]);
  }

  async exportCsv(): Promise<string> {
    const rows = await this.db.query<DefinitionRow>(`${SELECT} ORDER BY t.path, d.kind`);
    const records = rows.rows.map(toDefinition).map((definition) =>
      ALARM_CSV_COLUMNS.map((column) => {
        const value = definition[column];
        return value === null ? "" : String(value);
      }),
    );
    return stringifyCsv([[...ALARM_CSV_COLUMNS], ...records]);
  }

  /**
   * Creates or updates definitions by (tagPath, kind) from CSV. Rows that fail
   * a check are reported with their line and reason and skipped; the limit
   * order is checked on each tag's definitions as the whole file leaves them,
   * and a tag whose limits would cross has all its rows refused. The good rows
   * are applied in one transaction; rows equal to what is stored change nothing.
   */
  async importCsv(text: string, actor: string, reason: string): Promise<AlarmImportReport> {
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
    } catch (error) {
      throw new AlarmDefinitionError("invalid_input", `CSV could not be read: ${(error as Error).message}`, { field: "body", reason: "malformed_csv" });
    }
    const report: AlarmImportReport = { created: 0, updated: 0, rejected: [] };
    const changedIds: string[] = [];
    await this.db.transaction(async (tx) => {
      const parsed: { line: number; input: AlarmDefinitionInput }[] = [];
      const seen = new Set<string>();
      records.forEach((record, index) => {
        const line = index + 2;
        const reject = (details: ErrorDetails, text = detailsMessage(details)) =>
          report.rejected.push({ line, tagPath: record.tagPath ?? "", kind: record.kind ?? "", reason: text, details });
        const unknown = Object.keys(record).filter((column) => !(ALARM_CSV_COLUMNS as readonly string[]).includes(column));
        if (unknown.length) {
          reject({ field: unknown[0] ?? "", reason: "not_allowed" }, `unknown column(s): ${unknown.join(", ")}`);
          return;
        }
        const result = csvRecordToDefinition(record);
        if ("problem" in result) {
          reject(result.problem, result.reason);
          return;
        }
        const key = `${result.input.tagPath}\u0000${result.input.kind}`;
        if (seen.has(key)) {
          reject({ field: "kind", reason: "duplicate_in_file" });
          return;
        }
        seen.add(key);
        parsed.push({ line, input: result.input });
      });

      const paths = [...new Set(parsed.flatMap(({ input }) => (input.setpointPath ? [input.tagPath, input.setpointPath] : [input.tagPath])))];
      const tags = await this.tagFacts(tx, paths);
      const current = await tx.query<DefinitionRow>(`${SELECT} WHERE t.path = ANY($1::text[]) FOR UPDATE OF d`, [paths]);
      const stored = new Map(current.rows.map((row) => [`${row.tag_path}\u0000${row.kind}`, toDefinition(row)]));

      // Each row on its own, then the limit order of each tag as the file leaves it.
      const accepted: { line: number; input: AlarmDefinitionInput }[] = [];
      for (const row of parsed) {
        try {
          checkDefinition(row.input, tags.get(row.input.tagPath), row.input.setpointPath === null || tags.has(row.input.setpointPath));
          accepted.push(row);
        } catch (error) {
          if (!(error instanceof AlarmDefinitionError) || !error.details) throw error;
          report.rejected.push({ line: row.line, tagPath: row.input.tagPath, kind: row.input.kind, reason: error.message, details: error.details });
        }
      }
      const finalByTag = new Map<string, Map<Kind, AlarmDefinitionInput>>();
      for (const definition of stored.values()) {
        const byKind = finalByTag.get(definition.tagPath) ?? new Map<Kind, AlarmDefinitionInput>();
        byKind.set(definition.kind, inputOf(definition));
        finalByTag.set(definition.tagPath, byKind);
      }
      for (const { input } of accepted) {
        const byKind = finalByTag.get(input.tagPath) ?? new Map<Kind, AlarmDefinitionInput>();
        byKind.set(input.kind, input);
        finalByTag.set(input.tagPath, byKind);
      }
      const crossed = new Map<string, AlarmDefinitionError>();
      for (const [tagPath, byKind] of finalByTag) {
        const all = [...byKind.values()];
        for (const definition of all) {
          try {
            checkLimitOrder(definition, all);
          } catch (error) {
            if (!(error instanceof AlarmDefinitionError)) throw error;
            crossed.set(tagPath, error);
            break;
          }
        }
      }

      for (const { line, input } of accepted) {
        const problem = crossed.get(input.tagPath);
        if (problem?.details) {
          report.rejected.push({ line, tagPath: input.tagPath, kind: input.kind, reason: problem.message, details: problem.details });
          continue;
        }
        const before = stored.get(`${input.tagPath}\u0000${input.kind}`);
        const tag = tags.get(input.tagPath);
        if (!tag) continue;
        if (!before) {
          changedIds.push((await this.insert(tx, tag.id, input, actor, reason)).id);
          report.created++;
        } else if (!sameInput(inputOf(before), input)) {
          changedIds.push((await this.save(tx, before, input, actor, reason)).id);
          report.updated++;
        }
      }
      report.rejected.sort((a, b) => a.line - b.line);
    });
    if (changedIds.length) this.changed(changedIds);
    return report;
  }

  private changed(ids: string[]): void {
    this.events.emit(ALARM_DEFINITIONS_CHANGED, { ids });
  }

  private async tagFacts(tx: Queryable, paths: readonly string[]): Promise<Map<string, TagFacts>> {
    const result = await tx.query<{ id: string; path: string; data_type: TagFacts["dataType"] }>("SELECT id, path, data_type FROM tags WHERE path = ANY($1::text[])", [paths]);
    return new Map(result.rows.map((row) => [row.path, { id: row.id, dataType: row.data_type }]));
  }

  /** Checks the definition and its tag's limit order (the tag's other definitions locked); returns the tag. */
  private async checked(tx: Queryable, input: AlarmDefinitionInput, ownId: string | null): Promise<TagFacts> {
    const paths = input.setpointPath ? [input.tagPath, input.setpointPath] : [input.tagPath];
    const tags = await this.tagFacts(tx, paths);
    const tag = tags.get(input.tagPath);
    checkDefinition(input, tag, input.setpointPath === null || tags.has(input.setpointPath));
    if (!tag) throw new Error("unreachable: checkDefinition refuses an unknown tag");
    const siblings = await tx.query<{ id: string; kind: Kind; limit_value: number | null }>(
      "SELECT id, kind, limit_value FROM alarm_definitions WHERE tag_id = $1 FOR UPDATE",
      [tag.id],
    );
    checkLimitOrder(
      input,
      siblings.rows.filter((row) => row.id !== ownId).map((row) => ({ kind: row.kind, limit: row.limit_value === null ? null : Number(row.limit_value) })),
    );
    return tag;
  }

  private async locked(tx: Queryable, id: string): Promise<AlarmDefinition> {
    const result = await tx.query<DefinitionRow>(`${SELECT} WHERE d.id = $1 FOR UPDATE OF d`, [id]);
    if (!result.rows[0]) throw new AlarmDefinitionError("not_found", `no alarm definition ${id}`);
    return toDefinition(result.rows[0]);
  }

  private async insert(tx: Queryable, tagId: string, input: AlarmDefinitionInput, actor: string, reason: string): Promise<AlarmDefinition> {
    const id = newId();
    await tx.query(
      `INSERT INTO alarm_definitions (id, site_id, tag_id, kind, limit_value, alarm_state, setpoint_path, priority, deadband, on_delay_seconds,
         off_delay_seconds, area, message, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [id, this.siteId, tagId, input.kind, input.limit, input.alarmState, input.setpointPath, input.priority, input.deadband, input.onDelaySeconds, input.offDelaySeconds, input.area, input.message, input.enabled, actor],
    );
    const created = await this.locked(tx, id);
    await this.audit.record({ actor, action: "alarm.definition.create", entityType: "alarm_definition", entityId: id, after: created, details: { reason } }, tx);
    return created;
  }

  private async save(tx: Queryable, before: AlarmDefinition, next: AlarmDefinitionInput, actor: string, reason: string): Promise<AlarmDefinition> {
    await tx.query(
      `UPDATE alarm_definitions SET limit_value = $2, alarm_state = $3, setpoint_path = $4, priority = $5, deadband = $6, on_delay_seconds = $7,
         off_delay_seconds = $8, area = $9, message = $10, enabled = $11, updated_at = now(), row_version = row_version + 1
       WHERE id = $1`,
      [before.id, next.limit, next.alarmState, next.setpointPath, next.priority, next.deadband, next.onDelaySeconds, next.offDelaySeconds, next.area, next.message, next.enabled],
    );
    const after = await this.locked(tx, before.id);
    await this.audit.record({ actor, action: "alarm.definition.update", entityType: "alarm_definition", entityId: before.id, before, after, details: { reason } }, tx);
    return after;
  }
}
