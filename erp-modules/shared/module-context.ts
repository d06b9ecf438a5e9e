import type { AuditService } from "../../runtime/audit/audit-service.js";
import type { Database, Queryable } from "../../runtime/db/database.js";
import type { ModuleEventBus } from "../../runtime/events/event-bus.js";
import type { Logger } from "../../runtime/observability/logger.js";
import type { Outbox, OutboxOperation } from "../../runtime/sync/outbox.js";
import type { StandardConditionsId } from "../../runtime/units/gas-volume.js";

/** What every ERP module's service is built from. */
export interface ErpContext {
  db: Database;
  audit: AuditService;
  outbox: Outbox;
  events: ModuleEventBus;
  /** The Petroflow installation (DESIGN: site_id on every business row), e.g. SITE1. */
  siteId: string;
  logger: Logger;
  /** The site's standard conditions (settings.standardConditions); absent means 15 °C and 101.325 kPa. */
  standardConditions?: StandardConditionsId;
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
