import { v5 as uuidv5 } from "uuid";
import type { Queryable } from "../db/database.js";
import type { Logger } from "../observability/logger.js";
import type { Outbox } from "../sync/outbox.js";
import type { AlarmKpis } from "./schema.js";

/** Names the daily summaries' entity ids: one id per site and day, the same on every publication. */
const SUMMARY_NAMESPACE = "4f1d8e62-5b0a-4c39-9a7e-2f6b1c0d9e31";
const DAY_MS = 86_400_000;
export const ALARM_KPI_DAY_ENTITY = "alarm_kpi_day";

export function alarmKpiDayId(siteId: string, day: string): string {
  return uuidv5(`${siteId}/${day}`, SUMMARY_NAMESPACE);
}

export interface AlarmKpiPublisherOptions {
  kpis(fromMs: number, toMs: number): Promise<AlarmKpis>;
  outbox: Outbox;
  db: Queryable;
  siteId: string;
  logger: Logger;
  /** How often today's summary is refreshed. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Sends the cloud a summary of the alarm journal per UTC day (the site's
 * KPI report over that day) through the sync outbox, instead of every
 * journal entry: a flood of thousands of alarms is one row, and the cloud's
 * corporate alarm KPIs (docs/corporate.md) need no more. Today's summary is
 * refreshed every interval; a finished day is sent once more, final, when
 * the day turns. Each is an update of the same entity, so the cloud keeps
 * the latest.
 */
export class AlarmKpiPublisher {
  private timer: NodeJS.Timeout | null = null;
  private finalDay: string | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: AlarmKpiPublisherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 3600_000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Yesterday's final summary once, then today's so far. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const now = this.now();
        const today = new Date(now).toISOString().slice(0, 10);
        const yesterday = new Date(now - DAY_MS).toISOString().slice(0, 10);
        if (this.finalDay !== yesterday) {
          await this.publish(yesterday);
          this.finalDay = yesterday;
        }
        await this.publish(today);
      } catch (error) {
        // The next tick tries again; alarms themselves never wait on this.
        this.options.logger.warn({ err: error }, "the daily alarm summary for the cloud could not be written");
      }
    });
    return this.running;
  }

  /** One UTC day's summary into the outbox; today's covers the day up to now. */
  async publish(day: string): Promise<void> {
    const fromMs = Date.parse(`${day}T00:00:00Z`);
    const toMs = Math.min(fromMs + DAY_MS, this.now());
    if (!(toMs > fromMs)) return;
    const kpis = await this.options.kpis(fromMs, toMs);
    await this.options.outbox.record(
      { module: "alarms", entityType: ALARM_KPI_DAY_ENTITY, entityId: alarmKpiDayId(this.options.siteId, day), operation: "update", payload: { day, kpis } },
      this.options.db,
    );
  }
}
