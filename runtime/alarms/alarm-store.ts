import type { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable, SqlValue } from "../db/database.js";
import type { AlarmStatus } from "./alarm-state-machine.js";
import type { Activation } from "./alarm-kpis.js";
import type { AlarmDefinition, AlarmJournalEntry, AlarmKind, AlarmPriority, AlarmState, AlarmTransition } from "./schema.js";
import { modeOf } from "./alarm-state-machine.js";

/**
 * The alarm engine's tables: definitions (read), states and the journal
 * (written in batches, one transaction each, with their audit rows).
 */

export type AlarmValue = number | boolean | string | null;

/** An alarm as the engine keeps it and stores it. */
export interface StoredAlarm {
  alarmId: string;
  kind: AlarmKind;
  tagPath: string | null;
  priority: AlarmPriority;
  area: string;
  message: string;
  limit: number | null;
  value: AlarmValue;
  status: AlarmStatus;
}

export interface JournalRecord extends Omit<AlarmJournalEntry, "at"> {
  at: number;
}

export interface AuditRecordDraft {
  id: string;
  occurredAt: Date;
  actor: string;
  action: string;
  entityId: string;
  details: Record<string, unknown>;
}

export interface LoadedDefinition extends AlarmDefinition {
  tagId: string;
}

interface DefinitionRow {
  id: string;
  tag_id: string;
  path: string;
  kind: LoadedDefinition["kind"];
  limit_value: number | null;
  alarm_state: string | null;
  setpoint_path: string | null;
  priority: AlarmPriority;
  deadband: number;
  on_delay_seconds: number;
  off_delay_seconds: number;
  area: string;
  message: string;
  enabled: boolean;
  row_version: number;
  updated_at: Date;
}

interface StateRow {
  alarm_id: string;
  kind: AlarmKind;
  tag_path: string | null;
  priority: AlarmPriority;
  area: string;
  message: string;
  state: AlarmState;
  condition_active: boolean;
  active_since: Date | null;
  last_change_at: Date;
  acked_at: Date | null;
  acked_by: string | null;
  ack_comment: string | null;
  shelved_until: Date | null;
  shelved_by: string | null;
  shelve_reason: string | null;
  suppressed_reason: string | null;
  out_of_service_by: string | null;
  out_of_service_reason: string | null;
  last_value: AlarmValue;
  limit_value: number | null;
}

interface JournalRow {
  id: string;
  at: Date;
  alarm_id: string;
  tag_path: string | null;
  kind: AlarmKind;
  priority: AlarmPriority;
  area: string;
  message: string;
  transition: AlarmTransition;
  from_state: AlarmState;
  to_state: AlarmState;
  mode: AlarmJournalEntry["mode"];
  value: AlarmValue;
  user_name: string | null;
  comment: string | null;
}

export interface JournalQuery {
  from?: string;
  to?: string;
  area?: string;
  priority?: AlarmPriority;
  tagPath?: string;
  alarmId?: string;
  /** Message, tag path, user or comment contains this text (case-insensitive). */
  search?: string;
  limit: number;
  offset: number;
}

const STATE_COLUMNS = [
  "alarm_id",
  "site_id",
  "kind",
  "tag_path",
  "priority",
  "area",
  "message",
  "state",
  "mode",
  "condition_active",
  "active_since",
  "last_change_at",
  "acked_at",
  "acked_by",
  "ack_comment",
  "shelved_until",
  "shelved_by",
  "shelve_reason",
  "suppressed_reason",
  "out_of_service_by",
  "out_of_service_reason",
  "last_value",
  "limit_value",
] as const;

const JOURNAL_COLUMNS = [
  "id",
  "site_id",
  "at",
  "alarm_id",
  "tag_path",
  "kind",
  "priority",
  "area",
  "message",
  "transition",
  "from_state",
  "to_state",
  "mode",
  "value",
  "user_name",
  "comment",
] as const;

const date = (ms: number | null | undefined): Date | null => (ms === null || ms === undefined ? null : new Date(ms));
const time = (value: Date | null): number | null => (value ? value.getTime() : null);

