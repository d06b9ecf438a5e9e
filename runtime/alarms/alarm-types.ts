/**
 * The alarm engine as other services and nodes use it
 * (RED.settings.petroflow.alarms). Every transition is journaled and audited.
 */
import type { Alarm, AlarmJournalEntry, AlarmPriority } from "./schema.js";

export interface SystemAlarmRaise {
  priority: AlarmPriority;
  /** Routing area, e.g. "system" or the device's asset area. */
  area: string;
  /** In English; the web app shows it as given. */
  message: string;
  value?: number | string | boolean | null;
}

/**
 * Alarms the runtime raises about itself (device communication lost, spool
 * filling, database unreachable, certificate about to expire). A key names
 * one condition (`spool:historian:full`, `device:<node id>:comms`); raising
 * an active one again only refreshes its message and value.
 */
export interface SystemAlarms {
  raise(key: string, alarm: SystemAlarmRaise): void;
  clear(key: string): void;
}

/** What flows may do with alarms: the alarm-events, alarm-ack and alarm-shelve nodes. */
export interface AlarmPort extends SystemAlarms {
  list(filter?: { area?: string; priority?: AlarmPriority; activeOnly?: boolean }): Alarm[];
  /** Calls listener on every transition (after it is journaled); returns the unsubscribe function. */
  subscribe(listener: (entry: AlarmJournalEntry, alarm: Alarm) => void): () => void;
  acknowledge(alarmId: string, user: string, comment: string): Promise<Alarm>;
  shelve(alarmId: string, user: string, reason: string, until: Date): Promise<Alarm>;
  unshelve(alarmId: string, user: string): Promise<Alarm>;
}
