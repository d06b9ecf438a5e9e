import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** What happened to values handed to the writer. */
export type HistoryOutcome = "stored" | "spooled" | "drained" | "dropped" | "expired";

export interface HistorianMetrics {
  values(outcome: HistoryOutcome, count: number): void;
  /** Seconds one batch took to commit, written live (`direct`) or from the spool (`drain`). */
  batchSeconds(path: "direct" | "drain", seconds: number): void;
}

/**
 * The historian's series on the site's registry (`/metrics`). The spool's
 * depth is reported by `metrics.trackSpool("historian", spool)`; the
 * capacity gauge is read off the writer when scraped.
 */
export function createHistorianMetrics(registry: Registry, capacitySeconds: () => number | null): HistorianMetrics {
  const values = new Counter({
    name: "petroflow_history_values_total",
    help: "Values handed to the historian's writer, by outcome: stored (committed at once), spooled (kept on disk while the database was away or slow), drained (committed from the spool), dropped (the spool was full, or a batch the database refused for good), expired (older than the retention)",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const batches = new Histogram({
    name: "petroflow_history_batch_seconds",
    help: "Time to commit one batch of history values, written live (direct) or from the spool (drain)",
    labelNames: ["path"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: "petroflow_history_spool_capacity_seconds",
    help: "Seconds until the historian's spool is full at the current ingest rate (absent while nothing is ingested)",
    registers: [registry],
    collect() {
      this.reset();
      const seconds = capacitySeconds();
      if (seconds !== null) this.set(seconds);
    },
  });
  return {
    values: (outcome, count) => {
      if (count > 0) values.inc({ outcome }, count);
    },
    batchSeconds: (path, seconds) => batches.observe({ path }, seconds),
  };
}
