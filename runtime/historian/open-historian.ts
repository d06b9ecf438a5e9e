import path from "node:path";
import type { Settings } from "../../settings.js";
import type { SystemAlarms } from "../alarms/alarm-types.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { Spool } from "../spool/spool.js";
import type { LiveTags } from "../tags/tag-types.js";
import { Historian, type HistoryPolicies } from "./historian.js";
import { createHistorianMetrics } from "./historian-metrics.js";
import { DatabaseHistorySink } from "./history-sink.js";
import { HistoryWriter } from "./history-writer.js";

export const HISTORIAN_SPOOL = "historian";
/** Partitions ahead and retention are checked this often (and at start). */
const MAINTENANCE_MS = 3_600_000;
/** Spool records hold up to 2000 values: the record bound follows from the byte bound. */
const MIN_BYTES_PER_RECORD = 64;

export function historianSpoolDir(dataDir: string): string {
  return path.join(dataDir, "spool", HISTORIAN_SPOOL);
}

export type HistorianSettings = Pick<
  Settings,
  "dataDir" | "historyFlushMs" | "historyBatchRows" | "historyRetentionDays" | "historySpoolMaxBytes" | "historySpoolFullPolicy" | "historyWriteTimeoutMs"
>;

export interface HistorianServices {
  historian: Historian;
  writer: HistoryWriter;
  spool: Spool;
  sink: DatabaseHistorySink;
  /** Stores held values, writes what is queued (database or spool), stops the drainer, closes the spool. */
  close(): Promise<void>;
}

/**
 * Opens `<data dir>/spool/historian`, creates the partitions ahead and
 * applies retention (then hourly), starts the writer's drainer and the
 * historian's subscription to the live tags.
 */
export async function openHistorian(options: {
  db: Database;
  settings: HistorianSettings;
  tags: LiveTags;
  policies: HistoryPolicies;
  logger: Logger;
  metrics?: Metrics;
  alarms?: SystemAlarms;
}): Promise<HistorianServices> {
  const { settings, logger } = options;
  const spool = await Spool.open({
    dir: historianSpoolDir(settings.dataDir),
    name: HISTORIAN_SPOOL,
    maxBytes: settings.historySpoolMaxBytes,
    maxRecords: Math.max(1, Math.floor(settings.historySpoolMaxBytes / MIN_BYTES_PER_RECORD)),
    onCorruption: (corruption) => logger.error({ corruption }, "the history spool skipped damaged records"),
  });
  if (spool.recovery.truncatedBytes > 0 || spool.recovery.removedFiles.length > 0) {
    logger.warn({ recovery: spool.recovery }, "the history spool repaired what an interrupted write left (no acknowledged value is lost)");
  }
  const sink = new DatabaseHistorySink(options.db, { retentionDays: settings.historyRetentionDays });
  const maintain = async () => {
    try {
      const { created, dropped } = await sink.maintain();
      if (created.length > 0 || dropped.length > 0) logger.info({ created, dropped }, "history partitions maintained");
    } catch (error) {
      logger.warn({ err: error }, "history partitions could not be maintained now; tried again within the hour");
    }
  };
  await maintain();
  let writer: HistoryWriter | undefined;
  const historianMetrics = options.metrics ? createHistorianMetrics(options.metrics.registry, () => writer?.capacitySeconds() ?? null) : undefined;
  writer = new HistoryWriter({
    sink,
    spool,
    flushMs: settings.historyFlushMs,
    batchRows: settings.historyBatchRows,
    writeTimeoutMs: settings.historyWriteTimeoutMs,
    fullPolicy: settings.historySpoolFullPolicy,
    retentionCutoff: () => sink.retentionCutoff(),
    logger,
    metrics: historianMetrics,
    alarms: options.alarms,
  });
  const untrack = options.metrics?.trackSpool(HISTORIAN_SPOOL, spool);
  const waiting = spool.depth().records;
  if (waiting > 0) logger.warn({ waiting }, "history values wait in the spool from before the restart; writing them when the database answers");
  writer.start();
  const historian = new Historian({ tags: options.tags, policies: options.policies, writer, logger });
  historian.start();
  const timer = setInterval(() => void maintain(), MAINTENANCE_MS);
  timer.unref();
  const openedWriter = writer;
  return {
    historian,
    writer: openedWriter,
    spool,
    sink,
    async close() {
      clearInterval(timer);
      try {
        await historian.stop();
      } finally {
        untrack?.();
        await spool.close();
      }
    },
  };
}
