import type { AuditService } from "../audit/audit-service.js";
import type { Database } from "../db/database.js";
import { isDatabaseUnavailable } from "../db/database-errors.js";
import { outsideUnitOfWork } from "../db/unit-of-work.js";
import type { ModuleEventBus } from "../events/event-bus.js";
import { newId } from "../ids.js";
import type { Logger } from "../observability/logger.js";
import type { LiveTags, TagUpdate } from "../tags/tag-types.js";
import type { AlarmPort, SystemAlarmRaise } from "./alarm-types.js";
import { DEFAULT_ROC_WINDOW_SECONDS, evaluateCondition, initialConditionState, tickCondition, type ConditionState } from "./alarm-conditions.js";
import { computeAlarmKpis } from "./alarm-kpis.js";
import { applyAlarmEvent, modeOf, normalStatus, type AlarmEvent, type AlarmRefusal, type MachineTransition } from "./alarm-state-machine.js";
import { AlarmStore, type AuditRecordDraft, type JournalQuery, type JournalRecord, type LoadedDefinition, type StoredAlarm } from "./alarm-store.js";
import type { Alarm, AlarmJournalEntry, AlarmKpis, AlarmMode, AlarmPriority } from "./schema.js";

/** Emitted by the definitions' CRUD after each committed change; the engine reloads. */
export const DEFINITIONS_CHANGED_EVENT = "alarms.definitions.changed";
/** The asset register's well status change: suppression by design follows it. */
export const WELL_STATUS_CHANGED_EVENT = "assets.well.status_changed";

/** A well whose status suppresses its alarms (shut in, suspended, abandoned), with the tags linked to it. */
export interface SuppressedWell {
  id: string;
  code: string;
  status: string;
  /** Tags linked to the well in the asset register (asset_tags). */
  tagPaths: readonly string[];
}

export interface SuppressionSource {
  suppressedWells(): Promise<SuppressedWell[]>;
}

export interface AlarmEngineOptions {
  db: Database;
  audit: AuditService;
  tags: LiveTags;
  siteId: string;
  logger: Logger;
  events?: ModuleEventBus;
  suppression?: SuppressionSource;
  now?: () => number;
  /** Delays, shelve expiry and rate-of-change decay are checked this often. */
  tickIntervalMs?: number;
  /** Queued journal rows are written this often (and at once after an operator's action). */
  flushIntervalMs?: number;
  /** A batch write waiting longer than this is given up and retried. */
  writeTimeoutMs?: number;
  /** After a failed write, the next one waits this long. */
  retryAfterMs?: number;
  maxShelveMinutes?: number;
  /** Journal rows kept in memory while the database is away; past it the oldest are dropped (and counted). */
  maxQueuedEntries?: number;
  rocWindowSeconds?: number;
}

/** A refused request, mapped to HTTP by the routes. */
export class AlarmError extends Error {
  constructor(
    readonly code: "not_found" | "invalid_state" | "invalid_input",
    message: string,
    readonly reason?: AlarmRefusal | "alarm_shelve_too_long" | "not_after",
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
    this.name = "AlarmError";
  }
}

interface EngineAlarm extends StoredAlarm {
  /** Null for system alarms. */
  definition: LoadedDefinition | null;
  condition: ConditionState;
  /** When a running delay ends. */
  wakeAt: number | null;
}

interface QueuedEntry {
  journal: JournalRecord;
  audit: AuditRecordDraft;
}

export interface AlarmListFilter {
  area?: string;
  priority?: AlarmPriority;
  /** active: condition active (acknowledged or not); unacked: waiting for an acknowledgement; all: every alarm. */
  state?: "active" | "unacked" | "all";
  mode?: AlarmMode;
  activeOnly?: boolean;
}

