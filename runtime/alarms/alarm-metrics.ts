import { Gauge, type Registry } from "prom-client";
import type { AlarmEngine } from "./alarm-engine.js";

/** /metrics: alarms waiting for the operator, and journal rows waiting for the database (the journal's lag in an outage). */
export function registerAlarmMetrics(registry: Registry, engine: AlarmEngine): void {
  new Gauge({
    name: "petroflow_alarms_unacknowledged",
    help: "Alarms waiting for an acknowledgement (active or returned), by priority",
    labelNames: ["priority"],
    registers: [registry],
    collect() {
      this.reset();
      for (const alarm of engine.list({ state: "unacked" })) this.inc({ priority: alarm.priority });
    },
  });
  new Gauge({
    name: "petroflow_alarm_journal_queued",
    help: "Alarm journal rows made but not yet written to the database",
    registers: [registry],
    collect() {
      this.set(engine.queuedEntries);
    },
  });
  new Gauge({
    name: "petroflow_alarm_journal_dropped",
    help: "Alarm journal rows dropped since start because the database stayed away past the queue's limit",
    registers: [registry],
    collect() {
      this.set(engine.droppedEntries);
    },
  });
}
