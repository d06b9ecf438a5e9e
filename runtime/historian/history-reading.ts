import type { Settings } from "../../settings.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../observability/logger.js";
import { HistoryQueries } from "./history-queries.js";
import type { HistoryPort, HistoryReader, HistoryRecorder } from "./history-types.js";
import { HOUR_MS, RollupJob } from "./rollups.js";

/** The historian's reading side: queries and the job that keeps their rollups current. */
export interface HistoryReading {
  queries: HistoryQueries;
  rollups: RollupJob;
}

export function openHistoryReading(db: Database, settings: Settings, logger: Logger): HistoryReading {
  return {
    queries: new HistoryQueries(db, { timeoutMs: settings.historyQueryTimeoutMs, rawMaxSpanMs: settings.historyRawMaxSpanHours * HOUR_MS }),
    rollups: new RollupJob({
      db,
      logger,
      intervalMs: settings.historyRollupIntervalMs,
      batchMinutes: settings.historyRollupBatchMinutes,
      // A pass is one transaction over a bounded batch: the statement timeout is its natural bound.
      timeoutMs: settings.dbStatementTimeoutMs,
    }),
  };
}

/** The `history` service nodes see: the reader's methods and the writer's record, bound (no `this` to lose). */
export function historyPort(reader: HistoryReader, recorder: HistoryRecorder): HistoryPort {
  return {
    raw: (path, range, options) => reader.raw(path, range, options),
    buckets: (path, range, bucketMs) => reader.buckets(path, range, bucketMs),
    interpolated: (path, times) => reader.interpolated(path, times),
    discrete: (path, range) => reader.discrete(path, range),
    record: (values) => recorder.record(values),
  };
}
