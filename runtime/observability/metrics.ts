import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per process so tests can build several apps without clashes. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  deploys: Counter<"source">;
  loginAttempts: Counter<"outcome">;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "petroflow_" });
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
  };
}
