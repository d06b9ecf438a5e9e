import type { AuditEntry, AuditService } from "../../runtime/audit/audit-service.js";
import type { Database, Queryable, StatementParams } from "../../runtime/db/database.js";
import type { Role } from "../../runtime/auth/roles.js";
import type { ModuleEventBus } from "../../runtime/events/event-bus.js";
import type { HistoryQueries } from "../../runtime/historian/history-queries.js";
import type { Logger } from "../../runtime/observability/logger.js";
import type { Outbox, OutboxEntry, OutboxOperation } from "../../runtime/sync/outbox.js";
import type { StandardConditionsId } from "../../runtime/units/gas-volume.js";
import type { Settings } from "../../settings.js";

/** What every ERP module's service is built from. */
export interface ErpContext {
  db: Database;
  audit: AuditService;
  outbox: Outbox;
  events: ModuleEventBus;
  /** The Petroflow installation (DESIGN: site_id on every business row), e.g. SITE1. */
  siteId: string;
  logger: Logger;
  /**
   * The site's production day (settings siteTimeZone, productionDayStartHour);
   * absent = UTC calendar days.
   */
  productionDay?: { timeZone: string; startHour: number };
  /** The site's standard conditions (settings.standardConditions); absent means 15 °C and 101.325 kPa. */
  standardConditions?: StandardConditionsId;
  /** The site's settings the modules follow (language, units, flag limits); absent means every default. */
  settings?: Partial<Settings>;
  /**
   * The historian as modules read it (reservoir's rate series from a rate
   * tag) and the tag read permission that guards it; absent where no
   * historian is wired (then a tag source is refused).
   */
  tagHistory?: { queries: Pick<HistoryQueries, "resolve" | "bucketsOf" | "rawOf">; mayRead(path: string, role: Role): boolean };
}

export interface BusinessChange {
  /** Username of who made the change (a user, or `flow:<node id>` for a node without a user). */
  actor: string;
  module: string;
  /** Audit action, `<module>.<entity>.<verb>`, e.g. `assets.well.create`. */
  action: string;
  entityType: string;
  entityId: string;
  operation: OutboxOperation;
  rowVersion?: number;
  before?: unknown;
  after: unknown;
  details?: Record<string, unknown>;
  /**
   * The outbox row's payload when the cloud needs more than the audit row
   * keeps (an allocation run's per-well volumes, docs/corporate.md); absent = `after`.
   */
  outboxPayload?: unknown;
}

function auditEntryOf(change: BusinessChange): AuditEntry {
  return { actor: change.actor, action: change.action, entityType: change.entityType, entityId: change.entityId, before: change.before, after: change.after, details: change.details };
}

function outboxEntryOf(change: BusinessChange): OutboxEntry {
  return { module: change.module, entityType: change.entityType, entityId: change.entityId, operation: change.operation, rowVersion: change.rowVersion, payload: change.outboxPayload ?? change.after };
}

/**
 * The audit row and the outbox row of one business change, in the caller's
 * transaction (DESIGN data rules): both commit or roll back with the change.
 */
export async function recordChange(context: Pick<ErpContext, "audit" | "outbox">, tx: Queryable, change: BusinessChange): Promise<void> {
  await context.audit.record(auditEntryOf(change), tx);
  await context.outbox.record(outboxEntryOf(change), tx);
}

/**
 * The change's own writes and its audit and outbox rows as one statement:
 * each of `writes` (a data-modifying statement whose values are in
 * `params`) becomes a CTE, and PostgreSQL runs every data-modifying CTE
 * exactly once, so all of them happen or none. A hot write (a stock move)
 * pays one round trip for what recordChange and its writes pay one each.
 * `change.after` must be known before the statement runs.
 */
export async function recordChangeWith(
  context: Pick<ErpContext, "audit" | "outbox">,
  tx: Queryable,
  change: BusinessChange,
  writes: readonly string[],
  params: StatementParams,
): Promise<void> {
  const parts = [...writes, context.audit.insertSql(auditEntryOf(change), params)];
  const outbox = context.outbox.insertSql(outboxEntryOf(change), params);
  await tx.query(`WITH ${parts.map((sql, index) => `write_${index} AS (${sql})`).join(",\n")}\n${outbox}`, params.values);
}