const PRIORITY_RANK: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const SYSTEM_PREFIX = "system:";
/** Definitions' fields that change what the condition is; any change restarts its evaluation. */
const CONDITION_FIELDS = ["tagPath", "kind", "limit", "alarmState", "setpointPath", "deadband", "onDelaySeconds", "offDelaySeconds"] as const;
/** A flood's activations are journaled in batches of at most this many rows a transaction. */
const BATCH_ROWS = 5_000;
/** KPIs read at most this many activations (a range with more is a broken alarm system, not a report). */
const KPI_ACTIVATION_CAP = 500_000;

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The ISA-18.2 alarm engine: evaluates tag alarm definitions on every tag
 * change, runs the state machine, journals every transition (with an audit
 * row) in batches, and keeps every alarm's state in the database so it
 * survives a restart. While the database is away it keeps evaluating in
 * memory and journals what happened when it returns.
 */
export class AlarmEngine implements AlarmPort {
  private readonly store: AlarmStore;
  private readonly alarms = new Map<string, EngineAlarm>();
  private readonly byTag = new Map<string, EngineAlarm[]>();
  private readonly bySetpoint = new Map<string, EngineAlarm[]>();
  private readonly listeners = new Set<(entry: AlarmJournalEntry, alarm: Alarm) => void>();
  private readonly queue: QueuedEntry[] = [];
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly now: () => number;
  private readonly maxShelveMinutes: number;
  private readonly rocWindowSeconds: number;
  /** Wells that suppress alarms: by id, by code, and the tags linked to them. */
  private suppressedBy = { codes: new Map<string, SuppressedWell>(), paths: new Map<string, SuppressedWell>() };
  /** Device communication: per `<site>/<asset>`, the tags seen and those bad. */
  private readonly devices = new Map<string, { paths: Set<string>; bad: Map<string, string> }>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private retryAt = 0;
  private writeFailing = false;
  private started = false;
  /** Journal rows dropped because the database stayed away past maxQueuedEntries. */
  droppedEntries = 0;

  constructor(private readonly options: AlarmEngineOptions) {
    this.store = new AlarmStore(options.db, options.audit, options.siteId);
    this.now = options.now ?? Date.now;
    this.maxShelveMinutes = options.maxShelveMinutes ?? 720;
    this.rocWindowSeconds = options.rocWindowSeconds ?? DEFAULT_ROC_WINDOW_SECONDS;
  }

