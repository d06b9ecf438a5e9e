import type { AuditService } from "../../runtime/audit/audit-service.js";
import type { Database, Queryable } from "../../runtime/db/database.js";
import type { Role } from "../../runtime/auth/roles.js";
import type { ModuleEventBus } from "../../runtime/events/event-bus.js";
import type { HistoryQueries } from "../../runtime/historian/history-queries.js";
import type { Logger } from "../../runtime/observability/logger.js";
import type { Outbox, OutboxOperation } from "../../runtime/sync/outbox.js";
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
}

/**
 * The audit row and the outbox row of one business change, in the caller's
 * transaction (DESIGN data rules): both commit or roll back with the change.
 */
export async function recordChange(context: Pick<ErpContext, "audit" | "outbox">, tx: Queryable, change: BusinessChange): Promise<void> {
  await context.audit.record(
    {
      actor: change.actor,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: change.before,
      after: change.after,
      details: change.details,
    },
    tx,
  );
  await context.outbox.record(
    {
      module: change.module,
      entityType: change.entityType,
      entityId: change.entityId,
      operation: change.operation,
      rowVersion: change.rowVersion,
      payload: change.after,
    },
    tx,
  );
}
