import path from "node:path";
import type { Settings } from "../../settings.js";
import type { AuditEntry } from "../audit/audit-service.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { Spool } from "../spool/spool.js";
import type { ProductionEntryPort } from "../../erp-modules/production/ports.js";
import { FlowEntrySpool } from "./flow-entry-spool.js";
import { LastKnownAssetCodes } from "./last-known-asset-codes.js";

export const FLOW_ENTRY_SPOOL = "flow-entries";

/** The flow-entry spool's directory in the data dir. */
export function flowEntrySpoolDir(dataDir: string): string {
  return path.join(dataDir, "spool", FLOW_ENTRY_SPOOL);
}

export interface FlowEntryServices {
  service: FlowEntrySpool;
  /** The asset register's idByCode for nodes, answering from the last known ids while the database is away. */
  idByCode(code: string): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Opens `<data dir>/spool/flow-entries`, counts what waits in it, starts
 * the drainer and reports the spool's depth to /metrics.
 */
export async function openFlowEntries(options: {
  settings: Pick<Settings, "dataDir" | "entrySpoolMaxRecords" | "entrySpoolMaxBytes" | "entryWriteTimeoutMs" | "entryRetryMaxMs">;
  production: ProductionEntryPort;
  audit: { record(entry: AuditEntry): Promise<void> };
  assets: { findByCode(code: string): Promise<{ id: string } | null>; tree(): Promise<readonly { id: string; code: string }[]> };
  logger: Logger;
  metrics: Metrics;
}): Promise<FlowEntryServices> {
  const { settings, logger } = options;
  const codes = new LastKnownAssetCodes(async (code) => (await options.assets.findByCode(code))?.id ?? null, settings.entryWriteTimeoutMs);
  codes.prime(await options.assets.tree());
  const spool = await Spool.open({
    dir: flowEntrySpoolDir(settings.dataDir),
    name: FLOW_ENTRY_SPOOL,
    maxRecords: settings.entrySpoolMaxRecords,
    maxBytes: settings.entrySpoolMaxBytes,
    // Entries are small and few: small segments let a drained spool give its disk back soon.
    segmentBytes: Math.min(1024 * 1024, settings.entrySpoolMaxBytes),
    maxRecordBytes: Math.min(256 * 1024, settings.entrySpoolMaxBytes),
    onCorruption: (corruption) => logger.error({ corruption }, "the flow-entry spool skipped damaged records"),
  });
  if (spool.recovery.truncatedBytes > 0 || spool.recovery.removedFiles.length > 0) {
    logger.warn({ recovery: spool.recovery }, "the flow-entry spool repaired what an interrupted write left (no acknowledged entry is lost)");
  }
  const untrack = options.metrics.trackSpool(FLOW_ENTRY_SPOOL, spool);
  let service: FlowEntrySpool;
  try {
    service = await FlowEntrySpool.open({
      spool,
      production: options.production,
      audit: options.audit,
      logger,
      metrics: options.metrics,
      writeTimeoutMs: settings.entryWriteTimeoutMs,
      retry: { initialMs: Math.min(1000, settings.entryRetryMaxMs), maxMs: settings.entryRetryMaxMs },
    });
  } catch (error) {
    untrack();
    await spool.close();
    throw error;
  }
  service.start();
  return {
    service,
    idByCode: (code) => codes.idByCode(code),
    async close() {
      untrack();
      await service.close();
    },
  };
}
