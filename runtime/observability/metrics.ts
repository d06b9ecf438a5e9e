import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What a spool (runtime/spool) reports about what waits in it. */
export interface SpoolDepthSource {
  depth(): { records: number; bytes: number; oldestAppendedAtMs: number | null };
}

/** One registry per process so tests can build several apps without clashes. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  deploys: Counter<"source">;
  loginAttempts: Counter<"outcome">;
  /** Entries recorded by flows, by outcome: recorded, queued, drained, refused, spool_full, spool_error. */
  flowEntries: Counter<"outcome">;
  /** Reports a spool's depth under its name at every scrape; returns the function that stops it. */
  trackSpool(name: string, spool: SpoolDepthSource): () => void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "petroflow_" });
  const spools = new Map<string, SpoolDepthSource>();
  /** A gauge per spool, read off the spools when scraped rather than kept in step with every append. */
  const spoolGauge = (name: string, help: string, read: (depth: ReturnType<SpoolDepthSource["depth"]>) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ["spool"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [spool, source] of spools) {
          const value = read(source.depth());
          if (value !== null) this.set({ spool }, value);
        }
      },
    });
  spoolGauge("petroflow_spool_records", "Records waiting in a durable spool (appended, not yet acknowledged)", (depth) => depth.records);
  spoolGauge("petroflow_spool_bytes", "Bytes waiting in a durable spool, frame headers included", (depth) => depth.bytes);
  spoolGauge("petroflow_spool_oldest_age_seconds", "Age of the oldest record waiting in a durable spool (0 when none waits)", (depth) =>
    depth.oldestAppendedAtMs === null ? 0 : Math.max(0, (Date.now() - depth.oldestAppendedAtMs) / 1000),
  );
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "petroflow_http_request_duration_seconds",
      help: "HTTP request duration by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    deploys: new Counter({
      name: "petroflow_flow_deploys_total",
      help: "Flow deploys that created a revision, by source (editor, rollback, import)",
      labelNames: ["source"],
      registers: [registry],
    }),
    loginAttempts: new Counter({
      name: "petroflow_login_attempts_total",
      help: "Login attempts by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    flowEntries: new Counter({
      name: "petroflow_flow_entries_total",
      help: "Entries recorded by flows, by outcome: recorded (written at once), queued (spooled while the database was away), drained (written from the spool), refused (dropped from the spool by a permanent error), spool_full, spool_error (the spool could not take it)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    trackSpool(name, spool) {
      spools.set(name, spool);
      return () => spools.delete(name);
    },
  };
}