  /** Loads definitions and states, subscribes to the tags and starts the ticker and the writer. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const writeTimeoutMs = this.options.writeTimeoutMs ?? 10_000;
    const stored = await withTimeout(outsideUnitOfWork(() => this.store.loadStates()), writeTimeoutMs, "loading alarm states");
    for (const alarm of stored) {
      this.alarms.set(alarm.alarmId, { ...alarm, definition: null, condition: initialConditionState(alarm.status.conditionActive), wakeAt: null });
    }
    // The register first: evaluating the definitions without it would release, then suppress again, every shut-in well's alarms.
    await this.loadSuppression().catch((error: unknown) => this.options.logger.warn({ err: error }, "reading well statuses for alarm suppression failed; retried on their next change"));
    await this.reload();
    this.unsubscribers.push(
      this.options.tags.subscribe("#", (update) => this.onTag(update)),
      ...(this.options.events
        ? [
            this.options.events.subscribe(DEFINITIONS_CHANGED_EVENT, () => this.reloadInBackground()),
            this.options.events.subscribe(WELL_STATUS_CHANGED_EVENT, () => {
              this.refreshSuppression().catch((error: unknown) => this.options.logger.warn({ err: error }, "reading well statuses for alarm suppression failed"));
            }),
          ]
        : []),
    );
    const tick = setInterval(() => this.tick(), this.options.tickIntervalMs ?? 1_000);
    const flush = setInterval(() => this.flushInBackground(), this.options.flushIntervalMs ?? 250);
    tick.unref();
    flush.unref();
    this.timers.push(tick, flush);
  }

  /** Stops listening and writes what is queued (a last try: the database may be away). */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.flush().catch((error: unknown) => this.options.logger.warn({ err: error, queued: this.queue.length }, "alarm journal rows not written at stop"));
    this.started = false;
  }

  // ---- definitions ------------------------------------------------------

  /** Re-reads the definitions (the CRUD emitted alarms.definitions.changed); one at a time, coalesced. */
  async reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        const definitions = await withTimeout(outsideUnitOfWork(() => this.store.loadDefinitions()), this.options.writeTimeoutMs ?? 10_000, "loading alarm definitions");
        this.applyDefinitions(definitions);
      } while (this.reloadAgain);
    })().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private reloadInBackground(): void {
    this.reload().catch((error: unknown) => this.options.logger.warn({ err: error }, "reloading alarm definitions failed; the engine keeps the previous ones"));
  }

  private applyDefinitions(definitions: readonly LoadedDefinition[]): void {
    const now = this.now();
    const enabled = new Map(definitions.filter((definition) => definition.enabled).map((definition) => [definition.id, definition]));
    for (const alarm of [...this.alarms.values()]) {
      if (alarm.kind === "system" || enabled.has(alarm.alarmId)) continue;
      this.remove(alarm, now);
    }
    for (const definition of enabled.values()) {
      const existing = this.alarms.get(definition.id);
      const conditionChanged = !existing?.definition || CONDITION_FIELDS.some((field) => existing.definition?.[field] !== definition[field]);
      const alarm: EngineAlarm = existing ?? {
        alarmId: definition.id,
        kind: definition.kind,
        tagPath: definition.tagPath,
        priority: definition.priority,
        area: definition.area,
        message: definition.message,
        limit: definition.limit,
        value: null,
        status: normalStatus(now),
        definition,
        condition: initialConditionState(),
        wakeAt: null,
      };
      Object.assign(alarm, {
        kind: definition.kind,
        tagPath: definition.tagPath,
        priority: definition.priority,
        area: definition.area,
        message: definition.message || `${definition.tagPath} ${definition.kind}`,
        limit: definition.limit,
        definition,
      });
      this.alarms.set(alarm.alarmId, alarm);
      this.dirty.add(alarm.alarmId);
      if (conditionChanged) {
        // The stored condition carries over a restart; a changed limit is judged afresh on the current value.
        alarm.condition = initialConditionState(alarm.status.conditionActive);
        alarm.wakeAt = null;
      }
    }
    this.index();
    this.applySuppression(now);
    for (const alarm of this.alarms.values()) if (alarm.definition) this.evaluate(alarm, now);
  }

  /** A definition deleted or disabled: its alarm leaves; an alarm that was not normal is journaled as reset. */
  private remove(alarm: EngineAlarm, now: number): void {
    if (alarm.status.state !== "normal") {
      this.record(alarm, { transition: "reset", fromState: alarm.status.state, toState: "normal", mode: modeOf(alarm.status), at: now, user: null, comment: "definition removed or disabled" });
    }
    this.alarms.delete(alarm.alarmId);
    this.dirty.delete(alarm.alarmId);
    this.removed.add(alarm.alarmId);
  }

  private index(): void {
    this.byTag.clear();
    this.bySetpoint.clear();
    for (const alarm of this.alarms.values()) {
      const definition = alarm.definition;
      if (!definition) continue;
      this.byTag.set(definition.tagPath, [...(this.byTag.get(definition.tagPath) ?? []), alarm]);
      if (definition.setpointPath) this.bySetpoint.set(definition.setpointPath, [...(this.bySetpoint.get(definition.setpointPath) ?? []), alarm]);
    }
  }

  // ---- suppression by design ---------------------------------------------

  /** Re-reads which wells are shut in (asset register) and suppresses or releases their alarms. */
  async refreshSuppression(): Promise<void> {
    await this.loadSuppression();
    this.applySuppression(this.now());
  }

  private async loadSuppression(): Promise<void> {
    const source = this.options.suppression;
    if (!source) return;
    const wells = await withTimeout(outsideUnitOfWork(() => source.suppressedWells()), this.options.writeTimeoutMs ?? 10_000, "reading well statuses");
    const next = { codes: new Map<string, SuppressedWell>(), paths: new Map<string, SuppressedWell>() };
    for (const well of wells) {
      next.codes.set(well.code, well);
      for (const path of well.tagPaths) next.paths.set(path, well);
    }
    this.suppressedBy = next;
  }

  /** The well that suppresses a tag: linked in the asset register, or named by the tag's asset segment (`<site>/<well code>/<point>`). */
  private suppressingWell(alarm: EngineAlarm): SuppressedWell | undefined {
    const definition = alarm.definition;
    if (!definition) return undefined;
    const { paths, codes } = this.suppressedBy;
    return paths.get(definition.tagPath) ?? codes.get(definition.tagPath.split("/")[1] ?? "");
  }

  private applySuppression(now: number): void {
    for (const alarm of this.alarms.values()) {
      // System alarms and stored alarms whose definition is not loaded yet are not a well's.
      if (!alarm.definition) continue;
      const well = this.suppressingWell(alarm);
      if (well && !alarm.status.suppressed) this.apply(alarm, { type: "suppress", at: now, reason: `well ${well.code} is ${well.status.replace("_", " ")}` });
      else if (!well && alarm.status.suppressed) this.apply(alarm, { type: "unsuppress", at: now });
    }
  }

  // ---- evaluation ----------------------------------------------------------

  private onTag(update: TagUpdate): void {
    const now = this.now();
    for (const alarm of this.byTag.get(update.path) ?? []) this.evaluate(alarm, now);
    for (const alarm of this.bySetpoint.get(update.path) ?? []) this.evaluate(alarm, now);
    this.trackDevice(update);
  }

  private evaluate(alarm: EngineAlarm, now: number): void {
    const definition = alarm.definition;
    if (!definition) return;
    const current = this.options.tags.read(definition.tagPath);
    if (!current) return;
    let setpoint: number | null | undefined;
    if (definition.setpointPath) {
      const sp = this.options.tags.read(definition.setpointPath);
      setpoint = sp && sp.q !== "bad" && typeof sp.v === "number" ? sp.v : null;
    }
    const result = evaluateCondition(definition, alarm.condition, { value: current.v, quality: current.q, t: current.t, setpoint }, now, this.rocWindowSeconds);
    alarm.condition = result.state;
    alarm.wakeAt = result.wakeAt;
    if (current.q !== "bad" && alarm.value !== current.v) {
      alarm.value = current.v;
      this.dirty.add(alarm.alarmId);
    }
    this.conditionIs(alarm, result.state.active, now);
  }

  private conditionIs(alarm: EngineAlarm, active: boolean, now: number): void {
    if (active !== alarm.status.conditionActive) this.apply(alarm, { type: "condition", active, at: now });
  }

  /** Delays ending, shelves expiring, rates of change decaying. Called by the ticker; tests call it with a fake clock. */
  tick(): void {
    const now = this.now();
    for (const alarm of this.alarms.values()) {
      if (alarm.status.shelve && alarm.status.shelve.until <= now) this.apply(alarm, { type: "shelve_expired", at: now });
      const definition = alarm.definition;
      if (!definition) continue;
      if ((alarm.wakeAt !== null && alarm.wakeAt <= now) || (definition.kind === "roc" && alarm.condition.samples.length > 0)) {
        const result = tickCondition(definition, alarm.condition, now, this.rocWindowSeconds);
        alarm.condition = result.state;
        alarm.wakeAt = result.wakeAt;
        this.conditionIs(alarm, result.state.active, now);
      }
    }
  }

  /**
   * Device communication lost: every tag of one device's asset
   * (`<site>/<asset>/...`) is bad with a reason, as the device nodes mark
   * them (markBad) when the device stops answering. One good value clears it.
   */
  private trackDevice(update: TagUpdate): void {
    const [site, asset] = update.path.split("/");
    if (!site || !asset) return;
    const key = `${site}/${asset}`;
    const device = this.devices.get(key) ?? { paths: new Set<string>(), bad: new Map<string, string>() };
    this.devices.set(key, device);
    device.paths.add(update.path);
    const { value } = update;
    if (value.q === "bad" && value.reason) device.bad.set(update.path, value.reason);
    else device.bad.delete(update.path);
    const alarmKey = `comms:${key}`;
    if (device.bad.size > 0 && device.bad.size === device.paths.size) {
      this.raise(alarmKey, { priority: "high", area: "system", message: `Communication lost with ${key}: ${value.reason ?? "bad quality"}` });
    } else if (this.alarms.get(SYSTEM_PREFIX + alarmKey)?.status.conditionActive) {
      this.clear(alarmKey);
    }
  }

  // ---- transitions -----------------------------------------------------------

  private apply(alarm: EngineAlarm, event: AlarmEvent): AlarmRefusal | null {
    const result = applyAlarmEvent(alarm.status, event);
    if ("refused" in result) return result.refused;
    alarm.status = result.status;
    this.dirty.add(alarm.alarmId);
    for (const transition of result.transitions) this.record(alarm, transition);
    return null;
  }

  /** Queues a journal row and its audit row, and tells the listeners. */
  private record(alarm: EngineAlarm, transition: MachineTransition): void {
    const journal: JournalRecord = {
      id: newId(),
      at: transition.at,
      alarmId: alarm.alarmId,
      tagPath: alarm.tagPath,
      kind: alarm.kind,
      priority: alarm.priority,
      area: alarm.area,
      message: alarm.message,
      transition: transition.transition,
      fromState: transition.fromState,
      toState: transition.toState,
      mode: transition.mode,
      value: alarm.value,
      user: transition.user,
      comment: transition.comment,
    };
    const audit: AuditRecordDraft = {
      id: newId(),
      occurredAt: new Date(transition.at),
      actor: transition.user ?? "system:alarms",
      action: `alarm.${transition.transition}`,
      entityId: alarm.alarmId,
      details: {
        tagPath: alarm.tagPath,
        kind: alarm.kind,
        priority: alarm.priority,
        area: alarm.area,
        fromState: transition.fromState,
        toState: transition.toState,
        mode: transition.mode,
        value: alarm.value,
        comment: transition.comment,
      },
    };
    this.queue.push({ journal, audit });
    const max = this.options.maxQueuedEntries ?? 100_000;
    if (this.queue.length > max) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.droppedEntries += dropped.length;
      this.options.logger.error({ dropped: dropped.length, total: this.droppedEntries }, "the database stayed away too long: oldest alarm journal rows dropped");
    }
    // Listeners hear at once, not after the write: a notification flow must not wait for a database that is away.
    const entry: AlarmJournalEntry = { ...journal, at: new Date(journal.at).toISOString() };
    const view = this.view(alarm);
    for (const listener of this.listeners) {
      try {
        listener(entry, view);
      } catch (error) {
        this.options.logger.warn({ err: error, alarmId: alarm.alarmId }, "an alarm listener failed");
      }
    }
  }

  // ---- writing ------------------------------------------------------------------

  private flushInBackground(): void {
    if (this.now() < this.retryAt || this.flushing) return;
    if (this.queue.length === 0 && this.dirty.size === 0 && this.removed.size === 0) return;
    this.flush().catch(() => undefined);
  }

  /** Writes everything queued (batches of one transaction each). Rejects when the database fails; the rows stay queued. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    const run = (async () => {
      while (this.queue.length > 0 || this.dirty.size > 0 || this.removed.size > 0) await this.writeOnce();
    })();
    this.flushing = run.finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeOnce(): Promise<void> {
    const items = this.queue.splice(0, BATCH_ROWS);
    const dirtyIds = [...this.dirty];
    const removedIds = [...this.removed];
    this.dirty.clear();
    this.removed.clear();
    const states = dirtyIds.map((id) => this.alarms.get(id)).filter((alarm): alarm is EngineAlarm => alarm !== undefined);
    try {
      await withTimeout(
        outsideUnitOfWork(() =>
          this.store.writeBatch(
            items.map((item) => item.journal),
            items.map((item) => item.audit),
            states,
            removedIds,
          ),
        ),
        this.options.writeTimeoutMs ?? 10_000,
        "writing the alarm journal",
      );
      if (this.writeFailing) this.options.logger.info({ queued: this.queue.length }, "alarm journal writes resumed");
      this.writeFailing = false;
    } catch (error) {
      this.queue.unshift(...items);
      for (const id of dirtyIds) this.dirty.add(id);
      for (const id of removedIds) if (!this.alarms.has(id)) this.removed.add(id);
      this.retryAt = this.now() + (this.options.retryAfterMs ?? 5_000);
      if (!this.writeFailing) {
        this.options.logger.warn(
          { err: error, queued: this.queue.length, unavailable: isDatabaseUnavailable(error) },
          "writing the alarm journal failed; the engine keeps evaluating in memory and writes when the database answers",
        );
      }
      this.writeFailing = true;
      throw error;
    }
  }

  /**
   * After an operator's action: write now, so the answer comes with its
   * journal and audit rows. While writes are failing the action is not held
   * up by another attempt: its rows wait in the queue with the others.
   */
  private async writeNow(): Promise<void> {
    if (this.writeFailing) return;
    await this.flush().catch(() => undefined);
  }

  // ---- AlarmPort ----------------------------------------------------------------

  private view(alarm: EngineAlarm): Alarm {
    const { status } = alarm;
    const mode = modeOf(status);
    const modeReason =
      mode === "out_of_service" ? (status.outOfService?.reason ?? null) : mode === "shelved" ? (status.shelve?.reason ?? null) : mode === "suppressed" ? (status.suppressed?.reason ?? null) : null;
    return {
      id: alarm.alarmId,
      kind: alarm.kind,
      tagPath: alarm.tagPath,
      priority: alarm.priority,
      area: alarm.area,
      message: alarm.message,
      state: status.state,
      mode,
      value: alarm.value,
      limit: alarm.limit,
      activeSince: iso(status.activeSince),
      lastChangeAt: new Date(status.lastChangeAt).toISOString(),
      ackedAt: iso(status.ack?.at),
      ackedBy: status.ack?.by ?? null,
      ackComment: status.ack?.comment ?? null,
      shelvedUntil: iso(status.shelve?.until),
      shelvedBy: status.shelve?.by ?? null,
      modeReason,
    };
  }

  /** Sorted by priority (critical first), then newest change first. */
  list(filter: AlarmListFilter = {}): Alarm[] {
    const state = filter.state ?? (filter.activeOnly ? "active" : "all");
    const selected: EngineAlarm[] = [];
    for (const alarm of this.alarms.values()) {
      if (filter.area !== undefined && alarm.area !== filter.area) continue;
      if (filter.priority !== undefined && alarm.priority !== filter.priority) continue;
      if (filter.mode !== undefined && modeOf(alarm.status) !== filter.mode) continue;
      const s = alarm.status.state;
      if (state === "active" && s !== "active_unack" && s !== "active_ack") continue;
      if (state === "unacked" && s !== "active_unack" && s !== "rtn_unack") continue;
      selected.push(alarm);
    }
    selected.sort(
      (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || b.status.lastChangeAt - a.status.lastChangeAt || a.alarmId.localeCompare(b.alarmId),
    );
    return selected.map((alarm) => this.view(alarm));
  }

  get(alarmId: string): Alarm | undefined {
    const alarm = this.alarms.get(alarmId);
    return alarm ? this.view(alarm) : undefined;
  }

  subscribe(listener: (entry: AlarmJournalEntry, alarm: Alarm) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private mustFind(alarmId: string): EngineAlarm {
    const alarm = this.alarms.get(alarmId);
    if (!alarm) throw new AlarmError("not_found", `no alarm ${alarmId}`);
    return alarm;
  }

  private applyOrRefuse(alarm: EngineAlarm, event: AlarmEvent): void {
    const refused = this.apply(alarm, event);
    if (refused) throw new AlarmError("invalid_state", `alarm ${alarm.alarmId}: ${refused.replace(/_/g, " ")}`, refused);
  }

  async acknowledge(alarmId: string, user: string, comment: string): Promise<Alarm> {
    const alarm = this.mustFind(alarmId);
    this.applyOrRefuse(alarm, { type: "acknowledge", at: this.now(), user, comment });
    await this.writeNow();
    return this.view(alarm);
  }

  /** Acknowledges a page of alarms; those no longer waiting for one (acknowledged meanwhile, gone) are skipped. */
  async acknowledgeMany(alarmIds: readonly string[], user: string, comment: string): Promise<{ acknowledged: Alarm[]; skipped: string[] }> {
    const acknowledged: Alarm[] = [];
    const skipped: string[] = [];
    const at = this.now();
    for (const alarmId of alarmIds) {
      const alarm = this.alarms.get(alarmId);
      if (alarm && this.apply(alarm, { type: "acknowledge", at, user, comment }) === null) acknowledged.push(this.view(alarm));
      else skipped.push(alarmId);
    }
    await this.writeNow();
    return { acknowledged, skipped };
  }

  async shelve(alarmId: string, user: string, reason: string, until: Date): Promise<Alarm> {
    const alarm = this.mustFind(alarmId);
    const now = this.now();
    const untilMs = until.getTime();
    if (!(untilMs > now)) throw new AlarmError("invalid_input", "the shelve must end in the future", "not_after", { other: "now" });
    if (untilMs - now > this.maxShelveMinutes * 60_000) {
      throw new AlarmError("invalid_input", `an alarm is shelved for at most ${this.maxShelveMinutes} minutes`, "alarm_shelve_too_long", { limit: this.maxShelveMinutes });
    }
    this.applyOrRefuse(alarm, { type: "shelve", at: now, user, reason, until: untilMs });
    await this.writeNow();
    return this.view(alarm);
  }

  /** The engine's clock, for a shelve given in minutes. */
  minutesFromNow(minutes: number): Date {
    return new Date(this.now() + minutes * 60_000);
  }

  async unshelve(alarmId: string, user: string): Promise<Alarm> {
    const alarm = this.mustFind(alarmId);
    this.applyOrRefuse(alarm, { type: "unshelve", at: this.now(), user });
    await this.writeNow();
    return this.view(alarm);
  }

  async setOutOfService(alarmId: string, user: string, outOfService: boolean, reason: string): Promise<Alarm> {
    const alarm = this.mustFind(alarmId);
    const at = this.now();
    this.applyOrRefuse(alarm, outOfService ? { type: "out_of_service", at, user, reason } : { type: "in_service", at, user, reason });
    await this.writeNow();
    return this.view(alarm);
  }

  raise(key: string, raised: SystemAlarmRaise): void {
    const alarmId = SYSTEM_PREFIX + key;
    const now = this.now();
    let alarm = this.alarms.get(alarmId);
    if (!alarm) {
      alarm = {
        alarmId,
        kind: "system",
        tagPath: null,
        priority: raised.priority,
        area: raised.area,
        message: raised.message,
        limit: null,
        value: raised.value ?? null,
        status: normalStatus(now),
        definition: null,
        condition: initialConditionState(),
        wakeAt: null,
      };
      this.alarms.set(alarmId, alarm);
    }
    const refreshed = alarm.priority !== raised.priority || alarm.area !== raised.area || alarm.message !== raised.message || alarm.value !== (raised.value ?? null);
    Object.assign(alarm, { priority: raised.priority, area: raised.area, message: raised.message, value: raised.value ?? null });
    if (refreshed) this.dirty.add(alarmId);
    this.conditionIs(alarm, true, now);
  }

  clear(key: string): void {
    const alarm = this.alarms.get(SYSTEM_PREFIX + key);
    if (alarm) this.conditionIs(alarm, false, this.now());
  }

  // ---- journal and KPIs ----------------------------------------------------------

  journal(query: JournalQuery): Promise<{ entries: AlarmJournalEntry[]; total: number }> {
    return this.store.journal(query);
  }

  /** Rows waiting for the database (the journal may lag the console by these). */
  get queuedEntries(): number {
    return this.queue.length;
  }

  async kpis(fromMs: number, toMs: number): Promise<AlarmKpis> {
    const activations = await this.store.activations(fromMs, toMs, KPI_ACTIVATION_CAP);
    const standing = [...this.alarms.values()].map((alarm) => ({
      alarmId: alarm.alarmId,
      tagPath: alarm.tagPath,
      message: alarm.message,
      activeSince: alarm.status.state === "active_unack" || alarm.status.state === "active_ack" ? alarm.status.activeSince : null,
    }));
    return computeAlarmKpis(activations, standing, fromMs, toMs);
  }
}