/** Multi-row VALUES with placeholders; `casts` adds a type cast by column index (jsonb). */
function valuesClause(rows: readonly (readonly SqlValue[])[], casts: Readonly<Record<number, string>>, params: SqlValue[]): string {
  return rows
    .map((row) => {
      const placeholders = row.map((value, index) => {
        params.push(value);
        return `$${params.length}${casts[index] ?? ""}`;
      });
      return `(${placeholders.join(", ")})`;
    })
    .join(", ");
}

function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

export function journalEntryOf(row: JournalRow): AlarmJournalEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    alarmId: row.alarm_id,
    tagPath: row.tag_path,
    kind: row.kind,
    priority: row.priority,
    area: row.area,
    message: row.message,
    transition: row.transition,
    fromState: row.from_state,
    toState: row.to_state,
    mode: row.mode,
    value: row.value,
    user: row.user_name,
    comment: row.comment,
  };
}

export class AlarmStore {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly siteId: string,
  ) {}

  async loadDefinitions(): Promise<LoadedDefinition[]> {
    const result = await this.db.query<DefinitionRow>(
      `SELECT d.id, d.tag_id, t.path, d.kind, d.limit_value, d.alarm_state, d.setpoint_path, d.priority, d.deadband,
              d.on_delay_seconds, d.off_delay_seconds, d.area, d.message, d.enabled, d.row_version, d.updated_at
         FROM alarm_definitions d JOIN tags t ON t.id = d.tag_id
        WHERE d.site_id = $1
        ORDER BY t.path, d.kind`,
      [this.siteId],
    );
    return result.rows.map((row) => ({
      id: row.id,
      tagId: row.tag_id,
      tagPath: row.path,
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
      rowVersion: row.row_version,
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  async loadStates(): Promise<StoredAlarm[]> {
    const result = await this.db.query<StateRow>(`SELECT ${STATE_COLUMNS.filter((c) => c !== "site_id" && c !== "mode").join(", ")} FROM alarm_states WHERE site_id = $1`, [
      this.siteId,
    ]);
    return result.rows.map((row) => ({
      alarmId: row.alarm_id,
      kind: row.kind,
      tagPath: row.tag_path,
      priority: row.priority,
      area: row.area,
      message: row.message,
      limit: row.limit_value,
      value: row.last_value,
      status: {
        state: row.state,
        conditionActive: row.condition_active,
        activeSince: time(row.active_since),
        lastChangeAt: row.last_change_at.getTime(),
        ack: row.acked_at && row.acked_by !== null ? { at: row.acked_at.getTime(), by: row.acked_by, comment: row.ack_comment ?? "" } : null,
        shelve: row.shelved_until && row.shelved_by !== null ? { until: row.shelved_until.getTime(), by: row.shelved_by, reason: row.shelve_reason ?? "" } : null,
        suppressed: row.suppressed_reason !== null ? { reason: row.suppressed_reason } : null,
        outOfService: row.out_of_service_by !== null ? { by: row.out_of_service_by, reason: row.out_of_service_reason ?? "" } : null,
      },
    }));
  }

  /** One batch: journal rows, their audit rows and the alarms' current states, in one transaction. Safe to retry (ids are the caller's). */
  async writeBatch(journal: readonly JournalRecord[], audits: readonly AuditRecordDraft[], states: readonly StoredAlarm[], removed: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.insertJournal(tx, journal);
      await this.audit.recordMany(
        audits.map((draft) => ({ ...draft, entityType: "alarm" })),
        tx,
      );
      await this.upsertStates(tx, states);
      if (removed.length > 0) await tx.query("DELETE FROM alarm_states WHERE site_id = $1 AND alarm_id = ANY($2::text[])", [this.siteId, [...removed]]);
    });
  }

  private async insertJournal(tx: Queryable, journal: readonly JournalRecord[]): Promise<void> {
    const rowsPerStatement = 3_000;
    for (let start = 0; start < journal.length; start += rowsPerStatement) {
      const params: SqlValue[] = [];
      const rows = journal.slice(start, start + rowsPerStatement).map((entry) => [
        entry.id,
        this.siteId,
        new Date(entry.at),
        entry.alarmId,
        entry.tagPath,
        entry.kind,
        entry.priority,
        entry.area,
        entry.message,
        entry.transition,
        entry.fromState,
        entry.toState,
        entry.mode,
        JSON.stringify(entry.value),
        entry.user,
        entry.comment,
      ]);
      const values = valuesClause(rows, { 13: "::jsonb" }, params);
      await tx.query(`INSERT INTO alarm_journal (${JOURNAL_COLUMNS.join(", ")}) VALUES ${values} ON CONFLICT (id) DO NOTHING`, params);
    }
  }

  private async upsertStates(tx: Queryable, states: readonly StoredAlarm[]): Promise<void> {
    const rowsPerStatement = 2_000;
    const updates = STATE_COLUMNS.filter((column) => column !== "alarm_id")
      .map((column) => `${column} = EXCLUDED.${column}`)
      .join(", ");
    for (let start = 0; start < states.length; start += rowsPerStatement) {
      const params: SqlValue[] = [];
      const rows = states.slice(start, start + rowsPerStatement).map((alarm) => {
        const { status } = alarm;
        return [
          alarm.alarmId,
          this.siteId,
          alarm.kind,
          alarm.tagPath,
          alarm.priority,
          alarm.area,
          alarm.message,
          status.state,
          modeOf(status),
          status.conditionActive,
          date(status.activeSince),
          new Date(status.lastChangeAt),
          date(status.ack?.at),
          status.ack?.by ?? null,
          status.ack?.comment ?? null,
          date(status.shelve?.until),
          status.shelve?.by ?? null,
          status.shelve?.reason ?? null,
          status.suppressed?.reason ?? null,
          status.outOfService?.by ?? null,
          status.outOfService?.reason ?? null,
          JSON.stringify(alarm.value),
          alarm.limit,
        ];
      });
      const values = valuesClause(rows, { 21: "::jsonb" }, params);
      await tx.query(`INSERT INTO alarm_states (${STATE_COLUMNS.join(", ")}) VALUES ${values} ON CONFLICT (alarm_id) DO UPDATE SET ${updates}, updated_at = now()`, params);
    }
  }

  async journal(query: JournalQuery): Promise<{ entries: AlarmJournalEntry[]; total: number }> {
    const params: SqlValue[] = [this.siteId];
    const conditions = ["site_id = $1"];
    const where = (condition: (placeholder: string) => string, value: SqlValue) => {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    };
    if (query.from) where((p) => `at >= ${p}`, new Date(query.from));
    if (query.to) where((p) => `at < ${p}`, new Date(query.to));
    if (query.area) where((p) => `area = ${p}`, query.area);
    if (query.priority) where((p) => `priority = ${p}`, query.priority);
    if (query.tagPath) where((p) => `tag_path = ${p}`, query.tagPath);
    if (query.alarmId) where((p) => `alarm_id = ${p}`, query.alarmId);
    if (query.search) {
      where(
        (p) => `(lower(message) LIKE ${p} ESCAPE '\\' OR lower(coalesce(tag_path, '')) LIKE ${p} ESCAPE '\\' OR lower(coalesce(user_name, '')) LIKE ${p} ESCAPE '\\' OR lower(coalesce(comment, '')) LIKE ${p} ESCAPE '\\')`,
        containsPattern(query.search),
      );
    }
    const filter = `WHERE ${conditions.join(" AND ")}`;
    const total = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM alarm_journal ${filter}`, params);
    const rows = await this.db.query<JournalRow>(
      `SELECT ${JOURNAL_COLUMNS.filter((c) => c !== "site_id").join(", ")} FROM alarm_journal ${filter}
        ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { entries: rows.rows.map(journalEntryOf), total: total.rows[0]?.count ?? 0 };
  }

  /** Activations in [from, to), for the KPIs; at most `cap` of them (the newest are dropped past it). */
  async activations(fromMs: number, toMs: number, cap: number): Promise<Activation[]> {
    const result = await this.db.query<{ alarm_id: string; tag_path: string | null; message: string; area: string; priority: AlarmPriority; at: Date }>(
      `SELECT alarm_id, tag_path, message, area, priority, at FROM alarm_journal
        WHERE site_id = $1 AND transition = 'activate' AND at >= $2 AND at < $3
        ORDER BY at LIMIT $4`,
      [this.siteId, new Date(fromMs), new Date(toMs), cap],
    );
    return result.rows.map((row) => ({ alarmId: row.alarm_id, tagPath: row.tag_path, message: row.message, area: row.area, priority: row.priority, at: row.at.getTime() }));
  }
}
